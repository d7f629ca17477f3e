/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rate limit in front of an output group (output_rate.h): the burst,
 * the refill, a passed call's updates, a held call's silence, and the one
 * summary a minute. */
#include "output_rate.h"

#include <glib.h>
#include <string.h>

#define S ((int64_t)G_USEC_PER_SEC)
static const int64_t T0 = 1767225600 * S;

struct seen {
	struct sipcid_output inner;
	GPtrArray *calls;   /* struct sipcid_call * */
	bool closed;
};

static void seen_emit(void *ctx, const struct sipcid_call *call)
{
	struct seen *s = ctx;
	g_ptr_array_add(s->calls, g_memdup2(call, sizeof *call));
}

static void seen_close(void *ctx)
{
	((struct seen *)ctx)->closed = true;
}

/* A gate with the given limits in front of one output that keeps what it sees. */
static struct sipcid_output *open_gate(struct seen *s, unsigned burst, unsigned per_minute)
{
	s->calls = g_ptr_array_new_with_free_func(g_free);
	s->inner = (struct sipcid_output){ "seen", s, seen_emit, seen_close, NULL };
	GPtrArray *group = g_ptr_array_new();
	g_ptr_array_add(group, &s->inner);
	struct sipcid_output_rate_limits lim = { burst, per_minute };
	return sipcid_output_rate_new("test", group, &lim);
}

static struct sipcid_call call(int i, int64_t t, enum sipcid_action a)
{
	struct sipcid_call c = { 0 };
	c.kind = SIPCID_EVENT_CALL;
	c.time_us = t;
	c.action = a;
	g_snprintf(c.call_id, sizeof c.call_id, "c%d@x", i);
	g_snprintf(c.number, sizeof c.number, "+1555%07d", i);
	return c;
}

static const struct sipcid_call *nth(struct seen *s, guint i)
{
	return g_ptr_array_index(s->calls, i);
}

static void test_burst_and_updates(void)
{
	struct seen s = { 0 };
	struct sipcid_output *g = open_gate(&s, 10, 10);
	for (int i = 0; i < 30; i++) {
		struct sipcid_call c = call(i, T0, SIPCID_ACTION_BLOCK);
		g->emit(g->ctx, &c);
	}
	g_assert_cmpuint(s.calls->len, ==, 10);
	g_assert_cmpstr(nth(&s, 9)->call_id, ==, "c9@x");
	/* A passed call's update passes; a held call's does not. */
	struct sipcid_call up = call(3, T0 + S, SIPCID_ACTION_BLOCK);
	up.kind = SIPCID_EVENT_UPDATE;
	up.state = SIPCID_STATE_MISSED;
	g->emit(g->ctx, &up);
	g_assert_cmpuint(s.calls->len, ==, 11);
	struct sipcid_call held = call(20, T0 + S, SIPCID_ACTION_BLOCK);
	held.kind = SIPCID_EVENT_UPDATE;
	g->emit(g->ctx, &held);
	g_assert_cmpuint(s.calls->len, ==, 11);
	/* 10 a minute: after 6 s, one more new call passes, the next is held. */
	struct sipcid_call c = call(100, T0 + 6 * S + 1, SIPCID_ACTION_BLOCK);
	g->emit(g->ctx, &c);
	c = call(101, T0 + 6 * S + 2, SIPCID_ACTION_BLOCK);
	g->emit(g->ctx, &c);
	g_assert_cmpuint(s.calls->len, ==, 12);
	g_assert_cmpstr(nth(&s, 11)->call_id, ==, "c100@x");
	/* No summary before a minute since the first held call... */
	sipcid_output_rate_tick(g, T0 + 59 * S);
	g_assert_cmpuint(s.calls->len, ==, 12);
	/* ...then exactly one, counting every held call. */
	sipcid_output_rate_tick(g, T0 + 60 * S);
	sipcid_output_rate_tick(g, T0 + 61 * S);
	g_assert_cmpuint(s.calls->len, ==, 13);
	const struct sipcid_call *sum = nth(&s, 12);
	g_assert_cmpstr(sum->name, ==, "21 more calls blocked in the last minute");
	g_assert_true(g_str_has_prefix(sum->call_id, "sipcid-summary-"));
	g_assert_cmpint(sum->kind, ==, SIPCID_EVENT_CALL);
	g_assert_cmpint(sum->action, ==, SIPCID_ACTION_BLOCK);
	g_assert_cmpstr(sum->number, ==, "");
	g->close(g->ctx);
	g_assert_true(s.closed);
	g_assert_cmpuint(s.calls->len, ==, 13); /* nothing held: no summary at close */
	g_ptr_array_unref(s.calls);
}

static void test_summary_at_close(void)
{
	struct seen s = { 0 };
	struct sipcid_output *g = open_gate(&s, 2, 1);
	for (int i = 0; i < 4; i++) {
		/* One allowed call among the held: not "blocked". */
		struct sipcid_call c = call(i, T0 + i, i == 3 ? SIPCID_ACTION_ALLOW : SIPCID_ACTION_BLOCK);
		g->emit(g->ctx, &c);
	}
	g_assert_cmpuint(s.calls->len, ==, 2);
	g->close(g->ctx);
	g_assert_cmpuint(s.calls->len, ==, 3);
	g_assert_cmpstr(nth(&s, 2)->name, ==, "2 more calls in the last minute");
	g_assert_cmpint(nth(&s, 2)->action, ==, SIPCID_ACTION_ALLOW);
	g_ptr_array_unref(s.calls);
}

static void test_clock_back(void)
{
	struct seen s = { 0 };
	struct sipcid_output *g = open_gate(&s, 1, 10);
	struct sipcid_call c = call(1, T0, SIPCID_ACTION_ALLOW);
	g->emit(g->ctx, &c);
	/* A clock stepped back by an hour refills nothing. */
	c = call(2, T0 - 3600 * S, SIPCID_ACTION_ALLOW);
	g->emit(g->ctx, &c);
	g_assert_cmpuint(s.calls->len, ==, 1);
	g->close(g->ctx);
	g_assert_cmpstr(nth(&s, 1)->name, ==, "1 more call in the last minute");
	g_ptr_array_unref(s.calls);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/output_rate/burst-and-updates", test_burst_and_updates);
	g_test_add_func("/output_rate/summary-at-close", test_summary_at_close);
	g_test_add_func("/output_rate/clock-back", test_clock_back);
	return g_test_run();
}
