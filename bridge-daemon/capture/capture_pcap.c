/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading captures with libpcap, down to the IP packet. */
#include "capture_pcap.h"

#include "ip_defrag.h"
#include "log.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>

enum { MAX_TUNNEL_DEPTH = 4 };

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

struct ip_span {
	const uint8_t *p;
	size_t len;
};

static bool decode_ethernet(const uint8_t *d, size_t len, struct ip_span *out, int depth);
static bool decode_ip(const uint8_t *d, size_t len, struct ip_span *out, int depth);

/* A PPP frame (RFC 1661), as carried by PPPoE and PPTP's GRE: an optional
 * ff 03 address/control pair, then a 1- or 2-byte protocol. */
static bool decode_ppp(const uint8_t *d, size_t len, struct ip_span *out, int depth)
{
	size_t off = 0;
	if (len >= 2 && d[0] == 0xff && d[1] == 0x03)
		off = 2;
	if (off >= len)
		return false;
	uint16_t proto = d[off];
	if (proto & 1) {
		off += 1;
	} else {
		if (off + 2 > len)
			return false;
		proto = get16(d + off);
		off += 2;
	}
	if (proto == 0x21 || proto == 0x57)
		return decode_ip(d + off, len - off, out, depth + 1);
	return false;
}

/* Finds the innermost IP packet: this one, unless it carries a tunnel,
 * IP-in-IP (4, 41) or GRE (47). */
static bool decode_ip(const uint8_t *d, size_t len, struct ip_span *out, int depth)
{
	if (len < 20)
		return false;
	size_t hl;
	uint8_t proto;
	bool fragment = false;
	if (d[0] >> 4 == 4) {
		hl = (size_t)(d[0] & 0x0f) * 4;
		proto = d[9];
		fragment = (get16(d + 6) & 0x3fff) != 0;
	} else if (d[0] >> 4 == 6 && len >= 40) {
		hl = 40;
		proto = d[6];
	} else {
		return false;
	}
	bool tunnel = proto == 4 || proto == 41 || proto == 47;
	if (!tunnel || fragment || depth >= MAX_TUNNEL_DEPTH || hl > len) {
		*out = (struct ip_span){ d, len };
		return true;
	}
	const uint8_t *inner = d + hl;
	size_t ilen = len - hl;
	if (proto == 4 || proto == 41)
		return decode_ip(inner, ilen, out, depth + 1);
	if (proto != 47 || ilen < 4)
		return false;
	/* GRE (RFC 2784/2890): flags C, K, S add 4 bytes each. */
	uint16_t flags = get16(inner), type = get16(inner + 2);
	size_t off = 4 + ((flags & 0x8000) ? 4 : 0) + ((flags & 0x2000) ? 4 : 0) +
	             ((flags & 0x1000) ? 4 : 0) + ((flags & 0x0080) ? 4 : 0) /* PPTP ack */;
	if (off > ilen)
		return false;
	switch (type) {
	case 0x0800:
	case 0x86dd: return decode_ip(inner + off, ilen - off, out, depth + 1);
	case 0x6558: return decode_ethernet(inner + off, ilen - off, out, depth + 1);
	case 0x880b: return decode_ppp(inner + off, ilen - off, out, depth);  /* PPTP */
	case 0x88be:  /* ERSPAN type II: an 8-byte header, then the mirrored frame */
		return off + 8 <= ilen && decode_ethernet(inner + off + 8, ilen - off - 8, out, depth + 1);
	case 0x22eb: {  /* ERSPAN type III: 12 bytes, plus 8 with the O flag */
		if (off + 12 > ilen)
			return false;
		size_t hdr = 12 + ((inner[off + 11] & 1) ? 8 : 0);
		/* The optional subheader is checked too: a frame that ends inside
		 * it has no mirrored frame after it. */
		if (off + hdr > ilen)
			return false;
		return decode_ethernet(inner + off + hdr, ilen - off - hdr, out, depth + 1);
	}
	default: return false;
	}
}

static bool decode_ethertype(uint16_t type, const uint8_t *d, size_t len,
                             struct ip_span *out, int depth)
{
	if (type == 0x0800 || type == 0x86dd)
		return decode_ip(d, len, out, depth);
	if (type == 0x8864 && len >= 6)  /* PPPoE session: 6-byte header, then PPP */
		return decode_ppp(d + 6, len - 6, out, depth);
	return false;
}

