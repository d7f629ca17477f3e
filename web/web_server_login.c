/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging in and out, and the session's facts for the pages. */
#include "web_server_private.h"

#include "event_format.h"
#include "log.h"

#include <string.h>

/* Without the pages' login.html (a bare install, a test): a form that works
 * with the Content-Security-Policy (no script, no style). */
static const char fallback_login[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>sipcid: log in</title></head><body>\n"
	"<form method=\"post\" action=\"/login\">\n"
	"<label>Password <input type=\"password\" name=\"password\" autofocus "
	"autocomplete=\"current-password\"></label>\n"
	"<button type=\"submit\">Log in</button>\n</form></body></html>\n";

static void login_page(struct sipcid_web_server_request *r)
{
	g_autofree char *file = g_build_filename(r->srv->static_dir, "login.html", NULL);
	if (g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
		sipcid_web_server_static(r, "/login.html");
		return;
	}
	soup_server_message_set_status(r->req.msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(r->req.msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
	                                  fallback_login, sizeof fallback_login - 1);
}

static void set_cookie(struct sipcid_web_server_request *r, const char *value, long max_age)
{
	g_autofree char *cookie =
		g_strdup_printf("%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s",
		                SIPCID_WEB_SESSION_COOKIE, value, max_age, r->srv->tls ? "; Secure" : "");
	soup_message_headers_append(soup_server_message_get_response_headers(r->req.msg),
	                            "Set-Cookie", cookie);
}

static void login_checked(GObject *source, GAsyncResult *result, gpointer data)
{
	(void)source;
	SoupServerMessage *msg = data;
	struct sipcid_web_server_request *r = sipcid_web_server_request_of(msg);
	struct sipcid_web_server *srv = r->srv;
	bool ok = sipcid_web_auth_verify_finish(result);
	unsigned failures = sipcid_web_auth_limit_end(srv->limit, r->req.client, ok);
	if (ok) {
		const struct sipcid_web_session *s = sipcid_web_sessions_create(srv->sessions);
		set_cookie(r, s->id, srv->session_hours * 3600);
		sipcid_web_server_redirect(msg, "/");
		sipcid_log_info("%s: logged in", r->req.client);
	} else {
		sipcid_log_warnx("%s: failed login (%u in a row)", r->req.client, failures);
		sipcid_web_reply_error(&r->req, SOUP_STATUS_UNAUTHORIZED, "Wrong password.");
	}
	soup_server_message_unpause(msg);
	g_object_unref(msg);
}

static void login(struct sipcid_web_server_request *r)
{
	struct sipcid_web_server *srv = r->srv;
	if (sipcid_web_auth_limit_locked(srv->limit, r->req.client)) {
		sipcid_log_warnx("%s: login refused: too many failed logins, locked out", r->req.client);
		sipcid_web_reply_error(&r->req, 429 /* Too Many Requests: not in libsoup 3.2's list */,
		                       "Too many wrong passwords: try again later.");
		return;
	}
	const char *password = r->req.form ? g_hash_table_lookup(r->req.form, "password") : NULL;
	sipcid_web_auth_limit_begin(srv->limit, r->req.client);
	soup_server_message_pause(r->req.msg);
	sipcid_web_auth_verify_async(srv->password_file, password ? password : "", login_checked,
	                             g_object_ref(r->req.msg));
}

bool sipcid_web_server_login_routes(struct sipcid_web_server_request *r)
{
	if (strcmp(r->path, "/login") != 0)
		return false;
	if (strcmp(r->req.method, "POST") == 0)
		login(r);
	else if (strcmp(r->req.method, "GET") == 0 || strcmp(r->req.method, "HEAD") == 0)
		login_page(r);
	else
		sipcid_web_reply_error(&r->req, SOUP_STATUS_METHOD_NOT_ALLOWED,
		                       "This address does not take that method.");
	return true;
}

static void session_info(struct sipcid_web_server_request *r)
{
	GString *out = g_string_new("{\"csrf\": ");
	sipcid_event_json_string(out, r->session->csrf, false);
	g_string_append(out, ", \"version\": ");
	sipcid_event_json_string(out, SIPCID_VERSION, false);
	g_string_append_printf(out, ", \"listen_live\": %s, \"tls\": %s}",
	                       r->srv->ctx->listen_live ? "true" : "false",
	                       r->srv->tls ? "true" : "false");
	sipcid_web_reply_json(&r->req, SOUP_STATUS_OK, out);
}

bool sipcid_web_server_session_routes(struct sipcid_web_server_request *r)
{
	bool get = strcmp(r->req.method, "GET") == 0 || strcmp(r->req.method, "HEAD") == 0;
	if (strcmp(r->path, "/api/session") == 0 && get) {
		session_info(r);
	} else if (strcmp(r->path, "/logout") == 0 && strcmp(r->req.method, "POST") == 0) {
		sipcid_web_sessions_end(r->srv->sessions, r->session->id);
		r->session = NULL;
		set_cookie(r, "", 0);
		sipcid_web_server_redirect(r->req.msg, "/login");
	} else if (strcmp(r->path, "/api/session") == 0 || strcmp(r->path, "/logout") == 0) {
		sipcid_web_reply_error(&r->req, SOUP_STATUS_METHOD_NOT_ALLOWED,
		                       "This address does not take that method.");
	} else {
		return false;
	}
	return true;
}
