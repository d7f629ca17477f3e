/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A token bucket and a summary in front of a group of outputs (see output_rate.h). */
#include "output_rate.h"

#include <stdio.h>
#include <string.h>

#define WINDOW_US ((int64_t)60 * G_USEC_PER_SEC)

struct rate_gate {
	struct sipcid_output out;
	GPtrArray *group;
	struct sipcid_output_rate_limits limits;
	/* The bucket, in millitokens so refills need no floating point. */
	int64_t tokens_milli;
	int64_t refilled_us;
	bool started;
	int64_t last_us;       /* the latest call's time */
	/* Held back since held_since_us. */
	unsigned held;
	bool held_all_blocked;
	int64_t held_since_us;
	/* Call IDs that passed, oldest overwritten first. */
	char passed[SIPCID_OUTPUT_RATE_REMEMBER][SIPCID_CALLID_MAX];
	unsigned passed_next;
};

static void feed(struct rate_gate *g, const struct sipcid_call *call)
{
	for (guint i = 0; i < g->group->len; i++) {
		struct sipcid_output *o = g_ptr_array_index(g->group, i);
		o->emit(o->ctx, call);
	}
}

static bool has_passed(const struct rate_gate *g, const char *call_id)
{
	for (unsigned i = 0; i < SIPCID_OUTPUT_RATE_REMEMBER; i++)
		if (g->passed[i][0] && !strcmp(g->passed[i], call_id))
			return true;
	return false;
}

static void remember(struct rate_gate *g, const char *call_id)
{
	g_strlcpy(g->passed[g->passed_next], call_id, SIPCID_CALLID_MAX);
	g->passed_next = (g->passed_next + 1) % SIPCID_OUTPUT_RATE_REMEMBER;
}

static void refill(struct rate_gate *g, int64_t now_us)
{
	int64_t cap = (int64_t)g->limits.burst * 1000;
	if (!g->started) {
		g->started = true;
		g->tokens_milli = cap;
		g->refilled_us = now_us;
		return;
	}
	if (now_us <= g->refilled_us)
		return; /* the clock went back: no refill, and no overflow */
	int64_t dt = MIN(now_us - g->refilled_us, WINDOW_US * 1000);
	g->tokens_milli = MIN(cap, g->tokens_milli + dt * g->limits.per_minute * 1000 / WINDOW_US);
	g->refilled_us = now_us;
}

static void send_summary(struct rate_gate *g, int64_t now_us)
{
	struct sipcid_call s = { 0 };
	s.kind = SIPCID_EVENT_CALL;
	s.time_us = now_us;
	s.state = SIPCID_STATE_MISSED;
	s.action = g->held_all_blocked ? SIPCID_ACTION_BLOCK : SIPCID_ACTION_ALLOW;
	s.presentation = SIPCID_PRES_UNAVAILABLE;
	snprintf(s.call_id, sizeof s.call_id, "sipcid-summary-%" G_GINT64_FORMAT, now_us);
	snprintf(s.name, sizeof s.name, "%u more call%s%s in the last minute", g->held,
	         g->held == 1 ? "" : "s", g->held_all_blocked ? " blocked" : "");
	g->held = 0;
	feed(g, &s);
}

static void summary_if_due(struct rate_gate *g, int64_t now_us)
{
	if (g->held && now_us - g->held_since_us >= WINDOW_US)
		send_summary(g, now_us);
}

static void gate_emit(void *ctx, const struct sipcid_call *call)
{
	struct rate_gate *g = ctx;
	g->last_us = MAX(g->last_us, call->time_us);
	summary_if_due(g, call->time_us);
	if (call->kind != SIPCID_EVENT_CALL) {
		if (has_passed(g, call->call_id))
			feed(g, call);
		return;
	}
	if (has_passed(g, call->call_id)) { /* the same call announced again */
		feed(g, call);
		return;
	}
	refill(g, call->time_us);
	if (g->tokens_milli >= 1000) {
		g->tokens_milli -= 1000;
		remember(g, call->call_id);
		feed(g, call);
		return;
	}
	if (!g->held) {
		g->held_since_us = call->time_us;
		g->held_all_blocked = true;
	}
	g->held++;
	if (call->action != SIPCID_ACTION_BLOCK)
		g->held_all_blocked = false;
}

void sipcid_output_rate_tick(struct sipcid_output *gate, int64_t now_us)
{
	summary_if_due(gate->ctx, now_us);
}

/* Line events pass: a few a day, damped at the source (line_health.h). */
static void gate_emit_line(void *ctx, const struct sipcid_line_event *ev)
{
	struct rate_gate *g = ctx;
	for (guint i = 0; i < g->group->len; i++) {
		struct sipcid_output *o = g_ptr_array_index(g->group, i);
		if (o->emit_line)
			o->emit_line(o->ctx, ev);
	}
}

static void gate_close(void *ctx)
{
	struct rate_gate *g = ctx;
	/* The run ends: what was held back is still told, once. */
	if (g->held)
		send_summary(g, g->last_us);
	for (guint i = 0; i < g->group->len; i++) {
		struct sipcid_output *o = g_ptr_array_index(g->group, i);
		if (o->close)
			o->close(o->ctx);
	}
	g_ptr_array_free(g->group, TRUE);
	g_free(g);
}

struct sipcid_output *sipcid_output_rate_new(const char *name, GPtrArray *group,
                                             const struct sipcid_output_rate_limits *limits)
{
	struct rate_gate *g = g_new0(struct rate_gate, 1);
	g->group = group;
	g->limits = *limits;
	g->out = (struct sipcid_output){ name, g, gate_emit, gate_close, gate_emit_line };
	return &g->out;
}
