/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The call log writer: a queue, a thread, and batched transactions. */
#include "calllog_writer.h"

#include "calllog_schema.h"
#include "calllog_trim.h"
#include "log.h"
#include "thread_priority.h"

#include <sqlite3.h>
#include <string.h>

/* Changes waiting for the disk: ~1 KiB each, so a flood of INVITEs costs at
 * most ~2 MiB here; beyond that rows are counted as dropped (--status). */
enum { QUEUE_MAX = 2048 };
/* Retention (calllog_trim.h) runs at start, then once a minute, and sooner
 * after this many new rows, so a flood cannot outgrow keep-rows by much. */
enum { TRIM_AFTER_ROWS = 1000 };
#define TRIM_INTERVAL_US ((int64_t)60 * G_USEC_PER_SEC)

enum op_type { OP_CALL, OP_UPDATE, OP_RECORDING, OP_LINE, OP_FLUSH, OP_STOP };

struct op {
	enum op_type type;
	struct sipcid_call call;    /* OP_CALL, OP_UPDATE; call_id for OP_RECORDING */
	char *path;                 /* OP_RECORDING */
	struct sipcid_line_event line;  /* OP_LINE */
};

struct calllog {
	struct sipcid_output out;
	struct sipcid_calllog_settings settings;
	sqlite3 *db;
	sqlite3_stmt *insert, *update, *set_recording, *insert_line;
	GAsyncQueue *queue;
	GThread *thread;

	GMutex lock;                /* stats and flush hand-shake */
	GCond flushed;
	uint64_t flush_asked, flush_done;
	struct sipcid_calllog_stats stats;
	bool in_txn;
	int pending;
	char last_error[256];

	/* Writer thread only. */
	struct sipcid_calllog_trim *trim;    /* NULL: keep everything */
	int64_t next_trim_us;                /* monotonic */
	bool trim_more;                      /* the last batch was full */
	bool trimmed_last;                   /* a trim batch had the last turn */
	unsigned inserted_since_trim;
};

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int insert_row(struct calllog *lg, const struct sipcid_call *c)
{
	sqlite3_stmt *st = lg->insert;
	sqlite3_reset(st);
	bind_text(st, 1, c->call_id);
	sqlite3_bind_int64(st, 2, c->time_us);
	bind_text(st, 3, c->number);
	bind_text(st, 4, c->number_raw);
	bind_text(st, 5, c->name);
	bind_text(st, 6, c->alias);
	bind_text(st, 7, sipcid_call_presentation_name(c->presentation));
	bind_text(st, 8, sipcid_call_source_name(c->source));
	bind_text(st, 9, c->called);
	bind_text(st, 10, c->via);
	bind_text(st, 11, sipcid_call_action_name(c->action));
	bind_text(st, 12, c->rule);
	sqlite3_bind_int(st, 13, c->record);
	bind_text(st, 14, sipcid_call_state_name(c->state));
	sqlite3_bind_int64(st, 15, c->ring_ms);
	sqlite3_bind_int64(st, 16, c->talk_ms);
	bind_text(st, 17, sipcid_call_direction_name(c->direction));
	bind_text(st, 18, c->outcome ? sipcid_call_outcome_name(c->outcome) : "");
	bind_text(st, 19, c->number_display);
	bind_text(st, 20, c->country);
	bind_text(st, 21, c->number_type);
	bind_text(st, 22, c->region);
	bind_text(st, 23, c->verstat ? sipcid_call_verstat_name(c->verstat) : "");
	char attest[2] = { c->attest, '\0' };
	bind_text(st, 24, attest);
	return sqlite3_step(st);
}

static int update_row(struct calllog *lg, const struct sipcid_call *c)
{
	sqlite3_stmt *st = lg->update;
	sqlite3_reset(st);
	bind_text(st, 1, sipcid_call_state_name(c->state));
	sqlite3_bind_int64(st, 2, c->ring_ms);
	sqlite3_bind_int64(st, 3, c->talk_ms);
	sqlite3_bind_int(st, 4, c->record);
	bind_text(st, 5, c->call_id);
	bind_text(st, 6, c->outcome ? sipcid_call_outcome_name(c->outcome) : "");
	int rc = sqlite3_step(st);
	/* The daemon started (or the log was enabled) in the middle of this call. */
	if (rc == SQLITE_DONE && sqlite3_changes(lg->db) == 0)
		rc = insert_row(lg, c);
	return rc;
}

