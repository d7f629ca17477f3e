/* The call log: [log] settings, one row per call updated by Call-ID,
 * batching, retention, schema migrations, and durability under kill -9. */
#include "calllog_writer.h"
#include "calllog_query.h"
#include "calllog_schema.h"
#include "calllog_trim.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *writer_path;

static char *tmp_db(void)
{
	GError *err = NULL;
	char *dir = g_dir_make_tmp("calllog-XXXXXX", &err);
	g_assert_no_error(err);
	char *db = g_build_filename(dir, "sub", "calls.db", NULL);
	g_free(dir);
	return db;
}

static long count(const char *db_path, const char *where)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
	g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM calls %s", where ? where : "");
	sqlite3_stmt *st = NULL;
	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static char *query1(const char *db_path, const char *sql)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
	sqlite3_stmt *st = NULL;
	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &st, NULL), ==, SQLITE_OK);
	char *r = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		r = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

/* A log with the given batching and retention. */
static struct sipcid_output *open_log_kept(const char *path, int rows, int ms, int keep_days,
                                           int keep_rows)
{
	struct sipcid_calllog_settings s;
	sipcid_calllog_settings_default(&s);
	g_strlcpy(s.database, path, sizeof s.database);
	s.batch_rows = rows;
	s.batch_ms = ms;
	s.keep_days = keep_days;
	s.keep_rows = keep_rows;
	GError *err = NULL;
	struct sipcid_output *log = sipcid_calllog_new(&s, &err);
	g_assert_no_error(err);
	g_assert_nonnull(log);
	return log;
}

static struct sipcid_output *open_log(const char *path, int rows, int ms)
{
	return open_log_kept(path, rows, ms, SIPCID_CALLLOG_DEFAULT_KEEP_DAYS,
	                     SIPCID_CALLLOG_DEFAULT_KEEP_ROWS);
}

static struct sipcid_call a_call(const char *call_id, const char *number, const char *name)
{
	struct sipcid_call c = { 0 };
	c.kind = SIPCID_EVENT_CALL;
	c.time_us = 1763765683123000;
	g_strlcpy(c.call_id, call_id, sizeof c.call_id);
	g_strlcpy(c.number, number, sizeof c.number);
	g_strlcpy(c.number_raw, number + 1, sizeof c.number_raw);
	g_strlcpy(c.name, name, sizeof c.name);
	g_strlcpy(c.called, "5550001111", sizeof c.called);
	g_strlcpy(c.alias, "Mum", sizeof c.alias);
	g_strlcpy(c.rule, "/etc/sipcid/rules:12", sizeof c.rule);
	c.record = true;
	c.source = SIPCID_SRC_PAI;
	return c;
}

