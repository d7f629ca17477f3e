/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Listen Live (docs/web-api.md, "Live"): GET /api/live/listen?call_id=ID
 * streams the call's audio as a WAV the browser plays as it comes: a header
 * that claims the longest length (a stream has none), then sipcidd's PCM
 * (`listen CALL-ID WHO`: 8000 Hz, 16-bit, stereo, left the far end) in
 * chunks as it arrives. sipcidd decides whether the call may be listened to
 * and logs every listen; sipcid-web refuses first when [web] listen-live is
 * off, and logs who asked. A browser more than 2 s of audio behind is cut
 * off, so a stalled tab never holds sipcidd's stream. */
#include "web_api.h"

#include "control_client.h"
#include "log.h"

#include <stdint.h>
#include <string.h>

enum {
	LISTENERS_MAX = 4,
	BEHIND_MAX = 2 * 8000 * 4,   /* two seconds of audio */
	FIRST_LINE_MAX = 1024,
	CHUNK = 4096,
};

struct listener {
	struct sipcid_web_request *req;  /* lives while msg does: this holds a reference */
	SoupServerMessage *msg;
	GCancellable *cancel;
	GSocketConnection *conn;
	GString *first;                  /* sipcidd's answer line, until it is complete */
	char buf[CHUNK];
	guint64 appended, written;
	gulong on_finished, on_wrote;
	bool streaming, done;
	bool gone;                       /* the message is over: never touch it again */
	char call_id[256];
};

static unsigned listening;

/* The 44-byte header of a PCM WAV whose length is not known: RIFF and data
 * sizes at their largest, which players read as "until the stream ends". */
static void wav_header(uint8_t h[44])
{
	static const uint8_t fixed[44] = {
		'R', 'I', 'F', 'F', 0xff, 0xff, 0xff, 0xff, 'W', 'A', 'V', 'E',
		'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 2, 0,
		0x40, 0x1f, 0, 0,          /* 8000 Hz */
		0x00, 0x7d, 0, 0,          /* 32000 bytes a second */
		4, 0, 16, 0,               /* 4 bytes a frame, 16 bits */
		'd', 'a', 't', 'a', 0xff, 0xff, 0xff, 0xff,
	};
	memcpy(h, fixed, sizeof fixed);
}

static void finish(struct listener *l)
{
	if (l->done)
		return;
	l->done = true;
	g_cancellable_cancel(l->cancel);
	g_signal_handler_disconnect(l->msg, l->on_finished);
	g_signal_handler_disconnect(l->msg, l->on_wrote);
	if (l->conn)
		g_io_stream_close(G_IO_STREAM(l->conn), NULL, NULL);
	listening--;
}

static void listener_free(struct listener *l)
{
	g_clear_object(&l->conn);
	g_clear_object(&l->cancel);
	if (l->first)
		g_string_free(l->first, TRUE);
	g_object_unref(l->msg);
	g_free(l);
}

static void on_finished(SoupServerMessage *msg, gpointer data)
{
	(void)msg;
	struct listener *l = data;
	/* The browser went away (or the answer is complete). */
	if (l->streaming)
		sipcid_log_info("%s stopped listening to call %s", l->req->client, l->call_id);
	l->gone = true;
	finish(l);  /* the pending connect or read ends cancelled and frees it */
}

static void on_wrote(SoupServerMessage *msg, guint size, gpointer data)
{
	(void)msg;
	struct listener *l = data;
	l->written += size;
}

static void start_stream(struct listener *l)
{
	SoupMessageHeaders *h = soup_server_message_get_response_headers(l->msg);
	soup_message_headers_set_encoding(h, SOUP_ENCODING_CHUNKED);
	soup_message_headers_set_content_type(h, "audio/wav", NULL);
	soup_message_headers_replace(h, "Cache-Control", "no-store");
	soup_server_message_set_status(l->msg, SOUP_STATUS_OK, NULL);
	uint8_t header[44];
	wav_header(header);
	soup_message_body_append(soup_server_message_get_response_body(l->msg), SOUP_MEMORY_COPY,
	                         header, sizeof header);
	l->appended = sizeof header;
	l->streaming = true;
	soup_server_message_unpause(l->msg);
}

static void send_audio(struct listener *l, const char *data, size_t len)
{
	if (len == 0)
		return;
	if (l->appended - l->written + len > BEHIND_MAX) {
		sipcid_log_info("%s cut off from call %s: the browser is over 2 s behind",
		                l->req->client, l->call_id);
		GSocket *sock = soup_server_message_get_socket(l->msg);
		if (sock)
			g_socket_shutdown(sock, TRUE, TRUE, NULL);
		finish(l);
		return;
	}
	soup_message_body_append(soup_server_message_get_response_body(l->msg), SOUP_MEMORY_COPY,
	                         data, len);
	l->appended += len;
	soup_server_message_unpause(l->msg);
}

