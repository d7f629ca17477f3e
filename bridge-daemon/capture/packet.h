/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A captured IP packet, decoded down to its transport payload. Both capture
 * stages (libpcap for --read, NFQUEUE for live mode) hand the pipeline this
 * struct; it points into the capture's buffer and owns nothing. */
#ifndef SIPCID_PACKET_H
#define SIPCID_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the packet path answers for each packet; the capture stage tells the
 * kernel (live) or ignores it (--read). */
enum sipcid_verdict { SIPCID_VERDICT_ACCEPT = 0, SIPCID_VERDICT_DROP };

enum sipcid_transport { SIPCID_TRANSPORT_UDP = 17, SIPCID_TRANSPORT_TCP = 6 };

struct sipcid_endpoint {
	int family;          /* AF_INET or AF_INET6 */
	uint8_t addr[16];    /* network byte order; IPv4 in the first 4 bytes */
	uint16_t port;       /* host byte order */
};

struct sipcid_packet {
	int64_t time_us;                 /* capture time, µs since the epoch */
	uint32_t ingress_ifindex;        /* bridge port it came in on; 0 when unknown */
	uint8_t src_mac[6];              /* the frame's source (NFQUEUE's NFQA_HWADDR) */
	bool has_src_mac;                /* false in --read and when the kernel gave none */
	enum sipcid_transport transport;
	struct sipcid_endpoint src, dst;
	const uint8_t *payload;          /* UDP or TCP payload */
	size_t payload_len;
	uint32_t tcp_seq;
	uint8_t tcp_flags;               /* TH_SYN, TH_FIN, TH_RST ... */
	bool fragment;                   /* an IP fragment other than a whole datagram */
	uint16_t ip_id;                  /* IPv4 identification, for fragment bookkeeping */
};

/* Decodes an IPv4 or IPv6 packet starting at its IP header. Returns false for
 * anything that is not UDP or TCP, or is truncated; such packets are simply
 * passed on. Never reads outside data[0..len). */
bool sipcid_packet_parse_ip(const uint8_t *data, size_t len, struct sipcid_packet *out);

#endif
