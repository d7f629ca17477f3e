/* The call log an NCID client gets at connect: the newest calls of
 * sipcid's SQLite call log, oldest first, as CIDLOG:/BLKLOG:/ENDLOG: lines
 * between "254 Start of call log" and "250 End of call log" (or "252 Call
 * log empty", "253 No Call log"). Read on a worker thread (GTask) through
 * a read-only connection: SQLite may wait for the daemon's writer. */
#ifndef SIPCID_NCID_LOG_H
#define SIPCID_NCID_LOG_H

#include "ncid_settings.h"

#include <gio/gio.h>

/* Runs the query for `calls` calls from `database` in a thread; callback on
 * the calling thread's main context. */
void sipcid_ncid_log_read(const char *database, int calls, const struct sipcid_ncid_settings *s,
                          GAsyncReadyCallback callback, gpointer user_data);
/* The whole answer, from the 25x line to the last, CRLF-terminated. */
GString *sipcid_ncid_log_read_finish(GAsyncResult *result);

#endif
