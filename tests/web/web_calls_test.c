/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/calls without HTTP (web/web_calls.h) over a call log that
 * sipcidd's own writer filled: every hostile parameter refused in words;
 * search by a part of the number (with or without its punctuation), of the
 * name or of the alias, through the search index and the short-search scan,
 * each answer equal to what a plain substring test over the calls gives;
 * filters; keyset paging that gives every call exactly once in order
 * (ties in time included); an old (schema 3) log migrated and searchable;
 * the connection opened again when the file is replaced. */
#include "calllog_schema.h"
#include "calllog_writer.h"
#include "web_calllog.h"
#include "web_calls.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

enum { N = 1500, BASE_S = 1780000000 };

struct sample {
	char number[32], raw[32], display[32], name[64], alias[64];
	int64_t time_us;
	enum sipcid_direction direction;
	enum sipcid_state state;
};
static struct sample calls[N];
static char *db_path;

static const char *const names[] = {
	"Renée Dupont", "ACME 50% OFF", "Bob \"the\" Builder", "<script>alert(1)</script>",
	"SPAM RISK", "Mary Smith", "John Smithers", "WIRELESS CALLER", "", "Zoë_Underscore",
};

static struct sipcid_output *open_writer(const char *path)
{
	struct sipcid_calllog_settings s;
	sipcid_calllog_settings_default(&s);
	g_strlcpy(s.database, path, sizeof s.database);
	s.keep_days = 0;
	s.keep_rows = 0;
	GError *err = NULL;
	struct sipcid_output *log = sipcid_calllog_new(&s, &err);
	g_assert_no_error(err);
	return log;
}

/* Three calls a second, so pages end inside a second: ties break by id. */
static void fill(void)
{
	g_autofree char *dir = g_dir_make_tmp("web-calls-XXXXXX", NULL);
	db_path = g_build_filename(dir, "calls.db", NULL);
	struct sipcid_output *log = open_writer(db_path);
	for (int i = 0; i < N; i++) {
		struct sample *s = &calls[i];
		int line = i % 300;
		g_snprintf(s->number, sizeof s->number, "+1313555%04d", line);
		g_snprintf(s->raw, sizeof s->raw, "313555%04d", line);
		g_snprintf(s->display, sizeof s->display, "(313) 555-%04d", line);
		g_strlcpy(s->name, names[i % G_N_ELEMENTS(names)], sizeof s->name);
		if (i % 7 == 0)
			g_snprintf(s->alias, sizeof s->alias, "Aunt %s", i % 2 ? "Polly" : "Sally");
		s->time_us = (int64_t)(BASE_S + i / 3) * G_USEC_PER_SEC;
		s->direction = i % 5 == 0 ? SIPCID_DIR_OUTGOING : SIPCID_DIR_INCOMING;
		s->state = (enum sipcid_state)(i % 5);
		struct sipcid_call c = { .kind = SIPCID_EVENT_CALL, .time_us = s->time_us,
		                         .direction = s->direction, .state = s->state };
		g_snprintf(c.call_id, sizeof c.call_id, "c%d@test", i);
		g_strlcpy(c.number, s->number, sizeof c.number);
		g_strlcpy(c.number_raw, s->raw, sizeof c.number_raw);
		g_strlcpy(c.number_display, s->display, sizeof c.number_display);
		g_strlcpy(c.name, s->name, sizeof c.name);
		g_strlcpy(c.alias, s->alias, sizeof c.alias);
		if (s->state == SIPCID_STATE_BLOCKED)
			c.action = SIPCID_ACTION_BLOCK;
		log->emit(log->ctx, &c);
		if (i % 200 == 199)
			sipcid_calllog_flush(log);
	}
	log->close(log->ctx);
}

static GHashTable *query_of(const char *q)
{
	return q && *q ? soup_form_decode(q) : NULL;
}

