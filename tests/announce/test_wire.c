/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sipcid datagram: round trips, and every kind of hostile datagram. */
#include "text.h"
#include "wire.h"

#include <glib/gstdio.h>
#include <string.h>

static const int64_t NOW = 1780000000000000;   /* µs; any fixed wall clock */
static const int64_t SKEW = 30 * G_USEC_PER_SEC;

static struct sipcid_wire_key test_key(const char *text)
{
	struct sipcid_wire_key k;
	memset(&k, 0, sizeof k);
	k.len = strlen(text);
	memcpy(k.bytes, text, k.len);
	return k;
}

static struct sipcid_call sample_call(void)
{
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	c.kind = SIPCID_EVENT_UPDATE;
	c.time_us = NOW - 5000000;
	g_strlcpy(c.call_id, "a84b4c76e66710@pc33.example.com", sizeof c.call_id);
	g_strlcpy(c.number, "+33123456789", sizeof c.number);
	g_strlcpy(c.number_raw, "0123456789", sizeof c.number_raw);
	g_strlcpy(c.name, "Zoë Ångström 李", sizeof c.name);
	c.presentation = SIPCID_PRES_RESTRICTED;
	c.source = SIPCID_SRC_PAI;
	g_strlcpy(c.called, "100", sizeof c.called);
	g_strlcpy(c.via, "+33999", sizeof c.via);
	g_strlcpy(c.alias, "Grand-mère", sizeof c.alias);
	c.action = SIPCID_ACTION_BLOCK;
	c.record = true;
	g_strlcpy(c.rule, "/etc/sipcid/rules:12", sizeof c.rule);
	c.state = SIPCID_STATE_ENDED;
	c.ring_ms = 12345;
	c.talk_ms = 678901;
	c.direction = SIPCID_DIR_OUTGOING;
	c.verstat = SIPCID_VERSTAT_PASSED;
	c.attest = 'A';
	return c;
}

static void assert_same_call(const struct sipcid_call *a, const struct sipcid_call *b)
{
	g_assert_cmpint(a->kind, ==, b->kind);
	g_assert_cmpint(a->time_us, ==, b->time_us);
	g_assert_cmpstr(a->call_id, ==, b->call_id);
	g_assert_cmpstr(a->number, ==, b->number);
	g_assert_cmpstr(a->number_raw, ==, b->number_raw);
	g_assert_cmpstr(a->name, ==, b->name);
	g_assert_cmpint(a->presentation, ==, b->presentation);
	g_assert_cmpint(a->source, ==, b->source);
	g_assert_cmpstr(a->called, ==, b->called);
	g_assert_cmpstr(a->via, ==, b->via);
	g_assert_cmpstr(a->alias, ==, b->alias);
	g_assert_cmpint(a->action, ==, b->action);
	g_assert_cmpint(a->record, ==, b->record);
	g_assert_cmpstr(a->rule, ==, b->rule);
	g_assert_cmpint(a->state, ==, b->state);
	g_assert_cmpint(a->ring_ms, ==, b->ring_ms);
	g_assert_cmpint(a->talk_ms, ==, b->talk_ms);
	g_assert_cmpint(a->direction, ==, b->direction);
	g_assert_cmpint(a->verstat, ==, b->verstat);
	g_assert_cmpint(a->attest, ==, b->attest);
}

/* Every string of a decoded call: NUL-terminated in its buffer, valid UTF-8,
 * and free of control characters. */
static void assert_clean(const struct sipcid_call *c)
{
	const char *fields[] = { c->call_id, c->number, c->number_raw, c->name, c->called,
	                         c->via, c->alias, c->rule };
	size_t sizes[] = { sizeof c->call_id, sizeof c->number, sizeof c->number_raw,
	                   sizeof c->name, sizeof c->called, sizeof c->via, sizeof c->alias,
	                   sizeof c->rule };
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		g_assert_nonnull(memchr(fields[i], '\0', sizes[i]));
		g_assert_true(g_utf8_validate(fields[i], -1, NULL));
		for (const unsigned char *p = (const unsigned char *)fields[i]; *p; p++)
			g_assert_true(*p >= 0x20 && *p != 0x7f);
	}
}

