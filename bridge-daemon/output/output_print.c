/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing call records to stdout. */
#include "output_print.h"

#include "event_format.h"
#include "line_event.h"

#include <glib.h>
#include <stdio.h>

struct print_ctx {
	struct sipcid_output out;
	bool json;
	bool flush_each;
	GString *buf;
};

static void print_emit(void *p, const struct sipcid_call *call)
{
	struct print_ctx *ctx = p;
	g_string_truncate(ctx->buf, 0);
	if (ctx->json)
		sipcid_event_json(ctx->buf, call);
	else
		sipcid_event_line(ctx->buf, call);
	g_string_append_c(ctx->buf, '\n');
	fwrite(ctx->buf->str, 1, ctx->buf->len, stdout);
	if (ctx->flush_each)
		fflush(stdout);
}

static void print_emit_line(void *p, const struct sipcid_line_event *ev)
{
	struct print_ctx *ctx = p;
	g_string_truncate(ctx->buf, 0);
	if (ctx->json)
		sipcid_line_event_json(ctx->buf, ev);
	else
		sipcid_line_event_line(ctx->buf, ev);
	g_string_append_c(ctx->buf, '\n');
	fwrite(ctx->buf->str, 1, ctx->buf->len, stdout);
	if (ctx->flush_each)
		fflush(stdout);
}

static void print_close(void *p)
{
	struct print_ctx *ctx = p;
	fflush(stdout);
	g_string_free(ctx->buf, TRUE);
	g_free(ctx);
}

struct sipcid_output *sipcid_output_print_new(bool json, bool flush_each)
{
	struct print_ctx *ctx = g_new0(struct print_ctx, 1);
	ctx->json = json;
	ctx->flush_each = flush_each;
	ctx->buf = g_string_sized_new(512);
	ctx->out = (struct sipcid_output){ "print", ctx, print_emit, print_close, print_emit_line };
	return &ctx->out;
}
