/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The call log's SQLite file: opening it with the pragmas that make it
 * crash-safe, and bringing its schema up to date.
 *
 * The schema version lives in PRAGMA user_version. Each migration takes the
 * file from version N to N+1; they run in order, all in one transaction, so a
 * failed upgrade leaves the file exactly as it was. A file written by a newer
 * sipcid (a higher version than this one knows) is refused, never rewritten. */
#ifndef SIPCID_CALLLOG_SCHEMA_H
#define SIPCID_CALLLOG_SCHEMA_H

#include <glib.h>
#include <sqlite3.h>
#include <stdbool.h>

enum { SIPCID_CALLLOG_SCHEMA_VERSION = 4 };

/* The columns of table `calls`, in the order every query selects them. */
#define SIPCID_CALLLOG_COLUMNS                                                                  \
	"id, call_id, time_us, number, number_raw, name, alias, presentation, source, called, via, " \
	"action, rule, record, state, ring_ms, talk_ms, recording, direction, outcome, "           \
	"number_display, country, number_type, region, verstat, attest"

#define SIPCID_CALLLOG_ERROR (sipcid_calllog_error_quark())
GQuark sipcid_calllog_error_quark(void);

/* Steps from version index+1... : migrations[i] takes the file from version i to i+1. */
typedef bool (*sipcid_calllog_migration)(sqlite3 *db, GError **error);

/* Opens (creating it and its directory when needed) the daemon's writable
 * connection: WAL journal, synchronous=FULL, schema migrated to the current
 * version. */
sqlite3 *sipcid_calllog_open_write(const char *path, GError **error);
/* A reader's connection (sipcid-log): read-only, with a busy timeout, so it
 * works while the daemon writes. The schema must be one this build knows. */
sqlite3 *sipcid_calllog_open_read(const char *path, GError **error);

/* Brings db to version `target` with the given migration list. Exposed so
 * tests can exercise the mechanism with migrations of their own. */
bool sipcid_calllog_migrate(sqlite3 *db, const char *path, const sipcid_calllog_migration *steps,
                            int target, GError **error);
int sipcid_calllog_user_version(sqlite3 *db);

#endif
