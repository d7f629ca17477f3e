/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Control socket server and client (see control.h). */
#include "control.h"

#include "call.h"
#include "log.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <string.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* `record CALL-ID off` and `listen CALL-ID WHO` fit */
enum { COMMAND_MAX = 128 + SIPCID_CALLID_MAX };

struct sipcid_control {
	GSocketService *service;
	char *path;
	sipcid_control_status_fn status;
	void *ctx;
	sipcid_control_record_fn record;
	void *record_ctx;
	sipcid_control_stream_fn watch, listen;
	void *watch_ctx, *listen_ctx;
};

struct client {
	struct sipcid_control *control;
	GSocketConnection *conn;
	char buf[COMMAND_MAX];
	GString *reply;
};

static void client_free(struct client *cl)
{
	g_object_unref(cl->conn);
	if (cl->reply)
		g_string_free(cl->reply, TRUE);
	g_free(cl);
}

static void on_written(GObject *stream, GAsyncResult *res, gpointer data)
{
	/* A client that went away early is not an error worth logging. */
	g_output_stream_write_all_finish(G_OUTPUT_STREAM(stream), res, NULL, NULL);
	client_free(data);
}

/* record CALL-ID on|off (a Call-ID has no spaces: RFC 3261 section 25.1). */
static void record_command(struct sipcid_control *c, const char *cmd, GString *reply)
{
	g_auto(GStrv) words = g_strsplit_set(cmd, " \t", -1);
	const char *w[4] = { NULL };
	int n = 0;
	for (int i = 0; words[i]; i++)
		if (*words[i] && n < 4)
			w[n++] = words[i];
	if (n != 3 || (strcmp(w[2], "on") && strcmp(w[2], "off"))) {
		g_string_append(reply, "error: expected record CALL-ID on|off\n");
		return;
	}
	if (!c->record) {
		g_string_append(reply, "error: this sipcidd does not record calls\n");
		return;
	}
	c->record(c->record_ctx, w[1], !strcmp(w[2], "on"), reply);
}

/* Who is on the other end, from the kernel (SO_PEERCRED), for the log. */
static char *peer_words(GSocketConnection *conn)
{
	GSocket *sock = g_socket_connection_get_socket(conn);
	GCredentials *cred = g_socket_get_credentials(sock, NULL);
	if (!cred)
		return g_strdup("an unknown peer");
	char *words = g_strdup_printf("pid %ld, uid %ld", (long)g_credentials_get_unix_pid(cred, NULL),
	                              (long)g_credentials_get_unix_user(cred, NULL));
	g_object_unref(cred);
	return words;
}

/* watch, listen: true when the handler took the connection. */
static bool stream_command(struct client *cl, const char *word, const char *cmd)
{
	struct sipcid_control *c = cl->control;
	bool watch = !strcmp(word, "watch");
	sipcid_control_stream_fn fn = watch ? c->watch : c->listen;
	void *ctx = watch ? c->watch_ctx : c->listen_ctx;
	if (!fn) {
		g_string_append_printf(cl->reply, "error: this sipcidd does not serve %s\n", word);
		return false;
	}
	g_autofree char *peer = peer_words(cl->conn);
	return fn(ctx, g_strstrip((char *)cmd + strlen(word)), peer, cl->conn, cl->reply);
}

static bool is_command(const char *cmd, const char *word)
{
	size_t n = strlen(word);
	return !strncmp(cmd, word, n) && (cmd[n] == '\0' || cmd[n] == ' ' || cmd[n] == '\t');
}

static void on_read(GObject *stream, GAsyncResult *res, gpointer data)
{
	struct client *cl = data;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(stream), res, NULL);
	if (n < 0) {
		client_free(cl);
		return;
	}
	cl->buf[n] = '\0';
	char *cmd = g_strstrip(cl->buf);
	cl->reply = g_string_new(NULL);
	if (*cmd == '\0' || !g_strcmp0(cmd, "status"))
		cl->control->status(cl->control->ctx, cl->reply);
	else if (is_command(cmd, "record"))
		record_command(cl->control, cmd, cl->reply);
	else if (is_command(cmd, "watch") || is_command(cmd, "listen")) {
		if (stream_command(cl, is_command(cmd, "watch") ? "watch" : "listen", cmd)) {
			client_free(cl);  /* the handler holds the connection now */
			return;
		}
	} else
		g_string_append(cl->reply,
		                "error: unknown command (known: status, record, watch, listen)\n");
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(cl->conn));
	g_output_stream_write_all_async(out, cl->reply->str, cl->reply->len, G_PRIORITY_DEFAULT, NULL,
	                                on_written, cl);
}

