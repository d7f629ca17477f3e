/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The call log's file format and its upgrades. */
#include "calllog_schema.h"

#include <errno.h>
#include <string.h>

G_DEFINE_QUARK(sipcid-calllog-error-quark, sipcid_calllog_error)

static bool exec(sqlite3 *db, const char *sql, GError **error)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return true;
	g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return false;
}

/* Version 1: one row per call. Times are µs since the epoch (UTC) so sorting
 * and date ranges are integer comparisons; enums are stored by their JSON
 * names so the file reads well in the sqlite3 shell. */
static bool migrate_to_1(sqlite3 *db, GError **error)
{
	return exec(db,
	            "CREATE TABLE calls ("
	            " id INTEGER PRIMARY KEY,"
	            " call_id TEXT NOT NULL,"
	            " time_us INTEGER NOT NULL,"
	            " number TEXT NOT NULL DEFAULT '',"
	            " number_raw TEXT NOT NULL DEFAULT '',"
	            " name TEXT NOT NULL DEFAULT '',"
	            " alias TEXT NOT NULL DEFAULT '',"
	            " presentation TEXT NOT NULL DEFAULT 'allowed',"
	            " source TEXT NOT NULL DEFAULT 'none',"
	            " called TEXT NOT NULL DEFAULT '',"
	            " via TEXT NOT NULL DEFAULT '',"
	            " action TEXT NOT NULL DEFAULT 'allow',"
	            " rule TEXT NOT NULL DEFAULT '',"
	            " record INTEGER NOT NULL DEFAULT 0,"
	            " state TEXT NOT NULL DEFAULT 'ringing',"
	            " ring_ms INTEGER NOT NULL DEFAULT 0,"
	            " talk_ms INTEGER NOT NULL DEFAULT 0,"
	            " recording TEXT NOT NULL DEFAULT '');"
	            "CREATE INDEX calls_time ON calls(time_us);"
	            "CREATE INDEX calls_call_id ON calls(call_id);"
	            "CREATE INDEX calls_number ON calls(number);",
	            error);
}

/* Version 2: which way the call went. Rows from before were all taken as
 * incoming (sipcidd did not log the phone's own calls then). */
static bool migrate_to_2(sqlite3 *db, GError **error)
{
	return exec(db, "ALTER TABLE calls ADD COLUMN direction TEXT NOT NULL DEFAULT 'incoming';",
	            error);
}

/* Version 3: how a block was carried out, what the number is, what the
 * carrier vouched for; and the line's own events (registration, voicemail),
 * which are not calls. Empty text means "not known"; rows from before keep
 * that, and their blocked calls keep the state they were logged with. */
static bool migrate_to_3(sqlite3 *db, GError **error)
{
	return exec(db,
	            "ALTER TABLE calls ADD COLUMN outcome TEXT NOT NULL DEFAULT '';"
	            "ALTER TABLE calls ADD COLUMN number_display TEXT NOT NULL DEFAULT '';"
	            "ALTER TABLE calls ADD COLUMN country TEXT NOT NULL DEFAULT '';"
	            "ALTER TABLE calls ADD COLUMN number_type TEXT NOT NULL DEFAULT '';"
	            "ALTER TABLE calls ADD COLUMN region TEXT NOT NULL DEFAULT '';"
	            "ALTER TABLE calls ADD COLUMN verstat TEXT NOT NULL DEFAULT '';"
	            "ALTER TABLE calls ADD COLUMN attest TEXT NOT NULL DEFAULT '';"
	            "CREATE TABLE line_events ("
	            " id INTEGER PRIMARY KEY,"
	            " time_us INTEGER NOT NULL,"
	            " kind TEXT NOT NULL,"              /* 'line' or 'voicemail' */
	            " line TEXT NOT NULL DEFAULT '',"
	            " state TEXT NOT NULL DEFAULT '',"  /* line: 'up' or 'down' */
	            " reason TEXT NOT NULL DEFAULT '',"
	            " registrar TEXT NOT NULL DEFAULT '',"
	            " since_us INTEGER NOT NULL DEFAULT 0,"
	            " new_messages INTEGER NOT NULL DEFAULT 0,"
	            " old_messages INTEGER NOT NULL DEFAULT 0,"
	            " urgent_messages INTEGER NOT NULL DEFAULT 0);"
	            "CREATE INDEX line_events_time ON line_events(time_us);",
	            error);
}

/* Version 4: a search index for the web console's one search box (any part
 * of the number, its display form, the name or the alias), which a LIKE scan
 * of every row could not answer in time in a log of 100 000 calls
 * (bench/web_bench.sh). An FTS5 trigram index over those columns of
 * `calls` (external content: the text is not stored twice), kept by
 * triggers, so every writer (sipcidd, the sqlite3 shell) keeps it true; the
 * migration indexes the rows already there. The writer's updates touch none
 * of those columns, so only inserts and retention's deletes cost it work. */
