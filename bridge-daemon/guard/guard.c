/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-guard's decision (see guard.h). */
#include "guard.h"

#include <string.h>

void sipcid_guard_init(struct sipcid_guard *g, int64_t stall_ms)
{
	memset(g, 0, sizeof *g);
	g->stall_ms = stall_ms;
}

static uint32_t packets_left(const struct sipcid_guard_sample *s)
{
	/* Unsigned: id_sequence wraps at 2^32 and the difference with it. */
	return s->id_sequence - s->waiting;
}

static void take_base(struct sipcid_guard *g, const struct sipcid_guard_sample *s)
{
	g->have_base = true;
	g->portid = s->portid;
	g->left = packets_left(s);
	g->progress_ms = s->now_ms;
}

static void count_closing(struct sipcid_guard *g, int64_t now_ms)
{
	int64_t was_open = now_ms - g->opened_ms;
	g->counts.open_ms_total += was_open;
	if (was_open > g->counts.longest_ms)
		g->counts.longest_ms = was_open;
	g->open = false;
}

/* While the bypass is in, new SIP never reaches the queue, so the only
 * signs of life are the packets stuck in it when the line was opened:
 * sipcidd gives them their verdicts when it runs again (SIGCONT, a thread
 * unstuck). A restarted sipcidd binds with a new port and an empty queue;
 * with none bound, --queue-bypass lets SIP pass by itself. */
static bool recovered(const struct sipcid_guard *g, const struct sipcid_guard_sample *s)
{
	return !s->bound || s->portid != g->portid || s->waiting == 0 ||
	       packets_left(s) != g->left;
}

enum sipcid_guard_action sipcid_guard_feed(struct sipcid_guard *g,
                                           const struct sipcid_guard_sample *s)
{
	if (g->open) {
		if (!recovered(g, s))
			return SIPCID_GUARD_KEEP;
		count_closing(g, s->now_ms);
		g->have_base = false;
		if (s->bound)
			take_base(g, s);
		return SIPCID_GUARD_CLOSE;
	}
	if (!s->bound) {
		g->have_base = false;  /* --queue-bypass: SIP passes without us */
		return SIPCID_GUARD_KEEP;
	}
	if (!g->have_base || s->portid != g->portid || s->waiting == 0 ||
	    packets_left(s) != g->left) {
		take_base(g, s);
		return SIPCID_GUARD_KEEP;
	}
	/* Packets wait, none left since progress_ms. */
	if (s->now_ms - g->progress_ms < g->stall_ms)
		return SIPCID_GUARD_KEEP;
	g->open = true;
	g->opened_ms = s->now_ms;
	g->counts.opens++;
	return SIPCID_GUARD_OPEN;
}

struct sipcid_guard_counts sipcid_guard_counts_at(const struct sipcid_guard *g, int64_t now_ms)
{
	struct sipcid_guard_counts c = g->counts;
	if (g->open) {
		int64_t open_now = now_ms - g->opened_ms;
		c.open_ms_total += open_now;
		if (open_now > c.longest_ms)
			c.longest_ms = open_now;
	}
	return c;
}
