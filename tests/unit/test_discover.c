/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What sipcid-firewall discover concludes from copies of the bridge's
 * traffic (discover_tally.h), and when sipcidd says it sees no SIP
 * (sip_silence.h). */
#include "discover_tally.h"
#include "sip_silence.h"

#include <arpa/inet.h>
#include <glib.h>
#include <string.h>
#include <sys/socket.h>

#define ATA "192.168.1.2"
#define REGISTRAR "203.0.113.10"
#define T0 ((int64_t)1000000000000)

static struct sipcid_endpoint ep(const char *addr, uint16_t port)
{
	struct sipcid_endpoint e = { .port = port };
	e.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	g_assert_cmpint(inet_pton(e.family, addr, e.addr), ==, 1);
	return e;
}

static void feed(struct sipcid_discover_tally *t, enum sipcid_transport tr, const char *src,
                 uint16_t sport, const char *dst, uint16_t dport, uint32_t ifindex,
                 const void *payload, size_t len)
{
	struct sipcid_packet p = { .time_us = T0, .transport = tr, .ingress_ifindex = ifindex };
	p.src = ep(src, sport);
	p.dst = ep(dst, dport);
	p.payload = payload;
	p.payload_len = len;
	sipcid_discover_tally_packet(t, &p);
}

static void feed_text(struct sipcid_discover_tally *t, enum sipcid_transport tr, const char *src,
                      uint16_t sport, const char *dst, uint16_t dport, uint32_t ifindex,
                      const char *text)
{
	feed(t, tr, src, sport, dst, dport, ifindex, text, strlen(text));
}

static const char reg[] =
	"REGISTER sip:" REGISTRAR ":10000 SIP/2.0\r\nVia: SIP/2.0/UDP " ATA ":10000;branch=z9hG4bKr\r\n"
	"From: <sip:2001@" REGISTRAR ">;tag=r\r\nTo: <sip:2001@" REGISTRAR ">\r\nCall-ID: reg@ata\r\n"
	"CSeq: 2 REGISTER\r\nContact: <sip:2001@" ATA ":10000>\r\nContent-Length: 0\r\n\r\n";

static char *answer(int status)
{
	return g_strdup_printf("SIP/2.0 %d Whatever\r\nVia: SIP/2.0/UDP " ATA ":10000;branch=z9hG4bKr\r\n"
	                       "From: <sip:2001@x>;tag=r\r\nTo: <sip:2001@x>;tag=s\r\n"
	                       "Call-ID: reg@ata\r\nCSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n", status);
}

/* The ATA's REGISTER from ata_port to the registrar's port, and its answer. */
static void exchange(struct sipcid_discover_tally *t, enum sipcid_transport tr, uint16_t ata_port,
                     uint16_t registrar_port, int status)
{
	g_autofree char *a = answer(status);
	feed_text(t, tr, ATA, ata_port, REGISTRAR, registrar_port, 3, reg);
	feed_text(t, tr, REGISTRAR, registrar_port, ATA, ata_port, 2, a);
}

static char *report(const struct sipcid_discover_tally *t)
{
	GString *out = g_string_new(NULL);
	sipcid_discover_tally_report(t, 12, out);
	return g_string_free(out, FALSE);
}

/* REGISTER, its 401, again, 200: the ATA and the registrar, port 10000. */
static void test_registration(void)
{
	struct sipcid_discover_tally t;
	sipcid_discover_tally_init(&t);
	exchange(&t, SIPCID_TRANSPORT_UDP, 10000, 10000, 401);
	g_assert_false(sipcid_discover_tally_done(&t));
	exchange(&t, SIPCID_TRANSPORT_UDP, 10000, 10000, 200);
	g_assert_true(sipcid_discover_tally_done(&t));
	g_autofree char *r = report(&t);
	g_assert_nonnull(strstr(r, "The phone adapter (ATA): " ATA ", sending its SIP from " ATA ":10000/udp"));
	g_assert_nonnull(strstr(r, "The provider (registrar): " REGISTRAR ", its SIP at " REGISTRAR ":10000/udp"));
	g_assert_nonnull(strstr(r, "SIP was seen on: port 10000/udp (4 messages).\n"));
	g_assert_true(g_str_has_suffix(r, "\nSIPCID_PORTS=10000\n"));
}