static void test_settings(void)
{
	GError *err = NULL;
	struct sipcid_calllog_settings s;
	struct sipcid_config *cfg = sipcid_config_load_data("t.conf", "[numbers]\n", &err);
	g_assert_true(sipcid_calllog_settings_load(cfg, &s, &err));
	g_assert_true(s.enabled);
	g_assert_cmpstr(s.database, ==, "/var/lib/sipcid/calls.db");
	g_assert_cmpint(s.batch_rows, ==, 64);
	g_assert_cmpint(s.batch_ms, ==, 500);
	g_assert_cmpint(s.keep_days, ==, 365);
	g_assert_cmpint(s.keep_rows, ==, 100000);
	sipcid_config_free(cfg);

	cfg = sipcid_config_load_data("t.conf", "[log]\nkeep-days = 0\nkeep-rows = 500\n", &err);
	g_assert_true(sipcid_calllog_settings_load(cfg, &s, &err));
	g_assert_cmpint(s.keep_days, ==, 0);
	g_assert_cmpint(s.keep_rows, ==, 500);
	sipcid_config_free(cfg);

	cfg = sipcid_config_load_data("t.conf", "[log]\nkeep-rows = -1\n", &err);
	g_assert_false(sipcid_calllog_settings_load(cfg, &s, &err));
	g_assert_nonnull(strstr(err->message, "t.conf:2:"));
	g_clear_error(&err);
	sipcid_config_free(cfg);

	cfg = sipcid_config_load_data(
		"t.conf", "[log]\nenabled = no\ndatabase = /tmp/x.db\nbatch-rows = 3\nbatch-ms=20\n", &err);
	g_assert_true(sipcid_calllog_settings_load(cfg, &s, &err));
	g_assert_false(s.enabled);
	g_assert_cmpstr(s.database, ==, "/tmp/x.db");
	g_assert_cmpint(s.batch_rows, ==, 3);
	g_assert_cmpint(s.batch_ms, ==, 20);
	sipcid_config_free(cfg);

	cfg = sipcid_config_load_data("t.conf", "[log]\n\ndatabse = /tmp/x.db\n", &err);
	g_assert_false(sipcid_calllog_settings_load(cfg, &s, &err));
	g_assert_nonnull(strstr(err->message, "t.conf:3:"));
	g_assert_nonnull(strstr(err->message, "unknown key"));
	g_clear_error(&err);
	sipcid_config_free(cfg);

	cfg = sipcid_config_load_data("t.conf", "[log]\ndatabase = calls.db\n", &err);
	g_assert_false(sipcid_calllog_settings_load(cfg, &s, &err));
	g_assert_nonnull(strstr(err->message, "t.conf:2: [log] database: expected an absolute"));
	g_clear_error(&err);
	sipcid_config_free(cfg);
}

static void test_insert_update(void)
{
	g_autofree char *path = tmp_db();
	struct sipcid_output *log = open_log(path, 64, 500);
	struct sipcid_call c = a_call("one@x", "+15551234567", "Alice \"Al\" O'Neil");
	log->emit(log->ctx, &c);
	struct sipcid_call other = a_call("two@x", "+15557654321", "Bob");
	log->emit(log->ctx, &other);
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = SIPCID_STATE_ANSWERED;
	c.ring_ms = 4200;
	log->emit(log->ctx, &c);
	c.state = SIPCID_STATE_ENDED;
	c.talk_ms = 61000;
	log->emit(log->ctx, &c);
	sipcid_calllog_set_recording(log, "one@x", "/rec/a.wav");
	/* An update for a call the log never saw (started before the daemon). */
	struct sipcid_call late = a_call("late@x", "+15550000000", "");
	late.kind = SIPCID_EVENT_UPDATE;
	late.state = SIPCID_STATE_MISSED;
	log->emit(log->ctx, &late);
	log->close(log->ctx);

	g_assert_cmpint(count(path, NULL), ==, 3);
	g_autofree char *row = query1(
		path, "SELECT call_id||'|'||time_us||'|'||number||'|'||number_raw||'|'||name||'|'||alias"
		      "||'|'||presentation||'|'||source||'|'||called||'|'||via||'|'||action||'|'||rule"
		      "||'|'||record||'|'||state||'|'||ring_ms||'|'||talk_ms||'|'||recording FROM calls"
		      " WHERE call_id='one@x'");
	g_assert_cmpstr(row, ==,
	                "one@x|1763765683123000|+15551234567|15551234567|Alice \"Al\" O'Neil|Mum|"
	                "allowed|pai|5550001111||allow|/etc/sipcid/rules:12|1|ended|4200|61000|"
	                "/rec/a.wav");
	g_autofree char *st2 = query1(path, "SELECT state FROM calls WHERE call_id='two@x'");
	g_assert_cmpstr(st2, ==, "ringing");
	g_autofree char *st3 = query1(path, "SELECT state FROM calls WHERE call_id='late@x'");
	g_assert_cmpstr(st3, ==, "missed");
	g_autofree char *mode = query1(path, "PRAGMA journal_mode");
	g_assert_cmpstr(mode, ==, "wal");
}

