/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sessions (web_session.c) and the login lockout (web_auth_limit.c): their
 * rules, with lifetimes of a second so that expiry is seen. */
#include "web_auth.h"
#include "web_session.h"

#include <sodium.h>
#include <string.h>

static void test_sessions(void)
{
	struct sipcid_web_sessions *t = sipcid_web_sessions_new(1);
	const struct sipcid_web_session *s = sipcid_web_sessions_create(t);
	char id[SIPCID_WEB_SESSION_TOKEN_LEN], csrf[SIPCID_WEB_SESSION_TOKEN_LEN];
	g_strlcpy(id, s->id, sizeof id);
	g_strlcpy(csrf, s->csrf, sizeof csrf);
	g_assert_cmpuint(strlen(id), ==, 64);
	g_assert_cmpstr(id, !=, csrf);
	g_assert_true(sipcid_web_sessions_find(t, id) == s);
	/* The CSRF token: only the exact one. */
	g_assert_true(sipcid_web_session_csrf_ok(s, csrf));
	g_assert_false(sipcid_web_session_csrf_ok(s, NULL));
	g_assert_false(sipcid_web_session_csrf_ok(s, ""));
	g_assert_false(sipcid_web_session_csrf_ok(s, id));
	char longer[80];
	g_snprintf(longer, sizeof longer, "%s00", csrf);
	g_assert_false(sipcid_web_session_csrf_ok(s, longer));
	csrf[63] = csrf[63] == '0' ? '1' : '0';
	g_assert_false(sipcid_web_session_csrf_ok(s, csrf));
	/* Unknown, truncated and NULL ids are no session. */
	g_assert_null(sipcid_web_sessions_find(t, NULL));
	char other[SIPCID_WEB_SESSION_TOKEN_LEN];
	g_strlcpy(other, id, sizeof other);
	other[0] = other[0] == 'a' ? 'b' : 'a';
	g_assert_null(sipcid_web_sessions_find(t, other));
	other[0] = id[0];
	other[10] = '\0';
	g_assert_null(sipcid_web_sessions_find(t, other));
	/* Logout ends it. */
	sipcid_web_sessions_end(t, id);
	g_assert_null(sipcid_web_sessions_find(t, id));
	/* Expiry: a second. */
	s = sipcid_web_sessions_create(t);
	g_strlcpy(id, s->id, sizeof id);
	g_usleep(1100 * 1000);
	g_assert_null(sipcid_web_sessions_find(t, id));
	/* A full table (64) drops the oldest session, keeps the new one. */
	g_strlcpy(id, sipcid_web_sessions_create(t)->id, sizeof id);
	for (int i = 0; i < 64; i++)
		s = sipcid_web_sessions_create(t);
	g_assert_null(sipcid_web_sessions_find(t, id));
	g_assert_true(sipcid_web_sessions_find(t, s->id) == s);
	sipcid_web_sessions_free(t);
}

static void test_lockout(void)
{
	struct sipcid_web_auth_limit *l = sipcid_web_auth_limit_new(3, 1);
	const char *a = "192.0.2.1", *b = "192.0.2.2";
	g_assert_false(sipcid_web_auth_limit_locked(l, a));
	for (unsigned i = 1; i <= 2; i++) {
		sipcid_web_auth_limit_begin(l, a);
		g_assert_cmpuint(sipcid_web_auth_limit_end(l, a, false), ==, i);
	}
	g_assert_false(sipcid_web_auth_limit_locked(l, a));
	/* A check still running counts: parallel guesses get no extra tries. */
	sipcid_web_auth_limit_begin(l, a);
	g_assert_true(sipcid_web_auth_limit_locked(l, a));
	g_assert_cmpuint(sipcid_web_auth_limit_end(l, a, false), ==, 3);
	g_assert_true(sipcid_web_auth_limit_locked(l, a));
	g_assert_false(sipcid_web_auth_limit_locked(l, b));
	/* The window passes: unlocked. */
	g_usleep(1100 * 1000);
	g_assert_false(sipcid_web_auth_limit_locked(l, a));
	/* A success clears the failures before it. */
	sipcid_web_auth_limit_begin(l, b);
	sipcid_web_auth_limit_end(l, b, false);
	sipcid_web_auth_limit_begin(l, b);
	sipcid_web_auth_limit_end(l, b, false);
	sipcid_web_auth_limit_begin(l, b);
	g_assert_cmpuint(sipcid_web_auth_limit_end(l, b, true), ==, 0);
	g_assert_false(sipcid_web_auth_limit_locked(l, b));
	/* Many addresses: the table stays bounded and still locks the guesser. */
	char addr[32];
	for (int i = 0; i < 5000; i++) {
		g_snprintf(addr, sizeof addr, "10.0.%d.%d", i / 256, i % 256);
		sipcid_web_auth_limit_begin(l, addr);
		sipcid_web_auth_limit_end(l, addr, false);
	}
	for (int i = 0; i < 3; i++) {
		sipcid_web_auth_limit_begin(l, a);
		sipcid_web_auth_limit_end(l, a, false);
	}
	g_assert_true(sipcid_web_auth_limit_locked(l, a));
	sipcid_web_auth_limit_free(l);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_assert_cmpint(sodium_init(), >=, 0);
	g_test_add_func("/web/sessions", test_sessions);
	g_test_add_func("/web/lockout", test_lockout);
	return g_test_run();
}