/* Refused: the ATA is still found, and the answer named. */
static void test_refused(void)
{
	struct sipcid_discover_tally t;
	sipcid_discover_tally_init(&t);
	exchange(&t, SIPCID_TRANSPORT_UDP, 5060, 5060, 403);
	g_assert_false(sipcid_discover_tally_done(&t));
	g_autofree char *r = report(&t);
	g_assert_nonnull(strstr(r, "The phone adapter (ATA) is probably " ATA ":5060/udp"));
	g_assert_nonnull(strstr(r, "it asked " REGISTRAR ":5060/udp to register it"));
	g_assert_nonnull(strstr(r, "answered 403, not 200 OK"));
	g_assert_true(g_str_has_suffix(r, "\nSIPCID_PORTS=5060\n"));
}

/* Over TCP the client's port is any: only the server's counts. */
static void test_tcp_server_port(void)
{
	struct sipcid_discover_tally t;
	sipcid_discover_tally_init(&t);
	exchange(&t, SIPCID_TRANSPORT_TCP, 40123, 5080, 200);
	g_autofree char *r = report(&t);
	g_assert_nonnull(strstr(r, "SIP was seen on: port 5080/tcp (2 messages).\n"));
	g_assert_null(strstr(r, "40123"));
	g_assert_nonnull(strstr(r, "The phone adapter (ATA): " ATA ", sending its SIP over TCP"));
	g_assert_true(g_str_has_suffix(r, "\nSIPCID_PORTS=5080\n"));
}

static const uint8_t client_hello[] = { 0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00, 0xc4, 0x03, 0x03 };

/* TLS to 5061 is SIP nobody can read; TLS elsewhere is news only when no
 * readable SIP was seen. */
static void test_tls(void)
{
	struct sipcid_discover_tally t;
	sipcid_discover_tally_init(&t);
	feed(&t, SIPCID_TRANSPORT_TCP, ATA, 40000, REGISTRAR, 5061, 3, client_hello, sizeof client_hello);
	g_assert_true(sipcid_discover_tally_sip_tls(&t));
	g_assert_false(sipcid_discover_tally_found(&t));
	g_autofree char *r = report(&t);
	g_assert_nonnull(strstr(r, "SIP over TLS (encrypted) crossed the bridge: " ATA " to " REGISTRAR ":5061/tcp.\n"));
	g_assert_nonnull(strstr(r, "This line's SIP is encrypted and cannot be read"));
	g_assert_null(strstr(r, "SIPCID_PORTS="));

	sipcid_discover_tally_init(&t);
	feed(&t, SIPCID_TRANSPORT_TCP, ATA, 40000, "198.51.100.7", 443, 3, client_hello, sizeof client_hello);
	g_assert_false(sipcid_discover_tally_sip_tls(&t));
	g_autofree char *r2 = report(&t);
	g_assert_nonnull(strstr(r2, "No readable SIP was seen, but encrypted (TLS) connections were: " ATA " to 198.51.100.7:443/tcp."));
	feed_text(&t, SIPCID_TRANSPORT_UDP, ATA, 5060, REGISTRAR, 5060, 3, reg);
	g_autofree char *r3 = report(&t);
	g_assert_null(strstr(r3, "TLS"));
}

/* Hostile copies: cut, binary, empty, a TLS header cut short. Counted,
 * never read past their end (ASan watches), never SIP. */
static void test_hostile(void)
{
	struct sipcid_discover_tally t;
	sipcid_discover_tally_init(&t);
	for (size_t cut = 0; cut < sizeof reg - 1; cut += 7) {
		uint8_t *copy = g_memdup2(reg, cut);
		feed(&t, SIPCID_TRANSPORT_UDP, ATA, 5060, REGISTRAR, 5060, 3, copy, cut);
		g_free(copy);
	}
	for (size_t cut = 0; cut < sizeof client_hello; cut++) {
		uint8_t *copy = g_memdup2(client_hello, cut);
		feed(&t, SIPCID_TRANSPORT_TCP, ATA, 40000, REGISTRAR, 5061, 3, copy, cut);
		g_free(copy);
	}
	uint8_t junk[512];
	GRand *rand = g_rand_new_with_seed(19);
	for (int i = 0; i < 2000; i++) {
		size_t n = (size_t)g_rand_int_range(rand, 0, sizeof junk);
		for (size_t k = 0; k < n; k++)
			junk[k] = (uint8_t)g_rand_int(rand);
		uint8_t *copy = g_memdup2(junk, n);
		feed(&t, i % 2 ? SIPCID_TRANSPORT_TCP : SIPCID_TRANSPORT_UDP, ATA, 5060, REGISTRAR, 5060, 3, copy, n);
		g_free(copy);
	}
	g_rand_free(rand);
	g_assert_false(sipcid_discover_tally_done(&t));
	g_autofree char *r = report(&t);
	g_assert_nonnull(r);
}

