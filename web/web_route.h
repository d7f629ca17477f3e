/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The contract between sipcid-web's server (web_server.c: TLS, login,
 * sessions, CSRF, security headers) and its API files (web_api_*.c).
 *
 * The server has already done the checks every request needs before it calls
 * a handler: the session is valid, and for every method but GET and HEAD the
 * CSRF token matched (docs/web-api.md). A handler only does its job and
 * answers. Handlers run on the GLib main loop: anything that could take long
 * (a child process, the control socket, a stream) is asynchronous, with
 * soup_server_message_pause/unpause.
 *
 * Each API file exports one table of routes, ended by an entry whose method
 * is NULL; web_routes.c lists the tables. */
#ifndef SIPCID_WEB_ROUTE_H
#define SIPCID_WEB_ROUTE_H

#include <glib.h>
#include <libsoup/soup.h>

struct sipcid_web_context;  /* web_context.h: paths and settings, read-only once started */

struct sipcid_web_request {
	SoupServerMessage *msg;
	const char *method;               /* "GET", "POST", ... */
	const char *path;                 /* the URL path, decoded */
	const char *arg;                  /* for a prefix route: the rest of the path after it */
	GHashTable *query;                /* the URL query, decoded; NULL when there is none */
	GHashTable *form;                 /* an urlencoded POST body, decoded; NULL otherwise */
	struct sipcid_web_context *ctx;
	const char *client;               /* the peer's address, for the log */
};

typedef void (*sipcid_web_handler_fn)(struct sipcid_web_request *req);

struct sipcid_web_route {
	const char *method;  /* NULL ends a table */
	const char *path;    /* exact, or a prefix when it ends in '/' (the rest is req->arg) */
	sipcid_web_handler_fn fn;
};

/* Answers with a JSON body (takes the GString) and Cache-Control: no-store. */
void sipcid_web_reply_json(struct sipcid_web_request *req, guint status, GString *body);
/* Answers {"error": message} (the message in words for the user). */
void sipcid_web_reply_error(struct sipcid_web_request *req, guint status, const char *message);
/* A form or query parameter; NULL when absent. */
const char *sipcid_web_param(const struct sipcid_web_request *req, const char *name);

#endif