static bool migrate_to_4(sqlite3 *db, GError **error)
{
	return exec(db,
	            "CREATE VIRTUAL TABLE calls_search USING fts5(number, number_raw,"
	            " number_display, name, alias, content='calls', content_rowid='id',"
	            " tokenize='trigram');"
	            "CREATE TRIGGER calls_search_insert AFTER INSERT ON calls BEGIN"
	            " INSERT INTO calls_search(rowid, number, number_raw, number_display, name, alias)"
	            " VALUES (new.id, new.number, new.number_raw, new.number_display, new.name,"
	            " new.alias); END;"
	            "CREATE TRIGGER calls_search_delete AFTER DELETE ON calls BEGIN"
	            " INSERT INTO calls_search(calls_search, rowid, number, number_raw,"
	            " number_display, name, alias) VALUES ('delete', old.id, old.number,"
	            " old.number_raw, old.number_display, old.name, old.alias); END;"
	            "CREATE TRIGGER calls_search_update AFTER UPDATE OF number, number_raw,"
	            " number_display, name, alias ON calls BEGIN"
	            " INSERT INTO calls_search(calls_search, rowid, number, number_raw,"
	            " number_display, name, alias) VALUES ('delete', old.id, old.number,"
	            " old.number_raw, old.number_display, old.name, old.alias);"
	            " INSERT INTO calls_search(rowid, number, number_raw, number_display, name, alias)"
	            " VALUES (new.id, new.number, new.number_raw, new.number_display, new.name,"
	            " new.alias); END;"
	            "INSERT INTO calls_search(calls_search) VALUES ('rebuild');",
	            error);
}

static const sipcid_calllog_migration migrations[SIPCID_CALLLOG_SCHEMA_VERSION] = {
	migrate_to_1,
	migrate_to_2,
	migrate_to_3,
	migrate_to_4,
};

int sipcid_calllog_user_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void prefix_error(GError **error, const char *path, const char *what)
{
	if (error && *error)
		g_prefix_error(error, "%s: %s: ", path, what);
}

bool sipcid_calllog_migrate(sqlite3 *db, const char *path, const sipcid_calllog_migration *steps,
                            int target, GError **error)
{
	/* IMMEDIATE: two writers starting at once must not both migrate. */
	if (!exec(db, "BEGIN IMMEDIATE", error)) {
		prefix_error(error, path, "cannot lock the call log");
		return false;
	}
	int v = sipcid_calllog_user_version(db);
	if (v < 0) {
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "%s: this is not an SQLite call log", path);
		goto fail;
	}
	if (v > target) {
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0,
		            "%s: the call log was written by a newer sipcid (schema version %d; this "
		            "version knows up to %d). Upgrade sipcid or point [log] database elsewhere.",
		            path, v, target);
		goto fail;
	}
	for (; v < target; v++) {
		if (!steps[v](db, error)) {
			g_prefix_error(error, "%s: cannot upgrade the call log from schema version %d: ",
			               path, v);
			goto fail;
		}
		g_autofree char *sql = g_strdup_printf("PRAGMA user_version = %d", v + 1);
		if (!exec(db, sql, error))
			goto fail;
	}
	if (!exec(db, "COMMIT", error)) {
		prefix_error(error, path, "cannot save the upgraded call log");
		goto fail;
	}
	return true;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return false;
}

static sqlite3 *open_db(const char *path, int flags, GError **error)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, flags, NULL);
	if (rc != SQLITE_OK) {
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "%s: cannot open the call log: %s", path,
		            db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	/* The daemon holds the write lock only for a batch; wait that out. */
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 1);
	return db;
}

sqlite3 *sipcid_calllog_open_write(const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	if (g_mkdir_with_parents(dir, 0750) != 0) {
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0,
		            "%s: cannot create the call log's directory: %s", dir, g_strerror(errno));
		return NULL;
	}
	sqlite3 *db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
	if (!db)
		return NULL;
	/* WAL: readers (sipcid-log) never block the writer and a crash leaves the
	 * main file intact. synchronous=FULL: every committed batch is on disk
	 * before the commit returns, so even a power cut keeps it; batching keeps
	 * that to a couple of fsyncs a second at most, on the writer thread. */
	/* cache_size: the writer appends and updates recent rows only; SQLite's
	 * default 2 MiB page cache would be most of the daemon's memory. */
	if (!exec(db, "PRAGMA journal_mode=WAL", error) ||
	    !exec(db, "PRAGMA synchronous=FULL", error) ||
	    !exec(db, "PRAGMA cache_size=-256", error)) {
		prefix_error(error, path, "cannot set up the call log");
		sqlite3_close(db);
		return NULL;
	}
	if (!sipcid_calllog_migrate(db, path, migrations, SIPCID_CALLLOG_SCHEMA_VERSION, error)) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

sqlite3 *sipcid_calllog_open_read(const char *path, GError **error)
{
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0,
		            "%s: no call log here yet (sipcidd creates it with the first call)", path);
		return NULL;
	}
	sqlite3 *db = open_db(path, SQLITE_OPEN_READONLY, error);
	if (!db)
		return NULL;
	int v = sipcid_calllog_user_version(db);
	if (v != SIPCID_CALLLOG_SCHEMA_VERSION) {
		if (v < 0)
			g_set_error(error, SIPCID_CALLLOG_ERROR, 0,
			            "%s: cannot read the call log: %s", path, sqlite3_errmsg(db));
		else if (v > SIPCID_CALLLOG_SCHEMA_VERSION)
			g_set_error(error, SIPCID_CALLLOG_ERROR, 0,
			            "%s: the call log was written by a newer sipcid (schema version %d; "
			            "this sipcid-log knows up to %d)",
			            path, v, SIPCID_CALLLOG_SCHEMA_VERSION);
		else
			g_set_error(error, SIPCID_CALLLOG_ERROR, 0,
			            "%s: the call log has schema version %d; sipcidd upgrades it to %d "
			            "when it next starts",
			            path, v, SIPCID_CALLLOG_SCHEMA_VERSION);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}
