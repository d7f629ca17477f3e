/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the sipcid datagram decoder, sipcid_wire_decode():
 * the bytes the desktop notifiers take from the LAN.
 *
 * Each input is one datagram, decoded three ways:
 *  - by a listener without a key, which checks no signature;
 *  - by a listener with the key, as it came (so mutations reach the
 *    signature check and are refused there);
 *  - re-signed with that key when its last field is a 32-byte mac, so the
 *    fuzzer also explores what lies behind the signature: the replay fields,
 *    the clock window and the replay window. Decoded twice, the second time
 *    must be a replay.
 * Whatever is accepted must have clean strings and valid enums, and must
 * round-trip: encoded again and decoded, it is the same call. Built only
 * with -Dfuzz=true and clang; tests/fuzz/run-fuzz.sh runs it. */
#include "fuzz_check.h"
#include "fuzz_wire.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_wire: %s\n", what);
	abort();
}

static void check_call(const struct sipcid_call *c)
{
	sipcid_fuzz_check_text("call_id", c->call_id, sizeof c->call_id);
	sipcid_fuzz_check_text("number", c->number, sizeof c->number);
	sipcid_fuzz_check_text("number_raw", c->number_raw, sizeof c->number_raw);
	sipcid_fuzz_check_text("name", c->name, sizeof c->name);
	sipcid_fuzz_check_text("called", c->called, sizeof c->called);
	sipcid_fuzz_check_text("via", c->via, sizeof c->via);
	sipcid_fuzz_check_text("alias", c->alias, sizeof c->alias);
	sipcid_fuzz_check_text("rule", c->rule, sizeof c->rule);
	if ((unsigned)c->kind > SIPCID_EVENT_UPDATE || (unsigned)c->presentation > SIPCID_PRES_UNAVAILABLE ||
	    (unsigned)c->source > SIPCID_SRC_PPI || (unsigned)c->action > SIPCID_ACTION_BLOCK ||
	    (unsigned)c->state > SIPCID_STATE_ENDED)
		fail("an enum out of range");
	if (c->time_us < 0 || c->ring_ms < 0 || c->talk_ms < 0)
		fail("a negative time");
}

static bool same_call(const struct sipcid_call *a, const struct sipcid_call *b)
{
	return a->kind == b->kind && a->time_us == b->time_us && !strcmp(a->call_id, b->call_id) &&
	       !strcmp(a->number, b->number) && !strcmp(a->number_raw, b->number_raw) &&
	       !strcmp(a->name, b->name) && a->presentation == b->presentation &&
	       a->source == b->source && !strcmp(a->called, b->called) && !strcmp(a->via, b->via) &&
	       !strcmp(a->alias, b->alias) && a->action == b->action && a->record == b->record &&
	       !strcmp(a->rule, b->rule) && a->state == b->state && a->ring_ms == b->ring_ms &&
	       a->talk_ms == b->talk_ms;
}

static enum sipcid_wire_status decode(struct sipcid_wire_listener *l, const uint8_t *buf,
                                      size_t len, struct sipcid_call *c,
                                      struct sipcid_wire_meta *meta)
{
	enum sipcid_wire_status st = sipcid_wire_decode(l, buf, len, SIPCID_FUZZ_WIRE_NOW, c, meta);
	if ((unsigned)st > SIPCID_WIRE_REPLAYED)
		fail("a status out of range");
	if (st == SIPCID_WIRE_OK)
		check_call(c);
	return st;
}

/* An accepted call, encoded again (signed) and decoded by a listener with
 * and without the key, is the same call. */
static void check_round_trip(const struct sipcid_call *c)
{
	struct sipcid_wire_key key = sipcid_fuzz_wire_key();
	struct sipcid_wire_sender s;
	sipcid_wire_sender_init(&s, &key);
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t n = sipcid_wire_encode(c, &s, SIPCID_FUZZ_WIRE_NOW, buf);
	struct sipcid_call again;
	struct sipcid_wire_meta meta;
	if (decode(NULL, buf, n, &again, &meta) != SIPCID_WIRE_OK || !same_call(c, &again))
		fail("an accepted call does not round-trip");
	if (!meta.is_signed || meta.sequence != 1 || strcmp(meta.sender, s.id))
		fail("the re-encoded datagram lost its sender, sequence or signature");
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&key, SIPCID_FUZZ_WIRE_SKEW);
	if (decode(l, buf, n, &again, NULL) != SIPCID_WIRE_OK || !same_call(c, &again))
		fail("an accepted call does not round-trip through a listener with the key");
	sipcid_wire_listener_free(l);
}

/* When the datagram ends with a 32-byte mac field, replaces the mac with the
 * right one for the key; returns whether it did. */
static bool resign(uint8_t *buf, size_t len, const struct sipcid_wire_key *key)
{
	const size_t field = 3 + SIPCID_WIRE_MAC_LEN;
	if (len < 5 + field)
		return false;
	uint8_t *f = buf + len - field;
	if (f[0] != SIPCID_WF_MAC || f[1] != 0 || f[2] != SIPCID_WIRE_MAC_LEN)
		return false;
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, key->bytes, key->len);
	g_hmac_update(h, buf, (gssize)(len - field));
	gsize n = SIPCID_WIRE_MAC_LEN;
	g_hmac_get_digest(h, f + 3, &n);
	g_hmac_unref(h);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sipcid_wire_key key = sipcid_fuzz_wire_key();
	struct sipcid_call plain, keyed;
	struct sipcid_wire_meta meta;

	enum sipcid_wire_status st = decode(NULL, data, size, &plain, &meta);
	if (st == SIPCID_WIRE_OK)
		check_round_trip(&plain);

	/* A fresh listener per input keeps every run reproducible. */
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&key, SIPCID_FUZZ_WIRE_SKEW);
	if (decode(l, data, size, &keyed, NULL) == SIPCID_WIRE_OK &&
	    (st != SIPCID_WIRE_OK || !same_call(&plain, &keyed)))
		fail("a listener with the key accepted what one without it did not, or read it differently");
	sipcid_wire_listener_free(l);

	/* An exactly-sized copy, so ASan sees reads past the end. */
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (resign(copy, size, &key)) {
		l = sipcid_wire_listener_new(&key, SIPCID_FUZZ_WIRE_SKEW);
		if (decode(l, copy, size, &keyed, NULL) == SIPCID_WIRE_OK) {
			check_round_trip(&keyed);
			if (decode(l, copy, size, &keyed, NULL) != SIPCID_WIRE_REPLAYED)
				fail("the same signed datagram was accepted twice");
		}
		sipcid_wire_listener_free(l);
	}
	free(copy);
	return 0;
}