/* ---- building datagrams by hand ---- */

struct dgram {
	uint8_t b[4096];
	size_t len;
};

static void dg_start(struct dgram *d)
{
	memcpy(d->b, "SCID\x01", 5);
	d->len = 5;
}

static void dg_field(struct dgram *d, uint8_t type, const void *v, size_t n)
{
	d->b[d->len++] = type;
	d->b[d->len++] = (uint8_t)(n >> 8);
	d->b[d->len++] = (uint8_t)n;
	memcpy(d->b + d->len, v, n);
	d->len += n;
}

static void dg_text(struct dgram *d, uint8_t type, const char *s)
{
	dg_field(d, type, s, strlen(s));
}

static void dg_u64(struct dgram *d, uint8_t type, uint64_t v)
{
	uint8_t b[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
	dg_field(d, type, b, 8);
}

static void dg_minimal(struct dgram *d)
{
	dg_start(d);
	dg_text(d, SIPCID_WF_KIND, "call");
	dg_text(d, SIPCID_WF_CALL_ID, "x@y");
}

static void dg_sign(struct dgram *d, const struct sipcid_wire_key *k, const char *sender,
                    uint64_t seq, int64_t sent)
{
	dg_text(d, SIPCID_WF_SENDER, sender);
	dg_u64(d, SIPCID_WF_SEQUENCE, seq);
	dg_u64(d, SIPCID_WF_SENT, (uint64_t)sent);
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, k->bytes, k->len);
	g_hmac_update(h, d->b, (gssize)d->len);
	uint8_t m[32];
	gsize n = 32;
	g_hmac_get_digest(h, m, &n);
	g_hmac_unref(h);
	dg_field(d, SIPCID_WF_MAC, m, 32);
}

static enum sipcid_wire_status decode(struct sipcid_wire_listener *l, const struct dgram *d,
                                      struct sipcid_call *c)
{
	return sipcid_wire_decode(l, d->b, d->len, NOW, c, NULL);
}

/* ---- tests ---- */

static void test_round_trip(void)
{
	struct sipcid_call in = sample_call(), out;
	struct sipcid_wire_sender s;
	sipcid_wire_sender_init(&s, NULL);
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t n = sipcid_wire_encode(&in, &s, NOW, buf);
	g_assert_cmpuint(n, <=, SIPCID_WIRE_MAX);
	g_assert_cmpmem(buf, 5, "SCID\x01", 5);
	struct sipcid_wire_meta meta;
	g_assert_cmpint(sipcid_wire_decode(NULL, buf, n, NOW, &out, &meta), ==, SIPCID_WIRE_OK);
	assert_same_call(&in, &out);
	g_assert_false(meta.is_signed);
	g_assert_cmpstr(meta.sender, ==, s.id);
	g_assert_cmpuint(meta.sequence, ==, 1);
	g_assert_cmpint(meta.sent_us, ==, NOW);
	g_assert_cmpuint(meta.unknown_fields, ==, 0);

	/* direction is field 0x12, outside version 1's first range, so listeners
	 * that predate it skip it; without it a call is incoming. */
	bool found = false;
	for (size_t pos = 5; pos + 3 <= n; pos += 3 + ((size_t)buf[pos + 1] << 8 | buf[pos + 2])) {
		if (buf[pos] != SIPCID_WF_DIRECTION)
			continue;
		found = true;
		g_assert_cmpmem(buf + pos + 3, 8, "outgoing", 8);
		/* rename it to a type no listener knows: an older listener's view */
		buf[pos] = 0x1f;
	}
	g_assert_true(found);
	g_assert_cmpint(sipcid_wire_decode(NULL, buf, n, NOW, &out, &meta), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(out.direction, ==, SIPCID_DIR_INCOMING);
	g_assert_cmpuint(meta.unknown_fields, ==, 1);

	/* Each datagram gets the next sequence number. */
	n = sipcid_wire_encode(&in, &s, NOW, buf);
	g_assert_cmpint(sipcid_wire_decode(NULL, buf, n, NOW, &out, &meta), ==, SIPCID_WIRE_OK);
	g_assert_cmpuint(meta.sequence, ==, 2);

	/* A listener without a key accepts a signed datagram too. */
	struct sipcid_wire_key k = test_key("0123456789abcdef0123");
	sipcid_wire_sender_init(&s, &k);
	n = sipcid_wire_encode(&in, &s, NOW, buf);
	g_assert_cmpint(sipcid_wire_decode(NULL, buf, n, NOW, &out, &meta), ==, SIPCID_WIRE_OK);
	g_assert_true(meta.is_signed);
	assert_same_call(&in, &out);
}

static void test_signed_round_trip(void)
{
	struct sipcid_wire_key k = test_key("a shared secret of some length");
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&k, SKEW);
	struct sipcid_wire_sender s;
	sipcid_wire_sender_init(&s, &k);
	struct sipcid_call in = sample_call(), out;
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t n = sipcid_wire_encode(&in, &s, NOW, buf);
	struct sipcid_wire_meta meta;
	g_assert_cmpint(sipcid_wire_decode(l, buf, n, NOW + 1000, &out, &meta), ==, SIPCID_WIRE_OK);
	g_assert_true(meta.is_signed);
	assert_same_call(&in, &out);
	/* The same bytes again: a replay. */
	g_assert_cmpint(sipcid_wire_decode(l, buf, n, NOW + 2000, &out, NULL), ==,
	                SIPCID_WIRE_REPLAYED);
	sipcid_wire_listener_free(l);
}

