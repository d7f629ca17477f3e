/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small IPv4/IPv6 reassembler: first-fragment-wins overlap policy. */
#include "ip_defrag.h"

#include <glib.h>
#include <string.h>

enum { SLOTS = 16, MAX_DATAGRAM = 65535, HOLD_US = 30 * 1000000 };

struct slot {
	bool used;
	int version;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t proto;
	int64_t first_us;
	size_t header_len;              /* the first fragment's IP header, kept for the result */
	uint8_t header[60];
	size_t total;                   /* payload length, known once the last fragment is in */
	uint8_t have[MAX_DATAGRAM / 8 / 8 + 1];  /* one bit per 8-byte block */
	uint8_t *payload;
};

struct ip_defrag {
	struct slot slots[SLOTS];
	uint8_t out[MAX_DATAGRAM + 60];
};

struct ip_defrag *sipcid_ip_defrag_new(void)
{
	return g_new0(struct ip_defrag, 1);
}

void sipcid_ip_defrag_free(struct ip_defrag *d)
{
	if (!d)
		return;
	for (int i = 0; i < SLOTS; i++)
		g_free(d->slots[i].payload);
	g_free(d);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

struct frag {
	int version;
	const uint8_t *src, *dst;
	uint32_t id;
	uint8_t proto;
	size_t offset;                  /* bytes */
	bool more;
	size_t header_len;              /* IP header (IPv6: up to the fragment header) */
	const uint8_t *data;
	size_t data_len;
};

static bool parse_fragment(const uint8_t *d, size_t len, struct frag *f)
{
	memset(f, 0, sizeof *f);
	if (len >= 20 && d[0] >> 4 == 4) {
		size_t ihl = (size_t)(d[0] & 0x0f) * 4, tot = get16(d + 2);
		if (ihl < 20 || tot < ihl || tot > len)
			return false;
		uint16_t fl = get16(d + 6);
		if (!(fl & 0x2000) && !(fl & 0x1fff))
			return false;  /* not a fragment */
		*f = (struct frag){ 4, d + 12, d + 16, get16(d + 4), d[9], (size_t)(fl & 0x1fff) * 8,
			            (fl & 0x2000) != 0, ihl, d + ihl, tot - ihl };
		return true;
	}
	if (len >= 48 && d[0] >> 4 == 6 && d[6] == 44) {  /* a fragment header right after */
		size_t plen = get16(d + 4);
		if (40 + plen > len || plen < 8)
			return false;
		const uint8_t *fh = d + 40;
		uint16_t off = get16(fh + 2);
		*f = (struct frag){ 6, d + 8, d + 24,
			            (uint32_t)fh[4] << 24 | (uint32_t)fh[5] << 16 | (uint32_t)fh[6] << 8 | fh[7],
			            fh[0], (size_t)(off & 0xfff8), (off & 1) != 0, 40, d + 48, plen - 8 };
		return true;
	}
	return false;
}

static struct slot *find_slot(struct ip_defrag *d, const struct frag *f, int64_t now)
{
	size_t alen = f->version == 4 ? 4 : 16;
	struct slot *free_slot = NULL, *oldest = NULL;
	for (int i = 0; i < SLOTS; i++) {
		struct slot *s = &d->slots[i];
		if (s->used && now - s->first_us > HOLD_US)
			s->used = false;
		if (!s->used) {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (s->version == f->version && s->id == f->id && s->proto == f->proto &&
		    !memcmp(s->src, f->src, alen) && !memcmp(s->dst, f->dst, alen))
			return s;
		if (!oldest || s->first_us < oldest->first_us)
			oldest = s;
	}
	struct slot *s = free_slot ? free_slot : oldest;
	uint8_t *payload = s->payload;
	memset(s, 0, sizeof *s);
	s->payload = payload ? payload : g_malloc(MAX_DATAGRAM);
	s->used = true;
	s->version = f->version;
	memcpy(s->src, f->src, alen);
	memcpy(s->dst, f->dst, alen);
	s->id = f->id;
	s->proto = f->proto;
	s->first_us = now;
	return s;
}

static bool complete(const struct slot *s)
{
	if (!s->total || !s->header_len)
		return false;
	for (size_t b = 0; b * 8 < s->total; b++)
		if (!(s->have[b / 8] & (1u << (b % 8))))
			return false;
	return true;
}

bool sipcid_ip_defrag_feed(struct ip_defrag *d, const uint8_t *data, size_t len, int64_t now_us,
                    const uint8_t **out, size_t *out_len)
{
	struct frag f;
	*out = data;
	*out_len = len;
	if (!parse_fragment(data, len, &f))
		return false;
	*out_len = 0;
	if (f.offset + f.data_len > MAX_DATAGRAM - 60 || (f.more && f.data_len % 8))
		return false;  /* malformed: drop it from reassembly */
	struct slot *s = find_slot(d, &f, now_us);
	if (f.offset == 0 && f.header_len <= sizeof s->header) {
		memcpy(s->header, data, f.header_len);
		s->header_len = f.header_len;
	}
	if (!f.more)
		s->total = f.offset + f.data_len;
	/* Overlaps: the later copy wins, as the kernel's own reassembly would
	 * rather drop them; either way the result stays inside the buffer. */
	memcpy(s->payload + f.offset, f.data, f.data_len);
	for (size_t b = f.offset / 8; b * 8 < f.offset + f.data_len; b++)
		s->have[b / 8] |= (uint8_t)(1u << (b % 8));
	if (!complete(s))
		return false;
	/* The whole datagram: the first fragment's header, made unfragmented. */
	size_t hl = s->header_len;
	memcpy(d->out, s->header, hl);
	memcpy(d->out + hl, s->payload, s->total);
	if (s->version == 4) {
		put16(d->out + 2, hl + s->total);
		put16(d->out + 6, 0);
	} else {
		d->out[6] = s->proto;  /* drop the fragment header */
		put16(d->out + 4, s->total);
	}
	*out = d->out;
	*out_len = hl + s->total;
	s->used = false;
	return true;
}
