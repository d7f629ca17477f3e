/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logged-in sessions: a table in memory (a restart logs everyone out). A
 * session is 32 random bytes (its cookie) with an expiry and its own CSRF
 * token. Main loop only. */
#ifndef SIPCID_WEB_SESSION_H
#define SIPCID_WEB_SESSION_H

#include <glib.h>
#include <stdbool.h>

#define SIPCID_WEB_SESSION_COOKIE "sipcid_session"
/* 32 bytes as hex, and its NUL. */
#define SIPCID_WEB_SESSION_TOKEN_LEN 65

struct sipcid_web_session {
	char id[SIPCID_WEB_SESSION_TOKEN_LEN];
	char csrf[SIPCID_WEB_SESSION_TOKEN_LEN];
	gint64 expires;  /* g_get_monotonic_time() */
};

struct sipcid_web_sessions;

/* Sessions last `seconds` from their login. */
struct sipcid_web_sessions *sipcid_web_sessions_new(long seconds);
void sipcid_web_sessions_free(struct sipcid_web_sessions *t);
/* A new session; the oldest goes when the table is full. */
const struct sipcid_web_session *sipcid_web_sessions_create(struct sipcid_web_sessions *t);
/* The live session of this cookie value, or NULL. */
const struct sipcid_web_session *sipcid_web_sessions_find(struct sipcid_web_sessions *t,
                                                          const char *id);
void sipcid_web_sessions_end(struct sipcid_web_sessions *t, const char *id);
/* Whether token is the session's CSRF token (constant time). */
bool sipcid_web_session_csrf_ok(const struct sipcid_web_session *s, const char *token);

#endif
