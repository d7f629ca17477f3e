/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The packet path: one announcement per call, state from responses, CANCEL
 * and BYE, bounded memory under a flood, SIP over TCP in pieces. */
#include "pipeline.h"
#include "rules.h"
#include "settings.h"

#include <arpa/inet.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static struct sipcid_settings *settings;

static struct sipcid_packet udp(const char *payload, int64_t t)
{
	struct sipcid_packet p = { 0 };
	p.time_us = t;
	p.transport = SIPCID_TRANSPORT_UDP;
	p.src.family = p.dst.family = AF_INET;
	inet_pton(AF_INET, "203.0.113.1", p.src.addr);
	inet_pton(AF_INET, "192.168.1.2", p.dst.addr);
	p.src.port = p.dst.port = 5060;
	p.payload = (const uint8_t *)payload;
	p.payload_len = strlen(payload);
	return p;
}

static char *msg(const char *start, const char *call_id, const char *to_tag, const char *cseq)
{
	return g_strdup_printf("%s\r\nVia: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK%s\r\n"
	                       "From: \"Alice\" <sip:+15551234567@carrier.example>;tag=a\r\n"
	                       "To: <sip:+15550001111@ata.example>%s%s\r\n"
	                       "Call-ID: %s\r\nCSeq: %s\r\nContent-Length: 0\r\n\r\n",
	                       start, call_id, to_tag ? ";tag=" : "", to_tag ? to_tag : "", call_id,
	                       cseq);
}

static int feed(struct sipcid_pipeline *pl, const char *start, const char *call_id,
                const char *to_tag, const char *cseq, int64_t t)
{
	g_autofree char *m = msg(start, call_id, to_tag, cseq);
	struct sipcid_packet p = udp(m, t);
	return sipcid_pipeline_handle(pl, &p);
}

static int drain(struct sipcid_pipeline *pl, struct sipcid_call *last)
{
	int n = 0;
	struct sipcid_call c = { 0 };
	while (sipcid_pipeline_next_event(pl, &c)) {
		n++;
		if (last)
			*last = c;
	}
	return n;
}

static void test_answered_call(void)
{
	struct sipcid_pipeline *pl = sipcid_pipeline_new(settings);
	struct sipcid_call c = { 0 };
	int64_t t = 1000000000000;
	g_assert_cmpint(feed(pl, "INVITE sip:+15550001111@ata.example SIP/2.0", "c1", NULL, "1 INVITE", t),
	                ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.kind, ==, SIPCID_EVENT_CALL);
	g_assert_cmpstr(c.number, ==, "+15551234567");
	g_assert_cmpint(c.state, ==, SIPCID_STATE_RINGING);
	/* retransmissions announce nothing */
	for (int i = 0; i < 5; i++)
		feed(pl, "INVITE sip:+15550001111@ata.example SIP/2.0", "c1", NULL, "1 INVITE", t + i * 500000);
	g_assert_cmpint(drain(pl, NULL), ==, 0);
	feed(pl, "SIP/2.0 100 Trying", "c1", NULL, "1 INVITE", t + 10000);
	feed(pl, "SIP/2.0 180 Ringing", "c1", "b", "1 INVITE", t + 20000);
	g_assert_cmpint(drain(pl, NULL), ==, 0);
	feed(pl, "SIP/2.0 200 OK", "c1", "b", "1 INVITE", t + 3000000);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.kind, ==, SIPCID_EVENT_UPDATE);
	g_assert_cmpint(c.state, ==, SIPCID_STATE_ANSWERED);
	g_assert_cmpint(c.ring_ms, ==, 3000);
	/* a 200 retransmission and a re-INVITE change nothing */
	feed(pl, "SIP/2.0 200 OK", "c1", "b", "1 INVITE", t + 3100000);
	feed(pl, "INVITE sip:+15550001111@ata.example SIP/2.0", "c1", "b", "2 INVITE", t + 4000000);
	g_assert_cmpint(drain(pl, NULL), ==, 0);
	feed(pl, "BYE sip:alice@carrier.example SIP/2.0", "c1", "b", "3 BYE", t + 13000000);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.state, ==, SIPCID_STATE_ENDED);
	g_assert_cmpint(c.talk_ms, ==, 10000);
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.calls, ==, 1);
	g_assert_cmpuint(st.retransmissions, ==, 5);
	sipcid_pipeline_free(pl);
}