/* More ports than the firewall takes: the busiest 15, and a word about the rest. */
static void test_many_ports(void)
{
	struct sipcid_discover_tally t;
	sipcid_discover_tally_init(&t);
	for (unsigned port = 6000; port < 6020; port++)
		feed_text(&t, SIPCID_TRANSPORT_TCP, ATA, 40000, REGISTRAR, (uint16_t)port, 3, reg);
	g_assert_cmpuint(t.ports_full, ==, 5);
	g_autofree char *r = report(&t);
	g_assert_nonnull(strstr(r, "5 more messages were on other ports"));
	const char *line = strstr(r, "SIPCID_PORTS=");
	g_assert_nonnull(line);
	g_auto(GStrv) ports = g_strsplit(line + strlen("SIPCID_PORTS="), ",", -1);
	g_assert_cmpuint(g_strv_length(ports), ==, SIPCID_DISCOVER_PORTS_MAX);
}

#define S ((int64_t)G_USEC_PER_SEC)

static void test_silence(void)
{
	struct sipcid_sip_silence s;
	sipcid_sip_silence_init(&s, "br0", "10000");
	/* The first sample starts the clock. */
	g_assert_false(sipcid_sip_silence_sample(&s, 0, 600 * S, 0, true, 100));
	/* Quiet queue, quiet bridge: a line asleep, no warning. */
	g_assert_false(sipcid_sip_silence_sample(&s, 700 * S, 600 * S, 0, true, 100));
	/* Quiet queue while the bridge forwards: the warning, once. */
	g_assert_true(sipcid_sip_silence_sample(&s, 701 * S, 600 * S, 0, true, 150));
	g_assert_false(sipcid_sip_silence_sample(&s, 702 * S, 600 * S, 0, true, 160));
	g_assert_true(s.silent);
	GString *out = g_string_new(NULL);
	sipcid_sip_silence_format(&s, 702 * S, out);
	g_assert_cmpstr(out->str, ==, "no-sip:                WARNING no SIP seen on ports 10000 for 10 minutes "
	                "while bridge br0 forwarded 60 packets; run sipcid-firewall discover\n");
	/* A packet through the queue ends it. */
	g_assert_false(sipcid_sip_silence_sample(&s, 703 * S, 600 * S, 1, true, 170));
	g_assert_false(s.silent);
	/* Off. */
	g_assert_false(sipcid_sip_silence_sample(&s, 5000 * S, 0, 1, true, 9000));
	g_assert_false(s.silent);
	/* Counters unreadable: the time alone decides, and the words say so. */
	sipcid_sip_silence_init(&s, "no such bridge!", "5060;rm");
	g_assert_false(sipcid_sip_silence_sample(&s, 0, 3 * S, 0, false, 0));
	g_assert_true(sipcid_sip_silence_sample(&s, 3 * S, 3 * S, 0, false, 0));
	g_string_truncate(out, 0);
	sipcid_sip_silence_words(&s, out);
	g_assert_cmpstr(out->str, ==, "no SIP seen on ports 5060 for 3 seconds (bridge br0's counters "
	                "cannot be read); run sipcid-firewall discover");
	g_string_free(out, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/discover/registration", test_registration);
	g_test_add_func("/discover/refused", test_refused);
	g_test_add_func("/discover/tcp-server-port", test_tcp_server_port);
	g_test_add_func("/discover/tls", test_tls);
	g_test_add_func("/discover/hostile", test_hostile);
	g_test_add_func("/discover/many-ports", test_many_ports);
	g_test_add_func("/discover/silence", test_silence);
	return g_test_run();
}
