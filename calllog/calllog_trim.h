/* Call-log retention: [log] keep-days and keep-rows, applied by the writer
 * thread (calllog_writer.c) in small batches, each its own transaction, so
 * neither a reader nor newly queued rows wait long for a big delete.
 *
 * Age is measured from the earlier of the wall clock and the newest call in
 * the log: a box whose clock jumps years ahead does not empty its log, and a
 * replay of an old capture (sipcidd --read) keeps its own calls. Rows are
 * counted by id, i.e. in the order they were logged: a call goes once
 * keep-rows calls were logged after it (ids only ever leave from the old end,
 * so that is the newest keep-rows rows). Both deletes are index range scans,
 * never a walk of the table: calls_time for age, the primary key for rows. */
#ifndef SIPCID_CALLLOG_TRIM_H
#define SIPCID_CALLLOG_TRIM_H

#include "calllog_settings.h"

#include <glib.h>
#include <sqlite3.h>
#include <stdint.h>

enum { SIPCID_CALLLOG_TRIM_BATCH = 500 };

struct sipcid_calllog_trim;

/* NULL with error set when the statements cannot be prepared; NULL without
 * error when s keeps everything (keep-days and keep-rows 0). */
struct sipcid_calllog_trim *sipcid_calllog_trim_new(sqlite3 *db,
                                                    const struct sipcid_calllog_settings *s,
                                                    GError **error);
/* Deletes at most SIPCID_CALLLOG_TRIM_BATCH rows past the limits at now_us
 * (wall clock, µs since the epoch), in a transaction of its own: call it
 * outside the writer's batches. Returns the rows deleted (fewer than a batch:
 * nothing is left to trim), or -1 on an SQLite error (the message in
 * sqlite3_errmsg of the database). */
int sipcid_calllog_trim_batch(struct sipcid_calllog_trim *t, int64_t now_us);
void sipcid_calllog_trim_free(struct sipcid_calllog_trim *t);

#endif
