/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Learning the line from REGISTER, its 2xx, and the ATA's own calls. */
#include "line_learn.h"

#include "sip_scan.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

void sipcid_line_learn_init(struct sipcid_line_learn *l)
{
	memset(l, 0, sizeof *l);
}

static bool same_addr(const struct sipcid_endpoint *a, const struct sipcid_endpoint *b)
{
	return a->family && a->family == b->family &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static bool fresh(const struct sipcid_line_learn_entry *e, int64_t now_us, int64_t lifetime)
{
	return e->ep.family && now_us - e->seen_us < lifetime;
}

/* The entry for ep's address, else a free one, else the oldest. */
static struct sipcid_line_learn_entry *slot(struct sipcid_line_learn_entry *t, unsigned n,
                                            const struct sipcid_endpoint *ep,
                                            const struct sipcid_endpoint *peer)
{
	struct sipcid_line_learn_entry *oldest = &t[0];
	for (unsigned i = 0; i < n; i++)
		if (same_addr(&t[i].ep, ep) && (!peer || same_addr(&t[i].peer, peer)))
			return &t[i];
	for (unsigned i = 0; i < n; i++) {
		if (!t[i].ep.family)
			return &t[i];
		if (t[i].seen_us < oldest->seen_us)
			oldest = &t[i];
	}
	return oldest;
}

static void remember(struct sipcid_line_learn_entry *t, unsigned n,
                     const struct sipcid_endpoint *ep, const struct sipcid_endpoint *peer,
                     uint32_t ifindex, int64_t now_us)
{
	struct sipcid_line_learn_entry *e = slot(t, n, ep, peer);
	e->ep = *ep;
	if (peer)
		e->peer = *peer;
	e->ifindex = ifindex;
	e->seen_us = now_us;
}

/* Reads an IP literal (IPv6 in brackets) and optional port at p[0..n). */
static bool parse_hostport(const char *p, size_t n, struct sipcid_endpoint *out)
{
	char host[64];
	size_t i = 0, h = 0;
	if (n && p[0] == '[') {
		for (i = 1; i < n && p[i] != ']' && h + 1 < sizeof host; i++)
			host[h++] = p[i];
		if (i >= n || p[i] != ']')
			return false;
		i++;
	} else {
		for (; i < n && p[i] != ':' && p[i] != ';' && p[i] != '>' && p[i] != ' ' &&
		       p[i] != '\t' && p[i] != ',' && h + 1 < sizeof host; i++)
			host[h++] = p[i];
	}
	host[h] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, host, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, host, out->addr) == 1)
		out->family = AF_INET6;
	else
		return false;  /* a host name: sipcidd does no DNS on the packet path */
	unsigned port = 0;
	if (i < n && p[i] == ':')
		for (i++; i < n && p[i] >= '0' && p[i] <= '9' && port < 65536; i++)
			port = port * 10 + (unsigned)(p[i] - '0');
	out->port = port > 0 && port < 65536 ? (uint16_t)port : 5060;
	return true;
}

/* Via: SIP/2.0/UDP host[:port];params */
static bool via_host(struct sip_span v, struct sipcid_endpoint *out)
{
	size_t i = 0;
	while (i < v.len && v.p[i] != ' ' && v.p[i] != '\t')
		i++;
	while (i < v.len && (v.p[i] == ' ' || v.p[i] == '\t'))
		i++;
	return i < v.len && parse_hostport(v.p + i, v.len - i, out);
}

/* Contact: "name" <sip:user@host:port;params>, or a bare URI */
static bool contact_host(struct sip_span v, struct sipcid_endpoint *out)
{
	for (size_t i = 0; i + 4 <= v.len; i++) {
		if (g_ascii_strncasecmp(v.p + i, "sip:", 4) && g_ascii_strncasecmp(v.p + i, "sips", 4))
			continue;
		size_t start = i + (v.p[i + 3] == ':' ? 4 : 5), at = start, end = start;
		while (end < v.len && v.p[end] != '>' && v.p[end] != ',')
			end++;
		for (size_t k = start; k < end; k++)
			if (v.p[k] == '@')
				at = k + 1;
		return at < end && parse_hostport(v.p + at, end - at, out);
	}
	return false;
}