/* Polls (bounded) until the writer has committed `n` changes. */
static void wait_written(struct sipcid_output *log, uint64_t n)
{
	struct sipcid_calllog_stats st;
	for (int i = 0; i < 1000; i++) {
		sipcid_calllog_get_stats(log, &st);
		if (st.written >= n)
			return;
		g_usleep(10000);
	}
	g_assert_cmpuint(st.written, >=, n);
}

static void test_batching(void)
{
	g_autofree char *path = tmp_db();
	/* By count: 12 changes, batches of 5, a deadline far away. */
	struct sipcid_output *log = open_log(path, 5, 60000);
	for (int i = 0; i < 12; i++) {
		g_autofree char *id = g_strdup_printf("b%d@x", i);
		struct sipcid_call c = a_call(id, "+15551234567", "Batch");
		log->emit(log->ctx, &c);
	}
	wait_written(log, 10);
	struct sipcid_calllog_stats st;
	sipcid_calllog_get_stats(log, &st);
	g_assert_cmpuint(st.commits, ==, 2);
	g_assert_cmpuint(st.written, ==, 10);
	/* The last two wait for the deadline: not visible to a reader yet. */
	g_assert_cmpint(count(path, NULL), ==, 10);
	sipcid_calllog_flush(log);
	sipcid_calllog_get_stats(log, &st);
	g_assert_cmpuint(st.commits, ==, 3);
	g_assert_cmpint(count(path, NULL), ==, 12);
	log->close(log->ctx);

	/* By time: one change, committed by the deadline without a flush. */
	log = open_log(path, 1000, 50);
	struct sipcid_call c = a_call("t@x", "+15551234567", "Timer");
	log->emit(log->ctx, &c);
	wait_written(log, 1);
	sipcid_calllog_get_stats(log, &st);
	g_assert_cmpuint(st.commits, ==, 1);
	g_assert_cmpint(count(path, "WHERE call_id='t@x'"), ==, 1);
	/* close commits what is pending. */
	for (int i = 0; i < 7; i++) {
		g_autofree char *id = g_strdup_printf("c%d@x", i);
		struct sipcid_call d = a_call(id, "+15551234567", "Close");
		log->emit(log->ctx, &d);
	}
	log->close(log->ctx);
	g_assert_cmpint(count(path, "WHERE name='Close'"), ==, 7);
}

static struct sipcid_output *open_kept(const char *path, int keep_days, int keep_rows)
{
	return open_log_kept(path, 64, 500, keep_days, keep_rows);
}

static void count_row(void *ctx, const struct sipcid_calllog_row *row)
{
	(void)row;
	++*(long *)ctx;
}

