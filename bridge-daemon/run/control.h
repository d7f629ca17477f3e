/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control socket: a unix stream socket that sipcidd serves from its main
 * loop, and `sipcidd --status` and `sipcid-log record` talk to. A client
 * sends one command line; the daemon answers with text and closes the
 * connection. Commands:
 *   status                    the counters (sipcidd --status)
 *   record CALL-ID on|off     start or stop recording a call in progress;
 *                             the answer starts "ok:" or "error:"
 *   watch                     the connection stays open: one JSON object a
 *                             line, the calls in progress, then every event
 *                             (output_watch.h)
 *   listen CALL-ID [WHO]      the connection stays open: "ok: ..." then the
 *                             call's audio as raw PCM (record_listen.h); WHO
 *                             names the person asking, for the log
 * Only root and the daemon's user may connect: the socket is 0700, handed to
 * that user with the rest of /run/sipcid (privdrop_paths.c). sipcid-web runs
 * as that user. */
#ifndef SIPCID_CONTROL_H
#define SIPCID_CONTROL_H

#include "control_client.h"

#include <gio/gio.h>
#include <glib.h>
#include <stdbool.h>

/* Appends the status report; runs on the main loop. */
typedef void (*sipcid_control_status_fn)(void *ctx, GString *out);

struct sipcid_control;

/* `record CALL-ID on|off`: appends "ok: ..." or "error: ..."; main loop. */
typedef void (*sipcid_control_record_fn)(void *ctx, const char *call_id, bool on, GString *out);
void sipcid_control_set_record(struct sipcid_control *c, sipcid_control_record_fn fn, void *ctx);

/* `watch` and `listen`: commands after which the connection stays open.
 * args: what follows the command word (stripped; may be empty). peer: who
 * connected, in words for the log ("pid 812, uid 998"). The handler either
 * takes the connection (it refs conn and writes its first line itself) and
 * returns true, or appends "error: ..." to reply and returns false. Main loop. */
typedef bool (*sipcid_control_stream_fn)(void *ctx, const char *args, const char *peer,
                                         GSocketConnection *conn, GString *reply);
void sipcid_control_set_watch(struct sipcid_control *c, sipcid_control_stream_fn fn, void *ctx);
void sipcid_control_set_listen(struct sipcid_control *c, sipcid_control_stream_fn fn, void *ctx);

/* Creates the socket's directory if needed. Refuses when another sipcidd is
 * serving the same path; removes a stale socket left by a dead one. */
struct sipcid_control *sipcid_control_start(const char *path, sipcid_control_status_fn status,
                                            void *ctx, GError **error);
/* Stops serving and removes the socket. NULL is fine. */
void sipcid_control_stop(struct sipcid_control *c);

/* Client side of `sipcidd --status`: prints the daemon's answer to stdout.
 * Returns the exit status (0, or 1 with a message on stderr). */
int sipcid_control_print_status(const char *path);

#endif
