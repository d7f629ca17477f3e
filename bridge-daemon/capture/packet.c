/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPv4/IPv6 and UDP/TCP header decoding, shared by both capture stages. */
#include "packet.h"

#include <glib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool parse_transport(uint8_t proto, const uint8_t *l4, size_t len,
                            struct sipcid_packet *out)
{
	out->transport_header = l4;
	if (proto == IPPROTO_UDP) {
		if (len < 8)
			return false;
		size_t ulen = get16(l4 + 4);
		out->transport = SIPCID_TRANSPORT_UDP;
		out->src.port = get16(l4);
		out->dst.port = get16(l4 + 2);
		/* Trust the IP length over the UDP length when they disagree. */
		if (ulen >= 8 && ulen <= len)
			len = ulen;
		out->payload = l4 + 8;
		out->payload_len = len - 8;
		return true;
	}
	if (proto == IPPROTO_TCP) {
		if (len < 20)
			return false;
		size_t off = (size_t)(l4[12] >> 4) * 4;
		if (off < 20 || off > len)
			return false;
		out->transport = SIPCID_TRANSPORT_TCP;
		out->src.port = get16(l4);
		out->dst.port = get16(l4 + 2);
		out->tcp_seq = get32(l4 + 4);
		out->tcp_flags = l4[13];
		out->payload = l4 + off;
		out->payload_len = len - off;
		return true;
	}
	return false;
}

static bool parse_ipv4(const uint8_t *d, size_t len, struct sipcid_packet *out)
{
	if (len < 20)
		return false;
	size_t ihl = (size_t)(d[0] & 0x0f) * 4;
	size_t total = get16(d + 2);
	if (ihl < 20 || ihl > len || total < ihl)
		return false;
	if (total < len)
		len = total;  /* Ethernet padding */
	out->src.family = out->dst.family = AF_INET;
	memcpy(out->src.addr, d + 12, 4);
	memcpy(out->dst.addr, d + 16, 4);
	out->ip_id = get16(d + 4);
	uint16_t frag = get16(d + 6);
	bool more = frag & 0x2000;
	uint16_t offset = frag & 0x1fff;
	if (more || offset) {
		out->fragment = true;
		if (offset)
			return false;  /* a later fragment: no transport header */
	}
	return parse_transport(d[9], d + ihl, len - ihl, out);
}

static bool parse_ipv6(const uint8_t *d, size_t len, struct sipcid_packet *out)
{
	if (len < 40)
		return false;
	size_t plen = get16(d + 4);
	if (40 + plen < len)
		len = 40 + plen;
	out->src.family = out->dst.family = AF_INET6;
	memcpy(out->src.addr, d + 8, 16);
	memcpy(out->dst.addr, d + 24, 16);
	uint8_t next = d[6];
	size_t off = 40;
	/* Walk the extension headers, however many: the kernel delivers a
	 * packet with any number of them, so a phone would get it. Each one
	 * moves at least 8 bytes on, so the walk ends within the packet. */
	for (;;) {
		if (next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS) {
			if (off + 8 > len)
				return false;
			next = d[off];
			off += ((size_t)d[off + 1] + 1) * 8;
		} else if (next == IPPROTO_AH) {  /* RFC 4302: length in 4-byte units, minus 2 */
			if (off + 8 > len)
				return false;
			next = d[off];
			off += ((size_t)d[off + 1] + 2) * 4;
		} else if (next == IPPROTO_FRAGMENT) {
			if (off + 8 > len)
				return false;
			out->fragment = true;
			if ((get16(d + off + 2) & 0xfff8) != 0)
				return false;
			next = d[off];
			off += 8;
		} else {
			break;
		}
		if (off > len)
			return false;
	}
	return parse_transport(next, d + off, len - off, out);
}

bool sipcid_packet_parse_ip(const uint8_t *data, size_t len, struct sipcid_packet *out)
{
	int64_t t = out->time_us;
	uint32_t ifindex = out->ingress_ifindex;
	memset(out, 0, sizeof *out);
	out->time_us = t;
	out->ingress_ifindex = ifindex;
	if (len < 1)
		return false;
	switch (data[0] >> 4) {
	case 4: return parse_ipv4(data, len, out);
	case 6: return parse_ipv6(data, len, out);
	default: return false;
	}
}


/* RFC 1071: the one's complement sum of 16-bit words, folded. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len >= 2; p += 2, len -= 2)
		sum += get16(p);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

void sipcid_packet_tcp_checksum(const struct sipcid_packet *pkt, uint8_t *l4)
{
	size_t seg_len = (size_t)(pkt->payload + pkt->payload_len - pkt->transport_header);
	size_t alen = pkt->src.family == AF_INET ? 4 : 16;
	/* The pseudo-header (RFC 793, RFC 8200 §8.1): addresses, protocol, length. */
	uint32_t sum = sum16(0, pkt->src.addr, alen);
	sum = sum16(sum, pkt->dst.addr, alen);
	sum += IPPROTO_TCP + (uint32_t)(seg_len & 0xffff) + (uint32_t)(seg_len >> 16);
	l4[16] = l4[17] = 0;
	sum = sum16(sum, l4, seg_len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t c = (uint16_t)~sum;
	l4[16] = (uint8_t)(c >> 8);
	l4[17] = (uint8_t)c;
}