static void test_missed_calls(void)
{
	struct sipcid_pipeline *pl = sipcid_pipeline_new(settings);
	struct sipcid_call c = { 0 };
	int64_t t = 1000000000000;
	feed(pl, "INVITE sip:x@ata SIP/2.0", "m1", NULL, "1 INVITE", t);
	feed(pl, "CANCEL sip:x@ata SIP/2.0", "m1", NULL, "1 CANCEL", t + 8000000);
	g_assert_cmpint(drain(pl, &c), ==, 2);
	g_assert_cmpint(c.state, ==, SIPCID_STATE_MISSED);
	g_assert_cmpint(c.ring_ms, ==, 8000);
	feed(pl, "SIP/2.0 487 Request Terminated", "m1", "b", "1 INVITE", t + 8100000);
	g_assert_cmpint(drain(pl, NULL), ==, 0);

	/* an authentication challenge is not a missed call */
	feed(pl, "INVITE sip:x@ata SIP/2.0", "m3", NULL, "1 INVITE", t);
	feed(pl, "SIP/2.0 407 Proxy Authentication Required", "m3", "b", "1 INVITE", t + 100000);
	feed(pl, "INVITE sip:x@ata SIP/2.0", "m3", NULL, "2 INVITE", t + 200000);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.state, ==, SIPCID_STATE_RINGING);

	feed(pl, "INVITE sip:x@ata SIP/2.0", "m2", NULL, "1 INVITE", t);
	feed(pl, "SIP/2.0 486 Busy Here", "m2", "b", "1 INVITE", t + 1000000);
	g_assert_cmpint(drain(pl, &c), ==, 2);
	g_assert_cmpint(c.state, ==, SIPCID_STATE_MISSED);
	sipcid_pipeline_free(pl);
}

/* Settings from a sipcid.conf with `text` in it. */
static struct sipcid_settings *settings_from(const char *text)
{
	GError *err = NULL;
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("sipcid-test-XXXXXX.conf", &path, &err);
	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, &err));
	struct sipcid_settings *s = sipcid_settings_load(path, &err);
	g_assert_no_error(err);
	g_unlink(path);
	return s;
}

static void test_flood_is_bounded(void)
{
	struct sipcid_settings *small = settings_from("[datapath]\ncall-table-size = 64\n");
	struct sipcid_pipeline *pl = sipcid_pipeline_new(small);
	int64_t t = 1000000000000;
	int events = 0;
	for (int i = 0; i < 20000; i++) {
		char id[32];
		g_snprintf(id, sizeof id, "flood-%d", i);
		feed(pl, "INVITE sip:x@ata SIP/2.0", id, NULL, "1 INVITE", t + i);
		events += drain(pl, NULL);
	}
	g_assert_cmpint(events, ==, 20000);
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.table_evictions, ==, 20000 - 64);
	/* the newest call is still known: its retransmission is recognised */
	feed(pl, "INVITE sip:x@ata SIP/2.0", "flood-19999", NULL, "1 INVITE", t + 30000);
	g_assert_cmpint(drain(pl, NULL), ==, 0);
	/* after the ring timeout everything is forgotten */
	sipcid_pipeline_expire(pl, t + (int64_t)3600 * G_USEC_PER_SEC);
	feed(pl, "INVITE sip:x@ata SIP/2.0", "flood-19999", NULL, "1 INVITE", t + (int64_t)3601 * G_USEC_PER_SEC);
	g_assert_cmpint(drain(pl, NULL), ==, 1);
	sipcid_pipeline_free(pl);
	sipcid_settings_free(small);
}

static struct sipcid_packet tcp(const char *data, size_t len, uint32_t seq, uint8_t flags)
{
	struct sipcid_packet p = udp("", 1000000000000);
	p.transport = SIPCID_TRANSPORT_TCP;
	p.payload = (const uint8_t *)data;
	p.payload_len = len;
	p.tcp_seq = seq;
	p.tcp_flags = flags;
	return p;
}

