/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Talking to sipcidd's control socket (see control_client.h). */
#include "control_client.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>

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