void sipcid_line_learn_register(struct sipcid_line_learn *l, const struct sipcid_packet *pkt,
                                const char *msg, size_t len)
{
	struct sipcid_line_learn_entry *e =
		slot(l->pending_register, SIPCID_LINE_LEARN_PENDING_MAX, &pkt->dst, &pkt->src);
	e->ep = pkt->dst;
	e->peer = pkt->src;
	e->ifindex = pkt->ingress_ifindex;
	e->seen_us = pkt->time_us;
	/* The ATA's other names for itself (behind NAT, or with several
	 * addresses): believed with the source, once the registrar says 2xx. */
	struct sip_span v;
	memset(e->names, 0, sizeof e->names);
	if (sipcid_sip_header_value(msg, len, "Contact", 'm', &v))
		contact_host(v, &e->names[0]);
	if (sipcid_sip_header_value(msg, len, "Via", 'v', &v))
		via_host(v, &e->names[1]);
}

void sipcid_line_learn_invite_out(struct sipcid_line_learn *l, const struct sipcid_packet *pkt)
{
	remember(l->pending_invite, SIPCID_LINE_LEARN_PENDING_MAX, &pkt->dst, &pkt->src,
	         pkt->ingress_ifindex, pkt->time_us);
}

/* The pending entry a response from pkt->src to pkt->dst answers, if any. */
static struct sipcid_line_learn_entry *answered(struct sipcid_line_learn_entry *t,
                                                const struct sipcid_packet *pkt)
{
	for (unsigned i = 0; i < SIPCID_LINE_LEARN_PENDING_MAX; i++) {
		struct sipcid_line_learn_entry *e = &t[i];
		if (!fresh(e, pkt->time_us, SIPCID_LINE_LEARN_PENDING_US) ||
		    !same_addr(&e->ep, &pkt->src) || !same_addr(&e->peer, &pkt->dst))
			continue;
		/* Request and answer on the same bridge port would mean both ends
		 * sit on one side: that is no line to learn. */
		if (e->ifindex && pkt->ingress_ifindex && e->ifindex == pkt->ingress_ifindex)
			continue;
		return e;
	}
	return NULL;
}

/* The pending entry pkt answers, no longer pending, with pkt's source
 * remembered in `into`; NULL when it answers none. */
static struct sipcid_line_learn_entry *confirm(struct sipcid_line_learn_entry *pending,
                                               struct sipcid_line_learn_entry *into,
                                               const struct sipcid_packet *pkt)
{
	struct sipcid_line_learn_entry *e = answered(pending, pkt);
	if (e) {
		remember(into, SIPCID_LINE_LEARN_PROVIDER_MAX, &pkt->src, NULL, pkt->ingress_ifindex,
		         pkt->time_us);
		e->ep.family = 0;
	}
	return e;
}

void sipcid_line_learn_response(struct sipcid_line_learn *l, const struct sipcid_packet *pkt,
                                const struct sipcid_sip_scan *scan)
{
	if (scan->status < 200 || scan->status >= 300)
		return;
	if (scan->cseq_method == SIP_METHOD_INVITE) {
		confirm(l->pending_invite, l->peers, pkt);
		return;
	}
	if (scan->cseq_method != SIP_METHOD_REGISTER)
		return;
	const struct sipcid_line_learn_entry *e = confirm(l->pending_register, l->registrars, pkt);
	if (!e)
		return;
	remember(l->ata, SIPCID_LINE_LEARN_ATA_MAX, &e->peer, NULL, e->ifindex, pkt->time_us);
	for (unsigned i = 0; i < G_N_ELEMENTS(e->names); i++)
		if (e->names[i].family && !same_addr(&e->names[i], &pkt->src))
			remember(l->ata, SIPCID_LINE_LEARN_ATA_MAX, &e->names[i], NULL, e->ifindex,
			         pkt->time_us);
	if (e->ifindex)
		l->ata_ifindex = e->ifindex;
	l->registrations++;
}