static gboolean on_incoming(GSocketService *service, GSocketConnection *conn, GObject *source,
                            gpointer data)
{
	(void)service;
	(void)source;
	struct client *cl = g_new0(struct client, 1);
	cl->control = data;
	cl->conn = g_object_ref(conn);
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(conn));
	g_input_stream_read_async(in, cl->buf, sizeof cl->buf - 1, G_PRIORITY_DEFAULT, NULL, on_read, cl);
	return TRUE;
}

static bool someone_listens(const char *path)
{
	GSocketClient *client = g_socket_client_new();
	GSocketAddress *addr = g_unix_socket_address_new(path);
	GSocketConnection *conn = g_socket_client_connect(client, G_SOCKET_CONNECTABLE(addr), NULL, NULL);
	bool yes = conn != NULL;
	if (conn)
		g_object_unref(conn);
	g_object_unref(addr);
	g_object_unref(client);
	return yes;
}

struct sipcid_control *sipcid_control_start(const char *path, sipcid_control_status_fn status,
                                            void *ctx, GError **error)
{
	char *dir = g_path_get_dirname(path);
	if (g_mkdir_with_parents(dir, 0755) < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
		            "cannot create %s for the control socket: %s", dir, g_strerror(errno));
		g_free(dir);
		return NULL;
	}
	g_free(dir);
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		if (someone_listens(path)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
			            "another sipcidd is already running (it answers on %s)", path);
			return NULL;
		}
		unlink(path);  /* left behind by a sipcidd that died */
	}

	struct sipcid_control *c = g_new0(struct sipcid_control, 1);
	c->path = g_strdup(path);
	c->status = status;
	c->ctx = ctx;
	c->service = g_socket_service_new();
	GSocketAddress *addr = g_unix_socket_address_new(path);
	mode_t old = umask(0077);  /* the counters are for root's eyes */
	gboolean ok = g_socket_listener_add_address(G_SOCKET_LISTENER(c->service), addr,
	                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
	                                            NULL, NULL, error);
	umask(old);
	g_object_unref(addr);
	if (!ok) {
		g_prefix_error(error, "control socket %s: ", path);
		g_object_unref(c->service);
		g_free(c->path);
		g_free(c);
		return NULL;
	}
	g_signal_connect(c->service, "incoming", G_CALLBACK(on_incoming), c);
	g_socket_service_start(c->service);
	return c;
}

void sipcid_control_set_record(struct sipcid_control *c, sipcid_control_record_fn fn, void *ctx)
{
	c->record = fn;
	c->record_ctx = ctx;
}

void sipcid_control_set_watch(struct sipcid_control *c, sipcid_control_stream_fn fn, void *ctx)
{
	c->watch = fn;
	c->watch_ctx = ctx;
}

void sipcid_control_set_listen(struct sipcid_control *c, sipcid_control_stream_fn fn, void *ctx)
{
	c->listen = fn;
	c->listen_ctx = ctx;
}

void sipcid_control_stop(struct sipcid_control *c)
{
	if (!c)
		return;
	g_socket_service_stop(c->service);
	g_socket_listener_close(G_SOCKET_LISTENER(c->service));
	g_object_unref(c->service);
	unlink(c->path);
	g_free(c->path);
	g_free(c);
}

int sipcid_control_print_status(const char *path)
{
	GError *error = NULL;
	GString *reply = g_string_new(NULL);
	bool ok = sipcid_control_client_request(path, "status", reply, &error);
	fwrite(reply->str, 1, reply->len, stdout);
	g_string_free(reply, TRUE);
	if (!ok) {
		sipcid_log_warnx("--status: %s", error->message);
		g_error_free(error);
	}
	return ok ? 0 : 1;
}
