/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the call log back: the filters sipcid-log offers, run as one
 * parameterised query over a read-only connection. */
#ifndef SIPCID_CALLLOG_QUERY_H
#define SIPCID_CALLLOG_QUERY_H

#include "call.h"

#include <glib.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct sipcid_calllog_filter {
	const char *number;    /* substring of number or number_raw; NULL: any */
	const char *name;      /* case-insensitive substring of name or alias; NULL: any */
	const char *text;      /* one search box: a substring of number, number_raw,
	                        * number_display, name or alias; digits typed with phone
	                        * punctuation ("313-555") also match the number's digits */
	const char *direction; /* "incoming" or "outgoing"; NULL: both */
	const char *verstat;   /* as stored: "passed", "failed", "no-validation", "" (none); NULL: any */
	const char *state;     /* a state name; "blocked" also finds calls logged blocked
	                        * before that state existed (missed, action block),
	                        * and the other states leave those out; NULL: any */
	int64_t since_us;      /* time_us >= since_us; 0: no bound */
	int64_t until_us;      /* time_us < until_us; 0: no bound */
	bool with_recording;   /* only calls with a recording */
	int64_t before_id;     /* newest_first only: the rows after row before_id in that
	                        * order (keyset paging, the next page); 0: from the newest */
	long limit;            /* 0: all */
	bool newest_first;
};

struct sipcid_calllog_row {
	int64_t id;
	struct sipcid_call call;   /* kind is always SIPCID_EVENT_CALL */
	char recording[4096];
};

typedef void (*sipcid_calllog_row_fn)(void *ctx, const struct sipcid_calllog_row *row);

/* Calls fn for every matching row. Returns false with a readable error. */
bool sipcid_calllog_query(sqlite3 *db, const struct sipcid_calllog_filter *f,
                          sipcid_calllog_row_fn fn, void *ctx, GError **error);

/* Parses "2026-11-21", "2026-11-21 22:54[:10]" (local time) or an ISO 8601
 * time with a zone. With end_of_day, a bare date means the end of that day. */
bool sipcid_calllog_parse_date(const char *s, bool end_of_day, int64_t *out_us);

#endif