static void test_maximal_fields(void)
{
	struct sipcid_call in;
	memset(&in, 0, sizeof in);
	/* Fill every string to its limit with 1-, 2-, 3- and 4-byte characters. */
	const char *pieces[] = { "a", "é", "€", "😀" };
	char *bufs[] = { in.call_id, in.number, in.number_raw, in.name, in.called, in.via, in.alias,
	                 in.rule };
	size_t sizes[] = { sizeof in.call_id, sizeof in.number, sizeof in.number_raw,
	                   sizeof in.name, sizeof in.called, sizeof in.via, sizeof in.alias,
	                   sizeof in.rule };
	for (size_t i = 0; i < G_N_ELEMENTS(bufs); i++) {
		GString *s = g_string_new(NULL);
		for (int j = 0; s->len < sizes[i] + 8; j++)
			g_string_append(s, pieces[j % 4]);
		sipcid_call_strlcpy_utf8(bufs[i], s->str, sizes[i]);
		g_string_free(s, TRUE);
		g_assert_true(g_utf8_validate(bufs[i], -1, NULL));
		g_assert_cmpuint(strlen(bufs[i]), >=, sizes[i] - 4);
	}
	in.kind = SIPCID_EVENT_UPDATE;
	in.presentation = SIPCID_PRES_UNAVAILABLE;
	in.state = SIPCID_STATE_ANSWERED;
	in.time_us = INT64_MAX;
	in.ring_ms = INT64_MAX;
	in.talk_ms = INT64_MAX;
	in.verstat = SIPCID_VERSTAT_NO_VALIDATION;
	in.attest = 'C';
	struct sipcid_wire_key k = test_key("0123456789abcdef");
	struct sipcid_wire_sender s;
	sipcid_wire_sender_init(&s, &k);
	s.sequence = UINT64_MAX - 1;
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t n = sipcid_wire_encode(&in, &s, NOW, buf);
	g_test_message("maximal datagram: %zu bytes", n);
	g_assert_cmpuint(n, <=, SIPCID_WIRE_MAX);
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&k, SKEW);
	struct sipcid_call out;
	g_assert_cmpint(sipcid_wire_decode(l, buf, n, NOW, &out, NULL), ==, SIPCID_WIRE_OK);
	assert_same_call(&in, &out);
	assert_clean(&out);
	sipcid_wire_listener_free(l);
}

