/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sending webhook requests with libsoup (webhook.h). */
#include "webhook.h"

#include "event_format.h"
#include "log.h"

#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

/* Live mode stops within this many seconds even with requests pending. */
enum { CLOSE_WAIT_LIVE_S = 3, BACKOFF_MAX_S = 300 };

/* One event's request, rendered when the event came. */
struct job {
	char *url;
	GPtrArray *headers;  /* name, value, name, value... */
	GBytes *body;        /* NULL for GET */
	char *what;          /* for the log: "call event of CALL-ID" */
	int attempts;
};

struct webhook {
	struct sipcid_output out;
	GPtrArray *all;                          /* a reference: s lives in it */
	const struct sipcid_webhook_settings *s;
	bool replay;
	GMainContext *context;
	SoupSession *session;
	GQueue jobs;                             /* struct job *; the head is being sent */
	SoupMessage *msg;                        /* the head's attempt in flight */
	GCancellable *cancel;
	GSource *retry;                          /* the head waits to be sent (again) */
	bool dropping;                           /* the queue overflowed; logged once */
	struct sipcid_webhook_stats st;
};

static const char *const method_names[] = { "POST", "PUT", "GET" };

static void job_free(struct job *j)
{
	g_free(j->url);
	g_ptr_array_unref(j->headers);
	if (j->body)
		g_bytes_unref(j->body);
	g_free(j->what);
	g_free(j);
}

/* A template filled for the event: a call (call set) or a line event. */
static void fill(const struct sipcid_webhook_template *t, const struct sipcid_call *call,
                 const struct sipcid_line_event *ev, GString *out)
{
	if (call)
		sipcid_webhook_template_render(t, call, out);
	else
		sipcid_webhook_template_render_line(t, ev, out);
}

static struct job *render(const struct webhook *w, const struct sipcid_call *call,
                          const struct sipcid_line_event *ev)
{
	const struct sipcid_webhook_settings *s = w->s;
	struct job *j = g_new0(struct job, 1);
	GString *buf = g_string_sized_new(512);
	fill(s->url, call, ev, buf);
	j->url = g_strdup(buf->str);
	j->headers = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < s->headers->len; i++) {
		const struct sipcid_webhook_header *h = s->headers->pdata[i];
		g_string_truncate(buf, 0);
		fill(h->value, call, ev, buf);
		g_ptr_array_add(j->headers, g_strdup(h->name));
		g_ptr_array_add(j->headers, g_strdup(buf->str));
	}
	if (s->method != SIPCID_WEBHOOK_GET) {
		g_string_truncate(buf, 0);
		if (s->body)
			fill(s->body, call, ev, buf);
		else if (call)
			sipcid_event_json(buf, call);
		else
			sipcid_line_event_json(buf, ev);
		j->body = g_string_free_to_bytes(g_steal_pointer(&buf));
	}
	if (call)
		j->what = g_strdup_printf("%s event of call %s",
		                          call->kind == SIPCID_EVENT_UPDATE ?
		                                  sipcid_call_state_name(call->state) : "call",
		                          call->call_id);
	else
		j->what = g_strdup_printf("%s event", sipcid_line_event_kind_name(ev->kind));
	if (buf)
		g_string_free(buf, TRUE);
	return j;
}

static gboolean accept_any_certificate(SoupMessage *msg, GTlsCertificate *cert,
                                       GTlsCertificateFlags errors, gpointer data)
{
	(void)msg;
	(void)cert;
	(void)errors;
	(void)data;
	return TRUE;
}

/* libsoup writes the headers and the body apart; with Nagle's algorithm the
 * body then waits for the server's delayed ACK, 40 ms on Linux, on every
 * request of a kept-alive connection. */
