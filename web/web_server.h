/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-web's HTTP(S) server: libsoup 3 on the GLib main loop. Every answer
 * carries the security headers; every URL but the login page and its
 * public files needs a session; every change (any method but GET and HEAD)
 * needs the session's CSRF token and no foreign Origin. Then it serves the
 * static pages or the API's route tables (web_route.h, docs/web-api.md). */
#ifndef SIPCID_WEB_SERVER_H
#define SIPCID_WEB_SERVER_H

#include "web_context.h"
#include "web_settings.h"

#include <gio/gio.h>

struct sipcid_web_server;

/* Loads the certificate under TLS; errors say what to do. The server keeps
 * ctx (not owned) and copies what it needs of s. */
struct sipcid_web_server *sipcid_web_server_new(const struct sipcid_web_settings *s,
                                                struct sipcid_web_context *ctx,
                                                GError **error);
/* Listens on each GInetSocketAddress. */
bool sipcid_web_server_listen(struct sipcid_web_server *srv, GPtrArray *addresses,
                              GError **error);
/* The URLs it listens on, for the log: "https://192.168.1.2:8443/ ...". */
char *sipcid_web_server_urls(struct sipcid_web_server *srv);
void sipcid_web_server_free(struct sipcid_web_server *srv);

#endif
