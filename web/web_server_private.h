/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What web_server*.c share: the server's state and the steps of a request. */
#ifndef SIPCID_WEB_SERVER_PRIVATE_H
#define SIPCID_WEB_SERVER_PRIVATE_H

#include "web_auth.h"
#include "web_route.h"
#include "web_server.h"
#include "web_session.h"

struct sipcid_web_server {
	SoupServer *soup;
	struct sipcid_web_context *ctx;
	struct sipcid_web_sessions *sessions;
	struct sipcid_web_auth_limit *limit;
	char *static_dir;      /* its real path */
	char *password_file;
	bool tls;
	long session_hours;
};

/* The request being served; lives as long as its message (handlers that
 * answer later keep the message). */
struct sipcid_web_server_request {
	struct sipcid_web_request req;
	struct sipcid_web_server *srv;
	const struct sipcid_web_session *session;  /* NULL: not logged in */
	char *path, *client;
};

struct sipcid_web_server_request *sipcid_web_server_request_of(SoupServerMessage *msg);

/* web_server_reply.c */
void sipcid_web_server_headers(SoupServerMessage *msg);
void sipcid_web_server_redirect(SoupServerMessage *msg, const char *location);

/* web_server_static.c: a file of the static directory, or 404 (never a listing). */
void sipcid_web_server_static(struct sipcid_web_server_request *r, const char *path);

/* web_server_login.c: /login, before any session check; then /logout and
 * /api/session, after the session and CSRF checks. False when the path is
 * not theirs. */
bool sipcid_web_server_login_routes(struct sipcid_web_server_request *r);
bool sipcid_web_server_session_routes(struct sipcid_web_server_request *r);

/* web_routes.c: the API route for method and path; *arg is the rest of a
 * prefix route's path. NULL, and *path_known when another method has it. */
const struct sipcid_web_route *sipcid_web_routes_find(const char *method, const char *path,
                                                      const char **arg, bool *path_known);
/* Every API route, for the tests. */
void sipcid_web_routes_foreach(void (*fn)(const struct sipcid_web_route *route, void *data),
                               void *data);

#endif