static bool decode_ethernet(const uint8_t *d, size_t len, struct ip_span *out, int depth)
{
	if (len < 14)
		return false;
	size_t off = 12;
	uint16_t type = get16(d + off);
	/* 802.1Q / 802.1ad tags, possibly stacked. */
	while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && off + 6 <= len) {
		off += 4;
		type = get16(d + off);
	}
	off += 2;
	if (off > len)
		return false;
	return decode_ethertype(type, d + off, len - off, out, depth);
}

static bool find_ip(int linktype, const uint8_t *d, size_t len, struct ip_span *out)
{
	switch (linktype) {
	case DLT_EN10MB:
		return decode_ethernet(d, len, out, 0);
	case DLT_LINUX_SLL:  /* 16-byte header, protocol at 14 */
		return len >= 16 && decode_ethertype(get16(d + 14), d + 16, len - 16, out, 0);
	case DLT_LINUX_SLL2:  /* 20-byte header, protocol at 0 */
		return len >= 20 && decode_ethertype(get16(d), d + 20, len - 20, out, 0);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
#ifdef DLT_RAW_ALT
	case DLT_RAW_ALT:
#endif
		return decode_ip(d, len, out, 0);
	case DLT_NULL:
	case DLT_LOOP:  /* a 4-byte address family, in either byte order */
		return len >= 4 && decode_ip(d + 4, len - 4, out, 0);
	default:
		return false;
	}
}

bool sipcid_pcap_frame_decode(int linktype, const uint8_t *d, size_t len, struct sipcid_packet *out)
{
	struct ip_span ip;
	return find_ip(linktype, d, len, &ip) && sipcid_packet_parse_ip(ip.p, ip.len, out);
}

static bool linktype_supported(int lt)
{
	return lt == DLT_EN10MB || lt == DLT_LINUX_SLL || lt == DLT_LINUX_SLL2 || lt == DLT_RAW ||
	       lt == DLT_IPV4 || lt == DLT_IPV6 || lt == DLT_NULL || lt == DLT_LOOP;
}

bool sipcid_pcap_read(const char *path, sipcid_packet_fn fn, void *ctx, uint64_t *frames,
                      GError **error)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	FILE *f = fopen(path, "rb");
	if (!f) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
		            "cannot open the capture %s: %s", path, g_strerror(errno));
		return false;
	}
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!p) {
		fclose(f);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%s is not a pcap or pcapng capture (%s)", path, errbuf);
		return false;
	}
	int lt = pcap_datalink(p);
	if (!linktype_supported(lt)) {
		const char *name = pcap_datalink_val_to_name(lt);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%s: link type %s (%d) is not supported; use Ethernet, Linux cooked or raw IP",
		            path, name ? name : "unknown", lt);
		pcap_close(p);
		return false;
	}
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;
	uint64_t n = 0;
	struct ip_defrag *defrag = sipcid_ip_defrag_new();
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		n++;
		struct ip_span ip;
		/* A pcapng file may change link type per interface. */
		if (!find_ip(pcap_datalink(p), data, hdr->caplen, &ip))
			continue;
		struct sipcid_packet pkt = { 0 };
		/* A hostile capture may hold any timestamp: one that µs since the
		 * epoch cannot hold reads as 0, rather than overflow. */
		int64_t secs = hdr->ts.tv_sec;
		if (secs < 0 || secs > INT64_MAX / 1000000 - 10000)
			secs = 0;
		pkt.time_us = secs * 1000000 + hdr->ts.tv_usec;
		const uint8_t *whole;
		size_t whole_len;
		sipcid_ip_defrag_feed(defrag, ip.p, ip.len, pkt.time_us, &whole, &whole_len);
		if (whole_len && sipcid_packet_parse_ip(whole, whole_len, &pkt))
			fn(ctx, &pkt);
	}
	sipcid_ip_defrag_free(defrag);
	bool ok = true;
	if (rc == PCAP_ERROR) {
		/* A capture cut short (a crashed tcpdump) still yields its packets. */
		sipcid_log_warnx("%s: the capture ends early after %" G_GUINT64_FORMAT " packets: %s",
		                 path, n, pcap_geterr(p));
	}
	if (frames)
		*frames = n;
	pcap_close(p);
	return ok;
}
