/* Non-blocking UDP to many destinations. */
#include "udp_sender.h"

#include "log.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

enum {
	REFRESH_S = 60,   /* look up addresses again this often */
	RETRY_S = 5,      /* after a failed send: not sooner (a dead route costs a netlink dump) */
};

enum error_kind { ERR_LOOKUP, ERR_SEND, ERR_KINDS };

struct target {
	char *host;                 /* NULL for the interface's broadcast address */
	uint16_t port;
	GSocketAddress *addr;       /* NULL until resolved */
	int64_t refreshed_us;
	bool resolving;
	char *last_error[ERR_KINDS]; /* to log each new problem once, per kind */
};

struct udp_sender {
	char *label;
	char *interface;
	GPtrArray *targets;
	GSocket *v4, *v6;
	GCancellable *cancel;
};

GInetAddress *udp_sender_broadcast_of(const char *interface, bool *exists)
{
	struct ifaddrs *list = NULL;
	*exists = if_nametoindex(interface) != 0;
	if (getifaddrs(&list) < 0)
		return NULL;
	GInetAddress *found = NULL;
	for (struct ifaddrs *i = list; i && !found; i = i->ifa_next) {
		if (!i->ifa_name || strcmp(i->ifa_name, interface) || !i->ifa_addr ||
		    i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_BROADCAST) ||
		    !i->ifa_broadaddr)
			continue;
		const struct sockaddr_in *b = (const struct sockaddr_in *)(void *)i->ifa_broadaddr;
		found = g_inet_address_new_from_bytes((const guint8 *)&b->sin_addr, G_SOCKET_FAMILY_IPV4);
	}
	freeifaddrs(list);
	return found;
}

static void report(struct udp_sender *u, struct target *t, enum error_kind kind, const char *msg)
{
	if (!g_strcmp0(t->last_error[kind], msg))
		return;
	g_free(t->last_error[kind]);
	t->last_error[kind] = g_strdup(msg);
	if (msg)
		sipcid_log_warnx("[notify] %s: %s", u->label, msg);
}

static void set_addr(struct target *t, GInetAddress *ia)
{
	g_clear_object(&t->addr);
	t->addr = g_inet_socket_address_new(ia, t->port);
}

/* Why interface has no broadcast address to announce to, and what to do
 * about it; NULL when it has one (*out, then, is the address). */
static char *broadcast_problem(const char *interface, GInetAddress **out)
{
	bool exists = false;
	*out = udp_sender_broadcast_of(interface, &exists);
	if (*out)
		return NULL;
	/* Never 255.255.255.255 instead: on a box without the bridge that is
	 * whatever network the host is on, not the household's LAN. */
	return g_strdup_printf(
		exists ? "interface %s has no IPv4 broadcast address, so calls cannot be "
		         "announced on it: give it an address on the LAN (docs/bridge-setup.md), "
		         "list destinations in [notify] udp and growl, or run with --no-notify"
		       : "interface %s does not exist, so calls cannot be announced on it: "
		         "set [notify] interface to the LAN bridge (docs/bridge-setup.md), list "
		         "destinations in [notify] udp and growl, or run with --no-notify",
		interface);
}

static void refresh_broadcast(struct udp_sender *u, struct target *t)
{
	g_autoptr(GInetAddress) ia = NULL;
	g_autofree char *msg = broadcast_problem(u->interface, &ia);
	report(u, t, ERR_LOOKUP, msg);
	/* Lost since the start (DHCP, the bridge taken down): nothing goes out
	 * until the address is back. */
	g_clear_object(&t->addr);
	if (ia)
		set_addr(t, ia);
	t->refreshed_us = g_get_monotonic_time();
}

struct lookup {
	struct udp_sender *u;
	struct target *t;
};

static void resolved(GObject *src, GAsyncResult *res, gpointer data)
{
	struct lookup *lk = data;
	g_autoptr(GError) err = NULL;
	GList *addrs = g_resolver_lookup_by_name_finish(G_RESOLVER(src), res, &err);
	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_free(lk);
		return; /* the sender is gone */
	}
	struct target *t = lk->t;
	t->resolving = false;
	t->refreshed_us = g_get_monotonic_time();
	if (!addrs) {
		g_autofree char *msg = g_strdup_printf("cannot resolve %s: %s", t->host, err->message);
		report(lk->u, t, ERR_LOOKUP, msg);
	} else {
		/* Prefer IPv4: it is what broadcast LANs and old Growl listeners speak. */
		GInetAddress *pick = addrs->data;
		for (GList *i = addrs; i; i = i->next)
			if (g_inet_address_get_family(i->data) == G_SOCKET_FAMILY_IPV4) {
				pick = i->data;
				break;
			}
		set_addr(t, pick);
		g_resolver_free_addresses(addrs);
	}
	g_free(lk);
}

