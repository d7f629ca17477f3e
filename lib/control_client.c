/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Talking to sipcidd's control socket (see control_client.h). */
#include "control_client.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <string.h>

bool sipcid_control_client_request(const char *path, const char *command, GString *reply,
                                   GError **error)
{
	if (!path)
		path = SIPCID_CONTROL_DEFAULT_PATH;
	GSocketClient *client = g_socket_client_new();
	g_socket_client_set_timeout(client, 5);
	GSocketAddress *addr = g_unix_socket_address_new(path);
	GSocketConnection *conn = g_socket_client_connect(client, G_SOCKET_CONNECTABLE(addr), NULL,
	                                                  error);
	g_object_unref(addr);
	g_object_unref(client);
	if (!conn) {
		g_prefix_error(error, "sipcidd is not running, or not reachable at %s: ", path);
		return false;
	}
	g_autofree char *line = g_strconcat(command, "\n", NULL);
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(conn));
	bool ok = g_output_stream_write_all(out, line, strlen(line), NULL, NULL, error);
	if (ok) {
		char buf[4096];
		gssize n;
		while ((n = g_input_stream_read(in, buf, sizeof buf, NULL, error)) > 0)
			g_string_append_len(reply, buf, n);
		ok = n == 0;
	}
	if (!ok)
		g_prefix_error(error, "talking to sipcidd at %s: ", path);
	g_object_unref(conn);
	return ok;
}

bool sipcid_control_client_call_id_ok(const char *call_id)
{
	size_t n = call_id ? strlen(call_id) : 0;
	if (n == 0 || n > 255)
		return false;
	for (size_t i = 0; i < n; i++)
		if (call_id[i] <= ' ' || call_id[i] >= 0x7f)
			return false;
	return true;
}

enum { ANSWER_MAX = 1 << 20 };

struct exchange {
	char *line;                 /* the command and its newline */
	GSocketConnection *conn;
	GString *answer;
	char buf[4096];
	bool keep_open;             /* open: done once the command is sent */
};

static void exchange_free(gpointer p)
{
	struct exchange *x = p;
	g_free(x->line);
	if (x->conn)
		g_object_unref(x->conn);
	if (x->answer)
		g_string_free(x->answer, TRUE);
	g_free(x);
}

static void on_answer(GObject *src, GAsyncResult *res, gpointer data)
{
	GTask *task = data;
	struct exchange *x = g_task_get_task_data(task);
	GError *err = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(src), res, &err);
	if (n < 0) {
		g_task_return_error(task, err);
	} else if (n == 0) {
		g_task_return_pointer(task, g_string_free(g_steal_pointer(&x->answer), FALSE), g_free);
	} else if (x->answer->len + (size_t)n > ANSWER_MAX) {
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
		                        "sipcidd's answer is too long");
	} else {
		g_string_append_len(x->answer, x->buf, n);
		g_input_stream_read_async(G_INPUT_STREAM(src), x->buf, sizeof x->buf, G_PRIORITY_DEFAULT,
		                          g_task_get_cancellable(task), on_answer, task);
		return;
	}
	g_object_unref(task);
}

static void on_sent(GObject *src, GAsyncResult *res, gpointer data)
{
	GTask *task = data;
	struct exchange *x = g_task_get_task_data(task);
	GError *err = NULL;
	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(src), res, NULL, &err)) {
		g_task_return_error(task, err);
		g_object_unref(task);
		return;
	}
	if (x->keep_open) {
		/* The 5 s bound was for connecting and sending: a watch may be
		 * quiet for hours. */
		g_socket_set_timeout(g_socket_connection_get_socket(x->conn), 0);
		g_task_return_pointer(task, g_steal_pointer(&x->conn), g_object_unref);
		g_object_unref(task);
		return;
	}
	x->answer = g_string_new(NULL);
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(x->conn));
	g_input_stream_read_async(in, x->buf, sizeof x->buf, G_PRIORITY_DEFAULT,
	                          g_task_get_cancellable(task), on_answer, task);
}

static void on_connected(GObject *src, GAsyncResult *res, gpointer data)
{
	GTask *task = data;
	struct exchange *x = g_task_get_task_data(task);
	GError *err = NULL;
	x->conn = g_socket_client_connect_finish(G_SOCKET_CLIENT(src), res, &err);
	if (!x->conn) {
		g_prefix_error(&err, "sipcidd is not running, or not reachable: ");
		g_task_return_error(task, err);
		g_object_unref(task);
		return;
	}
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(x->conn));
	g_output_stream_write_all_async(out, x->line, strlen(x->line), G_PRIORITY_DEFAULT,
	                                g_task_get_cancellable(task), on_sent, task);
}

static void start(const char *path, const char *command, bool keep_open, GCancellable *cancel,
                  GAsyncReadyCallback callback, gpointer user_data, gpointer tag)
{
	GTask *task = g_task_new(NULL, cancel, callback, user_data);
	g_task_set_source_tag(task, tag);
	struct exchange *x = g_new0(struct exchange, 1);
	x->line = g_strconcat(command, "\n", NULL);
	x->keep_open = keep_open;
	g_task_set_task_data(task, x, exchange_free);
	GSocketClient *client = g_socket_client_new();
	g_socket_client_set_timeout(client, 5);
	GSocketAddress *addr = g_unix_socket_address_new(path ? path : SIPCID_CONTROL_DEFAULT_PATH);
	g_socket_client_connect_async(client, G_SOCKET_CONNECTABLE(addr), cancel, on_connected, task);
	g_object_unref(addr);
	g_object_unref(client);
}

void sipcid_control_client_request_async(const char *path, const char *command,
                                         GCancellable *cancel, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
	start(path, command, false, cancel, callback, user_data, sipcid_control_client_request_async);
}

char *sipcid_control_client_request_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}

void sipcid_control_client_open_async(const char *path, const char *command,
                                      GCancellable *cancel, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
	start(path, command, true, cancel, callback, user_data, sipcid_control_client_open_async);
}

GSocketConnection *sipcid_control_client_open_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}