/* Runs one query; returns its JSON root (owned by the parser). */
static JsonObject *run(sqlite3 *db, const char *q, JsonParser *parser)
{
	GHashTable *query = query_of(q);
	struct sipcid_calllog_filter f;
	GError *err = NULL;
	g_assert_true(sipcid_web_calls_parse(query, &f, &err));
	g_assert_no_error(err);
	GString *out = g_string_new(NULL);
	g_assert_true(sipcid_web_calls_json(db, &f, NULL, out, &err));
	g_assert_no_error(err);
	if (query)
		g_hash_table_unref(query);
	g_assert_true(json_parser_load_from_data(parser, out->str, -1, &err));
	g_assert_no_error(err);
	g_string_free(out, TRUE);
	return json_node_get_object(json_parser_get_root(parser));
}

/* Every id of the query, page after page of `limit`; checks each page. */
static GArray *all_pages(sqlite3 *db, const char *q, int limit)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	int64_t before = 0;
	for (int page = 0; page < N + 2; page++) {
		g_autofree char *full = before ? g_strdup_printf("%s%slimit=%d&before=%" G_GINT64_FORMAT,
		                                                 q, *q ? "&" : "", limit, before)
		                               : g_strdup_printf("%s%slimit=%d", q, *q ? "&" : "", limit);
		JsonParser *parser = json_parser_new();
		JsonObject *root = run(db, full, parser);
		JsonArray *rows = json_object_get_array_member(root, "calls");
		guint n = json_array_get_length(rows);
		g_assert_cmpuint(n, <=, (guint)limit);
		for (guint i = 0; i < n; i++) {
			JsonObject *c = json_array_get_object_element(rows, i);
			int64_t id = json_object_get_int_member(c, "id");
			g_array_append_val(ids, id);
			g_assert_true(json_object_has_member(c, "recording"));
			g_assert_true(json_object_has_member(c, "call_id"));
		}
		JsonNode *next = json_object_get_member(root, "next");
		if (JSON_NODE_HOLDS_NULL(next)) {
			g_object_unref(parser);
			return ids;
		}
		/* A next page is announced only after a full one, and names its last row. */
		g_assert_cmpuint(n, ==, (guint)limit);
		before = json_node_get_int(next);
		g_assert_cmpint(before, ==, g_array_index(ids, int64_t, ids->len - 1));
		g_object_unref(parser);
	}
	g_assert_not_reached();
}

static bool contains_folded(const char *hay, const char *needle)
{
	g_autofree char *h = g_utf8_casefold(hay, -1), *n = g_utf8_casefold(needle, -1);
	return strstr(h, n) != NULL;
}

static char *digits_of(const char *q)
{
	if (strspn(q, "0123456789 ()+-./") != strlen(q))
		return NULL;
	GString *d = g_string_new(NULL);
	for (const char *p = q; *p; p++)
		if (g_ascii_isdigit(*p))
			g_string_append_c(d, *p);
	return g_string_free(d, d->len == 0);
}

typedef bool (*match_fn)(const struct sample *s, const void *arg);

static bool match_text(const struct sample *s, const void *arg)
{
	const char *q = arg;
	g_autofree char *digits = digits_of(q);
	return contains_folded(s->number, q) || contains_folded(s->raw, q) ||
	       contains_folded(s->display, q) || contains_folded(s->name, q) ||
	       contains_folded(s->alias, q) ||
	       (digits && (strstr(s->number, digits) || strstr(s->raw, digits)));
}

/* The ids a plain reading of the samples expects: newest first, ties by id. */
static GArray *expected(match_fn fn, const void *arg)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	for (int i = N - 1; i >= 0; i--)
		if (!fn || fn(&calls[i], arg)) {
			int64_t id = i + 1;
			g_array_append_val(ids, id);
		}
	return ids;
}

static void assert_same(GArray *got, GArray *want, const char *what)
{
	if (got->len != want->len)
		g_error("%s: %u calls, expected %u", what, got->len, want->len);
	for (guint i = 0; i < got->len; i++)
		if (g_array_index(got, int64_t, i) != g_array_index(want, int64_t, i))
			g_error("%s: call %u is id %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, what,
			        i, g_array_index(got, int64_t, i), g_array_index(want, int64_t, i));
}