static void refresh(struct udp_sender *u, struct target *t)
{
	int64_t now = g_get_monotonic_time();
	if (t->addr && now - t->refreshed_us < REFRESH_S * G_USEC_PER_SEC)
		return;
	if (!t->host) {
		refresh_broadcast(u, t);
		return;
	}
	if (g_hostname_is_ip_address(t->host)) {
		if (!t->addr) {
			g_autoptr(GInetAddress) ia = g_inet_address_new_from_string(t->host);
			if (ia)
				set_addr(t, ia);
		}
		t->refreshed_us = now;
		return;
	}
	if (t->resolving)
		return;
	t->resolving = true;
	struct lookup *lk = g_new(struct lookup, 1);
	lk->u = u;
	lk->t = t;
	g_autoptr(GResolver) r = g_resolver_get_default();
	g_resolver_lookup_by_name_async(r, t->host, u->cancel, resolved, lk);
}

static void free_target(void *p)
{
	struct target *t = p;
	g_free(t->host);
	g_clear_object(&t->addr);
	for (int k = 0; k < ERR_KINDS; k++)
		g_free(t->last_error[k]);
	g_free(t);
}

static GSocket *open_socket(GSocketFamily family, GError **error)
{
	GSocket *s = g_socket_new(family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
	if (!s)
		return NULL;
	g_socket_set_blocking(s, FALSE);
	if (family == G_SOCKET_FAMILY_IPV4) {
		g_socket_set_broadcast(s, TRUE);
		/* Multicast stays on the LAN, and reaches listeners on this box too. */
		g_socket_set_multicast_ttl(s, 1);
		g_socket_set_multicast_loopback(s, TRUE);
	} else {
		g_socket_set_multicast_ttl(s, 1);
		g_socket_set_multicast_loopback(s, TRUE);
	}
	return s;
}

struct udp_sender *udp_sender_new(const char *label, const GArray *dests, const char *interface,
                                  uint16_t default_port, GError **error)
{
	if (!dests) {
		g_autoptr(GInetAddress) ia = NULL;
		g_autofree char *why = broadcast_problem(interface, &ia);
		if (why) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "[notify] %s: %s", label, why);
			return NULL;
		}
	}
	struct udp_sender *u = g_new0(struct udp_sender, 1);
	u->label = g_strdup(label);
	u->interface = g_strdup(interface);
	u->targets = g_ptr_array_new_with_free_func(free_target);
	u->cancel = g_cancellable_new();
	u->v4 = open_socket(G_SOCKET_FAMILY_IPV4, error);
	if (!u->v4) {
		udp_sender_free(u);
		return NULL;
	}
	/* A host without IPv6 still announces over IPv4. */
	u->v6 = open_socket(G_SOCKET_FAMILY_IPV6, NULL);
	if (!dests) {
		struct target *t = g_new0(struct target, 1);
		t->port = default_port;
		g_ptr_array_add(u->targets, t);
	} else {
		for (guint i = 0; i < dests->len; i++) {
			const struct sipcid_announce_dest *d =
				&g_array_index(dests, struct sipcid_announce_dest, i);
			struct target *t = g_new0(struct target, 1);
			t->host = g_strdup(d->host);
			t->port = d->port;
			g_ptr_array_add(u->targets, t);
		}
	}
	for (guint i = 0; i < u->targets->len; i++)
		refresh(u, u->targets->pdata[i]);
	return u;
}

unsigned udp_sender_count(const struct udp_sender *u)
{
	return u->targets->len;
}

void udp_sender_send(struct udp_sender *u, const void *buf, size_t len)
{
	for (guint i = 0; i < u->targets->len; i++) {
		struct target *t = u->targets->pdata[i];
		refresh(u, t);
		if (!t->addr)
			continue; /* still resolving; the failure, if any, was logged */
		GSocket *s = g_socket_address_get_family(t->addr) == G_SOCKET_FAMILY_IPV6 ? u->v6 : u->v4;
		if (!s) {
			report(u, t, ERR_SEND, "IPv6 is not available on this host");
			continue;
		}
		g_autoptr(GError) err = NULL;
		if (g_socket_send_to(s, t->addr, buf, len, NULL, &err) < 0) {
			g_autofree char *where = g_socket_connectable_to_string(G_SOCKET_CONNECTABLE(t->addr));
			g_autofree char *msg = g_strdup_printf("cannot send to %s: %s", where, err->message);
			report(u, t, ERR_SEND, msg);
			/* A changed address or route is picked up soon, but not by a
			 * lookup per call while the network is down. */
			int64_t retry = g_get_monotonic_time() - (REFRESH_S - RETRY_S) * G_USEC_PER_SEC;
			if (t->refreshed_us > retry)
				t->refreshed_us = retry;
		} else {
			report(u, t, ERR_SEND, NULL);
		}
	}
}

void udp_sender_free(struct udp_sender *u)
{
	if (!u)
		return;
	g_cancellable_cancel(u->cancel);
	g_clear_object(&u->cancel);
	g_ptr_array_unref(u->targets);
	g_clear_object(&u->v4);
	g_clear_object(&u->v6);
	g_free(u->label);
	g_free(u->interface);
	g_free(u);
}
