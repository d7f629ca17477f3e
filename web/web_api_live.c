/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Calls in progress for the live page (docs/web-api.md, "Live"):
 *   GET /api/live           server-sent events from sipcidd's `watch`
 *   POST /api/live/record   `record CALL-ID on|off`
 *
 * One `watch` connection to sipcidd serves every open page. This file keeps
 * the calls in progress from what it reads (sipcidd's snapshot, then every
 * event), so a page that opens later gets its snapshot at once. When sipcidd
 * restarts, the connection is made again with a growing pause (0.5 s to
 * 10 s), and the new snapshot goes to every page. A page that does not read
 * (256 KiB behind) is cut off; the browser's EventSource connects again. */
#include "web_api.h"

#include "control_client.h"
#include "event_format.h"
#include "log.h"

#include <json-glib/json-glib.h>
#include <string.h>

enum {
	CLIENTS_MAX = 16,
	CLIENT_BEHIND_MAX = 256 * 1024,
	KEEPALIVE_SECONDS = 15,
	BACKOFF_FIRST_MS = 500,
	BACKOFF_LAST_MS = 10000,
};

struct client {
	SoupServerMessage *msg;
	guint64 appended, written;
	gulong on_finished, on_wrote;
};

struct tracked {
	char *json;     /* the call's last event, as sipcidd wrote it */
	guint64 seq;    /* arrival order, for the snapshot */
};

static struct {
	char *control_path;
	GSocketConnection *conn;
	GDataInputStream *in;
	GCancellable *cancel;
	bool connecting;
	guint retry_src, backoff_ms;
	bool have_snapshot;
	GHashTable *calls;         /* call_id → struct tracked * */
	guint64 seq;
	GPtrArray *clients;        /* struct client * */
	guint keepalive_src;
} L;

static void tracked_free(gpointer p)
{
	struct tracked *t = p;
	g_free(t->json);
	g_free(t);
}

static void drop_client(struct client *c)
{
	if (!g_ptr_array_remove(L.clients, c))
		return;
	g_signal_handler_disconnect(c->msg, c->on_finished);
	g_signal_handler_disconnect(c->msg, c->on_wrote);
	g_object_unref(c->msg);
	g_free(c);
}

static void on_finished(SoupServerMessage *msg, gpointer data)
{
	(void)msg;
	drop_client(data);
}

static void on_wrote(SoupServerMessage *msg, guint size, gpointer data)
{
	(void)msg;
	struct client *c = data;
	c->written += size;
}

/* Appends to one page's stream; a page too far behind is cut off. */
static void send_to(struct client *c, const char *text, size_t len)
{
	if (c->appended - c->written + len > CLIENT_BEHIND_MAX) {
		sipcid_log_info("live page of %s cut off: it does not read its events",
		                soup_server_message_get_remote_host(c->msg));
		GSocket *sock = soup_server_message_get_socket(c->msg);
		if (sock)
			g_socket_shutdown(sock, TRUE, TRUE, NULL);  /* libsoup ends the message */
		drop_client(c);
		return;
	}
	SoupMessageBody *body = soup_server_message_get_response_body(c->msg);
	soup_message_body_append(body, SOUP_MEMORY_COPY, text, len);
	c->appended += len;
	soup_server_message_unpause(c->msg);
}

static void send_all(const GString *ev)
{
	for (guint i = L.clients->len; i-- > 0;)
		send_to(L.clients->pdata[i], ev->str, ev->len);
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
	const struct tracked *x = *(const struct tracked *const *)a;
	const struct tracked *y = *(const struct tracked *const *)b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static GString *snapshot_event(void)
{
	GPtrArray *all = g_ptr_array_new();
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, L.calls);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(all, value);
	g_ptr_array_sort(all, by_seq);
	GString *ev = g_string_new("event: snapshot\ndata: {\"calls\":[");
	for (guint i = 0; i < all->len; i++) {
		if (i)
			g_string_append_c(ev, ',');
		g_string_append(ev, ((struct tracked *)all->pdata[i])->json);
	}
	g_string_append(ev, "]}\n\n");
	g_ptr_array_unref(all);
	return ev;
}

