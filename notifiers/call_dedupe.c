/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Duplicate and stale event filter, keyed by call id (see call_dedupe.h). */
#include "call_dedupe.h"

#include <glib.h>

struct seen_call {
	int rank;
	int64_t last_seen_us;
	struct notify_popup_slot slot;
};

struct notify_call_dedupe {
	GHashTable *calls; /* call id -> struct seen_call */
	unsigned max_calls;
	int64_t forget_after_us;
};

/* States in the order a call goes through them; missed, ended and blocked end it. */
static int state_rank(enum sipcid_state s)
{
	switch (s) {
	case SIPCID_STATE_RINGING: return 0;
	case SIPCID_STATE_ANSWERED: return 1;
	case SIPCID_STATE_MISSED:
	case SIPCID_STATE_ENDED:
	case SIPCID_STATE_BLOCKED: return 2;
	}
	return 0;
}

static void seen_call_free(void *p)
{
	struct seen_call *s = p;
	if (s->slot.free && s->slot.data)
		s->slot.free(s->slot.data);
	g_free(s);
}

struct notify_call_dedupe *notify_call_dedupe_new(unsigned max_calls, int64_t forget_after_us)
{
	struct notify_call_dedupe *d = g_new0(struct notify_call_dedupe, 1);
	d->calls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, seen_call_free);
	d->max_calls = max_calls ? max_calls : 1;
	d->forget_after_us = forget_after_us;
	return d;
}

void notify_call_dedupe_free(struct notify_call_dedupe *d)
{
	if (!d)
		return;
	g_hash_table_destroy(d->calls);
	g_free(d);
}

unsigned notify_call_dedupe_size(const struct notify_call_dedupe *d)
{
	return g_hash_table_size(d->calls);
}

/* Drops expired calls, then the least recently seen ones until one more fits.
 * Linear, but only when the table is full, and it holds a few hundred calls. */
static void make_room(struct notify_call_dedupe *d, int64_t now_us)
{
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, d->calls);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		struct seen_call *s = value;
		if (now_us - s->last_seen_us > d->forget_after_us)
			g_hash_table_iter_remove(&it);
	}
	while (g_hash_table_size(d->calls) >= d->max_calls) {
		const char *oldest = NULL;
		int64_t oldest_us = INT64_MAX;
		g_hash_table_iter_init(&it, d->calls);
		while (g_hash_table_iter_next(&it, &key, &value)) {
			struct seen_call *s = value;
			if (s->last_seen_us < oldest_us) {
				oldest_us = s->last_seen_us;
				oldest = key;
			}
		}
		g_hash_table_remove(d->calls, oldest);
	}
}

struct notify_popup_slot *notify_call_dedupe_admit(struct notify_call_dedupe *d,
                                                   const struct sipcid_call *c, int64_t now_us)
{
	int rank = state_rank(c->state);
	struct seen_call *s = g_hash_table_lookup(d->calls, c->call_id);
	if (s && now_us - s->last_seen_us > d->forget_after_us) {
		g_hash_table_remove(d->calls, c->call_id);
		s = NULL;
	}
	if (s) {
		s->last_seen_us = now_us;
		if (rank <= s->rank)
			return NULL;
		s->rank = rank;
		return &s->slot;
	}
	if (g_hash_table_size(d->calls) >= d->max_calls)
		make_room(d, now_us);
	s = g_new0(struct seen_call, 1);
	s->rank = rank;
	s->last_seen_us = now_us;
	g_hash_table_insert(d->calls, g_strdup(c->call_id), s);
	return &s->slot;
}
