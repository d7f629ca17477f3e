/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/status without HTTP: sipcidd's `status` answer on its control
 * socket (the text of `sipcidd --status`, bridge-daemon/run/status.c) read
 * into JSON (docs/web-api.md):
 *   {"running": true, "version", "web_version", "queue", "fail_open",
 *    "uptime_s", "counters": {NAME: N...}, "lines": {NAME: TEXT...}, "text"}
 * where counters are the "name: N" lines and lines the ones in words (the
 * phone line, the ATA and registrar the bridge learned, the guard, the
 * kernel queue). When sipcidd cannot be reached:
 *   {"running": false, "version", "web_version", "message", "counters": {},
 *    "lines": {}, "text": ""}. */
#ifndef SIPCID_WEB_STATUS_H
#define SIPCID_WEB_STATUS_H

#include <gio/gio.h>

/* Appends the JSON of a status answer. */
void sipcid_web_status_json(const char *text, GString *out);
/* Appends the JSON for a sipcidd that could not be asked (why: in words). */
void sipcid_web_status_json_down(const char *why, GString *out);

/* Asks sipcidd at control_path (NULL: the default) on a worker thread, so
 * the main loop never waits for the socket (the client's own timeout, 5 s,
 * bounds the thread). The result is always an answer: finish gives the JSON
 * (running or not). */
void sipcid_web_status_fetch_async(const char *control_path, GCancellable *cancellable,
                                   GAsyncReadyCallback done, gpointer data);
GString *sipcid_web_status_fetch_finish(GAsyncResult *result);

#endif