static sqlite3 *open_db(void)
{
	GError *err = NULL;
	sqlite3 *db = sipcid_calllog_open_read(db_path, &err);
	g_assert_no_error(err);
	return db;
}

static void test_paging(void)
{
	sqlite3 *db = open_db();
	g_autoptr(GArray) want = expected(NULL, NULL);
	g_autoptr(GArray) by7 = all_pages(db, "", 7);
	assert_same(by7, want, "every call by pages of 7");
	g_autoptr(GArray) by200 = all_pages(db, "", 200);
	assert_same(by200, want, "every call by pages of 200");
	/* The default page is 50. */
	JsonParser *parser = json_parser_new();
	JsonObject *root = run(db, NULL, parser);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "calls")), ==, 50);
	g_object_unref(parser);
	sqlite3_close(db);
}

static void test_search(void)
{
	sqlite3 *db = open_db();
	/* Through the index (3 characters or more): common parts of the number,
	 * rare ones, names in any case, accents, quotes, wildcards taken
	 * literally; and two-character searches, which the scan answers. */
	const char *const qs[] = {
		"5550", "3135550042", "555-0042", "(313) 555-01", "313 555 01", "smith", "SMITHERS",
		"RENÉE", "renée", "Dupont", "50%", "50% O", "\"the\"", "<script>", "aunt polly",
		"sally", "zzz", "_Under", "% OFF", "nobody", "42", "Zo", "%", "_", "\"",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(qs); i++) {
		g_autofree char *escaped = g_uri_escape_string(qs[i], NULL, FALSE);
		g_autofree char *q = g_strdup_printf("q=%s", escaped);
		g_autoptr(GArray) got = all_pages(db, q, 97);
		g_autoptr(GArray) want = expected(match_text, qs[i]);
		assert_same(got, want, qs[i]);
	}
	/* The cases the answers above must include, so none passes by being empty. */
	g_autoptr(GArray) common = expected(match_text, "5550");
	g_assert_cmpuint(common->len, ==, N);           /* over the index's "common" bound */
	g_autoptr(GArray) rare = expected(match_text, "555-0042");
	g_assert_cmpuint(rare->len, ==, N / 300);
	g_autoptr(GArray) folded = expected(match_text, "RENÉE");
	g_assert_cmpuint(folded->len, ==, N / G_N_ELEMENTS(names));
	sqlite3_close(db);
}

static bool match_filters(const struct sample *s, const void *arg)
{
	(void)arg;
	return s->direction == SIPCID_DIR_INCOMING && s->state == SIPCID_STATE_MISSED &&
	       s->time_us >= (int64_t)(BASE_S + 100) * G_USEC_PER_SEC &&
	       s->time_us < (int64_t)(BASE_S + 400) * G_USEC_PER_SEC && match_text(s, "aunt");
}

static bool match_blocked(const struct sample *s, const void *arg)
{
	(void)arg;
	return s->state == SIPCID_STATE_BLOCKED;
}

static void test_filters(void)
{
	sqlite3 *db = open_db();
	g_autoptr(GDateTime) since = g_date_time_new_from_unix_utc(BASE_S + 100);
	g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc(BASE_S + 400);
	g_autofree char *s1 = g_date_time_format_iso8601(since), *s2 = g_date_time_format_iso8601(until);
	g_autofree char *q = g_strdup_printf("direction=incoming&state=missed&since=%s&until=%s&q=aunt",
	                                     s1, s2);
	g_autoptr(GArray) got = all_pages(db, q, 5);
	g_autoptr(GArray) want = expected(match_filters, NULL);
	g_assert_cmpuint(want->len, >, 5);
	assert_same(got, want, q);
	g_autoptr(GArray) blocked = all_pages(db, "state=blocked", 50);
	g_autoptr(GArray) want_blocked = expected(match_blocked, NULL);
	assert_same(blocked, want_blocked, "state=blocked");
	/* A page after a row that is not there: nothing, not everything. */
	g_autoptr(GArray) gone = all_pages(db, "before=999999", 50);
	g_assert_cmpuint(gone->len, ==, 0);
	sqlite3_close(db);
}

