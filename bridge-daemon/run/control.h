/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control socket: a unix stream socket that sipcidd serves from its main
 * loop and `sipcidd --status` talks to. A client sends one command line
 * ("status"); the daemon answers with text and closes the connection. */
#ifndef SIPCID_CONTROL_H
#define SIPCID_CONTROL_H

#include <glib.h>

#define SIPCID_CONTROL_DEFAULT_PATH "/run/sipcid/sipcidd.sock"

/* Appends the status report; runs on the main loop. */
typedef void (*sipcid_control_status_fn)(void *ctx, GString *out);

struct sipcid_control;

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
