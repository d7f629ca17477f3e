/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The GNTP output. Each configured host has its own queue and at most one
 * request in flight: connect, send REGISTER (when the host has not accepted
 * one since the last failure) or NOTIFY, read the reply, close — GNTP
 * servers close after answering. Everything is asynchronous with a timeout,
 * so a host that is down, unreachable or silent delays nothing else; after a
 * failure the host is retried with a growing pause, and notifications older
 * than a minute are dropped, because a popup for a call long gone helps
 * nobody. */
#include "announce.h"
#include "announce_text.h"
#include "gntp_message.h"
#include "log.h"

#include <gio/gio.h>
#include <string.h>

enum {
	QUEUE_MAX = 16,
	MAX_AGE_S = 60,
	MAX_BACKOFF_S = 30,
	REPLY_MAX = 16384,
	MAX_ATTEMPTS = 3,
	CLOSE_FLUSH_MAX_S = 5,
};

struct job {
	GBytes *request;
	bool is_register;
	int64_t queued_us;
	int attempts;
};

struct announce_gntp;

struct host {
	struct announce_gntp *g;
	char *name;
	uint16_t port;
	GQueue jobs;
	bool registered;
	/* the request in flight */
	struct job *current;
	GCancellable *cancel;
	GSocketConnection *conn;
	GSource *timeout;
	bool timed_out;
	GByteArray *reply;
	guint8 chunk[1024];
	/* after a failure */
	unsigned failures;
	GSource *retry;
	char *last_error;
};

struct announce_gntp {
	struct sipcid_output out;
	GMainContext *context;
	GSocketClient *client;
	GPtrArray *hosts;
	char *password;
	enum gntp_hash hash;
	int timeout_s;
	bool closing;       /* failures while closing are expected, not news */
	int priority[SIPCID_ANNOUNCE_TYPES];
	bool sticky[SIPCID_ANNOUNCE_TYPES];
};

static void pump(struct host *h);

static void job_free(struct job *j)
{
	if (!j)
		return;
	g_bytes_unref(j->request);
	g_free(j);
}

static struct job *job_new(GBytes *req, bool is_register)
{
	struct job *j = g_new0(struct job, 1);
	j->request = req;
	j->is_register = is_register;
	j->queued_us = g_get_monotonic_time();
	return j;
}

static void destroy_source(GSource **src)
{
	if (*src) {
		g_source_destroy(*src);
		g_source_unref(*src);
		*src = NULL;
	}
}

static void report(struct host *h, const char *msg)
{
	if (!g_strcmp0(h->last_error, msg))
		return;
	g_free(h->last_error);
	h->last_error = g_strdup(msg);
	if (h->g->closing)
		return;
	if (msg)
		sipcid_log_warnx("[notify] gntp %s:%u: %s", h->name, h->port, msg);
	else
		sipcid_log_info("[notify] gntp %s:%u: reachable again", h->name, h->port);
}

/* Ends the request in flight, successfully or not, and frees its resources. */
static void end_request(struct host *h)
{
	destroy_source(&h->timeout);
	g_clear_object(&h->cancel);
	if (h->conn) {
		g_io_stream_close(G_IO_STREAM(h->conn), NULL, NULL);
		g_clear_object(&h->conn);
	}
	if (h->reply) {
		g_byte_array_unref(h->reply);
		h->reply = NULL;
	}
	h->timed_out = false;
}

static gboolean retry_now(gpointer data)
{
	struct host *h = data;
	destroy_source(&h->retry);
	pump(h);
	return G_SOURCE_REMOVE;
}

static void fail(struct host *h, const char *what, const GError *err)
{
	g_autofree char *msg = h->timed_out
		? g_strdup_printf("no answer within %d s (%s)", h->g->timeout_s, what)
		: g_strdup_printf("%s%s%s", what, err ? ": " : "", err ? err->message : "");
	report(h, msg);
	end_request(h);
	struct job *j = g_steal_pointer(&h->current);
	if (j && !j->is_register && ++j->attempts < MAX_ATTEMPTS)
		g_queue_push_head(&h->jobs, j);
	else
		job_free(j);
	h->registered = false; /* it may have restarted and forgotten us */
	h->failures++;
	guint pause = MIN(1u << MIN(h->failures, 5u), (guint)MAX_BACKOFF_S);
	h->retry = g_timeout_source_new_seconds(pause);
	g_source_set_callback(h->retry, retry_now, h, NULL);
	g_source_attach(h->retry, h->g->context);
}

static void succeed(struct host *h)
{
	report(h, NULL);
	end_request(h);
	struct job *j = g_steal_pointer(&h->current);
	if (j && j->is_register)
		h->registered = true;
	job_free(j);
	h->failures = 0;
	pump(h);
}