static void test_zero_length_fields(void)
{
	struct dgram d;
	dg_start(&d);
	dg_text(&d, SIPCID_WF_KIND, "call");
	dg_text(&d, SIPCID_WF_CALL_ID, "");
	dg_text(&d, SIPCID_WF_NAME, "");
	dg_text(&d, SIPCID_WF_NUMBER, "");
	dg_text(&d, SIPCID_WF_STATE, "");
	dg_field(&d, 0x70, "", 0);
	struct sipcid_call c;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpstr(c.name, ==, "");
	g_assert_cmpstr(c.call_id, ==, "");
	g_assert_cmpint(c.state, ==, SIPCID_STATE_RINGING);
	/* A zero-length integer is not an integer. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_TIME, "", 0);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
}

static void test_truncated(void)
{
	struct sipcid_call in = sample_call(), out;
	struct sipcid_wire_key k = test_key("0123456789abcdef");
	struct sipcid_wire_sender s;
	sipcid_wire_sender_init(&s, &k);
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t n = sipcid_wire_encode(&in, &s, NOW, buf);
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&k, SKEW);
	unsigned truncated = 0;
	for (size_t cut = 0; cut < n; cut++) {
		enum sipcid_wire_status st = sipcid_wire_decode(l, buf, cut, NOW, &out, NULL);
		g_assert_cmpint(st, !=, SIPCID_WIRE_OK);
		truncated += st == SIPCID_WIRE_TRUNCATED;
	}
	/* Most cuts fall inside a field; the others leave an unsigned prefix. */
	g_assert_cmpuint(truncated, >, n / 2);
	g_assert_cmpint(sipcid_wire_decode(l, buf, 0, NOW, &out, NULL), ==, SIPCID_WIRE_TRUNCATED);
	g_assert_cmpint(sipcid_wire_decode(l, buf, 3, NOW, &out, NULL), ==, SIPCID_WIRE_TRUNCATED);
	g_assert_cmpint(sipcid_wire_decode(l, buf, 4, NOW, &out, NULL), ==, SIPCID_WIRE_TRUNCATED);
	/* A field header whose length runs past the end. */
	struct dgram d;
	dg_minimal(&d);
	d.b[d.len++] = SIPCID_WF_NAME;
	d.b[d.len++] = 0;
	d.b[d.len++] = 10;
	memcpy(d.b + d.len, "abc", 3);
	d.len += 3;
	g_assert_cmpint(decode(NULL, &d, &out), ==, SIPCID_WIRE_TRUNCATED);
	/* Half a field header. */
	dg_minimal(&d);
	d.b[d.len++] = SIPCID_WF_NAME;
	d.b[d.len++] = 0;
	g_assert_cmpint(decode(NULL, &d, &out), ==, SIPCID_WIRE_TRUNCATED);
	sipcid_wire_listener_free(l);
}

static void test_magic_and_version(void)
{
	struct dgram d;
	struct sipcid_call c;
	dg_minimal(&d);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	d.b[0] = 'X';
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_BAD_MAGIC);
	dg_minimal(&d);
	d.b[3] = 'd';
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_BAD_MAGIC);
	dg_minimal(&d);
	d.b[4] = 2;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_BAD_VERSION);
	d.b[4] = 0;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_BAD_VERSION);
	/* A Growl packet is not a sipcid datagram. */
	const uint8_t growl[] = { 1, 5, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 'a', 'b', 'c', 'd' };
	g_assert_cmpint(sipcid_wire_decode(NULL, growl, sizeof growl, NOW, &c, NULL), ==,
	                SIPCID_WIRE_BAD_MAGIC);
	g_assert_cmpint(sipcid_wire_decode(NULL, (const uint8_t *)"SC", 2, NOW, &c, NULL), ==,
	                SIPCID_WIRE_TRUNCATED);
	g_assert_cmpint(sipcid_wire_decode(NULL, (const uint8_t *)"XY", 2, NOW, &c, NULL), ==,
	                SIPCID_WIRE_BAD_MAGIC);
}

static void test_oversize(void)
{
	struct dgram d;
	dg_minimal(&d);
	uint8_t filler[SIPCID_WIRE_MAX];
	memset(filler, 'a', sizeof filler);
	size_t room = SIPCID_WIRE_MAX - d.len - 3;
	dg_field(&d, 0x70, filler, room);
	g_assert_cmpuint(d.len, ==, SIPCID_WIRE_MAX);
	struct sipcid_call c;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	dg_minimal(&d);
	dg_field(&d, 0x70, filler, room + 1);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OVERSIZE);
	/* A text field longer than its buffer is cut on a character boundary. */
	dg_minimal(&d);
	GString *big = g_string_new(NULL);
	while (big->len < 1000)
		g_string_append(big, "€");
	dg_text(&d, SIPCID_WF_NAME, big->str);
	g_string_free(big, TRUE);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	g_assert_true(g_utf8_validate(c.name, -1, NULL));
	g_assert_cmpuint(strlen(c.name), ==, (SIPCID_NAME_MAX - 1) / 3 * 3);
}

