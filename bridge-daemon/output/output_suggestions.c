/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Feeding new callers to the phonebook suggestions file. */
#include "output_suggestions.h"

#include "log.h"
#include "suggestions.h"

#include <glib.h>

struct suggest_ctx {
	struct sipcid_output out;
	struct sipcid_suggestions *file;
	struct sipcid_rules *rules;
	bool warned;
};

static void suggest_emit(void *p, const struct sipcid_call *call)
{
	struct suggest_ctx *ctx = p;
	if (call->kind != SIPCID_EVENT_CALL)
		return;
	GError *err = NULL;
	if (!sipcid_suggestions_add(ctx->file, ctx->rules, call, &err)) {
		/* Once: a full disk must not fill the journal too. */
		if (!ctx->warned)
			sipcid_log_gerror("phonebook suggestions", err);
		ctx->warned = true;
		g_error_free(err);
	} else {
		ctx->warned = false;
	}
}

static void suggest_close(void *p)
{
	struct suggest_ctx *ctx = p;
	sipcid_suggestions_free(ctx->file);
	if (ctx->rules)
		sipcid_rules_unref(ctx->rules);
	g_free(ctx);
}

struct sipcid_output *sipcid_output_suggestions_new(const char *path, struct sipcid_rules *rules)
{
	struct suggest_ctx *ctx = g_new0(struct suggest_ctx, 1);
	ctx->file = sipcid_suggestions_new(path);
	ctx->rules = rules ? sipcid_rules_ref(rules) : NULL;
	ctx->out = (struct sipcid_output){ "suggestions", ctx, suggest_emit, suggest_close, NULL };
	return &ctx->out;
}

void sipcid_output_suggestions_set_rules(struct sipcid_output *out, struct sipcid_rules *rules)
{
	struct suggest_ctx *ctx = out->ctx;
	if (rules)
		sipcid_rules_ref(rules);
	if (ctx->rules)
		sipcid_rules_unref(ctx->rules);
	ctx->rules = rules;
}