static void on_network_event(SoupMessage *msg, GSocketClientEvent event, GIOStream *conn,
                             gpointer data)
{
	(void)msg;
	(void)data;
	if (event != G_SOCKET_CLIENT_CONNECTED || !G_IS_SOCKET_CONNECTION(conn))
		return;
	GSocket *sock = g_socket_connection_get_socket(G_SOCKET_CONNECTION(conn));
	g_socket_set_option(sock, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static void send_head(struct webhook *w);

static gboolean on_send_later(gpointer data)
{
	struct webhook *w = data;
	g_source_unref(w->retry);
	w->retry = NULL;
	send_head(w);
	return G_SOURCE_REMOVE;
}

/* From the main loop: after ms, or when it is idle (ms 0). */
static void send_later(struct webhook *w, guint ms)
{
	w->retry = ms ? g_timeout_source_new(ms) : g_idle_source_new();
	g_source_set_callback(w->retry, on_send_later, w, NULL);
	g_source_attach(w->retry, w->context);
}

static void next(struct webhook *w)
{
	job_free(g_queue_pop_head(&w->jobs));
	if (g_queue_get_length(&w->jobs) * 2 <= (guint)w->s->queue)
		w->dropping = false;
	if (g_queue_is_empty(&w->jobs))
		return;
	/* Once libsoup has put the connection back in its pool: started from
	 * here, each request opened a new connection. */
	send_later(w, 0);
}

/* Whether trying again could help: the server was away, slow or busy. */
static bool retryable(const GError *err, guint status)
{
	if (err)
		return !g_error_matches(err, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) &&
		       !g_error_matches(err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	return status >= 500 || status == 408 || status == 429;
}

static void failed(struct webhook *w, struct job *j, const GError *err, guint status,
                   const char *reason)
{
	w->st.failed++;
	g_autofree char *why = err ? g_strdup(err->message) :
	                             g_strdup_printf("HTTP %u %s", status, reason ? reason : "");
	if (err && g_error_matches(err, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)) {
		g_free(why);
		why = g_strdup_printf("the server's TLS certificate is not trusted (%s); name its CA "
		                      "in ca-file, or set tls-verify = false", err->message);
	}
	int attempts = w->s->retries + 1;
	if (retryable(err, status) && j->attempts < attempts) {
		guint delay = 1u << MIN(j->attempts - 1, 8);
		delay = MIN(delay, BACKOFF_MAX_S);
		sipcid_log_warnx("webhook %s: attempt %d of %d for the %s failed: %s; trying again "
		                 "in %u s", w->s->name, j->attempts, attempts, j->what, why, delay);
		w->st.retried++;
		send_later(w, delay * 1000);  /* not _seconds: those may fire up to 1 s early */
		return;
	}
	w->st.given_up++;
	sipcid_log_warnx("webhook %s: gave up on the %s after %d attempt%s: %s", w->s->name, j->what,
	                 j->attempts, j->attempts == 1 ? "" : "s", why);
	next(w);
}

static void on_sent(GObject *source, GAsyncResult *res, gpointer data)
{
	struct webhook *w = data;
	GError *err = NULL;
	GBytes *reply = soup_session_send_and_read_finish(SOUP_SESSION(source), res, &err);
	SoupMessage *msg = g_steal_pointer(&w->msg);
	struct job *j = g_queue_peek_head(&w->jobs);
	guint status = soup_message_get_status(msg);
	if (reply)
		g_bytes_unref(reply);
	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* Closing: webhook_close counts what is left. */
	} else if (!err && SOUP_STATUS_IS_SUCCESSFUL(status)) {
		w->st.sent++;
		next(w);
	} else {
		failed(w, j, err, status, soup_message_get_reason_phrase(msg));
	}
	g_clear_error(&err);
	g_object_unref(msg);
}

static void send_head(struct webhook *w)
{
	struct job *j = g_queue_peek_head(&w->jobs);
	j->attempts++;
	GError *err = NULL;
	GUri *uri = g_uri_parse(j->url, SOUP_HTTP_URI_FLAGS, &err);
	if (!uri) {
		/* Only the fields can make it so: the template was checked at load. */
		failed(w, j, err, 0, NULL);
		g_error_free(err);
		return;
	}
	w->msg = soup_message_new_from_uri(method_names[w->s->method], uri);
	g_uri_unref(uri);
	SoupMessageHeaders *h = soup_message_get_request_headers(w->msg);
	for (guint i = 0; i + 1 < j->headers->len; i += 2)
		soup_message_headers_replace(h, j->headers->pdata[i], j->headers->pdata[i + 1]);
	if (j->body)
		soup_message_set_request_body_from_bytes(w->msg, w->s->content_type, j->body);
	/* libsoup opens a new connection for every POST unless told that sending
	 * it twice is harmless. It is here: delivery is at least once anyway
	 * (a retry after a lost answer sends the event again). Reusing the
	 * connection halved the CPU per event (docs/webhooks.md, "Cost"). */
	soup_message_add_flags(w->msg, SOUP_MESSAGE_IDEMPOTENT);
	g_signal_connect(w->msg, "network-event", G_CALLBACK(on_network_event), NULL);
	if (!w->s->tls_verify)
		g_signal_connect(w->msg, "accept-certificate", G_CALLBACK(accept_any_certificate), NULL);
	soup_session_send_and_read_async(w->session, w->msg, G_PRIORITY_DEFAULT, w->cancel, on_sent, w);
}

static void push(struct webhook *w, const struct sipcid_call *call,
                 const struct sipcid_line_event *ev)
{
	/* A replay has no packet path to keep moving: it waits for room. */
	while (w->replay && g_queue_get_length(&w->jobs) >= (guint)w->s->queue)
		g_main_context_iteration(w->context, TRUE);
	if (g_queue_get_length(&w->jobs) >= (guint)w->s->queue) {
		w->st.dropped++;
		if (!w->dropping)
			sipcid_log_warnx("webhook %s: the queue is full (%d event%s waiting to be sent); "
			                 "newer events are dropped until it is half empty", w->s->name,
			                 w->s->queue, w->s->queue == 1 ? "" : "s");
		w->dropping = true;
		return;
	}
	g_queue_push_tail(&w->jobs, render(w, call, ev));
	if (g_queue_get_length(&w->jobs) == 1)
		send_head(w);
}

static void webhook_emit(void *ctx, const struct sipcid_call *call)
{
	struct webhook *w = ctx;
	if (sipcid_webhook_settings_wants(w->s->events, call))
		push(w, call, NULL);
}

static void webhook_emit_line(void *ctx, const struct sipcid_line_event *ev)
{
	struct webhook *w = ctx;
	if (sipcid_webhook_settings_wants_line(w->s->events, ev))
		push(w, NULL, ev);
}

static gboolean flag_deadline(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

static void webhook_close(void *ctx)
{
	struct webhook *w = ctx;
	/* A replay sends everything (each attempt is bounded by the timeout);
	 * live mode gives pending events a few seconds. */
	bool deadline = false;
	GSource *d = NULL;
	if (!w->replay) {
		d = g_timeout_source_new_seconds(CLOSE_WAIT_LIVE_S);
		g_source_set_callback(d, flag_deadline, &deadline, NULL);
		g_source_attach(d, w->context);
	}
	while (!deadline && !g_queue_is_empty(&w->jobs))
		g_main_context_iteration(w->context, TRUE);
	if (d) {
		g_source_destroy(d);
		g_source_unref(d);
	}
	if (w->retry) {
		g_source_destroy(w->retry);
		g_source_unref(w->retry);
		w->retry = NULL;
	}
	g_cancellable_cancel(w->cancel);
	/* A cancelled request still calls back; wait for it before freeing. */
	while (w->msg)
		g_main_context_iteration(w->context, TRUE);
	guint left = g_queue_get_length(&w->jobs);
	if (left) {
		w->st.dropped += left;
		sipcid_log_warnx("webhook %s: %u event%s not sent: sipcidd is stopping", w->s->name,
		                 left, left == 1 ? "" : "s");
	}
	g_queue_clear_full(&w->jobs, (GDestroyNotify)job_free);
	g_object_unref(w->cancel);
	g_object_unref(w->session);
	g_main_context_unref(w->context);
	g_ptr_array_unref(w->all);
	g_free(w);
}

static SoupSession *new_session(const struct sipcid_webhook_settings *s)
{
	SoupSession *session = soup_session_new_with_options("timeout", (guint)s->timeout_s,
	                                                     "user-agent", "sipcid/" SIPCID_VERSION,
	                                                     NULL);
	if (s->ca_file) {
		GError *err = NULL;
		GTlsDatabase *db = g_tls_file_database_new(s->ca_file, &err);
		if (db) {
			soup_session_set_tls_database(session, db);
			g_object_unref(db);
		} else {
			/* Nothing will be trusted: every https request is refused and logged. */
			sipcid_log_warnx("webhook %s: ca-file %s: %s", s->name, s->ca_file, err->message);
			g_error_free(err);
		}
	}
	return session;
}

static void log_start(const struct sipcid_webhook_settings *s)
{
	/* The host only: a URL's path or query often holds a token. */
	GString *url = g_string_new(NULL);
	struct sipcid_call none = { 0 };
	sipcid_webhook_template_render(s->url, &none, url);
	GUri *uri = g_uri_parse(url->str, G_URI_FLAGS_NONE, NULL);
	sipcid_log_info("webhook %s: %s to %s://%s%s", s->name, method_names[s->method],
	                uri ? g_uri_get_scheme(uri) : "?", uri ? g_uri_get_host(uri) : "?",
	                s->ca_file ? ", trusting the CAs in ca-file" : "");
	if (uri)
		g_uri_unref(uri);
	g_string_free(url, TRUE);
	if (!s->tls_verify)
		sipcid_log_warnx("webhook %s: TLS certificates are NOT checked (tls-verify = false): "
		                 "anyone on the way can read and change its requests", s->name);
}

void sipcid_webhook_open(GPtrArray *settings, bool replay, GPtrArray *outputs)
{
	for (guint i = 0; settings && i < settings->len; i++) {
		struct webhook *w = g_new0(struct webhook, 1);
		w->all = g_ptr_array_ref(settings);
		w->s = settings->pdata[i];
		w->replay = replay;
		w->context = g_main_context_ref_thread_default();
		w->session = new_session(w->s);
		w->cancel = g_cancellable_new();
		g_queue_init(&w->jobs);
		w->out.name = "webhook";
		w->out.ctx = w;
		w->out.emit = webhook_emit;
		w->out.close = webhook_close;
		w->out.emit_line = webhook_emit_line;
		log_start(w->s);
		g_ptr_array_add(outputs, &w->out);
	}
}

const char *sipcid_webhook_name(const struct sipcid_output *out)
{
	const struct webhook *w = out->ctx;
	return w->s->name;
}

void sipcid_webhook_get_stats(const struct sipcid_output *out, struct sipcid_webhook_stats *st)
{
	const struct webhook *w = out->ctx;
	*st = w->st;
	st->queued = g_queue_get_length((GQueue *)&w->jobs);
}