/* SQLite's query plan for sql, one line per step. */
static char *plan(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
	g_autofree char *explain = g_strconcat("EXPLAIN QUERY PLAN ", sql, NULL);
	sqlite3_stmt *st = NULL;
	g_assert_cmpint(sqlite3_prepare_v2(db, explain, -1, &st, NULL), ==, SQLITE_OK);
	GString *out = g_string_new(NULL);
	while (sqlite3_step(st) == SQLITE_ROW)
		g_string_append_printf(out, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
	g_test_message("%s:\n%s", sql, out->str);
	return g_string_free(out, FALSE);
}

/* Issue 14, finding 9: the call log was never trimmed. */
static void test_retention(void)
{
	const int64_t day = (int64_t)86400 * G_USEC_PER_SEC;
	const int64_t newest = g_get_real_time() - day;
	g_autofree char *path = tmp_db();
	/* By age: keep-days = 30, from the newest call (yesterday). */
	struct sipcid_output *log = open_kept(path, 0, 0);
	const int ages[] = { 0, 10, 29, 31, 400, 5000 };
	for (size_t i = 0; i < G_N_ELEMENTS(ages); i++) {
		g_autofree char *id = g_strdup_printf("age%d@x", ages[i]);
		struct sipcid_call c = a_call(id, "+15551234567", "Aged");
		c.time_us = newest - (int64_t)ages[i] * day;
		log->emit(log->ctx, &c);
	}
	log->close(log->ctx);
	g_assert_cmpint(count(path, NULL), ==, 6);
	log = open_kept(path, 30, 0);
	sipcid_calllog_flush(log); /* the trim due at start is done */
	struct sipcid_calllog_stats st;
	sipcid_calllog_get_stats(log, &st);
	g_assert_cmpuint(st.trimmed, ==, 3);
	log->close(log->ctx);
	g_assert_cmpint(count(path, NULL), ==, 3);
	g_assert_cmpint(count(path, "WHERE call_id IN ('age0@x','age10@x','age29@x')"), ==, 3);

	/* By rows: 2600 calls, keep-rows = 1200: the newest 1200 stay (three
	 * batches of deletes). */
	g_autofree char *path2 = tmp_db();
	log = open_kept(path2, 0, 0);
	for (int i = 0; i < 2600; i++) {
		g_autofree char *id = g_strdup_printf("r%04d@x", i);
		struct sipcid_call c = a_call(id, "+15551234567", "Row");
		c.time_us = newest - (int64_t)(2600 - i) * G_USEC_PER_SEC;
		log->emit(log->ctx, &c);
		if (i % 1000 == 999)
			sipcid_calllog_flush(log); /* the queue holds 2048 */
	}
	log->close(log->ctx);
	g_assert_cmpint(count(path2, NULL), ==, 2600);
	log = open_kept(path2, 365, 1200);
	sipcid_calllog_flush(log);
	log->close(log->ctx);
	g_assert_cmpint(count(path2, NULL), ==, 1200);
	g_autofree char *oldest = query1(path2, "SELECT call_id FROM calls ORDER BY id LIMIT 1");
	g_assert_cmpstr(oldest, ==, "r1400@x");
	g_autofree char *last = query1(path2, "SELECT call_id FROM calls ORDER BY id DESC LIMIT 1");
	g_assert_cmpstr(last, ==, "r2599@x");

	/* Within the limits nothing goes, and the log reads as before
	 * (sipcid-log's query). */
	log = open_kept(path2, 365, 1200);
	sipcid_calllog_flush(log);
	log->close(log->ctx);
	g_assert_cmpint(count(path2, NULL), ==, 1200);
	GError *err = NULL;
	sqlite3 *db = sipcid_calllog_open_read(path2, &err);
	g_assert_no_error(err);
	long listed = 0;
	struct sipcid_calllog_filter f = { .limit = 0, .newest_first = true };
	g_assert_true(sipcid_calllog_query(db, &f, count_row, &listed, &err));
	g_assert_cmpint(listed, ==, 1200);
	sqlite3_close(db);

	/* The trim's two selections and the time-ordered listing are index
	 * range scans: no table walk, no sort. */
	g_autofree char *age = plan(path2, "SELECT id FROM calls WHERE time_us < 5 ORDER BY time_us LIMIT 500");
	g_assert_nonnull(strstr(age, "SEARCH calls USING COVERING INDEX calls_time (time_us<?)"));
	g_autofree char *rows = plan(path2, "SELECT id FROM calls WHERE id <= (SELECT max(id) FROM calls) - 1200 ORDER BY id LIMIT 500");
	g_assert_nonnull(strstr(rows, "SEARCH calls USING INTEGER PRIMARY KEY (rowid<?)"));
	g_autofree char *list = plan(path2, "SELECT * FROM calls ORDER BY time_us DESC, id DESC LIMIT 20");
	g_assert_nonnull(strstr(list, "calls_time"));
	g_assert_null(strstr(age, "TEMP B-TREE"));
	g_assert_null(strstr(rows, "TEMP B-TREE"));
	g_assert_null(strstr(list, "TEMP B-TREE"));
	g_assert_cmpint(SIPCID_CALLLOG_TRIM_BATCH, ==, 500);
}

static void make_db(const char *path, const char *sql)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_mkdir_with_parents(dir, 0700);
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close(db);
}

