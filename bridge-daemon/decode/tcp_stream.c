/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-flow TCP reassembly and SIP message framing. */
#include "tcp_stream.h"

#include "sip_scan.h"

#include <glib.h>
#include <string.h>

enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04 };

struct flow_key {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t family;
};

/* A change made to a segment's bytes, made again to their retransmissions. */
struct change {
	uint32_t seq;
	uint16_t len;
	char bytes[SIPCID_TCP_CHANGE_MAX];
};

struct flow {
	struct flow_key key;
	struct change changes[SIPCID_TCP_CHANGES];
	unsigned next_change;
	bool in_sync;          /* the buffer starts at a message boundary */
	uint32_t next_seq;
	size_t len;
	int64_t last_us;
	GList lru;
	char *buf;
};

struct sipcid_tcp_streams {
	unsigned max_flows;
	size_t max_buffer;
	GHashTable *flows;     /* struct flow_key* -> struct flow* */
	GQueue lru;            /* least recently active first */
	uint64_t overflows;
};

static guint key_hash(gconstpointer p)
{
	const struct flow_key *k = p;
	guint h = 2166136261u;
	const uint8_t *b = p;
	for (size_t i = 0; i < sizeof *k; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(struct flow_key)) == 0;
}

static void flow_free(gpointer p)
{
	struct flow *f = p;
	g_free(f->buf);
	g_free(f);
}

struct sipcid_tcp_streams *sipcid_tcp_streams_new(unsigned max_flows, size_t max_buffer)
{
	struct sipcid_tcp_streams *ts = g_new0(struct sipcid_tcp_streams, 1);
	ts->max_flows = max_flows ? max_flows : 1;
	ts->max_buffer = max_buffer;
	ts->flows = g_hash_table_new_full(key_hash, key_equal, NULL, flow_free);
	g_queue_init(&ts->lru);
	return ts;
}

void sipcid_tcp_streams_free(struct sipcid_tcp_streams *ts)
{
	if (!ts)
		return;
	g_hash_table_unref(ts->flows);
	g_free(ts);
}

unsigned sipcid_tcp_streams_count(const struct sipcid_tcp_streams *ts)
{
	return g_hash_table_size(ts->flows);
}

uint64_t sipcid_tcp_streams_overflows(const struct sipcid_tcp_streams *ts)
{
	return ts->overflows;
}

static void drop_flow(struct sipcid_tcp_streams *ts, struct flow *f)
{
	g_queue_unlink(&ts->lru, &f->lru);
	g_hash_table_remove(ts->flows, &f->key);
}

static struct flow *get_flow(struct sipcid_tcp_streams *ts, const struct sipcid_packet *pkt)
{
	struct flow_key k;
	memset(&k, 0, sizeof k);
	memcpy(k.src, pkt->src.addr, 16);
	memcpy(k.dst, pkt->dst.addr, 16);
	k.sport = pkt->src.port;
	k.dport = pkt->dst.port;
	k.family = (uint8_t)pkt->src.family;
	struct flow *f = g_hash_table_lookup(ts->flows, &k);
	if (f) {
		g_queue_unlink(&ts->lru, &f->lru);
		g_queue_push_tail_link(&ts->lru, &f->lru);
		return f;
	}
	if (g_hash_table_size(ts->flows) >= ts->max_flows)
		drop_flow(ts, ts->lru.head->data);
	f = g_new0(struct flow, 1);
	f->key = k;
	f->buf = g_malloc(ts->max_buffer);
	f->lru.data = f;
	g_queue_push_tail_link(&ts->lru, &f->lru);
	g_hash_table_insert(ts->flows, &f->key, f);
	return f;
}

static bool starts_message(const uint8_t *p, size_t len)
{
	struct sipcid_sip_scan s;
	size_t n = len < 512 ? len : 512;  /* the start line is enough */
	return n > 0 && p[0] != '\r' && p[0] != '\n' && sipcid_sip_scan((const char *)p, n, &s);
}

/* Cuts whole messages off the front of the buffer, whose bytes from
 * seg_start on are the segment's payload from payload_at on. */
static void deliver(struct sipcid_tcp_streams *ts, struct flow *f, const struct sipcid_packet *pkt,
                    size_t seg_start, size_t payload_at, tcp_message_fn fn, void *ctx)
{
	while (f->len > 0) {
		size_t skip = 0;
		while (skip < f->len && (f->buf[skip] == '\r' || f->buf[skip] == '\n'))
			skip++;  /* CRLF keep-alives (RFC 5626) */
		if (skip) {
			memmove(f->buf, f->buf + skip, f->len - skip);
			f->len -= skip;
			if (seg_start >= skip) {
				seg_start -= skip;
			} else {
				payload_at += skip - seg_start;
				seg_start = 0;
			}
			continue;
		}
		struct sipcid_sip_scan s;
		if (!sipcid_sip_scan(f->buf, f->len, &s)) {
			/* A start line cut by the segment boundary: wait for the rest. */
			if (!memchr(f->buf, '\n', f->len) && f->len < 1024)
				return;
			f->in_sync = false;
			f->len = 0;
			return;
		}
		if (s.headers_end == 0)
			return;  /* headers not complete yet */
		size_t body = s.content_length > 0 ? (size_t)s.content_length : 0;
		if (s.headers_end + body > ts->max_buffer) {
			ts->overflows++;
			f->in_sync = false;
			f->len = 0;
			return;
		}
		size_t total = s.headers_end + body;
		if (f->len < total)
			return;
		struct sipcid_tcp_piece piece = { .msg_from = seg_start, .payload_at = payload_at };
		fn(ctx, pkt, f->buf, total, &piece);
		memmove(f->buf, f->buf + total, f->len - total);
		f->len -= total;
		/* The next message starts in this segment, at the byte after. */
		payload_at += total - seg_start;
		seg_start = 0;
	}
}

