/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The calls in progress, and every event, to the control socket's watchers
 * (see output_watch.h). */
#include "output_watch.h"

#include "call_table.h"
#include "control_push.h"
#include "event_format.h"
#include "log.h"

#include <string.h>

enum {
	/* What one watcher may be behind: a few hundred events. A flood of
	 * calls beyond what it reads drops it rather than the daemon's memory. */
	WATCH_BUFFER = 256 * 1024,
	/* Calls kept for the snapshot; beyond, the oldest is forgotten. */
	CALLS_MAX = 256,
};

struct tracked {
	struct sipcid_call call;
	int64_t seen_us;          /* the wall clock of its last event, for ageing */
};

struct watcher {
	struct watch *w;
	struct sipcid_control_push *push;
	char peer[64];
};

struct watch {
	struct sipcid_output out;
	GHashTable *calls;        /* call_id → struct tracked * */
	GPtrArray *watchers;      /* struct watcher * */
};

static bool in_progress(enum sipcid_state s)
{
	return s == SIPCID_STATE_RINGING || s == SIPCID_STATE_ANSWERED;
}

/* The call table forgets a call whose end it never saw after these times
 * without a word of it, and says nothing: the watch ages calls the same way. */
static void age(struct watch *w, int64_t now_us)
{
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, w->calls);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const struct tracked *t = value;
		int64_t limit = t->call.state == SIPCID_STATE_ANSWERED ? SIPCID_TALK_TIMEOUT_US
		                                                       : SIPCID_RING_TIMEOUT_US;
		if (now_us - t->seen_us > limit)
			g_hash_table_iter_remove(&it);
	}
}

static void forget_oldest(struct watch *w)
{
	GHashTableIter it;
	gpointer key, value, oldest = NULL;
	int64_t t0 = INT64_MAX;
	g_hash_table_iter_init(&it, w->calls);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const struct tracked *t = value;
		if (t->seen_us < t0) {
			t0 = t->seen_us;
			oldest = key;
		}
	}
	if (oldest)
		g_hash_table_remove(w->calls, oldest);
}

static void keep(struct watch *w, const struct sipcid_call *call)
{
	int64_t now = g_get_real_time();
	age(w, now);
	if (!in_progress(call->state)) {
		g_hash_table_remove(w->calls, call->call_id);
		return;
	}
	struct tracked *t = g_hash_table_lookup(w->calls, call->call_id);
	bool added = !t;
	if (added) {
		if (g_hash_table_size(w->calls) >= CALLS_MAX)
			forget_oldest(w);
		t = g_new(struct tracked, 1);
	}
	/* The key points into the value: an update copies the same Call-ID
	 * over itself. */
	t->call = *call;
	t->seen_us = now;
	if (added)
		g_hash_table_insert(w->calls, t->call.call_id, t);
}

static void drop(struct watch *w, struct watcher *wa, const char *why)
{
	sipcid_log_info("control socket: watcher (%s) dropped: %s", wa->peer, why);
	g_ptr_array_remove_fast(w->watchers, wa);
	sipcid_control_push_free(wa->push);
	g_free(wa);
}

static void on_gone(void *ctx, const char *why)
{
	struct watcher *wa = ctx;
	drop(wa->w, wa, why);
}

/* Sends the line (ended here with a newline) to every watcher, and frees it. */
static void send_all(struct watch *w, GString *line)
{
	g_string_append_c(line, '\n');
	for (guint i = w->watchers->len; i-- > 0;) {
		struct watcher *wa = w->watchers->pdata[i];
		if (!sipcid_control_push_write(wa->push, line->str, line->len))
			drop(w, wa, "too slow: it did not read the events (or its connection failed)");
	}
	g_string_free(line, TRUE);
}

static void watch_emit(void *ctx, const struct sipcid_call *call)
{
	struct watch *w = ctx;
	keep(w, call);
	if (w->watchers->len == 0)
		return;
	GString *line = g_string_sized_new(1024);
	sipcid_event_json(line, call);
	send_all(w, line);
}

static void watch_emit_line(void *ctx, const struct sipcid_line_event *ev)
{
	struct watch *w = ctx;
	if (w->watchers->len == 0)
		return;
	GString *line = g_string_sized_new(512);
	sipcid_line_event_json(line, ev);
	send_all(w, line);
}

static gint by_time(gconstpointer a, gconstpointer b)
{
	const struct tracked *x = *(const struct tracked *const *)a;
	const struct tracked *y = *(const struct tracked *const *)b;
	return x->call.time_us < y->call.time_us ? -1 : x->call.time_us > y->call.time_us;
}

static GString *snapshot(struct watch *w)
{
	age(w, g_get_real_time());
	GPtrArray *calls = g_ptr_array_new();
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, w->calls);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(calls, value);
	g_ptr_array_sort(calls, by_time);
	GString *s = g_string_new("{\"snapshot\":[");
	for (guint i = 0; i < calls->len; i++) {
		if (i)
			g_string_append_c(s, ',');
		sipcid_event_json(s, &((const struct tracked *)calls->pdata[i])->call);
	}
	g_string_append(s, "]}\n");
	g_ptr_array_unref(calls);
	return s;
}

bool sipcid_output_watch_add(struct sipcid_output *out, GSocketConnection *conn,
                             const char *peer, GString *reply)
{
	struct watch *w = out->ctx;
	if (w->watchers->len >= SIPCID_OUTPUT_WATCH_MAX) {
		g_string_append_printf(reply, "error: %d clients watch already\n",
		                       SIPCID_OUTPUT_WATCH_MAX);
		return false;
	}
	g_autoptr(GString) s = snapshot(w);
	if (s->len > WATCH_BUFFER) {  /* 256 calls cannot be that long; said all the same */
		g_string_append(reply, "error: the calls in progress do not fit in one snapshot\n");
		return false;
	}
	struct watcher *wa = g_new0(struct watcher, 1);
	wa->w = w;
	g_strlcpy(wa->peer, peer, sizeof wa->peer);
	wa->push = sipcid_control_push_new(conn, WATCH_BUFFER, on_gone, wa);
	g_ptr_array_add(w->watchers, wa);
	sipcid_log_debug("control socket: a watcher (%s) connected", peer);
	if (!sipcid_control_push_write(wa->push, s->str, s->len))
		drop(w, wa, "its connection failed");
	return true;
}

unsigned sipcid_output_watch_count(const struct sipcid_output *out)
{
	const struct watch *w = out->ctx;
	return w->watchers->len;
}

static void watch_close(void *ctx)
{
	struct watch *w = ctx;
	while (w->watchers->len) {
		struct watcher *wa = w->watchers->pdata[0];
		g_ptr_array_remove_index_fast(w->watchers, 0);
		sipcid_control_push_free(wa->push);
		g_free(wa);
	}
	g_ptr_array_unref(w->watchers);
	g_hash_table_unref(w->calls);
	g_free(w);
}

struct sipcid_output *sipcid_output_watch_new(void)
{
	struct watch *w = g_new0(struct watch, 1);
	w->calls = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	w->watchers = g_ptr_array_new();
	w->out = (struct sipcid_output){ "watch", w, watch_emit, watch_close, watch_emit_line };
	return &w->out;
}