static bool add_notes(sqlite3 *db, GError **error)
{
	(void)error;
	return sqlite3_exec(db, "ALTER TABLE calls ADD COLUMN notes TEXT NOT NULL DEFAULT 'n/a'",
	                    NULL, NULL, NULL) == SQLITE_OK;
}

static bool broken_step(sqlite3 *db, GError **error)
{
	sqlite3_exec(db, "CREATE TABLE half_done (x)", NULL, NULL, NULL);
	g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "this step fails on purpose");
	return false;
}

static void test_migrations(void)
{
	GError *err = NULL;
	/* A newer file is refused by the daemon and the tool, and left alone. */
	g_autofree char *newer = tmp_db();
	make_db(newer, "CREATE TABLE calls (id INTEGER PRIMARY KEY, future TEXT);"
	               "INSERT INTO calls (future) VALUES ('keep me');"
	               "PRAGMA user_version = 99;");
	struct sipcid_calllog_settings s;
	sipcid_calllog_settings_default(&s);
	g_strlcpy(s.database, newer, sizeof s.database);
	g_assert_null(sipcid_calllog_new(&s, &err));
	g_assert_nonnull(strstr(err->message, "newer sipcid (schema version 99"));
	g_clear_error(&err);
	g_assert_null(sipcid_calllog_open_read(newer, &err));
	g_assert_nonnull(strstr(err->message, "newer sipcid"));
	g_clear_error(&err);
	g_autofree char *kept = query1(newer, "SELECT future FROM calls");
	g_assert_cmpstr(kept, ==, "keep me");

	/* An old file (version 0, no table) is brought to the current version. */
	g_autofree char *old = tmp_db();
	make_db(old, "CREATE TABLE unrelated (x); PRAGMA user_version = 0;");
	g_assert_null(sipcid_calllog_open_read(old, &err)); /* the tool does not upgrade */
	g_assert_nonnull(strstr(err->message, "schema version 0"));
	g_clear_error(&err);
	sqlite3 *db = sipcid_calllog_open_write(old, &err);
	g_assert_no_error(err);
	g_assert_cmpint(sipcid_calllog_user_version(db), ==, SIPCID_CALLLOG_SCHEMA_VERSION);
	sqlite3_close(db);

	/* Version 1 -> 2: rows of a version 1 file (before the direction column)
	 * are kept, as incoming calls. */
	g_autofree char *first = tmp_db();
	make_db(first, "CREATE TABLE calls (id INTEGER PRIMARY KEY, call_id TEXT NOT NULL,"
	               " time_us INTEGER NOT NULL, number TEXT NOT NULL DEFAULT '',"
	               " number_raw TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',"
	               " alias TEXT NOT NULL DEFAULT '', presentation TEXT NOT NULL DEFAULT 'allowed',"
	               " source TEXT NOT NULL DEFAULT 'none', called TEXT NOT NULL DEFAULT '',"
	               " via TEXT NOT NULL DEFAULT '', action TEXT NOT NULL DEFAULT 'allow',"
	               " rule TEXT NOT NULL DEFAULT '', record INTEGER NOT NULL DEFAULT 0,"
	               " state TEXT NOT NULL DEFAULT 'ringing', ring_ms INTEGER NOT NULL DEFAULT 0,"
	               " talk_ms INTEGER NOT NULL DEFAULT 0, recording TEXT NOT NULL DEFAULT '');"
	               "INSERT INTO calls (call_id, time_us, name) VALUES ('old@x', 1, 'Old');"
	               "PRAGMA user_version = 1;");
	db = sipcid_calllog_open_write(first, &err);
	g_assert_no_error(err);
	g_assert_cmpint(sipcid_calllog_user_version(db), >=, 2);
	sqlite3_close(db);
	g_autofree char *old_row = query1(first, "SELECT name||'/'||direction FROM calls");
	g_assert_cmpstr(old_row, ==, "Old/incoming");

	/* The mechanism, with steps of the test's own: the current version -> the
	 * next keeps the rows. */
	enum { V = SIPCID_CALLLOG_SCHEMA_VERSION };
	g_autofree char *v1 = tmp_db();
	struct sipcid_output *log = open_log(v1, 1, 10);
	struct sipcid_call c = a_call("m@x", "+15551234567", "Migrated");
	log->emit(log->ctx, &c);
	log->close(log->ctx);
	g_assert_cmpint(sqlite3_open(v1, &db), ==, SQLITE_OK);
	sipcid_calllog_migration bad[V + 1] = { NULL };
	bad[V] = broken_step;
	g_assert_false(sipcid_calllog_migrate(db, v1, bad, V + 1, &err));
	g_autofree char *from = g_strdup_printf("cannot upgrade the call log from schema version %d", V);
	g_assert_nonnull(strstr(err->message, from));
	g_clear_error(&err);
	g_assert_cmpint(sipcid_calllog_user_version(db), ==, V);
	sipcid_calllog_migration good[V + 1] = { NULL };
	good[V] = add_notes;
	g_assert_true(sipcid_calllog_migrate(db, v1, good, V + 1, &err));
	g_assert_no_error(err);
	g_assert_cmpint(sipcid_calllog_user_version(db), ==, V + 1);
	sqlite3_close(db);
	g_autofree char *half = query1(v1, "SELECT count(*) FROM sqlite_master WHERE name='half_done'");
	g_assert_cmpstr(half, ==, "0"); /* the failed step was rolled back */
	g_autofree char *notes = query1(v1, "SELECT name||'/'||notes FROM calls");
	g_assert_cmpstr(notes, ==, "Migrated/n/a");
	/* ...and now this build refuses it as newer. */
	g_assert_null(sipcid_calllog_open_read(v1, &err));
	g_clear_error(&err);
}

