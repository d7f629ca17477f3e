/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Non-blocking, bounded pushes to a control-socket client (see control_push.h). */
#include "control_push.h"

#include <string.h>

struct sipcid_control_push {
	GSocketConnection *conn;
	GPollableOutputStream *out;
	GPollableInputStream *in;
	GByteArray *buf;         /* waiting for the socket, from `off` on */
	size_t off;
	size_t max_buffered;
	GSource *out_src;        /* while buf holds something */
	GSource *in_src;         /* the client's end: EOF or an error means gone */
	bool failed;
	sipcid_control_push_gone_fn gone;
	void *ctx;
};

static size_t pending(const struct sipcid_control_push *p)
{
	return p->buf->len - p->off;
}

size_t sipcid_control_push_pending(const struct sipcid_control_push *p)
{
	return pending(p);
}

/* Writes what the socket takes now. False on a socket error. */
static bool flush(struct sipcid_control_push *p, const char **why)
{
	while (pending(p) > 0) {
		GError *err = NULL;
		gssize n = g_pollable_output_stream_write_nonblocking(p->out, p->buf->data + p->off,
		                                                      pending(p), NULL, &err);
		if (n < 0) {
			bool later = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
			if (!later)
				*why = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
				       g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
				               ? "the client closed the connection"
				               : "the connection failed";
			g_error_free(err);
			if (!later)
				return false;
			break;
		}
		p->off += (size_t)n;
	}
	if (pending(p) == 0) {
		g_byte_array_set_size(p->buf, 0);
		p->off = 0;
	} else if (p->off > p->buf->len / 2) {
		g_byte_array_remove_range(p->buf, 0, (guint)p->off);
		p->off = 0;
	}
	return true;
}

static void stop_source(GSource **src)
{
	if (*src) {
		g_source_destroy(*src);
		g_source_unref(*src);
		*src = NULL;
	}
}

static gboolean on_writable(GObject *stream, gpointer data)
{
	(void)stream;
	struct sipcid_control_push *p = data;
	const char *why = NULL;
	if (!flush(p, &why)) {
		p->failed = true;
		stop_source(&p->out_src);
		p->gone(p->ctx, why);  /* may free p */
		return G_SOURCE_REMOVE;
	}
	if (pending(p) > 0)
		return G_SOURCE_CONTINUE;
	stop_source(&p->out_src);
	return G_SOURCE_REMOVE;
}

static gboolean on_readable(GObject *stream, gpointer data)
{
	(void)stream;
	struct sipcid_control_push *p = data;
	char sink[256];
	GError *err = NULL;
	/* Nothing more is expected from the client: what it sends is dropped,
	 * one read per wake-up so a chatty client cannot hold the loop. */
	gssize n = g_pollable_input_stream_read_nonblocking(p->in, sink, sizeof sink, NULL, &err);
	if (n > 0 || (n < 0 && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))) {
		g_clear_error(&err);
		return G_SOURCE_CONTINUE;
	}
	g_clear_error(&err);
	p->failed = true;
	stop_source(&p->in_src);
	p->gone(p->ctx, n == 0 ? "the client closed the connection" : "the connection failed");
	return G_SOURCE_REMOVE;
}

struct sipcid_control_push *sipcid_control_push_new(GSocketConnection *conn, size_t max_buffered,
                                                    sipcid_control_push_gone_fn gone, void *ctx)
{
	struct sipcid_control_push *p = g_new0(struct sipcid_control_push, 1);
	p->conn = g_object_ref(conn);
	p->out = G_POLLABLE_OUTPUT_STREAM(g_io_stream_get_output_stream(G_IO_STREAM(conn)));
	p->in = G_POLLABLE_INPUT_STREAM(g_io_stream_get_input_stream(G_IO_STREAM(conn)));
	p->buf = g_byte_array_new();
	p->max_buffered = max_buffered;
	p->gone = gone;
	p->ctx = ctx;
	p->in_src = g_pollable_input_stream_create_source(p->in, NULL);
	g_source_set_callback(p->in_src, G_SOURCE_FUNC(on_readable), p, NULL);
	g_source_attach(p->in_src, NULL);
	return p;
}

bool sipcid_control_push_write(struct sipcid_control_push *p, const void *data, size_t len)
{
	if (p->failed || pending(p) + len > p->max_buffered)
		return false;
	g_byte_array_append(p->buf, data, (guint)len);
	if (p->out_src)
		return true;  /* the writable-source keeps the order */
	const char *why = NULL;
	if (!flush(p, &why)) {
		p->failed = true;
		return false;
	}
	if (pending(p) > 0) {
		p->out_src = g_pollable_output_stream_create_source(p->out, NULL);
		g_source_set_callback(p->out_src, G_SOURCE_FUNC(on_writable), p, NULL);
		g_source_attach(p->out_src, NULL);
	}
	return true;
}

void sipcid_control_push_free(struct sipcid_control_push *p)
{
	if (!p)
		return;
	stop_source(&p->out_src);
	stop_source(&p->in_src);
	g_io_stream_close(G_IO_STREAM(p->conn), NULL, NULL);
	g_object_unref(p->conn);
	g_byte_array_unref(p->buf);
	g_free(p);
}