static void test_tcp_pieces(void)
{
	struct sipcid_pipeline *pl = sipcid_pipeline_new(settings);
	g_autofree char *a = msg("INVITE sip:x@ata SIP/2.0", "t1", NULL, "1 INVITE");
	g_autofree char *b = msg("INVITE sip:x@ata SIP/2.0", "t2", NULL, "1 INVITE");
	g_autofree char *both = g_strconcat(a, "\r\n\r\n", b, NULL);  /* with a CRLF keep-alive */
	size_t n = strlen(both);
	uint32_t isn = 4000000000u;  /* wraps around 2^32 during the stream */
	struct sipcid_packet p = tcp("", 0, isn, 0x02);
	g_assert_cmpint(sipcid_pipeline_handle(pl, &p), ==, SIPCID_VERDICT_ACCEPT);
	uint32_t seq = isn + 1;
	size_t cut1 = 40, cut2 = strlen(a) + 10;
	p = tcp(both, cut1, seq, 0x18);
	sipcid_pipeline_handle(pl, &p);
	g_assert_cmpint(drain(pl, NULL), ==, 0);
	p = tcp(both, cut1, seq, 0x18);  /* a retransmitted segment */
	sipcid_pipeline_handle(pl, &p);
	p = tcp(both + cut1, cut2 - cut1, seq + (uint32_t)cut1, 0x18);
	g_assert_cmpint(sipcid_pipeline_handle(pl, &p), ==, SIPCID_VERDICT_ACCEPT);
	struct sipcid_call c = { 0 };
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpstr(c.call_id, ==, "t1");
	p = tcp(both + cut2, n - cut2, seq + (uint32_t)cut2, 0x18);
	sipcid_pipeline_handle(pl, &p);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpstr(c.call_id, ==, "t2");
	sipcid_pipeline_free(pl);
}

static struct sipcid_rules *rules_from(const char *text)
{
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("sipcid-rules-XXXXXX", &path, NULL);
	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	GError *err = NULL;
	struct sipcid_rules *r = sipcid_rules_load(path, NULL, &settings->numbers, &err);
	g_assert_no_error(err);
	g_unlink(path);
	return r;
}

static int feed_from(struct sipcid_pipeline *pl, const char *from, const char *start,
                     const char *call_id, const char *cseq, int64_t t)
{
	g_autofree char *m = g_strdup_printf("%s\r\nVia: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK%s\r\n"
	                                     "From: %s;tag=a\r\nTo: <sip:+15550001111@ata.example>\r\n"
	                                     "Call-ID: %s\r\nCSeq: %s\r\nContent-Length: 0\r\n\r\n",
	                                     start, call_id, from, call_id, cseq);
	struct sipcid_packet p = udp(m, t);
	return sipcid_pipeline_handle(pl, &p);
}

/* A pipeline on settings `s` with the rule file `rules`. */
static struct sipcid_pipeline *pipeline_with(const struct sipcid_settings *s, const char *rules)
{
	struct sipcid_pipeline *pl = sipcid_pipeline_new(s);
	struct sipcid_rules *r = rules_from(rules);
	sipcid_pipeline_set_rules(pl, r);
	sipcid_rules_unref(r);
	return pl;
}