static void test_hostile(void)
{
	const struct { const char *q, *words; } bad[] = {
		{ "limit=0", "limit is a number of calls from 1 to 200" },
		{ "limit=201", "limit is a number" },
		{ "limit=-1", "limit is a number" },
		{ "limit=1e3", "limit is a number" },
		{ "limit=%2050", "limit is a number" },
		{ "limit=99999999999999999999999", "limit is a number" },
		{ "before=abc", "before is a call's id" },
		{ "before=0", "before is a call's id" },
		{ "before=-5", "before is a call's id" },
		{ "before=9223372036854775808", "before is a call's id" },
		{ "before=1%3B%20DROP%20TABLE%20calls", "before is a call's id" },
		{ "direction=sideways", "direction is incoming or outgoing" },
		{ "state=rejected", "state is one of ringing, answered, missed, ended, blocked" },
		{ "since=yesterday", "since is a date like 2026-11-21" },
		{ "until=2026-13-45", "until is a date like" },
		{ "since=2026-11-22&until=2026-11-21", "since is after until" },
		{ "q=%FF%FE", "q is not valid UTF-8" },
		{ "q=a%0Ab", "control character" },
		{ "q=%1B%5B31m", "control character" },
		{ "verstat=passed", "unknown parameter" },
		{ "q=x&debug=1", "unknown parameter" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		GHashTable *query = soup_form_decode(bad[i].q);
		struct sipcid_calllog_filter f;
		GError *err = NULL;
		if (sipcid_web_calls_parse(query, &f, &err))
			g_error("%s was taken", bad[i].q);
		if (!strstr(err->message, bad[i].words))
			g_error("%s: \"%s\" does not say \"%s\"", bad[i].q, err->message, bad[i].words);
		g_error_free(err);
		g_hash_table_unref(query);
	}
	/* A search of 101 characters is too long; of 100, fine. */
	GString *q = g_string_new("q=");
	for (int i = 0; i < 100; i++)
		g_string_append(q, "%C3%A9");  /* é: 100 characters, 200 bytes */
	GHashTable *query = soup_form_decode(q->str);
	struct sipcid_calllog_filter f;
	GError *err = NULL;
	g_assert_true(sipcid_web_calls_parse(query, &f, &err));
	g_hash_table_unref(query);
	g_string_append(q, "x");
	query = soup_form_decode(q->str);
	g_assert_false(sipcid_web_calls_parse(query, &f, &err));
	g_assert_nonnull(strstr(err->message, "too long"));
	g_clear_error(&err);
	g_hash_table_unref(query);
	g_string_free(q, TRUE);
}

/* A log of schema version 3 (before the search index) with calls in it:
 * sipcidd's writer migrates it when it opens it, and the old calls are found. */
static void test_migration(void)
{
	g_autofree char *dir = g_dir_make_tmp("web-calls-old-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "calls.db", NULL);
	struct sipcid_output *log = open_writer(path);
	log->close(log->ctx);
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	/* Version 4 only added the index and its triggers: without them, and at
	 * version 3, this is the file sipcid wrote before. */
	g_assert_cmpint(sqlite3_exec(db, "DROP TRIGGER calls_search_insert; DROP TRIGGER "
	                                 "calls_search_delete; DROP TRIGGER calls_search_update;"
	                                 "DROP TABLE calls_search; PRAGMA user_version = 3;"
	                                 "INSERT INTO calls (call_id, time_us, number, name) VALUES"
	                                 " ('old1@x', 1000000, '+15550001111', 'Old Timer'),"
	                                 " ('old2@x', 2000000, '+15550002222', 'Older Still');",
	                             NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close(db);
	GError *err = NULL;
	g_assert_null(sipcid_calllog_open_read(path, &err));  /* readers wait for sipcidd */
	g_assert_nonnull(strstr(err->message, "schema version 3; sipcidd upgrades it to 4"));
	g_clear_error(&err);
	log = open_writer(path);
	struct sipcid_call c = { .kind = SIPCID_EVENT_CALL, .time_us = 3000000 };
	g_strlcpy(c.call_id, "new@x", sizeof c.call_id);
	g_strlcpy(c.number, "+15550003333", sizeof c.number);
	g_strlcpy(c.name, "New Timer", sizeof c.name);
	log->emit(log->ctx, &c);
	log->close(log->ctx);
	db = sipcid_calllog_open_read(path, &err);
	g_assert_no_error(err);
	g_assert_cmpint(sipcid_calllog_user_version(db), ==, 4);
	JsonParser *parser = json_parser_new();
	JsonArray *rows = json_object_get_array_member(run(db, "q=timer", parser), "calls");
	g_assert_cmpuint(json_array_get_length(rows), ==, 2);
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(rows, 0), "name"),
	                ==, "New Timer");
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(rows, 1), "name"),
	                ==, "Old Timer");
	rows = json_object_get_array_member(run(db, "q=0002222", parser), "calls");
	g_assert_cmpuint(json_array_get_length(rows), ==, 1);
	g_object_unref(parser);
	sqlite3_close(db);
}

