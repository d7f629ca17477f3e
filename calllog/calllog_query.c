/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Filtered reads of the call log. */
#include "calllog_query.h"

#include "calllog_schema.h"

#include <stdio.h>
#include <string.h>

/* LIKE treats % and _ as wildcards: a user searching for "50%" means it literally. */
static char *like_pattern(const char *s)
{
	GString *p = g_string_new("%");
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			g_string_append_c(p, '\\');
		g_string_append_c(p, *s);
	}
	g_string_append_c(p, '%');
	return g_string_free(p, FALSE);
}

/* The digits of a search typed as a phone number with its punctuation
 * ("(313) 555-01"), or NULL when it is not one or has no punctuation to drop. */
static char *number_digits(const char *s)
{
	size_t len = strlen(s);
	if (strspn(s, "0123456789 ()+-./") != len)
		return NULL;
	GString *d = g_string_new(NULL);
	for (; *s; s++)
		if (g_ascii_isdigit(*s))
			g_string_append_c(d, *s);
	if (d->len == 0 || d->len == len) {
		g_string_free(d, TRUE);
		return NULL;
	}
	return g_string_free(d, FALSE);
}

/* An FTS5 phrase: the text in double quotes, its own quotes doubled. */
static void append_phrase(GString *m, const char *s)
{
	g_string_append_c(m, '"');
	for (; *s; s++) {
		if (*s == '"')
			g_string_append_c(m, '"');
		g_string_append_c(m, *s);
	}
	g_string_append_c(m, '"');
}

/* The search index's query for a search box text (schema version 4,
 * calls_search): the text anywhere in a column, or its digits in the number.
 * NULL when a part is shorter than the index's trigrams, which a LIKE scan
 * answers instead. */
static char *search_match(const char *text, const char *digits)
{
	if (g_utf8_strlen(text, -1) < 3 || (digits && strlen(digits) < 3))
		return NULL;
	GString *m = g_string_new(NULL);
	append_phrase(m, text);
	if (digits) {
		g_string_append(m, " OR ");
		append_phrase(m, digits);
	}
	return g_string_free(m, FALSE);
}

/* Whether a search matches so many calls that reading them all to sort
 * them costs more than walking the log in time order to the first page's
 * worth. The count stops at the threshold, so asking is cheap either way. */
enum { COMMON_MATCHES = 300 };
static bool search_is_common(sqlite3 *db, const char *match)
{
	sqlite3_stmt *st = NULL;
	bool common = false;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM (SELECT rowid FROM calls_search WHERE "
	                       "calls_search MATCH ?1 LIMIT ?2)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, COMMON_MATCHES + 1);
		common = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > COMMON_MATCHES;
	}
	sqlite3_finalize(st);
	return common;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static enum sipcid_id_source source_parse(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, sipcid_call_source_name((enum sipcid_id_source)i)))
			return (enum sipcid_id_source)i;
	return SIPCID_SRC_NONE;
}