static void test_invalid_utf8(void)
{
	struct dgram d;
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_NAME, "Bob\xff\xfe \xc3 \x1b[31mred\x07\r\n\xe2\x80\xae", 22);
	dg_field(&d, SIPCID_WF_NUMBER, "\xc0\x80" "123\x00" "4", 7);
	struct sipcid_call c;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	assert_clean(&c);
	g_assert_true(g_str_has_prefix(c.name, "Bob\xef\xbf\xbd")); /* U+FFFD */
	g_assert_null(strchr(c.name, 0x1b));
	g_assert_null(strstr(c.name, "\xe2\x80\xae")); /* no bidi override */
	g_assert_nonnull(strstr(c.number, "123"));
	/* An enum with invalid bytes is unknown, not a crash. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_STATE, "\xffmissed", 7);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(c.state, ==, SIPCID_STATE_RINGING);
	/* The sender id is an identifier, not text: anything else is refused. */
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_SENDER, "bad id\n");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
}

static void test_repeated_and_unknown_fields(void)
{
	struct dgram d;
	struct sipcid_call c;
	struct sipcid_wire_meta meta;
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_NAME, "Alice");
	dg_text(&d, SIPCID_WF_NAME, "Mallory");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_REPEATED);
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_KIND, "update");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_REPEATED);
	/* Unknown fields, even repeated, are skipped: a newer sender may add some. */
	dg_minimal(&d);
	dg_text(&d, 0x70, "future");
	dg_text(&d, 0x70, "future again");
	dg_text(&d, 0x9a, "more");
	dg_text(&d, SIPCID_WF_NAME, "Alice");
	g_assert_cmpint(sipcid_wire_decode(NULL, d.b, d.len, NOW, &c, &meta), ==, SIPCID_WIRE_OK);
	g_assert_cmpuint(meta.unknown_fields, ==, 3);
	g_assert_cmpstr(c.name, ==, "Alice");
	/* An unknown value of a known enum keeps the default. */
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_STATE, "transferred");
	dg_text(&d, SIPCID_WF_ACTION, "screen");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(c.state, ==, SIPCID_STATE_RINGING);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	/* But the kind must be known, and kind and call id must be there. */
	dg_start(&d);
	dg_text(&d, SIPCID_WF_KIND, "hangup");
	dg_text(&d, SIPCID_WF_CALL_ID, "x");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_start(&d);
	dg_text(&d, SIPCID_WF_CALL_ID, "x");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_start(&d);
	dg_text(&d, SIPCID_WF_KIND, "call");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	/* Integers have exactly 8 bytes and are never negative. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_RING_MS, "1234567", 7);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_minimal(&d);
	dg_u64(&d, SIPCID_WF_TALK_MS, UINT64_MAX);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_RECORD, "\x02", 1);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_minimal(&d);
	dg_u64(&d, SIPCID_WF_SEQUENCE, 0);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	/* STIR/SHAKEN: two bytes exactly; values a newer sender may add read as not known. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_SHAKEN, "\x01", 1);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_SHAKEN, "\x02" "B", 2);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(c.verstat, ==, SIPCID_VERSTAT_FAILED);
	g_assert_cmpint(c.attest, ==, 'B');
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_SHAKEN, "\x09" "Z", 2);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(c.verstat, ==, SIPCID_VERSTAT_NONE);
	g_assert_cmpint(c.attest, ==, 0);
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_SHAKEN, "\x01\x00", 2);
	dg_field(&d, SIPCID_WF_SHAKEN, "\x01\x00", 2);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_REPEATED);
}

/* Which status wins when a datagram has several faults: the first one in the
 * datagram, and the signature only after every field is well-formed. The
 * decoder frames all fields before decoding their values, so this pins the
 * order down. */
