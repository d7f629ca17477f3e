/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UDP listening sockets on the GLib main loop (see listen_socket.h). */
#include "listen_socket.h"

#include "log.h"
#include "wire.h"

#include <netinet/in.h>
#include <sys/socket.h>

enum { READS_PER_WAKEUP = 64 };

struct family_socket {
	GSocket *socket;
	GSource *source;
	struct notify_listen_socket *owner;
};

struct notify_listen_socket {
	struct family_socket v4, v6;
	uint16_t port;
	notify_listen_socket_datagram_fn fn;
	void *ctx;
};

static gboolean readable(GSocket *socket, GIOCondition cond, void *data)
{
	(void)cond;
	struct family_socket *fs = data;
	/* One byte more than the largest datagram, so an oversized one is seen
	 * as such instead of silently cut. */
	uint8_t buf[SIPCID_WIRE_MAX + 1];
	for (int i = 0; i < READS_PER_WAKEUP; i++) {
		GSocketAddress *from = NULL;
		g_autoptr(GError) err = NULL;
		gssize n = g_socket_receive_from(socket, &from, (char *)buf, sizeof buf, NULL, &err);
		if (n < 0) {
			/* Would-block ends the burst; ICMP errors and the like are not ours. */
			if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
				sipcid_log_gerror("receiving", err);
			break;
		}
		char from_text[80] = "?";
		if (G_IS_INET_SOCKET_ADDRESS(from)) {
			GInetSocketAddress *ia = G_INET_SOCKET_ADDRESS(from);
			char *ip = g_inet_address_to_string(g_inet_socket_address_get_address(ia));
			g_snprintf(from_text, sizeof from_text, "%s port %u", ip,
			           g_inet_socket_address_get_port(ia));
			g_free(ip);
		}
		g_clear_object(&from);
		fs->owner->fn(fs->owner->ctx, buf, (size_t)n, from_text);
	}
	return G_SOURCE_CONTINUE;
}

static bool open_family(struct notify_listen_socket *l, struct family_socket *fs,
                        GSocketFamily family, uint16_t port, GError **error)
{
	GSocket *s = g_socket_new(family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
	if (!s)
		return false;
	if (family == G_SOCKET_FAMILY_IPV6)
		g_socket_set_option(s, IPPROTO_IPV6, IPV6_V6ONLY, 1, NULL);
	/* SO_REUSEADDR only: GLib's allow_reuse would add SO_REUSEPORT, which
	 * spreads unicast datagrams over listeners instead of sharing them. */
	g_socket_set_option(s, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
	g_socket_set_blocking(s, FALSE);
	GInetAddress *any = g_inet_address_new_any(family);
	GSocketAddress *addr = g_inet_socket_address_new(any, port);
	g_object_unref(any);
	bool ok = g_socket_bind(s, addr, FALSE, error);
	g_object_unref(addr);
	if (!ok) {
		g_object_unref(s);
		return false;
	}
	fs->socket = s;
	fs->owner = l;
	fs->source = g_socket_create_source(s, G_IO_IN, NULL);
	g_source_set_callback(fs->source, G_SOURCE_FUNC(readable), fs, NULL);
	g_source_attach(fs->source, NULL);
	return true;
}

static void close_family(struct family_socket *fs)
{
	if (fs->source) {
		g_source_destroy(fs->source);
		g_source_unref(fs->source);
	}
	g_clear_object(&fs->socket);
}

uint16_t notify_listen_socket_port(const struct notify_listen_socket *l)
{
	return l->port;
}

const char *notify_listen_socket_families(const struct notify_listen_socket *l)
{
	return l->v6.socket ? "IPv4 and IPv6" : "IPv4";
}

void notify_listen_socket_close(struct notify_listen_socket *l)
{
	if (!l)
		return;
	close_family(&l->v4);
	close_family(&l->v6);
	g_free(l);
}

struct notify_listen_socket *notify_listen_socket_open(uint16_t port, const char *group,
                                                       notify_listen_socket_datagram_fn fn,
                                                       void *ctx, GError **error)
{
	GInetAddress *group_addr = NULL;
	g_autoptr(GError) v6_err = NULL;
	if (group) {
		group_addr = g_inet_address_new_from_string(group);
		if (!group_addr || !g_inet_address_get_is_multicast(group_addr)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			            "--group %s: expected a multicast address such as 239.255.76.51 or "
			            "ff02::7651", group);
			g_clear_object(&group_addr);
			return NULL;
		}
	}
	struct notify_listen_socket *l = g_new0(struct notify_listen_socket, 1);
	l->fn = fn;
	l->ctx = ctx;
	if (!open_family(l, &l->v4, G_SOCKET_FAMILY_IPV4, port, error)) {
		g_prefix_error(error, "cannot listen on UDP port %u (IPv4): ", port);
		goto fail;
	}
	/* With port 0 the kernel chose one; IPv6 listens on the same number. */
	GSocketAddress *local = g_socket_get_local_address(l->v4.socket, NULL);
	l->port = local ? g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local)) : port;
	g_clear_object(&local);

	if (!open_family(l, &l->v6, G_SOCKET_FAMILY_IPV6, l->port, &v6_err)) {
		/* A host without IPv6 still gets its popups. */
		if (group_addr && g_inet_address_get_family(group_addr) == G_SOCKET_FAMILY_IPV6) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			            "cannot listen on UDP port %u (IPv6) for --group %s: %s", l->port,
			            group, v6_err->message);
			goto fail;
		}
		sipcid_log_gerror("not listening on IPv6", v6_err);
	}
	if (group_addr) {
		bool v6 = g_inet_address_get_family(group_addr) == G_SOCKET_FAMILY_IPV6;
		GSocket *s = v6 ? l->v6.socket : l->v4.socket;
		if (!g_socket_join_multicast_group(s, group_addr, FALSE, NULL, error)) {
			g_prefix_error(error, "cannot join multicast group %s: ", group);
			goto fail;
		}
	}
	g_clear_object(&group_addr);
	return l;
fail:
	g_clear_object(&group_addr);
	notify_listen_socket_close(l);
	return NULL;
}
