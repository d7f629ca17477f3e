/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ethernet + IPv4/IPv6 + UDP frames: see frame.h. */
#include "frame.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071: the one's complement sum of 16-bit words, carried in `sum`. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t sipcid_frame_build(uint8_t *buf, size_t size, const uint8_t dst_mac[6],
                          const uint8_t src_mac[6], const struct sipcid_endpoint *src,
                          const struct sipcid_endpoint *dst, const void *payload, size_t len)
{
	bool v6 = src->family == AF_INET6;
	if (src->family != dst->family || (!v6 && src->family != AF_INET))
		return 0;
	size_t ip_len = v6 ? 40 : 20, alen = v6 ? 16 : 4;
	size_t udp_len = 8 + len;
	size_t total = 14 + ip_len + udp_len;
	if (total > size || udp_len > 0xffff - ip_len)
		return 0;
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	put16(buf + 12, v6 ? 0x86dd : 0x0800);
	uint8_t *ip = buf + 14, *udp = ip + ip_len;
	memset(ip, 0, ip_len);
	if (v6) {
		ip[0] = 0x60;
		put16(ip + 4, (uint32_t)udp_len);
		ip[6] = IPPROTO_UDP;
		ip[7] = 64;
		memcpy(ip + 8, src->addr, 16);
		memcpy(ip + 24, dst->addr, 16);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (uint32_t)(ip_len + udp_len));
		ip[6] = 0x40;  /* DF: a reply is never fragmented, it is dropped instead */
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, src->addr, 4);
		memcpy(ip + 16, dst->addr, 4);
		put16(ip + 10, fold(sum16(0, ip, 20)));
	}
	put16(udp, src->port);
	put16(udp + 2, dst->port);
	put16(udp + 4, (uint32_t)udp_len);
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, len);
	/* The pseudo-header, then the datagram. Mandatory over IPv6 (RFC 8200). */
	uint32_t sum = sum16(0, src->addr, alen);
	sum = sum16(sum, dst->addr, alen);
	sum += IPPROTO_UDP + (uint32_t)udp_len;
	uint16_t c = fold(sum16(sum, udp, udp_len));
	put16(udp + 6, c ? c : 0xffff);  /* 0 means "no checksum": send its other form */
	return total;
}