static void test_blocking(void)
{
	struct sipcid_pipeline *pl = pipeline_with(settings, "block number anonymous\nallow *\n");
	const char *anon = "\"Anonymous\" <sip:anonymous@anonymous.invalid>";
	const char *inv = "INVITE sip:+15550001111@ata.example SIP/2.0";
	int64_t t = 1000000000000;
	struct sipcid_call c = { 0 };

	g_assert_cmpint(feed_from(pl, anon, inv, "b1", "1 INVITE", t), ==, SIPCID_VERDICT_DROP);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	g_assert_nonnull(strstr(c.rule, ":1"));
	/* every retransmission for 32 s is dropped too, and announces nothing */
	for (int i = 1; i <= 7; i++)
		g_assert_cmpint(feed_from(pl, anon, inv, "b1", "1 INVITE", t + i * 4 * G_USEC_PER_SEC), ==,
		                SIPCID_VERDICT_DROP);
	g_assert_cmpint(drain(pl, NULL), ==, 0);
	/* nothing else of that call is dropped */
	g_assert_cmpint(feed_from(pl, anon, "CANCEL sip:+15550001111@ata.example SIP/2.0", "b1", "1 CANCEL",
	                          t + 33 * G_USEC_PER_SEC), ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(feed_from(pl, anon, "ACK sip:+15550001111@ata.example SIP/2.0", "b1", "1 ACK",
	                          t + 33 * G_USEC_PER_SEC), ==, SIPCID_VERDICT_ACCEPT);
	/* the Call-ID is still remembered 60 s later */
	sipcid_pipeline_expire(pl, t + 60 * G_USEC_PER_SEC);
	g_assert_cmpint(feed_from(pl, anon, inv, "b1", "1 INVITE", t + 60 * G_USEC_PER_SEC), ==,
	                SIPCID_VERDICT_DROP);
	g_assert_cmpint(drain(pl, NULL), ==, 0);

	/* a named caller rings through */
	g_assert_cmpint(feed_from(pl, "\"Alice\" <sip:+15551234567@x>", inv, "a1", "1 INVITE", t), ==,
	                SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);

	/* new rules change later calls only: the ringing call keeps its decision */
	struct sipcid_rules *r = rules_from("block number +15551234567\n");
	sipcid_pipeline_set_rules(pl, r);
	sipcid_rules_unref(r);
	g_assert_cmpint(feed_from(pl, "\"Alice\" <sip:+15551234567@x>", inv, "a1", "1 INVITE", t + 1000),
	                ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(feed_from(pl, "\"Alice\" <sip:5551234567@x>", inv, "a2", "1 INVITE", t + 2000), ==,
	                SIPCID_VERDICT_DROP);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpstr(c.call_id, ==, "a2");
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	/* anonymous calls are allowed again under the new rules */
	g_assert_cmpint(feed_from(pl, anon, inv, "b2", "1 INVITE", t + 3000), ==, SIPCID_VERDICT_ACCEPT);
	sipcid_pipeline_free(pl);
}

/* A blocked INVITE over UDP is answered as the ATA (verdict/): in --read
 * nothing is sent, but the event shows the outcome, retransmissions and the
 * ACK of that transaction stay away from the phone for 32 s (Timer H), and
 * nothing else of the call does. */
static void test_reject(void)
{
	struct sipcid_pipeline *pl = pipeline_with(settings, "block number +15551234567\n");
	const char *alice = "\"Alice\" <sip:+15551234567@x>";
	const char *inv = "INVITE sip:+15550001111@ata.example SIP/2.0";
	const char *ack = "ACK sip:+15550001111@ata.example SIP/2.0";
	int64_t t = 1000000000000;
	struct sipcid_call c = { 0 };
	g_assert_cmpint(feed_from(pl, alice, inv, "r1", "7 INVITE", t), ==, SIPCID_VERDICT_DROP);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	/* no outcome named by a rule: [rules] block-outcome's default */
	g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_DECLINE);
	g_assert_cmpint(feed_from(pl, alice, inv, "r1", "7 INVITE", t + 500000), ==, SIPCID_VERDICT_DROP);
	/* an ACK of another transaction is not this one's */
	g_assert_cmpint(feed_from(pl, alice, ack, "r1", "8 ACK", t + 600000), ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(feed_from(pl, alice, ack, "r1", "7 ACK", t + 600000), ==, SIPCID_VERDICT_DROP);
	g_assert_cmpint(feed_from(pl, alice, "CANCEL sip:+15550001111@ata.example SIP/2.0", "r1",
	                          "7 CANCEL", t + 700000), ==, SIPCID_VERDICT_DROP);
	g_assert_cmpint(drain(pl, NULL), ==, 0);
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.replies_absorbed, ==, 2);
	g_assert_cmpuint(st.replies_sent, ==, 0);   /* --read sends nothing */
	/* past Timer H the transaction is forgotten: an ACK passes as before */
	g_assert_cmpint(feed_from(pl, alice, ack, "r1", "7 ACK", t + 33 * G_USEC_PER_SEC), ==,
	                SIPCID_VERDICT_ACCEPT);
	/* an allowed call has no outcome, and its ACK passes */
	g_assert_cmpint(feed_from(pl, "\"Bob\" <sip:+15559999999@x>", inv, "r2", "1 INVITE", t), ==,
	                SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_NONE);
	g_assert_cmpint(feed_from(pl, "\"Bob\" <sip:+15559999999@x>", ack, "r2", "1 ACK", t + 1), ==,
	                SIPCID_VERDICT_ACCEPT);

	/* live, but the packet socket could not be opened: dropped in silence,
	 * and the event says so */
	sipcid_pipeline_set_frame_sender(pl, NULL);
	g_assert_cmpint(feed_from(pl, alice, inv, "r3", "1 INVITE", t), ==, SIPCID_VERDICT_DROP);
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_DROP);
	g_assert_cmpint(feed_from(pl, alice, ack, "r3", "1 ACK", t + 1), ==, SIPCID_VERDICT_ACCEPT);
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.reply_failures, ==, 1);
	g_assert_cmpuint(st.replies_sent, ==, 0);
	sipcid_pipeline_free(pl);
}

