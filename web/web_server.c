/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The server and the checks every request goes through, in order: the
 * security headers, the body's size, the session, the CSRF token and
 * Origin; then the login routes, the API or the static pages. */
#include "web_server_private.h"

#include "log.h"

#include <string.h>

#define REQUEST_KEY "sipcid-web-request"

/* Bodies: a login form is small; a logged-in browser may send a rule file
 * or a contacts export. Enough for both, and a bound on what anyone can
 * make the server hold in memory. */
enum { MAX_BODY_ANONYMOUS = 16 << 10, MAX_BODY_SESSION = 16 << 20 };

static void free_request(gpointer p)
{
	struct sipcid_web_server_request *r = p;
	if (r->req.query)
		g_hash_table_unref(r->req.query);
	if (r->req.form)
		g_hash_table_unref(r->req.form);
	g_free(r->path);
	g_free(r->client);
	g_free(r);
}

struct sipcid_web_server_request *sipcid_web_server_request_of(SoupServerMessage *msg)
{
	return g_object_get_data(G_OBJECT(msg), REQUEST_KEY);
}

static const char *session_cookie(SoupServerMessage *msg, char *out, size_t size)
{
	const char *header = soup_message_headers_get_list(
		soup_server_message_get_request_headers(msg), "Cookie");
	if (!header)
		return NULL;
	GHashTable *cookies = soup_header_parse_semi_param_list(header);
	const char *value = g_hash_table_lookup(cookies, SIPCID_WEB_SESSION_COOKIE);
	if (value)
		g_strlcpy(out, value, size);
	soup_header_free_param_list(cookies);
	return value ? out : NULL;
}

static const struct sipcid_web_session *find_session(struct sipcid_web_server *srv,
                                                     SoupServerMessage *msg)
{
	char id[SIPCID_WEB_SESSION_TOKEN_LEN + 1];
	return sipcid_web_sessions_find(srv->sessions, session_cookie(msg, id, sizeof id));
}

