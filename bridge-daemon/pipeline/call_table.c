/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A fixed pool of call entries, a GHashTable index and an LRU list. */
#include "call_table.h"

#include <string.h>

struct sipcid_call_table {
	struct call_entry *pool;
	unsigned capacity, used;
	/* Entries are taken from the pool in order and only then enter the free
	 * list, so a pool page is touched (made resident) only once a call
	 * needs it: a home line never pays for the flood-sized table. */
	unsigned never_used;  /* pool[never_used..capacity) not handed out yet */
	GQueue free_list;     /* entries released */
	/* One queue per timeout, each least recently active first, so expiry
	 * stops at the first entry still alive. */
	GQueue ringing;
	GQueue answered;
	GQueue finished;      /* missed or ended, lingering for retransmissions */
	GHashTable *by_id;    /* call_id (inside the entry) -> entry */
};

struct sipcid_call_table *sipcid_call_table_new(unsigned capacity)
{
	struct sipcid_call_table *t = g_new0(struct sipcid_call_table, 1);
	t->capacity = capacity ? capacity : 1;
	t->pool = g_new0(struct call_entry, t->capacity);
	g_queue_init(&t->free_list);
	g_queue_init(&t->ringing);
	g_queue_init(&t->answered);
	g_queue_init(&t->finished);
	t->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	return t;
}

void sipcid_call_table_free(struct sipcid_call_table *t)
{
	if (!t)
		return;
	g_hash_table_unref(t->by_id);
	g_free(t->pool);
	g_free(t);
}

struct call_entry *sipcid_call_table_find(struct sipcid_call_table *t, const char *call_id)
{
	return g_hash_table_lookup(t->by_id, call_id);
}

static GQueue *queue_of(struct sipcid_call_table *t, const struct call_entry *e)
{
	return e->finished ? &t->finished : e->answer_us ? &t->answered : &t->ringing;
}

static void release(struct sipcid_call_table *t, struct call_entry *e)
{
	g_hash_table_remove(t->by_id, e->call.call_id);
	g_queue_unlink(queue_of(t, e), &e->lru);
	g_queue_push_tail_link(&t->free_list, &e->lru);
	t->used--;
}

struct call_entry *sipcid_call_table_insert(struct sipcid_call_table *t, const struct sipcid_call *call,
                                     int64_t now_us, bool *evicted)
{
	*evicted = false;
	struct call_entry *e;
	if (!g_queue_is_empty(&t->free_list)) {
		e = g_queue_pop_head_link(&t->free_list)->data;
	} else if (t->never_used < t->capacity) {
		e = &t->pool[t->never_used++];
	} else {
		/* A lingering finished call goes first; then the call that has rung
		 * longest without news (a flood of INVITEs evicts its own kind);
		 * a call in conversation last. */
		GList *victim = t->finished.head;
		if (!victim) {
			victim = t->ringing.head ? t->ringing.head : t->answered.head;
			*evicted = true;
		}
		release(t, victim->data);
		e = g_queue_pop_head_link(&t->free_list)->data;
	}
	memset(e, 0, sizeof *e);
	e->lru.data = e;
	e->call = *call;
	e->invite_us = e->last_us = now_us;
	g_queue_push_tail_link(&t->ringing, &e->lru);
	g_hash_table_insert(t->by_id, e->call.call_id, e);
	t->used++;
	return e;
}

void sipcid_call_table_replace(struct sipcid_call_table *t, struct call_entry *e,
                               const struct sipcid_call *call, int64_t now_us)
{
	g_queue_unlink(queue_of(t, e), &e->lru);
	/* The hash table's key is the call_id inside the record; the new record
	 * has the same Call-ID, so the key stays valid. */
	e->call = *call;
	e->finished = false;
	e->answer_us = 0;
	e->reply_until_us = 0;
	e->invite_us = e->last_us = now_us;
	g_queue_push_tail_link(&t->ringing, &e->lru);
}

void sipcid_call_table_note_judged(struct call_entry *e, uint64_t fingerprint,
                                   enum sipcid_action action)
{
	if (e->n_judged == SIPCID_CALL_TABLE_JUDGED_MAX) {
		memmove(&e->judged[0], &e->judged[1], sizeof e->judged[0] * (e->n_judged - 1));
		e->n_judged--;
	}
	e->judged[e->n_judged].fingerprint = fingerprint;
	e->judged[e->n_judged].action = action;
	e->n_judged++;
}

bool sipcid_call_table_judged(const struct call_entry *e, uint64_t fingerprint,
                              enum sipcid_action *action)
{
	for (unsigned i = 0; i < e->n_judged; i++)
		if (e->judged[i].fingerprint == fingerprint) {
			*action = e->judged[i].action;
			return true;
		}
	return false;
}

void sipcid_call_table_touch(struct sipcid_call_table *t, struct call_entry *e, int64_t now_us)
{
	e->last_us = now_us;
	g_queue_unlink(queue_of(t, e), &e->lru);
	g_queue_push_tail_link(queue_of(t, e), &e->lru);
}

void sipcid_call_table_answer(struct sipcid_call_table *t, struct call_entry *e, int64_t now_us)
{
	if (e->finished || e->answer_us)
		return;
	g_queue_unlink(&t->ringing, &e->lru);
	e->answer_us = now_us;
	e->last_us = now_us;
	g_queue_push_tail_link(&t->answered, &e->lru);
}

void sipcid_call_table_finish(struct sipcid_call_table *t, struct call_entry *e, int64_t now_us)
{
	if (e->finished)
		return;
	g_queue_unlink(queue_of(t, e), &e->lru);
	e->finished = true;
	e->last_us = now_us;
	g_queue_push_tail_link(&t->finished, &e->lru);
}

static int64_t timeout_of(const struct call_entry *e)
{
	if (e->finished)
		return SIPCID_LINGER_US;
	return e->answer_us ? SIPCID_TALK_TIMEOUT_US : SIPCID_RING_TIMEOUT_US;
}

unsigned sipcid_call_table_expire(struct sipcid_call_table *t, int64_t now_us)
{
	unsigned n = 0;
	GQueue *queues[] = { &t->ringing, &t->answered, &t->finished };
	for (size_t q = 0; q < G_N_ELEMENTS(queues); q++) {
		GList *l;
		while ((l = queues[q]->head)) {
			struct call_entry *e = l->data;
			if (now_us - e->last_us <= timeout_of(e))
				break;
			release(t, e);
			n++;
		}
	}
	return n;
}
