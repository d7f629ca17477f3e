/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where sipcid-web listens: the configured addresses, or the LAN bridge's. */
#include "web_settings.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

GSocketAddress *sipcid_web_settings_parse_listen(const char *text)
{
	g_autofree char *host = NULL;
	guint16 port = SIPCID_WEB_DEFAULT_PORT;
	const char *colon = strrchr(text, ':');
	if (text[0] == '[') {
		/* [IPV6] or [IPV6]:PORT */
		const char *end = strchr(text, ']');
		if (!end || (end[1] && end[1] != ':'))
			return NULL;
		host = g_strndup(text + 1, (gsize)(end - text - 1));
		colon = end[1] ? end + 1 : NULL;
		if (!strchr(host, ':'))
			return NULL;
	} else if (colon && strchr(text, ':') != colon) {
		host = g_strdup(text);  /* a bare IPv6 address */
		colon = NULL;
	} else {
		host = colon ? g_strndup(text, (gsize)(colon - text)) : g_strdup(text);
	}
	if (colon) {
		guint64 p = 0;
		if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &p, NULL))
			return NULL;
		port = (guint16)p;
	}
	g_autoptr(GInetAddress) addr = g_inet_address_new_from_string(host);
	if (!addr)
		return NULL;
	return g_inet_socket_address_new(addr, port);
}

/* The bridge's addresses: IPv4, and IPv6 but link-local (which needs a scope
 * a browser URL cannot easily give). */
static void add_bridge_addresses(GPtrArray *out, const char *bridge)
{
	struct ifaddrs *list = NULL;
	if (getifaddrs(&list) != 0)
		return;
	for (struct ifaddrs *i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, bridge) != 0)
			continue;
		GInetAddress *a = NULL;
		if (i->ifa_addr->sa_family == AF_INET) {
			const struct sockaddr_in *sin = (const void *)i->ifa_addr;
			a = g_inet_address_new_from_bytes((const guint8 *)&sin->sin_addr, G_SOCKET_FAMILY_IPV4);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 = (const void *)i->ifa_addr;
			if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
				continue;
			a = g_inet_address_new_from_bytes((const guint8 *)&sin6->sin6_addr,
			                                  G_SOCKET_FAMILY_IPV6);
		}
		if (!a)
			continue;
		g_ptr_array_add(out, g_inet_socket_address_new(a, SIPCID_WEB_DEFAULT_PORT));
		g_object_unref(a);
	}
	freeifaddrs(list);
}

GPtrArray *sipcid_web_settings_listen_addresses(const struct sipcid_web_settings *s,
                                                const char *config_path, GError **error)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_object_unref);
	if (s->listen) {
		for (char **l = s->listen; *l; l++)
			g_ptr_array_add(out, sipcid_web_settings_parse_listen(*l));  /* checked at load */
		return out;
	}
	add_bridge_addresses(out, s->bridge);
	if (out->len == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            "the LAN bridge %s has no address to listen on, and listening on every "
		            "address would open the console to the internet: set [web] listen in %s "
		            "(like listen = 192.168.1.2), or [notify] interface if the bridge has "
		            "another name", s->bridge, config_path);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}
