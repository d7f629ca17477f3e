/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control socket: a unix stream socket that sipcidd serves from its main
 * loop, and `sipcidd --status` and `sipcid-log record` talk to. A client
 * sends one command line; the daemon answers with text and closes the
 * connection. Commands:
 *   status                    the counters (sipcidd --status)
 *   record CALL-ID on|off     start or stop recording a call in progress;
 *                             the answer starts "ok:" or "error:" */
#ifndef SIPCID_CONTROL_H
#define SIPCID_CONTROL_H

#include "control_client.h"

#include <glib.h>
#include <stdbool.h>

/* Appends the status report; runs on the main loop. */
typedef void (*sipcid_control_status_fn)(void *ctx, GString *out);

struct sipcid_control;

/* `record CALL-ID on|off`: appends "ok: ..." or "error: ..."; main loop. */
typedef void (*sipcid_control_record_fn)(void *ctx, const char *call_id, bool on, GString *out);
void sipcid_control_set_record(struct sipcid_control *c, sipcid_control_record_fn fn, void *ctx);

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