/* No log yet is an empty page; a log put in its place is read at once. */
static void test_reopen(void)
{
	g_autofree char *dir = g_dir_make_tmp("web-calls-swap-XXXXXX", NULL);
	struct sipcid_web_context ctx = { .calllog_path = g_build_filename(dir, "calls.db", NULL) };
	GError *err = NULL;
	g_assert_null(sipcid_web_calllog_get(&ctx, &err));
	g_assert_no_error(err);
	JsonParser *parser = json_parser_new();
	JsonObject *root = run(NULL, "q=anything", parser);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "calls")), ==, 0);
	g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(root, "next")));

	const char *const who[] = { "First File", "Second File" };
	for (int i = 0; i < 2; i++) {
		g_autofree char *other = g_build_filename(dir, i ? "b.db" : "a.db", NULL);
		struct sipcid_output *log = open_writer(other);
		struct sipcid_call c = { .kind = SIPCID_EVENT_CALL, .time_us = 1000000 };
		g_strlcpy(c.call_id, "x@y", sizeof c.call_id);
		g_strlcpy(c.name, who[i], sizeof c.name);
		log->emit(log->ctx, &c);
		log->close(log->ctx);
		g_assert_cmpint(g_rename(other, ctx.calllog_path), ==, 0);
		sqlite3 *db = sipcid_web_calllog_get(&ctx, &err);
		g_assert_no_error(err);
		g_assert_nonnull(db);
		JsonArray *rows = json_object_get_array_member(run(db, NULL, parser), "calls");
		g_assert_cmpuint(json_array_get_length(rows), ==, 1);
		g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(rows, 0),
		                                              "name"), ==, who[i]);
		/* Read-only: the connection cannot write. */
		g_assert_cmpint(sqlite3_exec(db, "DELETE FROM calls", NULL, NULL, NULL), !=, SQLITE_OK);
	}
	g_object_unref(parser);
	sipcid_web_calllog_close(&ctx);
	g_free(ctx.calllog_path);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("TZ", "UTC", TRUE);
	fill();
	g_test_add_func("/web/calls/paging", test_paging);
	g_test_add_func("/web/calls/search", test_search);
	g_test_add_func("/web/calls/filters", test_filters);
	g_test_add_func("/web/calls/hostile", test_hostile);
	g_test_add_func("/web/calls/migration", test_migration);
	g_test_add_func("/web/calls/reopen", test_reopen);
	return g_test_run();
}
