/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Watches the session bus and prints, as one JSON object per line, every
 * org.freedesktop.Notifications.Notify call together with the id the
 * server returned: what a notification server was really asked to show.
 * Prints "ready" on stderr once it is monitoring. Runs until killed. */
#include "event_format.h"
#include "log.h"

#include <gio/gio.h>
#include <stdio.h>

static GHashTable *pending; /* "sender serial" -> JSON text without the closing brace */

static char *call_key(const char *peer, guint32 serial)
{
	return g_strdup_printf("%s %u", peer ? peer : "", serial);
}

static void print_variant_json(GString *out, GVariant *v)
{
	if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
		sipcid_event_json_string(out, g_variant_get_string(v, NULL), false);
	else if (g_variant_is_of_type(v, G_VARIANT_TYPE_BYTE))
		g_string_append_printf(out, "%u", g_variant_get_byte(v));
	else if (g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN))
		g_string_append(out, g_variant_get_boolean(v) ? "true" : "false");
	else if (g_variant_is_of_type(v, G_VARIANT_TYPE_INT32))
		g_string_append_printf(out, "%d", g_variant_get_int32(v));
	else if (g_variant_is_of_type(v, G_VARIANT_TYPE_UINT32))
		g_string_append_printf(out, "%u", g_variant_get_uint32(v));
	else {
		char *s = g_variant_print(v, TRUE);
		sipcid_event_json_string(out, s, false);
		g_free(s);
	}
}

static gboolean on_notify(void *data)
{
	GDBusMessage *m = data;
	GVariant *body = g_dbus_message_get_body(m);
	if (!body || !g_variant_is_of_type(body, G_VARIANT_TYPE("(susssasa{sv}i)")))
		return G_SOURCE_REMOVE;
	const char *app, *icon, *summary, *text;
	guint32 replaces;
	gint32 timeout;
	GVariant *actions, *hints;
	g_variant_get(body, "(&su&s&s&s@as@a{sv}i)", &app, &replaces, &icon, &summary, &text,
	              &actions, &hints, &timeout);
	GString *j = g_string_new("{\"app\":");
	sipcid_event_json_string(j, app, false);
	g_string_append_printf(j, ",\"replaces_id\":%u,\"icon\":", replaces);
	sipcid_event_json_string(j, icon, false);
	g_string_append(j, ",\"summary\":");
	sipcid_event_json_string(j, summary, false);
	g_string_append(j, ",\"body\":");
	sipcid_event_json_string(j, text, false);
	g_string_append_printf(j, ",\"timeout\":%d,\"hints\":{", timeout);
	GVariantIter it;
	const char *key;
	GVariant *value;
	bool first = true;
	g_variant_iter_init(&it, hints);
	while (g_variant_iter_next(&it, "{&sv}", &key, &value)) {
		if (!first)
			g_string_append_c(j, ',');
		first = false;
		sipcid_event_json_string(j, key, false);
		g_string_append_c(j, ':');
		print_variant_json(j, value);
		g_variant_unref(value);
	}
	g_string_append_c(j, '}');
	g_variant_unref(actions);
	g_variant_unref(hints);
	g_hash_table_insert(pending,
	                    call_key(g_dbus_message_get_sender(m), g_dbus_message_get_serial(m)),
	                    g_string_free(j, FALSE));
	return G_SOURCE_REMOVE;
}

static gboolean on_return(void *data)
{
	GDBusMessage *m = data;
	g_autofree char *key = call_key(g_dbus_message_get_destination(m),
	                                g_dbus_message_get_reply_serial(m));
	char *j = g_hash_table_lookup(pending, key);
	GVariant *body = g_dbus_message_get_body(m);
	if (!j || !body || !g_variant_is_of_type(body, G_VARIANT_TYPE("(u)")))
		return G_SOURCE_REMOVE;
	guint32 id;
	g_variant_get(body, "(u)", &id);
	printf("%s,\"id\":%u}\n", j, id);
	fflush(stdout);
	g_hash_table_remove(pending, key);
	return G_SOURCE_REMOVE;
}

/* Runs on GDBus's worker thread; hands messages to the main loop. */
static GDBusMessage *filter(GDBusConnection *c, GDBusMessage *m, gboolean incoming, void *data)
{
	(void)data;
	/* Our own traffic (BecomeMonitor and its reply) goes on as usual. */
	if (!incoming || !g_strcmp0(g_dbus_message_get_destination(m), g_dbus_connection_get_unique_name(c)))
		return m;
	GDBusMessageType type = g_dbus_message_get_message_type(m);
	g_object_ref(m);
	if (type == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
	    !g_strcmp0(g_dbus_message_get_interface(m), "org.freedesktop.Notifications") &&
	    !g_strcmp0(g_dbus_message_get_member(m), "Notify"))
		g_idle_add_full(G_PRIORITY_DEFAULT, on_notify, m,
		                g_object_unref);
	else if (type == G_DBUS_MESSAGE_TYPE_METHOD_RETURN)
		g_idle_add_full(G_PRIORITY_DEFAULT, on_return, m,
		                g_object_unref);
	else
		g_object_unref(m);
	/* Consumed: a monitor must never answer what it overhears. */
	g_object_unref(m);
	return NULL;
}

int main(void)
{
	sipcid_log_init("notify_monitor");
	GError *err = NULL;
	pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char *address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SESSION, NULL, &err);
	if (!address) {
		sipcid_log_gerror(NULL, err);
		return 2;
	}
	GDBusConnection *c = g_dbus_connection_new_for_address_sync(
		address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &err);
	if (!c) {
		sipcid_log_gerror(NULL, err);
		return 2;
	}
	g_dbus_connection_add_filter(c, filter, NULL, NULL);
	const char *rules[] = { "type='method_call',interface='org.freedesktop.Notifications',"
	                        "member='Notify'",
	                        "type='method_return'", NULL };
	GVariant *r = g_dbus_connection_call_sync(
		c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.Monitoring",
		"BecomeMonitor", g_variant_new("(^asu)", rules, 0u), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
		NULL, &err);
	if (!r) {
		sipcid_log_gerror("BecomeMonitor", err);
		return 2;
	}
	g_variant_unref(r);
	fprintf(stderr, "ready\n");
	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	g_main_loop_run(loop);
	return 0;
}
