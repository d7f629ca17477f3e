/* Deleting calls past [log] keep-days and keep-rows (see calllog_trim.h). */
#include "calllog_trim.h"

#include "calllog_schema.h"

#define DAY_US ((int64_t)86400 * G_USEC_PER_SEC)

struct sipcid_calllog_trim {
	sqlite3 *db;
	int keep_days, keep_rows;
	sqlite3_stmt *newest, *by_age, *by_rows;
};

static bool prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, GError **error)
{
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK)
		return true;
	g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "cannot prepare the call log's trim: %s",
	            sqlite3_errmsg(db));
	return false;
}

struct sipcid_calllog_trim *sipcid_calllog_trim_new(sqlite3 *db,
                                                    const struct sipcid_calllog_settings *s,
                                                    GError **error)
{
	if (s->keep_days <= 0 && s->keep_rows <= 0)
		return NULL;
	struct sipcid_calllog_trim *t = g_new0(struct sipcid_calllog_trim, 1);
	t->db = db;
	t->keep_days = s->keep_days;
	t->keep_rows = s->keep_rows;
	if (!prepare(db, "SELECT max(time_us) FROM calls", &t->newest, error) ||
	    !prepare(db,
	             "DELETE FROM calls WHERE id IN (SELECT id FROM calls WHERE time_us < ?1"
	             " ORDER BY time_us LIMIT ?2)",
	             &t->by_age, error) ||
	    !prepare(db,
	             "DELETE FROM calls WHERE id IN (SELECT id FROM calls WHERE id <="
	             " (SELECT max(id) FROM calls) - ?1 ORDER BY id LIMIT ?2)",
	             &t->by_rows, error)) {
		sipcid_calllog_trim_free(t);
		return NULL;
	}
	return t;
}

/* Runs one DELETE; returns the rows it removed or -1. */
static int run(struct sipcid_calllog_trim *t, sqlite3_stmt *st, int64_t arg, int limit)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, arg);
	sqlite3_bind_int(st, 2, limit);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(t->db);
}

int sipcid_calllog_trim_batch(struct sipcid_calllog_trim *t, int64_t now_us)
{
	if (sqlite3_exec(t->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	int left = SIPCID_CALLLOG_TRIM_BATCH, n = 0;
	if (t->keep_days > 0) {
		sqlite3_reset(t->newest);
		if (sqlite3_step(t->newest) == SQLITE_ROW &&
		    sqlite3_column_type(t->newest, 0) != SQLITE_NULL) {
			int64_t ref = MIN(now_us, sqlite3_column_int64(t->newest, 0));
			n = run(t, t->by_age, ref - (int64_t)t->keep_days * DAY_US, left);
		}
		sqlite3_reset(t->newest);
	}
	if (n >= 0 && t->keep_rows > 0 && n < left) {
		int m = run(t, t->by_rows, t->keep_rows, left - n);
		n = m < 0 ? -1 : n + m;
	}
	if (n < 0 || sqlite3_exec(t->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(t->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return n;
}

void sipcid_calllog_trim_free(struct sipcid_calllog_trim *t)
{
	if (!t)
		return;
	sqlite3_finalize(t->newest);
	sqlite3_finalize(t->by_age);
	sqlite3_finalize(t->by_rows);
	g_free(t);
}
