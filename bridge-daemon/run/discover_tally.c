/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tallying SIP in copies of the bridge's traffic (see discover_tally.h). */
#include "discover_tally.h"

#include "sip_scan.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum { SIP_TLS_PORT = 5061 };

void sipcid_discover_tally_init(struct sipcid_discover_tally *t)
{
	memset(t, 0, sizeof *t);
	sipcid_line_learn_init(&t->line);
}

static void count_port(struct sipcid_discover_tally *t, enum sipcid_transport tr, uint16_t port)
{
	struct sipcid_discover_port *free_slot = NULL;
	for (unsigned i = 0; i < SIPCID_DISCOVER_PORTS_MAX; i++) {
		struct sipcid_discover_port *p = &t->ports[i];
		if (p->transport == tr && p->port == port) {
			p->messages++;
			return;
		}
		if (!p->transport && !free_slot)
			free_slot = p;
	}
	if (!free_slot) {
		t->ports_full++;
		return;
	}
	*free_slot = (struct sipcid_discover_port){ tr, port, 1 };
}

static bool same_endpoint(const struct sipcid_endpoint *a, const struct sipcid_endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static void note_tls(struct sipcid_discover_tally *t, const struct sipcid_endpoint *client,
                     const struct sipcid_endpoint *server)
{
	struct sipcid_discover_tls *free_slot = NULL;
	for (unsigned i = 0; i < SIPCID_DISCOVER_TLS_MAX; i++) {
		struct sipcid_discover_tls *e = &t->tls[i];
		if (e->server.family && same_endpoint(&e->server, server) &&
		    !memcmp(e->client.addr, client->addr, sizeof client->addr)) {
			e->hellos++;
			return;
		}
		if (!e->server.family && !free_slot)
			free_slot = e;
	}
	if (free_slot)
		*free_slot = (struct sipcid_discover_tls){ *client, *server, 1 };
}

/* A TLS handshake record (RFC 8446 5.1: type 22, version 3.x) holding a
 * ClientHello (1) or ServerHello (2): returns 1 or 2, else 0. */
static int tls_hello(const uint8_t *p, size_t len)
{
	if (len < 6 || p[0] != 0x16 || p[1] != 0x03 || p[2] > 0x04)
		return 0;
	return p[5] == 1 || p[5] == 2 ? p[5] : 0;
}

static void sip_message(struct sipcid_discover_tally *t, const struct sipcid_packet *pkt,
                        const struct sipcid_sip_scan *s)
{
	t->sip_messages++;
	/* Over UDP both ends listen on the ports they send from (RFC 3261
	 * 18.1.1, RFC 3581); over TCP only the server's end is a SIP port, the
	 * client's is any. Either end in sipcid-firewall's --ports is enough. */
	if (pkt->transport == SIPCID_TRANSPORT_UDP) {
		count_port(t, pkt->transport, pkt->src.port);
		if (pkt->dst.port != pkt->src.port)
			count_port(t, pkt->transport, pkt->dst.port);
	} else {
		count_port(t, pkt->transport, s->is_request ? pkt->dst.port : pkt->src.port);
	}
	if (s->is_request && s->method == SIP_METHOD_REGISTER) {
		t->registers++;
		t->register_src = pkt->src;
		t->register_dst = pkt->dst;
		t->register_transport = pkt->transport;
		t->register_ifindex = pkt->ingress_ifindex;
		sipcid_line_learn_register(&t->line, pkt, (const char *)pkt->payload, pkt->payload_len);
		return;
	}
	if (s->is_request || s->cseq_method != SIP_METHOD_REGISTER || s->status < 200)
		return;
	/* An answer to the ATA's REGISTER: what it says, and from whom. */
	if (same_endpoint(&pkt->src, &t->register_dst) && same_endpoint(&pkt->dst, &t->register_src))
		t->register_status = s->status;
	uint64_t before = t->line.registrations;
	sipcid_line_learn_response(&t->line, pkt, s);
	if (t->line.registrations != before) {
		t->registrar = pkt->src;
		t->registrar_transport = pkt->transport;
	}
}

void sipcid_discover_tally_packet(struct sipcid_discover_tally *t, const struct sipcid_packet *pkt)
{
	t->copies++;
	struct sipcid_sip_scan s;
	if (pkt->payload_len && sipcid_sip_scan((const char *)pkt->payload, pkt->payload_len, &s)) {
		sip_message(t, pkt, &s);
		return;
	}
	int hello = pkt->transport == SIPCID_TRANSPORT_TCP ? tls_hello(pkt->payload, pkt->payload_len) : 0;
	if (hello == 1)
		note_tls(t, &pkt->src, &pkt->dst);
	else if (hello == 2)
		note_tls(t, &pkt->dst, &pkt->src);
	else
		t->not_sip++;
}

bool sipcid_discover_tally_done(const struct sipcid_discover_tally *t)
{
	return t->line.registrations > 0;
}

bool sipcid_discover_tally_found(const struct sipcid_discover_tally *t)
{
	return t->sip_messages > 0;
}

bool sipcid_discover_tally_sip_tls(const struct sipcid_discover_tally *t)
{
	for (unsigned i = 0; i < SIPCID_DISCOVER_TLS_MAX; i++)
		if (t->tls[i].server.family && t->tls[i].server.port == SIP_TLS_PORT)
			return true;
	return false;
}

static const char *transport_name(enum sipcid_transport tr)
{
	return tr == SIPCID_TRANSPORT_TCP ? "tcp" : "udp";
}

/* "10.77.0.1:10000/udp", or "[fd77::1]:10000/udp". */
static void append_endpoint(GString *out, const struct sipcid_endpoint *ep, enum sipcid_transport tr)
{
	char text[INET6_ADDRSTRLEN] = "?";
	inet_ntop(ep->family, ep->addr, text, sizeof text);
	g_string_append_printf(out, ep->family == AF_INET6 ? "[%s]:%u" : "%s:%u", text, ep->port);
	if (tr)
		g_string_append_printf(out, "/%s", transport_name(tr));
}

static void append_address(GString *out, const struct sipcid_endpoint *ep)
{
	char text[INET6_ADDRSTRLEN] = "?";
	inet_ntop(ep->family, ep->addr, text, sizeof text);
	g_string_append(out, text);
}

static void append_bridge_port(GString *out, uint32_t ifindex)
{
	char name[IF_NAMESIZE] = "";
	if (ifindex && if_indextoname(ifindex, name))
		g_string_append_printf(out, ", on bridge port %s", name);
}

/* The ports, most SIP first; ties by port number so the answer is stable. */
static int by_messages(const void *a, const void *b)
{
	const struct sipcid_discover_port *x = a, *y = b;
	if (x->messages != y->messages)
		return x->messages < y->messages ? 1 : -1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->transport - (int)y->transport;
}

static void report_line(const struct sipcid_discover_tally *t, GString *out)
{
	if (t->line.registrations) {
		g_string_append(out, "The phone adapter (ATA): ");
		append_address(out, &t->register_src);
		/* Over TCP its port is any the kernel gave the connection. */
		if (t->register_transport == SIPCID_TRANSPORT_TCP) {
			g_string_append(out, ", sending its SIP over TCP");
		} else {
			g_string_append(out, ", sending its SIP from ");
			append_endpoint(out, &t->register_src, t->register_transport);
		}
		append_bridge_port(out, t->line.ata_ifindex);
		g_string_append(out, ".\nThe provider (registrar): ");
		append_address(out, &t->registrar);
		g_string_append(out, ", its SIP at ");
		append_endpoint(out, &t->registrar, t->registrar_transport);
		g_string_append(out, "; it accepted the ATA's registration.\n");
		return;
	}
	if (t->registers) {
		g_string_append(out, "The phone adapter (ATA) is probably ");
		if (t->register_transport == SIPCID_TRANSPORT_TCP)
			append_address(out, &t->register_src);
		else
			append_endpoint(out, &t->register_src, t->register_transport);
		append_bridge_port(out, t->register_ifindex);
		g_string_append(out, ": it asked ");
		append_endpoint(out, &t->register_dst, t->register_transport);
		if (t->register_status)
			g_string_append_printf(out, " to register it, and was answered %d, not 200 OK: "
			                       "check the ATA's account settings (user name, password).\n",
			                       t->register_status);
		else
			g_string_append(out, " to register it, and no answer was seen: is the provider "
			                "reachable?\n");
		return;
	}
	g_string_append(out, "No registration was seen, so the ATA and the provider are not known "
	                "for sure. An ATA registers every few minutes to every hour: restart it "
	                "(unplug it for ten seconds) while this runs, or watch longer (--seconds).\n");
}

static void report_tls(const struct sipcid_discover_tally *t, GString *out)
{
	bool sip_tls = sipcid_discover_tally_sip_tls(t);
	/* Other encrypted connections (firmware updates, provisioning) are no
	 * news unless nothing readable was seen. */
	if (!sip_tls && (sipcid_discover_tally_found(t) || !t->tls[0].server.family))
		return;
	g_string_append(out, sip_tls ? "SIP over TLS (encrypted) crossed the bridge:"
	                             : "No readable SIP was seen, but encrypted (TLS) connections were:");
	for (unsigned i = 0; i < SIPCID_DISCOVER_TLS_MAX; i++) {
		const struct sipcid_discover_tls *e = &t->tls[i];
		if (!e->server.family || (sip_tls && e->server.port != SIP_TLS_PORT))
			continue;
		g_string_append_c(out, ' ');
		append_address(out, &e->client);
		g_string_append(out, " to ");
		append_endpoint(out, &e->server, SIPCID_TRANSPORT_TCP);
		g_string_append_c(out, ';');
	}
	g_string_truncate(out, out->len - 1);
	g_string_append(out, sip_tls ? ".\n" : ".\nIf one of them is your provider's SIP server:\n");
	g_string_append(out, "This line's SIP is encrypted and cannot be read: sipcid cannot show "
	                "who is calling or block any call on it. To use sipcid, set the ATA's SIP "
	                "transport to UDP (or TCP) in its settings, if your provider allows it.\n");
}

void sipcid_discover_tally_report(const struct sipcid_discover_tally *t, double seconds,
                                  GString *out)
{
	g_string_append_printf(out, "Watched the bridge for %.1f s: %" G_GUINT64_FORMAT
	                       " SIP messages in %" G_GUINT64_FORMAT " copies.\n", seconds,
	                       t->sip_messages, t->copies);
	if (sipcid_discover_tally_found(t))
		report_line(t, out);
	report_tls(t, out);
	if (!sipcid_discover_tally_found(t)) {
		if (!sipcid_discover_tally_sip_tls(t))
			g_string_append(out, "No SIP was seen. Is the ATA plugged into the bridge? An "
			                "idle ATA may say nothing for a long time: restart it while "
			                "this runs, or watch longer (--seconds).\n");
		return;
	}
	struct sipcid_discover_port sorted[SIPCID_DISCOVER_PORTS_MAX];
	unsigned n = 0;
	for (unsigned i = 0; i < SIPCID_DISCOVER_PORTS_MAX; i++)
		if (t->ports[i].transport)
			sorted[n++] = t->ports[i];
	qsort(sorted, n, sizeof sorted[0], by_messages);
	g_string_append(out, "SIP was seen on:");
	for (unsigned i = 0; i < n; i++)
		g_string_append_printf(out, "%s port %u/%s (%" G_GUINT64_FORMAT " messages)",
		                       i ? "," : "", sorted[i].port, transport_name(sorted[i].transport),
		                       sorted[i].messages);
	g_string_append(out, ".\n");
	if (t->ports_full)
		g_string_append_printf(out, "%" G_GUINT64_FORMAT " more messages were on other ports "
		                       "(only %d fit sipcid-firewall --ports).\n", t->ports_full,
		                       SIPCID_DISCOVER_PORTS_MAX);
	/* The firewall matches a port on UDP and TCP alike: each port once. */
	g_string_append(out, "SIPCID_PORTS=");
	bool first = true;
	for (unsigned i = 0; i < n; i++) {
		bool dup = false;
		for (unsigned k = 0; k < i; k++)
			dup |= sorted[k].port == sorted[i].port;
		if (dup)
			continue;
		g_string_append_printf(out, "%s%u", first ? "" : ",", sorted[i].port);
		first = false;
	}
	g_string_append_c(out, '\n');
}