static void test_kill9(void)
{
	g_autofree char *path = tmp_db();
	const char *argv[] = { writer_path, path, NULL };
	GPid pid;
	int out_fd;
	GError *err = NULL;
	g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
	                                       NULL, NULL, &pid, NULL, &out_fd, NULL, &err));
	g_assert_no_error(err);
	FILE *f = fdopen(out_fd, "r");
	char line[64];
	long committed = 0;
	while (committed < 600 && fgets(line, sizeof line, f))
		committed = atol(line);
	/* Killed while it keeps writing: some batch is mid-transaction now. */
	g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
	int status = 0;
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	while (fgets(line, sizeof line, f)) /* lines written before the kill */
		committed = atol(line);
	fclose(f);
	g_assert_cmpint(committed, >=, 600);

	g_autofree char *ok = query1(path, "PRAGMA integrity_check");
	g_assert_cmpstr(ok, ==, "ok");
	long rows = count(path, NULL);
	g_test_message("committed before the kill: %ld; rows after: %ld", committed, rows);
	g_assert_cmpint(rows, >=, committed);
	/* Rows are whole and in order: call i has number +1555000000i. */
	g_autofree char *bad = query1(path, "SELECT count(*) FROM calls WHERE number != "
	                                    "printf('+1555%07d', id) OR name != 'Durable Caller'");
	g_assert_cmpstr(bad, ==, "0");
	/* The daemon restarts on the same file and goes on. */
	struct sipcid_output *log = open_log(path, 64, 500);
	struct sipcid_call c = a_call("after@x", "+15551234567", "After");
	log->emit(log->ctx, &c);
	log->close(log->ctx);
	g_assert_cmpint(count(path, NULL), ==, rows + 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	writer_path = g_getenv("CALLLOG_WRITER");
	if (!writer_path) {
		fprintf(stderr, "CALLLOG_WRITER is not set\n");
		return 1;
	}
	g_test_add_func("/calllog/settings", test_settings);
	g_test_add_func("/calllog/insert-update", test_insert_update);
	g_test_add_func("/calllog/batching", test_batching);
	g_test_add_func("/calllog/retention", test_retention);
	g_test_add_func("/calllog/migrations", test_migrations);
	g_test_add_func("/calllog/kill9", test_kill9);
	return g_test_run();
}