static void keep_call(JsonObject *o, const char *json)
{
	const char *id = json_object_get_string_member_with_default(o, "call_id", NULL);
	const char *state = json_object_get_string_member_with_default(o, "state", "");
	if (!id)
		return;
	if (strcmp(state, "ringing") && strcmp(state, "answered")) {
		g_hash_table_remove(L.calls, id);
		return;
	}
	struct tracked *t = g_new0(struct tracked, 1);
	t->json = g_strdup(json);
	struct tracked *old = g_hash_table_lookup(L.calls, id);
	t->seq = old ? old->seq : ++L.seq;
	g_hash_table_replace(L.calls, g_strdup(id), t);
}

/* One line from sipcidd: the snapshot, a call event or a line event. */
static void take_line(const char *line)
{
	g_autoptr(JsonParser) p = json_parser_new();
	if (!json_parser_load_from_data(p, line, -1, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
		return;
	JsonObject *o = json_node_get_object(json_parser_get_root(p));
	if (json_object_has_member(o, "snapshot")) {
		JsonArray *calls = json_object_get_array_member(o, "snapshot");
		g_hash_table_remove_all(L.calls);
		for (guint i = 0; calls && i < json_array_get_length(calls); i++) {
			JsonNode *n = json_array_get_element(calls, i);
			if (!JSON_NODE_HOLDS_OBJECT(n))
				continue;
			g_autofree char *text = json_to_string(n, FALSE);
			keep_call(json_node_get_object(n), text);
		}
		L.have_snapshot = true;
		L.backoff_ms = 0;
		g_autoptr(GString) ev = snapshot_event();
		send_all(ev);
		return;
	}
	const char *kind = json_object_get_string_member_with_default(o, "event", "");
	bool about_line = !strcmp(kind, "line") || !strcmp(kind, "voicemail");
	if (!about_line)
		keep_call(o, line);
	g_autoptr(GString) ev = g_string_new(NULL);
	/* sipcidd's JSON is one line: no newline can end the data early. */
	g_string_printf(ev, "event: %s\ndata: %s\n\n", about_line ? "line" : "call", line);
	send_all(ev);
}

static void connect_watch(void);

static gboolean retry(gpointer data)
{
	(void)data;
	L.retry_src = 0;
	connect_watch();
	return G_SOURCE_REMOVE;
}

/* sipcidd went away (or refused): forget what it said and try again later. */
static void lost(const char *why)
{
	if (L.have_snapshot || !L.backoff_ms)
		sipcid_log_info("live calls: %s; trying again", why);
	else
		sipcid_log_debug("live calls: %s", why);
	g_clear_object(&L.in);
	if (L.conn)
		g_io_stream_close(G_IO_STREAM(L.conn), NULL, NULL);
	g_clear_object(&L.conn);
	g_clear_object(&L.cancel);
	L.connecting = false;
	L.have_snapshot = false;
	g_hash_table_remove_all(L.calls);
	L.backoff_ms = L.backoff_ms ? MIN(L.backoff_ms * 2, BACKOFF_LAST_MS) : BACKOFF_FIRST_MS;
	if (!L.retry_src)
		L.retry_src = g_timeout_add(L.backoff_ms, retry, NULL);
}

static void on_line(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)data;
	GError *err = NULL;
	gsize len;
	char *line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(src), res, &len,
	                                                       &err);
	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_error_free(err);
		return;
	}
	if (!line) {
		lost(err ? err->message : "sipcidd closed the connection");
		g_clear_error(&err);
		return;
	}
	if (g_str_has_prefix(line, "error:"))
		sipcid_log_warnx("live calls: sipcidd says %s", line);
	else
		take_line(line);
	g_free(line);
	g_data_input_stream_read_line_async(L.in, G_PRIORITY_DEFAULT, L.cancel, on_line, NULL);
}

static void on_open(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	(void)data;
	GError *err = NULL;
	GSocketConnection *conn = sipcid_control_client_open_finish(res, &err);
	if (!conn) {
		bool cancelled = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		if (!cancelled)
			lost(err->message);
		g_error_free(err);
		return;
	}
	L.connecting = false;
	L.conn = conn;
	L.in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(conn)));
	g_data_input_stream_set_newline_type(L.in, G_DATA_STREAM_NEWLINE_TYPE_LF);
	g_data_input_stream_read_line_async(L.in, G_PRIORITY_DEFAULT, L.cancel, on_line, NULL);
}