static int recording_row(struct calllog *lg, const char *call_id, const char *path)
{
	sqlite3_stmt *st = lg->set_recording;
	sqlite3_reset(st);
	bind_text(st, 1, path);
	bind_text(st, 2, call_id);
	return sqlite3_step(st);
}

/* A line event in the line_events table (schema 3). Counts the provider
 * did not send are stored as -1. */
static int line_row(struct calllog *lg, const struct sipcid_line_event *ev)
{
	sqlite3_stmt *st = lg->insert_line;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, ev->time_us);
	bind_text(st, 2, sipcid_line_event_kind_name(ev->kind));
	bool line = ev->kind == SIPCID_LINE_EVENT_LINE;
	bind_text(st, 3, line ? sipcid_line_event_state_name(ev->state) : "");
	bind_text(st, 4, ev->reason);
	bind_text(st, 5, ev->registrar);
	sqlite3_bind_int64(st, 6, line ? ev->since_us : 0);
	sqlite3_bind_int(st, 7, line ? 0 : ev->new_messages);
	sqlite3_bind_int(st, 8, line ? 0 : ev->old_messages);
	sqlite3_bind_int(st, 9, line ? 0 : ev->urgent_new);
	return sqlite3_step(st);
}

static void report(struct calllog *lg, const char *what)
{
	const char *msg = sqlite3_errmsg(lg->db);
	/* Once per distinct problem: a full disk must not flood the journal. */
	if (strcmp(msg, lg->last_error) != 0) {
		sipcid_log_warnx("call log %s: %s: %s", lg->settings.database, what, msg);
		g_strlcpy(lg->last_error, msg, sizeof lg->last_error);
	}
}