static void read_row(sqlite3_stmt *st, struct sipcid_calllog_row *r)
{
	memset(r, 0, sizeof *r);
	struct sipcid_call *c = &r->call;
	r->id = sqlite3_column_int64(st, 0);
	c->kind = SIPCID_EVENT_CALL;
	sipcid_call_strlcpy_utf8(c->call_id, col_text(st, 1), sizeof c->call_id);
	c->time_us = sqlite3_column_int64(st, 2);
	sipcid_call_strlcpy_utf8(c->number, col_text(st, 3), sizeof c->number);
	sipcid_call_strlcpy_utf8(c->number_raw, col_text(st, 4), sizeof c->number_raw);
	sipcid_call_strlcpy_utf8(c->name, col_text(st, 5), sizeof c->name);
	sipcid_call_strlcpy_utf8(c->alias, col_text(st, 6), sizeof c->alias);
	if (!sipcid_call_presentation_parse(col_text(st, 7), &c->presentation))
		c->presentation = SIPCID_PRES_UNAVAILABLE;
	c->source = source_parse(col_text(st, 8));
	sipcid_call_strlcpy_utf8(c->called, col_text(st, 9), sizeof c->called);
	sipcid_call_strlcpy_utf8(c->via, col_text(st, 10), sizeof c->via);
	if (!sipcid_call_action_parse(col_text(st, 11), &c->action))
		c->action = SIPCID_ACTION_ALLOW;
	sipcid_call_strlcpy_utf8(c->rule, col_text(st, 12), sizeof c->rule);
	c->record = sqlite3_column_int(st, 13) != 0;
	if (!sipcid_call_state_parse(col_text(st, 14), &c->state))
		c->state = SIPCID_STATE_RINGING;
	c->ring_ms = sqlite3_column_int64(st, 15);
	c->talk_ms = sqlite3_column_int64(st, 16);
	sipcid_call_strlcpy_utf8(r->recording, col_text(st, 17), sizeof r->recording);
	if (!sipcid_call_direction_parse(col_text(st, 18), &c->direction))
		c->direction = SIPCID_DIR_INCOMING;
	if (!sipcid_call_outcome_parse(col_text(st, 19), &c->outcome))
		c->outcome = SIPCID_OUTCOME_NONE;
	sipcid_call_strlcpy_utf8(c->number_display, col_text(st, 20), sizeof c->number_display);
	sipcid_call_strlcpy_utf8(c->country, col_text(st, 21), sizeof c->country);
	sipcid_call_strlcpy_utf8(c->number_type, col_text(st, 22), sizeof c->number_type);
	sipcid_call_strlcpy_utf8(c->region, col_text(st, 23), sizeof c->region);
	if (!sipcid_call_verstat_parse(col_text(st, 24), &c->verstat))
		c->verstat = SIPCID_VERSTAT_NONE;
	const char *attest = col_text(st, 25);
	c->attest = attest[0] >= 'A' && attest[0] <= 'C' && !attest[1] ? attest[0] : 0;
}