static void read_more(struct host *h);

static void on_read(GObject *src, GAsyncResult *res, gpointer data)
{
	struct host *h = data;
	g_autoptr(GError) err = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(src), res, &err);
	if (n < 0) {
		fail(h, "reading the reply failed", err);
		return;
	}
	g_byte_array_append(h->reply, h->chunk, (guint)n);
	int code = 0;
	enum gntp_reply r = sipcid_gntp_parse_reply((const char *)h->reply->data, h->reply->len, &code);
	if (r == GNTP_REPLY_INCOMPLETE) {
		if (n == 0) {
			fail(h, "the server closed the connection without answering", NULL);
		} else if (h->reply->len > REPLY_MAX) {
			fail(h, "the reply is too long", NULL);
		} else {
			read_more(h);
		}
		return;
	}
	if (r == GNTP_REPLY_GARBAGE) {
		fail(h, "the reply is not GNTP; is this a Growl listener?", NULL);
		return;
	}
	if (r == GNTP_REPLY_ERROR) {
		struct job *j = h->current;
		if ((code == 401 || code == 402) && !j->is_register && ++j->attempts < MAX_ATTEMPTS) {
			/* Unknown application or notification: register, then retry. */
			h->registered = false;
			h->current = NULL;
			g_queue_push_head(&h->jobs, j);
			end_request(h);
			pump(h);
			return;
		}
		g_autofree char *msg = g_strdup_printf("the server refused the %s (error %d%s)",
		                                       j->is_register ? "registration" : "notification",
		                                       code, code == 400 ? ", wrong gntp-password?" : "");
		report(h, msg);
		end_request(h);
		job_free(g_steal_pointer(&h->current));
		pump(h);
		return;
	}
	succeed(h);
}

static void read_more(struct host *h)
{
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(h->conn));
	g_input_stream_read_async(in, h->chunk, sizeof h->chunk, G_PRIORITY_DEFAULT, h->cancel,
	                          on_read, h);
}

static void on_written(GObject *src, GAsyncResult *res, gpointer data)
{
	struct host *h = data;
	g_autoptr(GError) err = NULL;
	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(src), res, NULL, &err)) {
		fail(h, "sending the request failed", err);
		return;
	}
	h->reply = g_byte_array_new();
	read_more(h);
}

static void on_connected(GObject *src, GAsyncResult *res, gpointer data)
{
	struct host *h = data;
	g_autoptr(GError) err = NULL;
	h->conn = g_socket_client_connect_finish(G_SOCKET_CLIENT(src), res, &err);
	if (!h->conn) {
		fail(h, "cannot connect", err);
		return;
	}
	/* One write: some servers (growl-for-linux) stop reading at the first
	 * recv that ends in a blank line, and REGISTER contains blank lines. */
	gsize len = 0;
	const void *p = g_bytes_get_data(h->current->request, &len);
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(h->conn));
	g_output_stream_write_all_async(out, p, len, G_PRIORITY_DEFAULT, h->cancel, on_written, h);
}

static gboolean on_timeout(gpointer data)
{
	struct host *h = data;
	h->timed_out = true;
	g_source_unref(h->timeout);
	h->timeout = NULL;
	g_cancellable_cancel(h->cancel);
	return G_SOURCE_REMOVE;
}

static GBytes *register_request(struct announce_gntp *g)
{
	return sipcid_gntp_register_request(SIPCID_ANNOUNCE_APP, sipcid_announce_type_names(), g->hash,
	                             g->password);
}

static void pump(struct host *h)
{
	if (h->current || h->retry)
		return;
	int64_t now = g_get_monotonic_time();
	while (!g_queue_is_empty(&h->jobs)) {
		struct job *j = g_queue_peek_head(&h->jobs);
		if (now - j->queued_us < MAX_AGE_S * G_USEC_PER_SEC)
			break;
		job_free(g_queue_pop_head(&h->jobs));
	}
	if (g_queue_is_empty(&h->jobs))
		return;
	if (!h->registered)
		h->current = job_new(register_request(h->g), true);
	else
		h->current = g_queue_pop_head(&h->jobs);

	h->cancel = g_cancellable_new();
	h->timeout = g_timeout_source_new_seconds((guint)h->g->timeout_s);
	g_source_set_callback(h->timeout, on_timeout, h, NULL);
	g_source_attach(h->timeout, h->g->context);
	g_autoptr(GSocketConnectable) addr = g_network_address_new(h->name, h->port);
	g_socket_client_connect_async(h->g->client, addr, h->cancel, on_connected, h);
}