static void commit(struct calllog *lg)
{
	if (!lg->in_txn)
		return;
	int n = lg->pending;
	lg->in_txn = false;
	lg->pending = 0;
	bool ok = sqlite3_exec(lg->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	if (!ok) {
		g_autofree char *what = g_strdup_printf("%d call changes could not be saved", n);
		report(lg, what);
		sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
	} else {
		lg->last_error[0] = '\0';
	}
	g_mutex_lock(&lg->lock);
	if (ok) {
		lg->stats.written += (uint64_t)n;
		lg->stats.commits++;
	} else {
		lg->stats.dropped += (uint64_t)n;
	}
	g_mutex_unlock(&lg->lock);
}

static void apply(struct calllog *lg, const struct op *op)
{
	if (!lg->in_txn) {
		if (sqlite3_exec(lg->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
			report(lg, "cannot start a transaction");
			g_mutex_lock(&lg->lock);
			lg->stats.dropped++;
			g_mutex_unlock(&lg->lock);
			return;
		}
		lg->in_txn = true;
	}
	if (op->type == OP_CALL)
		lg->inserted_since_trim++;
	int rc = op->type == OP_CALL     ? insert_row(lg, &op->call)
	         : op->type == OP_UPDATE ? update_row(lg, &op->call)
	         : op->type == OP_LINE   ? line_row(lg, &op->line)
	                                 : recording_row(lg, op->call.call_id, op->path);
	if (rc != SQLITE_DONE) {
		report(lg, "cannot save a call");
		g_mutex_lock(&lg->lock);
		lg->stats.dropped++;
		g_mutex_unlock(&lg->lock);
		return;
	}
	lg->pending++;
}

static bool trim_due(const struct calllog *lg)
{
	return lg->trim && (lg->trim_more || lg->inserted_since_trim >= TRIM_AFTER_ROWS ||
	                    g_get_monotonic_time() >= lg->next_trim_us);
}

/* One batch of retention, between transactions. */
static void trim_step(struct calllog *lg)
{
	int n = sipcid_calllog_trim_batch(lg->trim, g_get_real_time());
	if (n < 0)
		report(lg, "cannot remove old calls ([log] keep-days, keep-rows)");
	lg->trim_more = n == SIPCID_CALLLOG_TRIM_BATCH;
	lg->trimmed_last = true;
	if (!lg->trim_more) {
		lg->next_trim_us = g_get_monotonic_time() + TRIM_INTERVAL_US;
		lg->inserted_since_trim = 0;
	}
	if (n > 0) {
		g_mutex_lock(&lg->lock);
		lg->stats.trimmed += (uint64_t)n;
		g_mutex_unlock(&lg->lock);
	}
}

static void free_op(struct op *op)
{
	g_free(op->path);
	g_free(op);
}

static gpointer writer(gpointer p)
{
	struct calllog *lg = p;
	sipcid_thread_yield_to_packets("call log");
	int64_t deadline = 0;
	for (;;) {
		struct op *op;
		/* Between transactions, a due trim batch takes turns with the
		 * queued changes: neither starves the other in a flood. */
		if (!lg->in_txn && trim_due(lg) &&
		    (!lg->trimmed_last || g_async_queue_length(lg->queue) <= 0)) {
			trim_step(lg);
			continue;
		}
		if (lg->in_txn) {
			int64_t wait = deadline - g_get_monotonic_time();
			op = wait > 0 ? g_async_queue_timeout_pop(lg->queue, (guint64)wait) : NULL;
			if (!op) {
				commit(lg);
				continue;
			}
		} else if (lg->trim) {
			int64_t wait = lg->trim_more ? 0 : lg->next_trim_us - g_get_monotonic_time();
			op = wait > 0 ? g_async_queue_timeout_pop(lg->queue, (guint64)wait)
			              : g_async_queue_try_pop(lg->queue);
			if (!op)
				continue; /* a trim is due */
		} else {
			op = g_async_queue_pop(lg->queue);
		}
		lg->trimmed_last = false;
		switch (op->type) {
		case OP_STOP:
			commit(lg);
			free_op(op);
			return NULL;
		case OP_FLUSH:
			commit(lg);
			/* Tests and shutdown see the limits applied. */
			if (trim_due(lg)) {
				do
					trim_step(lg);
				while (lg->trim_more);
			}
			g_mutex_lock(&lg->lock);
			lg->flush_done++;
			g_cond_broadcast(&lg->flushed);
			g_mutex_unlock(&lg->lock);
			break;
		default:
			if (!lg->in_txn)
				deadline = g_get_monotonic_time() + (int64_t)lg->settings.batch_ms * 1000;
			apply(lg, op);
			if (lg->pending >= lg->settings.batch_rows)
				commit(lg);
		}
		free_op(op);
	}
}

static void enqueue(struct calllog *lg, struct op *op)
{
	bool control = op->type == OP_FLUSH || op->type == OP_STOP;
	if (!control && g_async_queue_length(lg->queue) >= QUEUE_MAX) {
		g_mutex_lock(&lg->lock);
		lg->stats.dropped++;
		g_mutex_unlock(&lg->lock);
		free_op(op);
		return;
	}
	if (!control) {
		g_mutex_lock(&lg->lock);
		lg->stats.queued++;
		g_mutex_unlock(&lg->lock);
	}
	g_async_queue_push(lg->queue, op);
}

static void calllog_emit(void *ctx, const struct sipcid_call *call)
{
	struct op *op = g_new0(struct op, 1);
	op->type = call->kind == SIPCID_EVENT_UPDATE ? OP_UPDATE : OP_CALL;
	op->call = *call;
	enqueue(ctx, op);
}

static void calllog_emit_line(void *ctx, const struct sipcid_line_event *ev)
{
	struct op *op = g_new0(struct op, 1);
	op->type = OP_LINE;
	op->line = *ev;
	enqueue(ctx, op);
}

void sipcid_calllog_set_recording(struct sipcid_output *log, const char *call_id,
                                  const char *path)
{
	struct op *op = g_new0(struct op, 1);
	op->type = OP_RECORDING;
	g_strlcpy(op->call.call_id, call_id, sizeof op->call.call_id);
	op->path = g_strdup(path);
	enqueue(log->ctx, op);
}

void sipcid_calllog_flush(struct sipcid_output *log)
{
	struct calllog *lg = log->ctx;
	g_mutex_lock(&lg->lock);
	uint64_t ticket = ++lg->flush_asked;
	g_mutex_unlock(&lg->lock);
	struct op *op = g_new0(struct op, 1);
	op->type = OP_FLUSH;
	enqueue(lg, op);
	g_mutex_lock(&lg->lock);
	while (lg->flush_done < ticket)
		g_cond_wait(&lg->flushed, &lg->lock);
	g_mutex_unlock(&lg->lock);
}

void sipcid_calllog_get_stats(struct sipcid_output *log, struct sipcid_calllog_stats *out)
{
	struct calllog *lg = log->ctx;
	g_mutex_lock(&lg->lock);
	*out = lg->stats;
	g_mutex_unlock(&lg->lock);
}

static void calllog_close(void *ctx)
{
	struct calllog *lg = ctx;
	if (lg->thread) {
		struct op *op = g_new0(struct op, 1);
		op->type = OP_STOP;
		enqueue(lg, op);
		g_thread_join(lg->thread);
	}
	if (lg->queue)
		g_async_queue_unref(lg->queue);
	sqlite3_finalize(lg->insert);
	sqlite3_finalize(lg->update);
	sqlite3_finalize(lg->set_recording);
	sqlite3_finalize(lg->insert_line);
	sipcid_calllog_trim_free(lg->trim);
	sqlite3_close(lg->db);
	g_mutex_clear(&lg->lock);
	g_cond_clear(&lg->flushed);
	g_free(lg);
}

static bool prepare(struct calllog *lg, const char *sql, sqlite3_stmt **st, GError **error)
{
	if (sqlite3_prepare_v3(lg->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK)
		return true;
	g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "%s: %s", lg->settings.database,
	            sqlite3_errmsg(lg->db));
	return false;
}

struct sipcid_output *sipcid_calllog_new(const struct sipcid_calllog_settings *s,
                                         GError **error)
{
	struct calllog *lg = g_new0(struct calllog, 1);
	lg->settings = *s;
	g_mutex_init(&lg->lock);
	g_cond_init(&lg->flushed);
	lg->out = (struct sipcid_output){ "log", lg, calllog_emit, calllog_close, calllog_emit_line };
	lg->db = sipcid_calllog_open_write(s->database, error);
	if (!lg->db ||
	    !prepare(lg,
	             "INSERT INTO calls (call_id, time_us, number, number_raw, name, alias,"
	             " presentation, source, called, via, action, rule, record, state, ring_ms,"
	             " talk_ms, direction, outcome, number_display, country, number_type, region,"
	             " verstat, attest)"
	             " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
	             "?20,?21,?22,?23,?24)",
	             &lg->insert, error) ||
	    !prepare(lg,
	             "UPDATE calls SET state=?1, ring_ms=?2, talk_ms=?3, record=?4, outcome=?6 WHERE id ="
	             " (SELECT max(id) FROM calls WHERE call_id=?5)",
	             &lg->update, error) ||
	    !prepare(lg,
	             "UPDATE calls SET recording=?1 WHERE id ="
	             " (SELECT max(id) FROM calls WHERE call_id=?2)",
	             &lg->set_recording, error) ||
	    !prepare(lg,
	             "INSERT INTO line_events (time_us, kind, state, reason, registrar, since_us,"
	             " new_messages, old_messages, urgent_messages)"
	             " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	             &lg->insert_line, error)) {
		calllog_close(lg);
		return NULL;
	}
	GError *err = NULL;
	lg->trim = sipcid_calllog_trim_new(lg->db, s, &err);
	if (err) {
		g_propagate_prefixed_error(error, err, "%s: ", s->database);
		calllog_close(lg);
		return NULL;
	}
	lg->next_trim_us = 0; /* due at once: a log from before the limits */
	lg->queue = g_async_queue_new();
	lg->thread = g_thread_new("sipcid-calllog", writer, lg);
	return &lg->out;
}