/* Rejects a body too big before it is read. */
static void early_handler(SoupServer *server, SoupServerMessage *msg, const char *path,
                          GHashTable *query, gpointer data)
{
	(void)server;
	(void)path;
	(void)query;
	struct sipcid_web_server *srv = data;
	sipcid_web_server_headers(msg);
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	SoupEncoding enc = soup_message_headers_get_encoding(h);
	if (enc == SOUP_ENCODING_NONE)
		return;
	goffset max = find_session(srv, msg) ? MAX_BODY_SESSION : MAX_BODY_ANONYMOUS;
	if (enc != SOUP_ENCODING_CONTENT_LENGTH) {
		soup_server_message_set_status(msg, SOUP_STATUS_LENGTH_REQUIRED, NULL);
	} else if (soup_message_headers_get_content_length(h) > max) {
		soup_server_message_set_status(msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
	}
}

/* The Origin of a browser's request must be this server's own. */
static bool origin_ok(struct sipcid_web_server *srv, SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const char *origin = soup_message_headers_get_one(h, "Origin");
	const char *site = soup_message_headers_get_one(h, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return false;
	if (!origin)
		return true;  /* not a browser, or one too old to say: the token decides */
	const char *host = soup_message_headers_get_one(h, "Host");
	if (!host)
		return false;
	g_autofree char *own = g_strconcat(srv->tls ? "https://" : "http://", host, NULL);
	return g_ascii_strcasecmp(origin, own) == 0;
}

static bool is_safe_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static void decode_body(struct sipcid_web_server_request *r)
{
	SoupServerMessage *msg = r->req.msg;
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const char *type = soup_message_headers_get_content_type(h, NULL);
	if (!type || g_ascii_strcasecmp(type, "application/x-www-form-urlencoded") != 0)
		return;
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	GBytes *bytes = soup_message_body_flatten(body);
	gsize len = 0;
	const char *data = g_bytes_get_data(bytes, &len);
	g_autofree char *text = g_strndup(data ? data : "", len);
	r->req.form = soup_form_decode(text);
	g_bytes_unref(bytes);
}

static void dispatch_api(struct sipcid_web_server_request *r)
{
	bool known = false;
	const char *method = strcmp(r->req.method, "HEAD") == 0 ? "GET" : r->req.method;
	const struct sipcid_web_route *route =
		sipcid_web_routes_find(method, r->path, &r->req.arg, &known);
	if (route) {
		gint64 t0 = g_get_monotonic_time();
		route->fn(&r->req);
		/* The handler's own time (an asynchronous one's until it paused), for
		 * the browser's developer tools and bench/web_bench.sh. */
		gint64 us = g_get_monotonic_time() - t0;
		g_autofree char *timing = g_strdup_printf("app;dur=%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT,
		                                          us / 1000, us % 1000);
		soup_message_headers_replace(soup_server_message_get_response_headers(r->req.msg),
		                             "Server-Timing", timing);
	} else if (known) {
		sipcid_web_reply_error(&r->req, SOUP_STATUS_METHOD_NOT_ALLOWED,
		                       "This address does not take that method.");
	} else {
		sipcid_web_reply_error(&r->req, SOUP_STATUS_NOT_FOUND, "No such address.");
	}
}

static void handler(SoupServer *server, SoupServerMessage *msg, const char *raw_path,
                    GHashTable *query, gpointer data)
{
	(void)server;
	(void)raw_path;
	(void)query;
	struct sipcid_web_server *srv = data;
	sipcid_web_server_headers(msg);
	struct sipcid_web_server_request *r = g_new0(struct sipcid_web_server_request, 1);
	g_object_set_data_full(G_OBJECT(msg), REQUEST_KEY, r, free_request);
	r->srv = srv;
	r->req.msg = msg;
	r->req.ctx = srv->ctx;
	r->req.method = soup_server_message_get_method(msg);
	r->client = g_strdup(soup_server_message_get_remote_host(msg));
	r->req.client = r->client ? r->client : "?";
	GUri *uri = soup_server_message_get_uri(msg);
	/* A path that decodes to a NUL or a '/' inside a name is nobody's. */
	r->path = g_uri_unescape_string(g_uri_get_path(uri), "/");
	if (!r->path || r->path[0] != '/') {
		g_free(r->path);
		r->path = g_strdup("/");
		r->req.path = r->path;
		sipcid_web_reply_error(&r->req, SOUP_STATUS_BAD_REQUEST, "That address is not valid.");
		return;
	}
	r->req.path = r->path;
	if (g_uri_get_query(uri))
		r->req.query = soup_form_decode(g_uri_get_query(uri));
	r->session = find_session(srv, msg);
	bool safe = is_safe_method(r->req.method);
	if (!safe && !origin_ok(srv, msg)) {
		sipcid_log_warnx("%s: refused %s %s from another site", r->req.client, r->req.method,
		                 r->path);
		sipcid_web_reply_error(&r->req, SOUP_STATUS_FORBIDDEN,
		                       "Refused: the request came from another site.");
		return;
	}
	if (!safe)
		decode_body(r);
	if (sipcid_web_server_login_routes(r))
		return;
	if (g_str_has_prefix(r->path, "/public/")) {
		if (safe)
			sipcid_web_server_static(r, r->path);
		else
			sipcid_web_reply_error(&r->req, SOUP_STATUS_METHOD_NOT_ALLOWED,
			                       "This address does not take that method.");
		return;
	}
	bool api = g_str_has_prefix(r->path, "/api/");
	if (!r->session) {
		if (!api && safe)
			sipcid_web_server_redirect(msg, "/login");
		else
			sipcid_web_reply_error(&r->req, SOUP_STATUS_UNAUTHORIZED, "Please log in.");
		return;
	}
	if (!safe) {
		SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
		if (!sipcid_web_session_csrf_ok(r->session,
		                                soup_message_headers_get_one(h, "X-CSRF-Token"))) {
			sipcid_log_warnx("%s: refused %s %s without the session's CSRF token",
			                 r->req.client, r->req.method, r->path);
			sipcid_web_reply_error(&r->req, SOUP_STATUS_FORBIDDEN,
			                       "Refused: the page's security token is missing or old. "
			                       "Reload the page.");
			return;
		}
	}
	if (sipcid_web_server_session_routes(r))
		return;
	if (api)
		dispatch_api(r);
	else if (safe)
		sipcid_web_server_static(r, r->path);
	else
		sipcid_web_reply_error(&r->req, SOUP_STATUS_METHOD_NOT_ALLOWED,
		                       "This address does not take that method.");
}

struct sipcid_web_server *sipcid_web_server_new(const struct sipcid_web_settings *s,
                                                struct sipcid_web_context *ctx,
                                                GError **error)
{
	g_autoptr(GTlsCertificate) cert = NULL;
	if (s->tls) {
		cert = g_tls_certificate_new_from_files(s->certificate, s->key, error);
		if (!cert) {
			g_prefix_error(error, "cannot load the certificate %s and key %s (make them with "
			               "sipcid-web --make-certificate, or set [web] certificate and key): ",
			               s->certificate, s->key);
			return NULL;
		}
	}
	char *dir = realpath(s->static_dir, NULL);
	if (!dir || !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            "the pages' directory %s is missing ([web] static-dir)", s->static_dir);
		free(dir);
		return NULL;
	}
	struct sipcid_web_server *srv = g_new0(struct sipcid_web_server, 1);
	srv->static_dir = g_strdup(dir);
	free(dir);
	srv->ctx = ctx;
	srv->tls = s->tls;
	srv->session_hours = s->session_hours;
	srv->password_file = g_strdup(s->password_file);
	srv->sessions = sipcid_web_sessions_new(s->session_hours * 3600);
	srv->limit = sipcid_web_auth_limit_new(s->login_attempts, s->lockout_minutes * 60);
	srv->soup = soup_server_new("server-header", "sipcid-web", "tls-certificate", cert, NULL);
	soup_server_add_early_handler(srv->soup, NULL, early_handler, srv, NULL);
	soup_server_add_handler(srv->soup, NULL, handler, srv, NULL);
	return srv;
}

bool sipcid_web_server_listen(struct sipcid_web_server *srv, GPtrArray *addresses,
                              GError **error)
{
	SoupServerListenOptions opts = srv->tls ? SOUP_SERVER_LISTEN_HTTPS : 0;
	for (guint i = 0; i < addresses->len; i++) {
		GSocketAddress *a = addresses->pdata[i];
		if (g_inet_address_get_is_any(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(a))))
			sipcid_log_warnx("[web] listen names every address: on a box with a WAN port "
			                 "the console is offered to the internet");
		if (!soup_server_listen(srv->soup, a, opts, error)) {
			g_autofree char *text = g_socket_connectable_to_string(G_SOCKET_CONNECTABLE(a));
			g_prefix_error(error, "cannot listen on %s: ", text);
			return false;
		}
	}
	return true;
}

char *sipcid_web_server_urls(struct sipcid_web_server *srv)
{
	GString *out = g_string_new(NULL);
	GSList *uris = soup_server_get_uris(srv->soup);
	for (GSList *u = uris; u; u = u->next) {
		g_autofree char *s = g_uri_to_string(u->data);
		g_string_append_printf(out, "%s%s", out->len ? " " : "", s);
	}
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
	return g_string_free(out, FALSE);
}

void sipcid_web_server_free(struct sipcid_web_server *srv)
{
	if (!srv)
		return;
	soup_server_disconnect(srv->soup);
	g_object_unref(srv->soup);
	sipcid_web_sessions_free(srv->sessions);
	sipcid_web_auth_limit_free(srv->limit);
	g_free(srv->static_dir);
	g_free(srv->password_file);
	g_free(srv);
}