bool sipcid_calllog_query(sqlite3 *db, const struct sipcid_calllog_filter *f,
                          sipcid_calllog_row_fn fn, void *ctx, GError **error)
{
	GString *sql = g_string_new("SELECT " SIPCID_CALLLOG_COLUMNS " FROM calls WHERE 1");
	if (f->number)
		g_string_append(sql, " AND (number LIKE ?1 ESCAPE '\\' OR number_raw LIKE ?1 ESCAPE '\\')");
	if (f->name)
		g_string_append(sql, " AND (name LIKE ?2 ESCAPE '\\' OR alias LIKE ?2 ESCAPE '\\')");
	g_autofree char *digits = f->text ? number_digits(f->text) : NULL;
	g_autofree char *match = f->text ? search_match(f->text, digits) : NULL;
	if (match) {
		/* Few matches: fetch them by id and sort them. Many (a common part
		 * of a number): walk the calls newest first and stop at the page's
		 * end, which comes soon; '+' keeps SQLite from the first plan. */
		g_string_append(sql, search_is_common(db, match) ? " AND +id IN" : " AND id IN");
		g_string_append(sql, " (SELECT rowid FROM calls_search WHERE calls_search MATCH ?12)");
	} else if (f->text) {
		g_string_append(sql, " AND (number LIKE ?10 ESCAPE '\\' OR number_raw LIKE ?10 ESCAPE '\\'"
		                     " OR number_display LIKE ?10 ESCAPE '\\' OR name LIKE ?10 ESCAPE '\\'"
		                     " OR alias LIKE ?10 ESCAPE '\\'");
		if (digits)
			g_string_append(sql, " OR number LIKE ?11 OR number_raw LIKE ?11");
		g_string_append_c(sql, ')');
	}
	if (f->direction)
		g_string_append(sql, " AND direction = ?6");
	if (f->verstat)
		g_string_append(sql, " AND verstat = ?7");
	if (f->state)
		g_string_append(sql, strcmp(f->state, "blocked")
		                             ? " AND state = ?8 AND action <> 'block'"
		                             : " AND (state = ?8 OR action = 'block')");
	if (f->with_recording)
		g_string_append(sql, " AND recording <> ''");
	if (f->since_us)
		g_string_append(sql, " AND time_us >= ?3");
	if (f->until_us)
		g_string_append(sql, " AND time_us < ?4");
	/* Keyset paging in (time_us, id) order: the bound on time_us alone lets
	 * the index on time_us start the scan at the page, however deep. A row
	 * that is gone (trimmed) leaves nothing older either. */
	if (f->before_id && f->newest_first)
		g_string_append(sql, " AND time_us <= (SELECT time_us FROM calls WHERE id = ?9)"
		                     " AND (time_us < (SELECT time_us FROM calls WHERE id = ?9) OR id < ?9)");
	g_string_append(sql, f->newest_first ? " ORDER BY time_us DESC, id DESC"
	                                     : " ORDER BY time_us, id");
	if (f->limit > 0)
		g_string_append(sql, " LIMIT ?5");
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql->str, -1, &st, NULL);
	g_string_free(sql, TRUE);
	if (rc != SQLITE_OK) {
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "cannot read the call log: %s",
		            sqlite3_errmsg(db));
		return false;
	}
	g_autofree char *number = f->number ? like_pattern(f->number) : NULL;
	g_autofree char *name = f->name ? like_pattern(f->name) : NULL;
	if (number)
		sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	if (name)
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	g_autofree char *text = f->text && !match ? like_pattern(f->text) : NULL;
	g_autofree char *digits_like = digits && !match ? g_strdup_printf("%%%s%%", digits) : NULL;
	if (match)
		sqlite3_bind_text(st, 12, match, -1, SQLITE_STATIC);
	if (text)
		sqlite3_bind_text(st, 10, text, -1, SQLITE_STATIC);
	if (digits_like)
		sqlite3_bind_text(st, 11, digits_like, -1, SQLITE_STATIC);
	if (f->before_id && f->newest_first)
		sqlite3_bind_int64(st, 9, f->before_id);
	if (f->direction)
		sqlite3_bind_text(st, 6, f->direction, -1, SQLITE_STATIC);
	if (f->verstat)
		sqlite3_bind_text(st, 7, f->verstat, -1, SQLITE_STATIC);
	if (f->state)
		sqlite3_bind_text(st, 8, f->state, -1, SQLITE_STATIC);
	if (f->since_us)
		sqlite3_bind_int64(st, 3, f->since_us);
	if (f->until_us)
		sqlite3_bind_int64(st, 4, f->until_us);
	if (f->limit > 0)
		sqlite3_bind_int64(st, 5, f->limit);
	struct sipcid_calllog_row *row = g_new(struct sipcid_calllog_row, 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, row);
		fn(ctx, row);
	}
	g_free(row);
	bool ok = rc == SQLITE_DONE;
	if (!ok)
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "cannot read the call log: %s",
		            sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return ok;
}

bool sipcid_calllog_parse_date(const char *s, bool end_of_day, int64_t *out_us)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	GDateTime *dt = NULL;
	size_t len = strlen(s);
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && (size_t)n == len) {
		GTimeZone *tz = g_time_zone_new_local();
		dt = g_date_time_new(tz, y, mo, d, 0, 0, 0);
		g_time_zone_unref(tz);
		if (dt && end_of_day) {
			GDateTime *next = g_date_time_add_days(dt, 1);
			g_date_time_unref(dt);
			dt = next;
		}
	} else if ((sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5 &&
	            (size_t)n == len) ||
	           (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) == 6 &&
	            (size_t)n == len)) {
		GTimeZone *tz = g_time_zone_new_local();
		dt = g_date_time_new(tz, y, mo, d, h, mi, sec);
		g_time_zone_unref(tz);
	} else {
		dt = g_date_time_new_from_iso8601(s, NULL);
	}
	if (!dt)
		return false;
	*out_us = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
	g_date_time_unref(dt);
	return true;
}
