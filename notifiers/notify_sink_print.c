/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --print and --print --json: a call per line for terminals and scripts.
 * Caller text is already free of control characters (lib/text.h), so a
 * line cannot move the cursor or change a terminal's state. */
#include "notify_sink.h"

#include "event_format.h"

#include <glib.h>
#include <stdio.h>

struct print_sink {
	bool json;
	GString *line;
};

static void print_deliver(void *ctx, const struct sipcid_call *c, struct notify_popup_slot *slot)
{
	(void)slot;
	struct print_sink *p = ctx;
	g_string_truncate(p->line, 0);
	if (p->json)
		sipcid_event_json(p->line, c);
	else
		sipcid_event_line(p->line, c);
	g_string_append_c(p->line, '\n');
	fwrite(p->line->str, 1, p->line->len, stdout);
	fflush(stdout);
}

static void print_deliver_line(void *ctx, const struct sipcid_line_event *ev)
{
	struct print_sink *p = ctx;
	g_string_truncate(p->line, 0);
	if (p->json)
		sipcid_line_event_json(p->line, ev);
	else
		sipcid_line_event_line(p->line, ev);
	g_string_append_c(p->line, '\n');
	fwrite(p->line->str, 1, p->line->len, stdout);
	fflush(stdout);
}

static void print_free(void *ctx)
{
	struct print_sink *p = ctx;
	g_string_free(p->line, TRUE);
	g_free(p);
}

struct notify_sink *notify_sink_print_new(bool json)
{
	struct print_sink *p = g_new0(struct print_sink, 1);
	p->json = json;
	p->line = g_string_new(NULL);
	struct notify_sink *s = g_new0(struct notify_sink, 1);
	s->ctx = p;
	s->deliver = print_deliver;
	s->free = print_free;
	s->deliver_line = print_deliver_line;
	return s;
}
