/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/calls without HTTP (docs/web-api.md): the query's parameters
 * checked, the call log searched through calllog_query, newest first, one
 * page at a time by keyset (a row id, never an OFFSET), and the page as
 * JSON. Kept apart from the route so tests and the benchmark run it alone. */
#ifndef SIPCID_WEB_CALLS_H
#define SIPCID_WEB_CALLS_H

#include "calllog_query.h"

#include <glib.h>
#include <sqlite3.h>

enum { SIPCID_WEB_CALLS_LIMIT_DEFAULT = 50, SIPCID_WEB_CALLS_LIMIT_MAX = 200 };

/* Reads the URL query (NULL: none) into f. False with error in words for the
 * user (the answer is 400) when a parameter is unknown or its value is not
 * one the API takes; f then points into query. */
bool sipcid_web_calls_parse(GHashTable *query, struct sipcid_calllog_filter *f, GError **error);

/* Appends {"calls": [CALL...], "next": ID or null} for filter f (from
 * sipcid_web_calls_parse). db NULL: no call log yet, an empty page. A call's
 * "recording" is its file's name when that file is still in recordings_dir
 * (NULL: never). False with error when the log cannot be read (500). */
bool sipcid_web_calls_json(sqlite3 *db, const struct sipcid_calllog_filter *f,
                           const char *recordings_dir, GString *out, GError **error);

/* A recording's name, as the API and the recordings page give it, from the
 * path the call log holds; NULL when the file is not in recordings_dir any
 * more (deleted, or moved away). */
char *sipcid_web_calls_recording_name(const char *path, const char *recordings_dir);

#endif