static void refuse(struct listener *l, guint status, const char *words)
{
	if (!l->gone) {
		sipcid_web_reply_error(l->req, status, words);
		soup_server_message_unpause(l->msg);
	}
	finish(l);
}

/* sipcidd's first line: "ok: ..." then audio, or "error: ...". */
static void take_first(struct listener *l, const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t head = nl ? (size_t)(nl - data) : len;
	g_string_append_len(l->first, data, (gssize)head);
	if (!nl) {
		if (l->first->len > FIRST_LINE_MAX)
			refuse(l, SOUP_STATUS_BAD_GATEWAY, "sipcidd's answer made no sense.");
		return;
	}
	if (!g_str_has_prefix(l->first->str, "ok:")) {
		const char *words = g_str_has_prefix(l->first->str, "error:") ? l->first->str + 6
		                                                               : l->first->str;
		sipcid_log_info("%s may not listen to call %s: %s", l->req->client, l->call_id, words);
		g_autofree char *w = g_strstrip(g_strdup(words));
		refuse(l, SOUP_STATUS_FORBIDDEN, w);
		return;
	}
	sipcid_log_info("%s listens to call %s", l->req->client, l->call_id);
	start_stream(l);
	send_audio(l, nl + 1, len - head - 1);
}

static void on_read(GObject *src, GAsyncResult *res, gpointer data)
{
	struct listener *l = data;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(src), res, NULL);
	if (l->done) {
		listener_free(l);
		return;
	}
	if (n <= 0) {
		/* sipcidd ended it: the call is over, or it dropped us. */
		if (l->streaming) {
			finish(l);
			soup_message_body_complete(soup_server_message_get_response_body(l->msg));
			soup_server_message_unpause(l->msg);
		} else {
			refuse(l, SOUP_STATUS_BAD_GATEWAY, "sipcidd closed the connection.");
		}
		listener_free(l);
		return;
	}
	if (l->streaming)
		send_audio(l, l->buf, (size_t)n);
	else
		take_first(l, l->buf, (size_t)n);
	if (l->done) {
		listener_free(l);
		return;
	}
	g_input_stream_read_async(G_INPUT_STREAM(src), l->buf, sizeof l->buf, G_PRIORITY_DEFAULT,
	                          l->cancel, on_read, l);
}

static void on_open(GObject *src, GAsyncResult *res, gpointer data)
{
	(void)src;
	struct listener *l = data;
	GError *err = NULL;
	l->conn = sipcid_control_client_open_finish(res, &err);
	if (l->done) {
		g_clear_error(&err);
		listener_free(l);
		return;
	}
	if (!l->conn) {
		refuse(l, SOUP_STATUS_SERVICE_UNAVAILABLE, err->message);
		g_error_free(err);
		listener_free(l);
		return;
	}
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(l->conn));
	g_input_stream_read_async(in, l->buf, sizeof l->buf, G_PRIORITY_DEFAULT, l->cancel, on_read,
	                          l);
}

static void listen_live(struct sipcid_web_request *req)
{
	if (!req->ctx->listen_live) {
		sipcid_web_reply_error(req, SOUP_STATUS_FORBIDDEN,
		                       "Listen Live is off on this box ([web] listen-live = no).");
		return;
	}
	const char *call_id = sipcid_web_param(req, "call_id");
	if (!sipcid_control_client_call_id_ok(call_id)) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       "That is not a call's identifier.");
		return;
	}
	if (listening >= LISTENERS_MAX) {
		sipcid_web_reply_error(req, SOUP_STATUS_SERVICE_UNAVAILABLE,
		                       "Too many people are listening already.");
		return;
	}
	struct listener *l = g_new0(struct listener, 1);
	l->req = req;
	l->msg = g_object_ref(req->msg);
	l->cancel = g_cancellable_new();
	l->first = g_string_new(NULL);
	g_strlcpy(l->call_id, call_id, sizeof l->call_id);
	l->on_finished = g_signal_connect(l->msg, "finished", G_CALLBACK(on_finished), l);
	l->on_wrote = g_signal_connect(l->msg, "wrote-body-data", G_CALLBACK(on_wrote), l);
	listening++;
	/* Who asks, for sipcidd's log: the browser's address (no spaces). */
	g_autofree char *who = g_strdup_printf("web:%s", req->client);
	g_strdelimit(who, " \t\r\n", '_');
	g_autofree char *cmd = g_strdup_printf("listen %s %s", call_id, who);
	soup_server_message_pause(req->msg);
	sipcid_control_client_open_async(req->ctx->control_path, cmd, l->cancel, on_open, l);
}

const struct sipcid_web_route sipcid_web_api_listen_routes[] = {
	{ "GET", "/api/live/listen", listen_live },
	{ NULL, NULL, NULL },
};
