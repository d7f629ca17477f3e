/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What `sipcid-firewall discover` learns from copies of the bridge's traffic
 * (sipcidd --discover, discover.h): which ports and transports carry SIP,
 * which address is the ATA and which its provider, and whether the line
 * speaks SIP over TLS, which nobody on the bridge can read.
 *
 * The ATA and the registrar are told apart as the pipeline does
 * (line_learn.h): the ATA sends REGISTER, the registrar answers it 2xx.
 *
 * Every byte is hostile: a copy that does not scan as SIP, or does not start
 * a TLS handshake, only counts. Fixed tables, no allocation but the report. */
#ifndef SIPCID_DISCOVER_TALLY_H
#define SIPCID_DISCOVER_TALLY_H

#include "line_learn.h"
#include "packet.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
	SIPCID_DISCOVER_PORTS_MAX = 15,    /* sipcid-firewall --ports takes 15 */
	SIPCID_DISCOVER_TLS_MAX = 8,       /* TLS client/server pairs kept */
};

struct sipcid_discover_port {
	enum sipcid_transport transport;   /* 0: unused slot */
	uint16_t port;
	uint64_t messages;
};

struct sipcid_discover_tls {
	struct sipcid_endpoint client, server;  /* server.family 0: unused slot */
	uint64_t hellos;
};

struct sipcid_discover_tally {
	struct sipcid_line_learn line;
	struct sipcid_discover_port ports[SIPCID_DISCOVER_PORTS_MAX];
	uint64_t ports_full;               /* SIP on a port the table had no room for */
	struct sipcid_discover_tls tls[SIPCID_DISCOVER_TLS_MAX];
	uint64_t copies;                   /* every copy handed in */
	uint64_t sip_messages;
	uint64_t not_sip;                  /* copies neither SIP nor a TLS ClientHello */
	uint64_t registers;
	/* The last REGISTER and the last final answer to one, whatever it was:
	 * a line that is refused (403) is still found. */
	struct sipcid_endpoint register_src, register_dst;
	enum sipcid_transport register_transport;
	uint32_t register_ifindex;
	int register_status;               /* 0: no final answer seen */
	/* The answer that made the registration known (2xx). */
	struct sipcid_endpoint registrar;
	enum sipcid_transport registrar_transport;
};

void sipcid_discover_tally_init(struct sipcid_discover_tally *t);
/* One copy of a packet that crossed the bridge. */
void sipcid_discover_tally_packet(struct sipcid_discover_tally *t, const struct sipcid_packet *pkt);
/* True once a REGISTER was answered 2xx: the ATA and the registrar are known
 * and there is no need to watch longer. */
bool sipcid_discover_tally_done(const struct sipcid_discover_tally *t);
/* True when SIP that can be read was seen. */
bool sipcid_discover_tally_found(const struct sipcid_discover_tally *t);
/* True when a TLS handshake went to or from port 5061 (SIP over TLS). */
bool sipcid_discover_tally_sip_tls(const struct sipcid_discover_tally *t);

/* The report for a person, after `seconds` of watching. When SIP was read,
 * its last line is "SIPCID_PORTS=P1,P2" (the ports by how much SIP they
 * carried), for sipcid-firewall discover --write. */
void sipcid_discover_tally_report(const struct sipcid_discover_tally *t, double seconds,
                                  GString *out);

#endif
