/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The client side of sipcidd's control socket (bridge-daemon/run/control.h):
 * one command line sent, the daemon's whole answer read back. Used by
 * `sipcidd --status` and `sipcid-log record`. */
#ifndef SIPCID_CONTROL_CLIENT_H
#define SIPCID_CONTROL_CLIENT_H

#include <glib.h>
#include <stdbool.h>

#define SIPCID_CONTROL_DEFAULT_PATH "/run/sipcid/sipcidd.sock"

/* Sends command (one line, without its newline) to the daemon at path
 * (NULL: the default) and appends its answer to reply. False, with error
 * in words, when the daemon cannot be reached or the exchange fails. */
bool sipcid_control_client_request(const char *path, const char *command, GString *reply,
                                   GError **error);

#endif