static bool is_ata_addr(const struct sipcid_line_learn *l, const struct sipcid_endpoint *ep,
                        int64_t now_us)
{
	for (unsigned i = 0; i < SIPCID_LINE_LEARN_ATA_MAX; i++)
		if (fresh(&l->ata[i], now_us, SIPCID_LINE_LEARN_LIFETIME_US) &&
		    same_addr(&l->ata[i].ep, ep))
			return true;
	return false;
}

bool sipcid_line_learn_from_ata(const struct sipcid_line_learn *l,
                                const struct sipcid_packet *pkt)
{
	if (l->ata_ifindex && pkt->ingress_ifindex)
		return pkt->ingress_ifindex == l->ata_ifindex;
	return is_ata_addr(l, &pkt->src, pkt->time_us);
}

bool sipcid_line_learn_knows_provider(const struct sipcid_line_learn *l, int64_t now_us)
{
	for (unsigned i = 0; i < SIPCID_LINE_LEARN_PROVIDER_MAX; i++)
		if (fresh(&l->registrars[i], now_us, SIPCID_LINE_LEARN_LIFETIME_US))
			return true;
	return false;
}

static bool same_network(const struct sipcid_endpoint *a, const struct sipcid_endpoint *b)
{
	if (!a->family || a->family != b->family)
		return false;
	return !memcmp(a->addr, b->addr, a->family == AF_INET ? 3 : 8);  /* /24, /64 */
}

bool sipcid_line_learn_is_provider(const struct sipcid_line_learn *l,
                                   const struct sipcid_endpoint *src, int64_t now_us)
{
	if (is_ata_addr(l, src, now_us))
		return false;  /* the ATA's own address is never the provider */
	for (unsigned i = 0; i < SIPCID_LINE_LEARN_PROVIDER_MAX; i++) {
		if (fresh(&l->registrars[i], now_us, SIPCID_LINE_LEARN_LIFETIME_US) &&
		    same_network(&l->registrars[i].ep, src))
			return true;
		if (fresh(&l->peers[i], now_us, SIPCID_LINE_LEARN_LIFETIME_US) &&
		    same_addr(&l->peers[i].ep, src))
			return true;
	}
	return false;
}

static void format_list(GString *out, const char *key, const struct sipcid_line_learn_entry *t,
                        unsigned n, int64_t now_us)
{
	g_string_append_printf(out, "%-22s", key);
	unsigned shown = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!fresh(&t[i], now_us, SIPCID_LINE_LEARN_LIFETIME_US))
			continue;
		char text[INET6_ADDRSTRLEN] = "?";
		inet_ntop(t[i].ep.family, t[i].ep.addr, text, sizeof text);
		g_string_append_printf(out, " %s", text);
		shown++;
		if (t[i].ep.port)
			g_string_append_printf(out, ":%u", t[i].ep.port);
		g_string_append_printf(out, " (%" G_GINT64_FORMAT " s ago)",
		                       (now_us - t[i].seen_us) / G_USEC_PER_SEC);
	}
	g_string_append(out, shown ? "\n" : " none\n");
}

void sipcid_line_learn_format(const struct sipcid_line_learn *l, int64_t now_us, GString *out)
{
	g_string_append_printf(out, "%-22s %u%s\n", "line-ata-port:", l->ata_ifindex,
	                       l->ata_ifindex ? "  (ifindex of the bridge port facing the ATA)"
	                                      : "  (not learned yet: the ATA has not registered)");
	format_list(out, "line-ata:", l->ata, SIPCID_LINE_LEARN_ATA_MAX, now_us);
	format_list(out, "line-registrars:", l->registrars, SIPCID_LINE_LEARN_PROVIDER_MAX, now_us);
	format_list(out, "line-dialog-peers:", l->peers, SIPCID_LINE_LEARN_PROVIDER_MAX, now_us);
	g_string_append_printf(out, "%-22s %" G_GUINT64_FORMAT "\n", "line-registrations:",
	                       l->registrations);
}