static void connect_watch(void)
{
	if (L.conn || L.connecting)
		return;
	L.connecting = true;
	L.cancel = g_cancellable_new();
	sipcid_control_client_open_async(L.control_path, "watch", L.cancel, on_open, NULL);
}

static gboolean keepalive(gpointer data)
{
	(void)data;
	static const char comment[] = ": keep-alive\n\n";
	for (guint i = L.clients->len; i-- > 0;)
		send_to(L.clients->pdata[i], comment, sizeof comment - 1);
	return G_SOURCE_CONTINUE;
}

static void setup(const struct sipcid_web_context *ctx)
{
	if (L.clients)
		return;
	L.control_path = g_strdup(ctx->control_path);
	L.calls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, tracked_free);
	L.clients = g_ptr_array_new();
	L.keepalive_src = g_timeout_add_seconds(KEEPALIVE_SECONDS, keepalive, NULL);
}

static void live_events(struct sipcid_web_request *req)
{
	setup(req->ctx);
	if (L.clients->len >= CLIENTS_MAX) {
		sipcid_web_reply_error(req, SOUP_STATUS_SERVICE_UNAVAILABLE,
		                       "Too many live pages are open; close one and reload.");
		return;
	}
	SoupServerMessage *msg = req->msg;
	SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
	soup_message_headers_set_encoding(h, SOUP_ENCODING_CHUNKED);
	soup_message_headers_set_content_type(h, "text/event-stream", NULL);
	soup_message_headers_replace(h, "Cache-Control", "no-store");
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	struct client *c = g_new0(struct client, 1);
	c->msg = g_object_ref(msg);
	c->on_finished = g_signal_connect(msg, "finished", G_CALLBACK(on_finished), c);
	c->on_wrote = g_signal_connect(msg, "wrote-body-data", G_CALLBACK(on_wrote), c);
	g_ptr_array_add(L.clients, c);
	static const char hello[] = "retry: 2000\n\n";
	send_to(c, hello, sizeof hello - 1);
	if (L.have_snapshot) {
		g_autoptr(GString) ev = snapshot_event();
		send_to(c, ev->str, ev->len);
	}
	connect_watch();
}

/* POST /api/live/record: the answer comes back asynchronously. */
static void on_recorded(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	/* The request lives as long as its message, which this holds. */
	struct sipcid_web_request *req = data;
	SoupServerMessage *msg = req->msg;
	GError *err = NULL;
	g_autofree char *answer = sipcid_control_client_request_finish(res, &err);
	if (!answer) {
		sipcid_web_reply_error(req, SOUP_STATUS_SERVICE_UNAVAILABLE, err->message);
		g_error_free(err);
	} else if (g_str_has_prefix(answer, "ok:")) {
		GString *body = g_string_new("{\"ok\": true, \"message\": ");
		g_autofree char *words = g_strstrip(g_strdup(answer + 3));
		sipcid_event_json_string(body, words, false);
		g_string_append(body, "}");
		sipcid_web_reply_json(req, SOUP_STATUS_OK, body);
	} else {
		g_autofree char *words = g_strstrip(g_strdup(g_str_has_prefix(answer, "error:")
		                                             ? answer + 6 : answer));
		sipcid_web_reply_error(req, SOUP_STATUS_CONFLICT, words);
	}
	soup_server_message_unpause(msg);
	g_object_unref(msg);
}

static void live_record(struct sipcid_web_request *req)
{
	const char *call_id = sipcid_web_param(req, "call_id");
	const char *on = sipcid_web_param(req, "on");
	if (!sipcid_control_client_call_id_ok(call_id)) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       "That is not a call's identifier.");
		return;
	}
	if (!on || (strcmp(on, "1") && strcmp(on, "0"))) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Expected on=1 or on=0.");
		return;
	}
	g_autofree char *cmd = g_strdup_printf("record %s %s", call_id, *on == '1' ? "on" : "off");
	soup_server_message_pause(req->msg);
	g_object_ref(req->msg);
	sipcid_control_client_request_async(req->ctx->control_path, cmd, NULL, on_recorded, req);
}

const struct sipcid_web_route sipcid_web_api_live_routes[] = {
	{ "GET", "/api/live", live_events },
	{ "POST", "/api/live/record", live_record },
	{ NULL, NULL, NULL },
};
