/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/calls without HTTP (see web_calls.h). */
#include "web_calls.h"

#include "calllog_schema.h"
#include "event_format.h"
#include "web_recordings.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

/* What a search box needs; longer is a mistake or an attack. */
enum { Q_MAX = 100 };

#define PARAM_ERROR(error, ...) g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, __VA_ARGS__)

/* A whole number lo..hi in plain decimal: no sign, spaces, hex or exponent. */
static bool parse_count(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return false;
	gint64 v = g_ascii_strtoll(s, NULL, 10);
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_one(const char *key, const char *value, struct sipcid_calllog_filter *f,
                      GError **error)
{
	if (!g_utf8_validate(value, -1, NULL)) {
		PARAM_ERROR(error, "%s is not valid UTF-8 text", key);
		return false;
	}
	if (!strcmp(key, "q")) {
		if (g_utf8_strlen(value, -1) > Q_MAX) {
			PARAM_ERROR(error, "the search is too long (at most %d characters)", Q_MAX);
			return false;
		}
		for (const char *p = value; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				PARAM_ERROR(error, "the search has a control character");
				return false;
			}
		f->text = *value ? value : NULL;
		return true;
	}
	if (!strcmp(key, "direction")) {
		enum sipcid_direction d;
		if (*value && !sipcid_call_direction_parse(value, &d)) {
			PARAM_ERROR(error, "direction is incoming or outgoing");
			return false;
		}
		f->direction = *value ? value : NULL;
		return true;
	}
	if (!strcmp(key, "state")) {
		enum sipcid_state s;
		if (*value && !sipcid_call_state_parse(value, &s)) {
			GString *names = g_string_new(NULL);
			for (int i = 0; i <= SIPCID_STATE_BLOCKED; i++)
				g_string_append_printf(names, "%s%s", i ? ", " : "",
				                       sipcid_call_state_name((enum sipcid_state)i));
			PARAM_ERROR(error, "state is one of %s", names->str);
			g_string_free(names, TRUE);
			return false;
		}
		f->state = *value ? value : NULL;
		return true;
	}
	if (!strcmp(key, "since") || !strcmp(key, "until")) {
		bool until = key[0] == 'u';
		int64_t *us = until ? &f->until_us : &f->since_us;
		*us = 0;
		if (*value && (strlen(value) > 40 || !sipcid_calllog_parse_date(value, until, us) ||
		               *us <= 0)) {
			PARAM_ERROR(error, "%s is a date like 2026-11-21, or a time like "
			            "2026-11-21T22:54:00Z", key);
			return false;
		}
		return true;
	}
	if (!strcmp(key, "before")) {
		f->before_id = 0;
		if (*value && !parse_count(value, 1, INT64_MAX, &f->before_id)) {
			PARAM_ERROR(error, "before is a call's id, as \"next\" gave it");
			return false;
		}
		return true;
	}
	if (!strcmp(key, "limit")) {
		int64_t n = SIPCID_WEB_CALLS_LIMIT_DEFAULT;
		if (*value && !parse_count(value, 1, SIPCID_WEB_CALLS_LIMIT_MAX, &n)) {
			PARAM_ERROR(error, "limit is a number of calls from 1 to %d",
			            SIPCID_WEB_CALLS_LIMIT_MAX);
			return false;
		}
		f->limit = (long)n;
		return true;
	}
	PARAM_ERROR(error, "unknown parameter (the call log takes q, direction, state, since, "
	            "until, before and limit)");
	return false;
}

bool sipcid_web_calls_parse(GHashTable *query, struct sipcid_calllog_filter *f, GError **error)
{
	memset(f, 0, sizeof *f);
	f->newest_first = true;
	f->limit = SIPCID_WEB_CALLS_LIMIT_DEFAULT;
	if (!query)
		return true;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, query);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!parse_one(k, v ? v : "", f, error))
			return false;
	if (f->since_us && f->until_us && f->since_us >= f->until_us) {
		PARAM_ERROR(error, "since is after until");
		return false;
	}
	return true;
}

struct page {
	GString *out;
	int dirfd;
	long want;   /* rows on a page; the query asks one more to know there is a next */
	long rows;
	int64_t last_id;
};

static void add_row(void *ctx, const struct sipcid_calllog_row *r)
{
	struct page *p = ctx;
	if (++p->rows > p->want)
		return;
	if (p->rows > 1)
		g_string_append_c(p->out, ',');
	sipcid_event_json(p->out, &r->call);
	g_string_truncate(p->out, p->out->len - 1); /* its closing brace */
	g_string_append_printf(p->out, ",\"id\":%" G_GINT64_FORMAT ",\"recording\":", r->id);
	g_autofree char *name = r->recording[0] && p->dirfd >= 0
	                                ? sipcid_web_recordings_name_of(p->dirfd, r->recording)
	                                : NULL;
	sipcid_event_json_string(p->out, name, true);
	g_string_append_c(p->out, '}');
	p->last_id = r->id;
}

bool sipcid_web_calls_json(sqlite3 *db, const struct sipcid_calllog_filter *f,
                           const char *recordings_dir, GString *out, GError **error)
{
	struct page p = { .want = f->limit, .dirfd = -1 };
	p.out = g_string_new("{\"calls\":[");
	if (db) {
		if (recordings_dir)
			p.dirfd = open(recordings_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct sipcid_calllog_filter one_more = *f;
		one_more.limit = f->limit + 1;
		bool ok = sipcid_calllog_query(db, &one_more, add_row, &p, error);
		if (p.dirfd >= 0)
			close(p.dirfd);
		if (!ok) {
			g_string_free(p.out, TRUE);
			return false;
		}
	}
	g_string_append(p.out, "],\"next\":");
	if (p.rows > p.want)
		g_string_append_printf(p.out, "%" G_GINT64_FORMAT, p.last_id);
	else
		g_string_append(p.out, "null");
	g_string_append_c(p.out, '}');
	g_string_append_len(out, p.out->str, p.out->len);
	g_string_free(p.out, TRUE);
	return true;
}
