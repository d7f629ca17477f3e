/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The watchers of the control socket's `watch` (sipcid-web's live page): an
 * output that keeps the calls in progress from the events it sees, and
 * passes every event on to each watcher as it comes.
 *
 * A watcher gets one JSON object a line: first {"snapshot":[CALL...]} (the
 * calls in progress, oldest first), then each call event (docs/events.md,
 * sipcid_event_json) and each line event (sipcid_line_event_json) as it is
 * emitted. The calls in progress are the output's own record, never the
 * packet thread's call table.
 *
 * Main loop only, and it never blocks: writes are non-blocking and each
 * watcher may be at most WATCH_BUFFER bytes behind; a slower one is dropped
 * (it may connect again and get a new snapshot). At most 8 watchers. */
#ifndef SIPCID_OUTPUT_WATCH_H
#define SIPCID_OUTPUT_WATCH_H

#include "output.h"

#include <gio/gio.h>
#include <stdbool.h>

enum { SIPCID_OUTPUT_WATCH_MAX = 8 };

struct sipcid_output *sipcid_output_watch_new(void);
/* The control socket's `watch`: takes the connection and sends the
 * snapshot, or appends "error: ..." (too many watchers) and returns false.
 * peer: who connected, for the log. */
bool sipcid_output_watch_add(struct sipcid_output *watch, GSocketConnection *conn,
                             const char *peer, GString *reply);
/* Watchers connected now. */
unsigned sipcid_output_watch_count(const struct sipcid_output *watch);

#endif