/* A stranger's blocked INVITE is never answered: silence, outcome drop. */
static void test_reject_stranger(void)
{
	/* the provider is 198.51.100.0/24: udp()'s 203.0.113.1 is a stranger */
	struct sipcid_settings *s = settings_from("[callerid]\ntrusted-sources = 198.51.100.0/24\n");
	struct sipcid_pipeline *pl = pipeline_with(s, "block number +15551234567\n");
	g_assert_cmpint(feed_from(pl, "\"Alice\" <sip:+15551234567@x>",
	                          "INVITE sip:+15550001111@ata.example SIP/2.0", "s1", "1 INVITE",
	                          1000000000000), ==, SIPCID_VERDICT_DROP);
	struct sipcid_call c = { 0 };
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.origin, ==, SIPCID_ORIGIN_STRANGER);
	g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_DROP);
	g_assert_cmpint(feed_from(pl, "\"Alice\" <sip:+15551234567@x>",
	                          "ACK sip:+15550001111@ata.example SIP/2.0", "s1", "1 ACK",
	                          1000000000001), ==, SIPCID_VERDICT_ACCEPT);
	sipcid_pipeline_free(pl);
	sipcid_settings_free(s);
}

/* Over TCP a block can't be enforced (segments are never dropped): the call
 * is announced as allowed, with the rule named, and counted. */
static void test_tcp_block_not_claimed(void)
{
	struct sipcid_pipeline *pl = pipeline_with(settings, "block number +15551234567\n");
	g_autofree char *m = msg("INVITE sip:x@ata SIP/2.0", "tcp-block", NULL, "1 INVITE");
	struct sipcid_packet p = tcp("", 0, 1000, 0x02);
	sipcid_pipeline_handle(pl, &p);
	p = tcp(m, strlen(m), 1001, 0x18);
	g_assert_cmpint(sipcid_pipeline_handle(pl, &p), ==, SIPCID_VERDICT_ACCEPT);
	struct sipcid_call c = { 0 };
	g_assert_cmpint(drain(pl, &c), ==, 1);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_nonnull(strstr(c.rule, ":1"));
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.unenforced_blocks, ==, 1);
	sipcid_pipeline_free(pl);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	settings = sipcid_settings_load(NULL, NULL);
	g_test_add_func("/pipeline/answered", test_answered_call);
	g_test_add_func("/pipeline/missed", test_missed_calls);
	g_test_add_func("/pipeline/flood-bounded", test_flood_is_bounded);
	g_test_add_func("/pipeline/tcp-pieces", test_tcp_pieces);
	g_test_add_func("/pipeline/blocking", test_blocking);
	g_test_add_func("/pipeline/tcp-block-not-claimed", test_tcp_block_not_claimed);
	g_test_add_func("/pipeline/reject", test_reject);
	g_test_add_func("/pipeline/reject-stranger", test_reject_stranger);
	int rc = g_test_run();
	sipcid_settings_free(settings);
	return rc;
}
