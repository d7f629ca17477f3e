/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "web_session.h"

#include <sodium.h>
#include <string.h>

/* A household has a few browsers; a table this size never fills in use, and
 * bounds what someone with the password can make it hold. */
enum { MAX_SESSIONS = 64 };

struct sipcid_web_sessions {
	GHashTable *by_id;  /* id -> struct sipcid_web_session (owned) */
	gint64 lifetime_us;
};

static void random_token(char out[SIPCID_WEB_SESSION_TOKEN_LEN])
{
	unsigned char bytes[32];
	randombytes_buf(bytes, sizeof bytes);
	sodium_bin2hex(out, SIPCID_WEB_SESSION_TOKEN_LEN, bytes, sizeof bytes);
	sodium_memzero(bytes, sizeof bytes);
}

static void free_session(gpointer p)
{
	sodium_memzero(p, sizeof(struct sipcid_web_session));
	g_free(p);
}

struct sipcid_web_sessions *sipcid_web_sessions_new(long seconds)
{
	struct sipcid_web_sessions *t = g_new0(struct sipcid_web_sessions, 1);
	t->by_id = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_session);
	t->lifetime_us = (gint64)seconds * G_USEC_PER_SEC;
	return t;
}

void sipcid_web_sessions_free(struct sipcid_web_sessions *t)
{
	if (!t)
		return;
	g_hash_table_destroy(t->by_id);
	g_free(t);
}

static void expire(struct sipcid_web_sessions *t, gint64 now)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, t->by_id);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (((struct sipcid_web_session *)v)->expires <= now)
			g_hash_table_iter_remove(&it);
}

static void drop_oldest(struct sipcid_web_sessions *t)
{
	GHashTableIter it;
	gpointer v;
	struct sipcid_web_session *oldest = NULL;
	g_hash_table_iter_init(&it, t->by_id);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (!oldest || ((struct sipcid_web_session *)v)->expires < oldest->expires)
			oldest = v;
	if (oldest)
		g_hash_table_remove(t->by_id, oldest->id);
}

const struct sipcid_web_session *sipcid_web_sessions_create(struct sipcid_web_sessions *t)
{
	gint64 now = g_get_monotonic_time();
	expire(t, now);
	if (g_hash_table_size(t->by_id) >= MAX_SESSIONS)
		drop_oldest(t);
	struct sipcid_web_session *s = g_new0(struct sipcid_web_session, 1);
	random_token(s->id);
	random_token(s->csrf);
	s->expires = now + t->lifetime_us;
	g_hash_table_replace(t->by_id, s->id, s);
	return s;
}

const struct sipcid_web_session *sipcid_web_sessions_find(struct sipcid_web_sessions *t,
                                                          const char *id)
{
	if (!id || strlen(id) != SIPCID_WEB_SESSION_TOKEN_LEN - 1)
		return NULL;
	struct sipcid_web_session *s = g_hash_table_lookup(t->by_id, id);
	if (s && s->expires <= g_get_monotonic_time()) {
		g_hash_table_remove(t->by_id, id);
		return NULL;
	}
	return s;
}

void sipcid_web_sessions_end(struct sipcid_web_sessions *t, const char *id)
{
	if (id)
		g_hash_table_remove(t->by_id, id);
}

bool sipcid_web_session_csrf_ok(const struct sipcid_web_session *s, const char *token)
{
	return token && strlen(token) == SIPCID_WEB_SESSION_TOKEN_LEN - 1 &&
	       sodium_memcmp(token, s->csrf, SIPCID_WEB_SESSION_TOKEN_LEN - 1) == 0;
}