static void test_first_error_wins(void)
{
	struct dgram d;
	struct sipcid_call c;
	/* A bad value, then a field running past the end: the bad value came first. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_RECORD, "\x02", 1);
	d.b[d.len++] = SIPCID_WF_NAME;
	d.b[d.len++] = 0;
	d.b[d.len++] = 10;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	/* A bad value, then a repeat. */
	dg_minimal(&d);
	dg_u64(&d, SIPCID_WF_RING_MS, UINT64_MAX);
	dg_text(&d, SIPCID_WF_NAME, "a");
	dg_text(&d, SIPCID_WF_NAME, "b");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	/* A repeat, then a bad value that is never reached. */
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_NAME, "a");
	dg_text(&d, SIPCID_WF_NAME, "b");
	dg_field(&d, SIPCID_WF_RECORD, "\x02", 1);
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_REPEATED);
	/* A repeat, then a truncated field. */
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_CALL_ID, "again");
	d.b[d.len++] = SIPCID_WF_NAME;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_REPEATED);
	/* A truncated field, before the missing kind could be noticed. */
	dg_start(&d);
	dg_text(&d, SIPCID_WF_CALL_ID, "x");
	d.b[d.len++] = SIPCID_WF_NAME;
	d.b[d.len++] = 0;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_TRUNCATED);
	/* A signature of the wrong length with something after it. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_MAC, "short", 5);
	dg_text(&d, SIPCID_WF_NAME, "x");
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	/* An unknown kind, then a field running past the end. */
	dg_start(&d);
	dg_text(&d, SIPCID_WF_KIND, "hangup");
	dg_text(&d, SIPCID_WF_CALL_ID, "x");
	d.b[d.len++] = 0x70;
	g_assert_cmpint(decode(NULL, &d, &c), ==, SIPCID_WIRE_MALFORMED);

	/* For a listener with a key, a malformed field is reported before the
	 * missing or wrong signature is. */
	struct sipcid_wire_key k = test_key("0123456789abcdef"), other = test_key("fedcba9876543210");
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&k, SKEW);
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_RECORD, "\x02", 1);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_sign(&d, &other, "s1", 1, NOW);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	/* And with a right signature, it is still malformed, and not remembered:
	 * the same sequence number is accepted afterwards. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_RECORD, "\x02", 1);
	dg_sign(&d, &k, "s1", 1, NOW);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	dg_minimal(&d);
	dg_sign(&d, &k, "s1", 1, NOW);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_OK);
	sipcid_wire_listener_free(l);
}

static void test_authentication(void)
{
	struct sipcid_wire_key k = test_key("the right key, 23 bytes"), other = test_key("the wrong key, 23 bytes");
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&k, SKEW);
	struct dgram d;
	struct sipcid_call c;

	/* Unsigned: refused by a listener with a key. */
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_SENDER, "s1");
	dg_u64(&d, SIPCID_WF_SEQUENCE, 1);
	dg_u64(&d, SIPCID_WF_SENT, (uint64_t)NOW);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_UNSIGNED);

	/* Signed with another key. */
	dg_minimal(&d);
	dg_sign(&d, &other, "s1", 1, NOW);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_BAD_MAC);

	/* Signed right, then any single changed byte. */
	dg_minimal(&d);
	dg_text(&d, SIPCID_WF_NAME, "Alice");
	dg_sign(&d, &k, "s1", 1, NOW);
	for (size_t i = 0; i < d.len; i++) {
		struct dgram m = d;
		m.b[i] ^= 0x20;
		g_assert_cmpint(decode(l, &m, &c), !=, SIPCID_WIRE_OK);
	}
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpstr(c.name, ==, "Alice");

	/* A field after the signature is refused, not ignored. */
	struct dgram tail = d;
	dg_text(&tail, 0x70, "x");
	g_assert_cmpint(decode(l, &tail, &c), ==, SIPCID_WIRE_MALFORMED);

	/* A signature of the wrong length. */
	dg_minimal(&d);
	dg_field(&d, SIPCID_WF_MAC, "0123456789", 10);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_MALFORMED);

	/* Signed, but without the replay fields. */
	dg_minimal(&d);
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, k.bytes, k.len);
	g_hmac_update(h, d.b, (gssize)d.len);
	uint8_t mac[32];
	gsize n = 32;
	g_hmac_get_digest(h, mac, &n);
	g_hmac_unref(h);
	dg_field(&d, SIPCID_WF_MAC, mac, 32);
	g_assert_cmpint(decode(l, &d, &c), ==, SIPCID_WIRE_MALFORMED);
	sipcid_wire_listener_free(l);
}