/* Makes the flow's remembered changes again to the bytes of this segment
 * they cover. */
/* A change this far from the segment (16 MiB, beyond any window) is over:
 * forgetting it keeps sequence-number wrap-around from ever matching it. */
#define STALE_CHANGE ((int64_t)16 << 20)

static bool replay_changes(struct flow *f, const struct sipcid_packet *pkt, uint32_t seq)
{
	bool changed = false;
	for (unsigned i = 0; i < SIPCID_TCP_CHANGES; i++) {
		struct change *c = &f->changes[i];
		if (c->len == 0)
			continue;
		/* Serial-number arithmetic: offsets of the change in the segment. */
		int64_t from = (int32_t)(c->seq - seq);
		if (from < -STALE_CHANGE || from > STALE_CHANGE) {
			c->len = 0;  /* long passed: its bytes will not come again */
			continue;
		}
		int64_t to = from + c->len;
		int64_t lo = MAX(from, 0), hi = MIN(to, (int64_t)pkt->payload_len);
		if (lo >= hi)
			continue;
		uint8_t *dst = pkt->payload_rw + lo;
		const char *src = c->bytes + (lo - from);
		if (memcmp(dst, src, (size_t)(hi - lo)) != 0) {
			memcpy(dst, src, (size_t)(hi - lo));
			changed = true;
		}
	}
	return changed;
}

bool sipcid_tcp_streams_remember(struct sipcid_tcp_streams *ts, const struct sipcid_packet *pkt,
                                 size_t at, size_t len)
{
	if (!pkt->payload_rw || len == 0 || len > SIPCID_TCP_CHANGE_MAX || at + len > pkt->payload_len)
		return false;
	struct flow *f = get_flow(ts, pkt);
	struct change *c = &f->changes[f->next_change];
	f->next_change = (f->next_change + 1) % SIPCID_TCP_CHANGES;
	uint32_t seq = pkt->tcp_seq + ((pkt->tcp_flags & TH_SYN) ? 1 : 0);
	c->seq = seq + (uint32_t)at;
	c->len = (uint16_t)len;
	memcpy(c->bytes, pkt->payload_rw + at, len);
	return true;
}

bool sipcid_tcp_streams_feed(struct sipcid_tcp_streams *ts, const struct sipcid_packet *pkt, tcp_message_fn fn,
                      void *ctx)
{
	struct flow *f = get_flow(ts, pkt);
	f->last_us = pkt->time_us;
	const uint8_t *data = pkt->payload;
	size_t len = pkt->payload_len;
	uint32_t seq = pkt->tcp_seq;
	bool changed = false;

	if (pkt->tcp_flags & TH_SYN) {
		f->len = 0;
		f->in_sync = true;
		f->next_seq = seq + 1;
		seq++;
		memset(f->changes, 0, sizeof f->changes);  /* a new connection */
	}
	if (len > 0 && pkt->payload_rw)
		changed = replay_changes(f, pkt, seq);
	if (len > 0) {
		if (!f->in_sync || (int32_t)(seq - f->next_seq) > 0) {
			/* First sight of the flow, or a segment was lost: wait for a
			 * segment that begins a message. */
			f->len = 0;
			f->in_sync = starts_message(data, len);
			f->next_seq = seq;
		}
		if (f->in_sync) {
			int32_t overlap = (int32_t)(f->next_seq - seq);
			if (overlap < 0 || (size_t)overlap >= len) {
				len = 0;  /* a retransmission of what we already have */
			} else {
				data += overlap;
				len -= (size_t)overlap;
			}
			if (len > 0) {
				if (f->len + len > ts->max_buffer) {
					ts->overflows++;
					f->len = 0;
					f->in_sync = false;
				} else {
					size_t seg_start = f->len;
					memcpy(f->buf + f->len, data, len);
					f->len += len;
					f->next_seq += (uint32_t)len;
					deliver(ts, f, pkt, seg_start, (size_t)(data - pkt->payload), fn, ctx);
				}
			}
		}
	}
	if (pkt->tcp_flags & (TH_FIN | TH_RST))
		drop_flow(ts, f);
	return changed;
}

void sipcid_tcp_streams_expire(struct sipcid_tcp_streams *ts, int64_t now_us, int64_t idle_us)
{
	GList *l = ts->lru.head;
	while (l) {
		GList *next = l->next;
		struct flow *f = l->data;
		if (now_us - f->last_us <= idle_us)
			break;
		drop_flow(ts, f);
		l = next;
	}
}