static void gntp_emit(void *ctx, const struct sipcid_call *call)
{
	struct announce_gntp *g = ctx;
	enum sipcid_announce_type t = sipcid_announce_type_of(call);
	g_autoptr(GString) title = g_string_new(NULL);
	g_autoptr(GString) text = g_string_new(NULL);
	sipcid_announce_title(title, call);
	sipcid_announce_description(text, call);
	GBytes *req = sipcid_gntp_notify_request(SIPCID_ANNOUNCE_APP, sipcid_announce_type_name(t),
	                                  title->str, text->str, g->priority[t], g->sticky[t],
	                                  g->hash, g->password);
	g_main_context_push_thread_default(g->context);
	for (guint i = 0; i < g->hosts->len; i++) {
		struct host *h = g->hosts->pdata[i];
		if (g_queue_get_length(&h->jobs) >= QUEUE_MAX) {
			job_free(g_queue_pop_head(&h->jobs));
			report(h, "too many notifications waiting; dropping the oldest");
		}
		g_queue_push_tail(&h->jobs, job_new(g_bytes_ref(req), false));
		pump(h);
	}
	g_main_context_pop_thread_default(g->context);
	g_bytes_unref(req);
}

unsigned sipcid_announce_gntp_pending(const struct sipcid_output *out)
{
	const struct announce_gntp *g = out->ctx;
	unsigned n = 0;
	for (guint i = 0; i < g->hosts->len; i++) {
		const struct host *h = g->hosts->pdata[i];
		n += g_queue_get_length((GQueue *)&h->jobs) + (h->current ? 1 : 0);
	}
	return n;
}

static gboolean flag_deadline(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

static bool any_in_flight(struct announce_gntp *g)
{
	for (guint i = 0; i < g->hosts->len; i++)
		if (((struct host *)g->hosts->pdata[i])->current)
			return true;
	return false;
}

static void gntp_close(void *ctx)
{
	struct announce_gntp *g = ctx;
	/* Give queued notifications a bounded chance to leave (sipcidd --read
	 * closes right after the last call); hosts waiting to retry are not
	 * waited for. */
	bool deadline = false;
	GSource *d = g_timeout_source_new_seconds((guint)MIN(g->timeout_s, CLOSE_FLUSH_MAX_S));
	g_source_set_callback(d, flag_deadline, &deadline, NULL);
	g_source_attach(d, g->context);
	while (!deadline && any_in_flight(g))
		g_main_context_iteration(g->context, TRUE);
	g_source_destroy(d);
	g_source_unref(d);

	g->closing = true;
	for (guint i = 0; i < g->hosts->len; i++) {
		struct host *h = g->hosts->pdata[i];
		destroy_source(&h->retry);
		g_queue_clear_full(&h->jobs, (GDestroyNotify)job_free);
		if (h->cancel)
			g_cancellable_cancel(h->cancel);
	}
	/* Cancelled operations still call back; wait for them before freeing. */
	while (any_in_flight(g))
		g_main_context_iteration(g->context, TRUE);
	for (guint i = 0; i < g->hosts->len; i++) {
		struct host *h = g->hosts->pdata[i];
		destroy_source(&h->retry);
		g_queue_clear_full(&h->jobs, (GDestroyNotify)job_free);
		g_free(h->name);
		g_free(h->last_error);
		g_free(h);
	}
	g_ptr_array_unref(g->hosts);
	g_object_unref(g->client);
	g_main_context_unref(g->context);
	if (g->password)
		explicit_bzero(g->password, strlen(g->password));
	g_free(g->password);
	g_free(g);
}

struct sipcid_output *sipcid_announce_gntp_new(const struct sipcid_announce_settings *s,
                                               GError **error)
{
	(void)error;
	if (!s->gntp || s->gntp->len == 0)
		return NULL;
	struct announce_gntp *g = g_new0(struct announce_gntp, 1);
	g->context = g_main_context_ref_thread_default();
	g->client = g_socket_client_new();
	g->hosts = g_ptr_array_new();
	g->password = g_strdup(s->gntp_password ? s->gntp_password : "");
	g->hash = s->gntp_hash;
	g->timeout_s = s->gntp_timeout_s > 0 ? s->gntp_timeout_s : 5;
	memcpy(g->priority, s->priority, sizeof g->priority);
	memcpy(g->sticky, s->sticky, sizeof g->sticky);
	for (guint i = 0; i < s->gntp->len; i++) {
		const struct sipcid_announce_dest *d = &g_array_index(s->gntp, struct sipcid_announce_dest, i);
		struct host *h = g_new0(struct host, 1);
		h->g = g;
		h->name = g_strdup(d->host);
		h->port = d->port;
		g_queue_init(&h->jobs);
		g_ptr_array_add(g->hosts, h);
	}
	g->out.name = "announce-gntp";
	g->out.ctx = g;
	g->out.emit = gntp_emit;
	g->out.close = gntp_close;
	return &g->out;
}