static void test_replay_window(void)
{
	struct sipcid_wire_key k = test_key("0123456789abcdef");
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&k, SKEW);
	struct dgram d[200];
	struct sipcid_call c;
	for (int i = 1; i < 200; i++) {
		dg_minimal(&d[i]);
		dg_sign(&d[i], &k, "sender-a", (uint64_t)i, NOW);
	}
	/* Out of order within the window is fine, each once. */
	g_assert_cmpint(decode(l, &d[3], &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(decode(l, &d[1], &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(decode(l, &d[2], &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(decode(l, &d[2], &c), ==, SIPCID_WIRE_REPLAYED);
	g_assert_cmpint(decode(l, &d[3], &c), ==, SIPCID_WIRE_REPLAYED);
	g_assert_cmpint(decode(l, &d[150], &c), ==, SIPCID_WIRE_OK);
	/* Far behind the highest number seen: refused. */
	g_assert_cmpint(decode(l, &d[10], &c), ==, SIPCID_WIRE_REPLAYED);
	g_assert_cmpint(decode(l, &d[100], &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(decode(l, &d[100], &c), ==, SIPCID_WIRE_REPLAYED);

	/* Another sender has its own numbers. */
	struct dgram b;
	dg_minimal(&b);
	dg_sign(&b, &k, "sender-b", 1, NOW);
	g_assert_cmpint(decode(l, &b, &c), ==, SIPCID_WIRE_OK);
	g_assert_cmpint(decode(l, &b, &c), ==, SIPCID_WIRE_REPLAYED);

	/* Too old or from the future: outside the clock window. */
	dg_minimal(&b);
	dg_sign(&b, &k, "sender-c", 1, NOW - 2 * SKEW);
	g_assert_cmpint(decode(l, &b, &c), ==, SIPCID_WIRE_STALE);
	dg_minimal(&b);
	dg_sign(&b, &k, "sender-c", 2, NOW + 2 * SKEW);
	g_assert_cmpint(decode(l, &b, &c), ==, SIPCID_WIRE_STALE);
	/* A refused datagram does not count as seen. */
	dg_minimal(&b);
	dg_sign(&b, &k, "sender-c", 1, NOW);
	g_assert_cmpint(decode(l, &b, &c), ==, SIPCID_WIRE_OK);

	/* Many senders: the listener remembers a bounded number, and the one
	 * we keep using is never forgotten. */
	for (int i = 0; i < 3 * SIPCID_WIRE_REPLAY_SENDERS; i++) {
		char id[16];
		g_snprintf(id, sizeof id, "many-%d", i);
		dg_minimal(&b);
		dg_sign(&b, &k, id, 1, NOW);
		g_assert_cmpint(sipcid_wire_decode(l, b.b, b.len, NOW + i + 1, &c, NULL), ==,
		                SIPCID_WIRE_OK);
		g_assert_cmpint(sipcid_wire_decode(l, d[199 - (i % 40)].b, d[199 - (i % 40)].len,
		                                   NOW + i + 1, &c, NULL),
		                ==, i < 40 ? SIPCID_WIRE_OK : SIPCID_WIRE_REPLAYED);
	}
	sipcid_wire_listener_free(l);
}

static void test_key_file(void)
{
	g_autofree char *dir = g_dir_make_tmp("sipcid-wire-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "key", NULL);
	struct sipcid_wire_key k;
	g_autoptr(GError) err = NULL;
	g_assert_true(g_file_set_contents(path, "c2lwY2lkIHRlc3Qga2V5IDEyMzQ1Njc4OTA=\n", -1, NULL));
	g_assert_true(sipcid_wire_key_load(path, &k, &err));
	g_assert_cmpuint(k.len, ==, 36); /* the newline is not part of it */
	g_assert_true(g_file_set_contents(path, "short\n", -1, NULL));
	g_assert_false(sipcid_wire_key_load(path, &k, &err));
	g_assert_nonnull(strstr(err->message, path));
	g_clear_error(&err);
	g_assert_false(sipcid_wire_key_load("/nonexistent/sipcid.key", &k, &err));
	g_assert_nonnull(strstr(err->message, "/nonexistent/sipcid.key"));
	g_unlink(path);
	g_rmdir(dir);
}

/* Random mutations of valid datagrams: never a crash, never unclean text,
 * and never a changed datagram accepted by a listener with the key. */
static void test_mutation_fuzz(void)
{
	struct sipcid_wire_key k = test_key("0123456789abcdef");
	GRand *rnd = g_rand_new_with_seed(20260101);
	struct sipcid_call in = sample_call(), out;
	struct sipcid_wire_sender s;
	sipcid_wire_sender_init(&s, &k);
	uint8_t orig[SIPCID_WIRE_MAX];
	size_t orig_len = sipcid_wire_encode(&in, &s, NOW, orig);
	unsigned accepted_unkeyed = 0;
	for (int iter = 0; iter < 30000; iter++) {
		uint8_t buf[SIPCID_WIRE_MAX + 64];
		size_t len = orig_len;
		memcpy(buf, orig, len);
		int edits = g_rand_int_range(rnd, 1, 6);
		for (int e = 0; e < edits; e++) {
			size_t at = len ? (size_t)g_rand_int_range(rnd, 0, (gint32)len) : 0;
			switch (g_rand_int_range(rnd, 0, 5)) {
			case 0: buf[at] ^= (uint8_t)(1u << g_rand_int_range(rnd, 0, 8)); break;
			case 1: buf[at] = (uint8_t)g_rand_int_range(rnd, 0, 256); break;
			case 2: len = at; break;
			case 3:
				if (len < sizeof buf) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = (uint8_t)g_rand_int_range(rnd, 0, 256);
					len++;
				}
				break;
			case 4:
				if (len > at + 1) {
					memmove(buf + at, buf + at + 1, len - at - 1);
					len--;
				}
				break;
			}
		}
		bool same = len == orig_len && !memcmp(buf, orig, len);
		if (sipcid_wire_decode(NULL, buf, len, NOW, &out, NULL) == SIPCID_WIRE_OK) {
			assert_clean(&out);
			accepted_unkeyed++;
		}
		/* A fresh listener each time, so only the signature can refuse. */
		struct sipcid_wire_listener *l = sipcid_wire_listener_new(&k, SKEW);
		enum sipcid_wire_status st = sipcid_wire_decode(l, buf, len, NOW, &out, NULL);
		if (!same)
			g_assert_cmpint(st, !=, SIPCID_WIRE_OK);
		sipcid_wire_listener_free(l);
	}
	g_test_message("mutations accepted without a key: %u of 30000", accepted_unkeyed);
	g_assert_cmpuint(accepted_unkeyed, >, 0); /* the loop did reach the field decoders */
	g_rand_free(rnd);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wire/round-trip", test_round_trip);
	g_test_add_func("/wire/signed-round-trip", test_signed_round_trip);
	g_test_add_func("/wire/maximal-fields", test_maximal_fields);
	g_test_add_func("/wire/zero-length-fields", test_zero_length_fields);
	g_test_add_func("/wire/truncated", test_truncated);
	g_test_add_func("/wire/magic-and-version", test_magic_and_version);
	g_test_add_func("/wire/oversize", test_oversize);
	g_test_add_func("/wire/invalid-utf8", test_invalid_utf8);
	g_test_add_func("/wire/repeated-and-unknown-fields", test_repeated_and_unknown_fields);
	g_test_add_func("/wire/first-error-wins", test_first_error_wins);
	g_test_add_func("/wire/authentication", test_authentication);
	g_test_add_func("/wire/replay-window", test_replay_window);
	g_test_add_func("/wire/key-file", test_key_file);
	g_test_add_func("/wire/mutation-fuzz", test_mutation_fuzz);
	return g_test_run();
}
