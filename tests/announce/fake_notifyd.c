/* Test helper: a minimal org.freedesktop.Notifications server on the session
 * bus that prints each notification as "NOTIFY<TAB>app<TAB>summary<TAB>body"
 * on stdout, so a test can see what a desktop would have shown. Prints
 * "READY" once it owns the name.
 *   fake_notifyd [--fail-caps]
 * --fail-caps: every GetCapabilities call fails with a D-Bus error, as a
 * server that is busy or half-started would answer. */
#include <gio/gio.h>
#include <stdio.h>

static const char introspection[] =
	"<node><interface name='org.freedesktop.Notifications'>"
	"<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
	"<method name='GetServerInformation'><arg type='s' direction='out'/>"
	"<arg type='s' direction='out'/><arg type='s' direction='out'/>"
	"<arg type='s' direction='out'/></method>"
	"<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
	"<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
	"<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
	"<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
	"<method name='CloseNotification'><arg type='u' direction='in'/></method>"
	"</interface></node>";

static guint next_id = 1;
static gboolean fail_caps;

static void escape_print(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", stdout);
		else if (*s == '\t')
			fputs("\\t", stdout);
		else
			putchar(*s);
	}
}

static void call(GDBusConnection *c, const char *sender, const char *path, const char *iface,
                 const char *method, GVariant *params, GDBusMethodInvocation *inv, gpointer data)
{
	(void)c; (void)sender; (void)path; (void)iface; (void)data;
	if (!g_strcmp0(method, "GetCapabilities") && fail_caps) {
		g_dbus_method_invocation_return_dbus_error(inv, "org.freedesktop.DBus.Error.Failed",
		                                           "fake_notifyd: capabilities unavailable");
	} else if (!g_strcmp0(method, "GetCapabilities")) {
		const char *caps[] = { "body", NULL };
		g_dbus_method_invocation_return_value(inv, g_variant_new("(^as)", caps));
	} else if (!g_strcmp0(method, "GetServerInformation")) {
		g_dbus_method_invocation_return_value(
			inv, g_variant_new("(ssss)", "fake_notifyd", "sipcid-tests", "1", "1.2"));
	} else if (!g_strcmp0(method, "Notify")) {
		const char *app, *icon, *summary, *body;
		guint32 replaces;
		g_variant_get(params, "(&su&s&s&s@as@a{sv}i)", &app, &replaces, &icon, &summary, &body,
		              NULL, NULL, NULL);
		fputs("NOTIFY\t", stdout);
		escape_print(app);
		putchar('\t');
		escape_print(summary);
		putchar('\t');
		escape_print(body);
		putchar('\n');
		fflush(stdout);
		g_dbus_method_invocation_return_value(inv, g_variant_new("(u)", next_id++));
	} else {
		g_dbus_method_invocation_return_value(inv, NULL);
	}
}

static void acquired(GDBusConnection *c, const char *name, gpointer data)
{
	(void)c; (void)name; (void)data;
	puts("READY");
	fflush(stdout);
}

static void bus(GDBusConnection *c, const char *name, gpointer data)
{
	(void)name;
	GDBusNodeInfo *info = data;
	static const GDBusInterfaceVTable vt = { call, NULL, NULL, { 0 } };
	g_dbus_connection_register_object(c, "/org/freedesktop/Notifications", info->interfaces[0],
	                                  &vt, NULL, NULL, NULL);
}

static void lost(GDBusConnection *c, const char *name, gpointer data)
{
	(void)c; (void)data;
	fprintf(stderr, "fake_notifyd: could not own %s\n", name);
	exit(1);
}

int main(int argc, char **argv)
{
	fail_caps = argc > 1 && !g_strcmp0(argv[1], "--fail-caps");
	GDBusNodeInfo *info = g_dbus_node_info_new_for_xml(introspection, NULL);
	g_bus_own_name(G_BUS_TYPE_SESSION, "org.freedesktop.Notifications",
	               G_BUS_NAME_OWNER_FLAGS_NONE, bus, acquired, lost, info, NULL);
	g_main_loop_run(g_main_loop_new(NULL, FALSE));
	return 0;
}
