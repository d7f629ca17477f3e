/* The call log output: one SQLite row per call (see calllog_schema.h).
 *
 * emit() only queues the record; a writer thread of its own commits the queue
 * in batches (every batch-rows changes or batch-ms after the first pending
 * one, and on close), so neither the packet path nor the main loop ever waits
 * for the disk. A new call (kind CALL) inserts a row; an UPDATE changes the
 * newest row with the same Call-ID. */
#ifndef SIPCID_CALLLOG_H
#define SIPCID_CALLLOG_H

#include "calllog_settings.h"
#include "output.h"

#include <glib.h>
#include <stdint.h>

struct sipcid_calllog_stats {
	uint64_t queued;     /* changes accepted by emit() and set_recording() */
	uint64_t written;    /* changes committed */
	uint64_t commits;    /* transactions */
	uint64_t dropped;    /* changes lost: queue full or a failed commit */
	uint64_t trimmed;    /* rows removed by [log] keep-days and keep-rows */
};

/* NULL with *error set (FILE-named, readable) when the database cannot be
 * opened or upgraded. Call only when s->enabled. */
struct sipcid_output *sipcid_calllog_new(const struct sipcid_calllog_settings *s,
                                         GError **error);
/* Records where the recorder saved a call's audio (the recorder's done callback). */
void sipcid_calllog_set_recording(struct sipcid_output *log, const char *call_id,
                                  const char *path);
/* Waits until everything queued so far is committed (tests, shutdown). */
void sipcid_calllog_flush(struct sipcid_output *log);
void sipcid_calllog_get_stats(struct sipcid_output *log, struct sipcid_calllog_stats *out);

#endif
