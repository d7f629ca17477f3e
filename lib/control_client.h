/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The client side of sipcidd's control socket (bridge-daemon/run/control.h):
 * one command line sent, the daemon's whole answer read back. Used by
 * `sipcidd --status` and `sipcid-log record`. */
#ifndef SIPCID_CONTROL_CLIENT_H
#define SIPCID_CONTROL_CLIENT_H

#include <gio/gio.h>
#include <glib.h>
#include <stdbool.h>

#define SIPCID_CONTROL_DEFAULT_PATH "/run/sipcid/sipcidd.sock"

/* Sends command (one line, without its newline) to the daemon at path
 * (NULL: the default) and appends its answer to reply. False, with error
 * in words, when the daemon cannot be reached or the exchange fails. */
bool sipcid_control_client_request(const char *path, const char *command, GString *reply,
                                   GError **error);

/* The same without blocking, for a program on a main loop (sipcid-web):
 * connects, sends command, reads the whole answer; callback on the main
 * context of the caller. The answer: sipcid_control_client_request_finish
 * (a string to g_free, or NULL with error). Bounded: 5 s and 1 MiB. */
void sipcid_control_client_request_async(const char *path, const char *command,
                                         GCancellable *cancel, GAsyncReadyCallback callback,
                                         gpointer user_data);
char *sipcid_control_client_request_finish(GAsyncResult *res, GError **error);

/* For the commands after which the connection stays open (`watch`,
 * `listen`): connects and sends command; the connection, to read from, is
 * sipcid_control_client_open_finish's (NULL with error). */
void sipcid_control_client_open_async(const char *path, const char *command,
                                      GCancellable *cancel, GAsyncReadyCallback callback,
                                      gpointer user_data);
GSocketConnection *sipcid_control_client_open_finish(GAsyncResult *res, GError **error);

/* Whether a Call-ID may go into a command line: 1 to 255 bytes of printable
 * ASCII, no spaces (RFC 3261's word@word). Call-IDs come from browsers and
 * the network: anything else is refused before it reaches sipcidd. */
bool sipcid_control_client_call_id_ok(const char *call_id);

#endif
