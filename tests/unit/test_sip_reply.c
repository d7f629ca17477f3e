/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The answer to a blocked INVITE (bridge-daemon/verdict): the response RFC
 * 3261 §8.2.6 asks for and nothing more, the same To tag for every
 * retransmission, refusals for hostile requests, mutated requests that never
 * give a malformed response; and the frame around it, with checksums. */
#include "frame.h"
#include "sip_reply.h"
#include "sip_scan.h"

#include <arpa/inet.h>
#include <glib.h>
#include <string.h>

static const uint8_t key[SIPCID_SIP_REPLY_KEY_LEN] = "0123456789abcdef";

static const char invite[] =
	"INVITE sip:+15550001111@10.77.0.2 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.77.0.1:5062;branch=z9hG4bK-one;rport\r\n"
	"v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-two, SIP/2.0/UDP 192.0.2.8;branch=z9hG4bK-three\r\n"
	"f: \"Mallory\" <sip:+15551230001@10.77.0.1>;tag=abc\r\n"
	"t: <sip:+15550001111@10.77.0.2>\r\n"
	"i: call-one@10.77.0.1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:evil@10.77.0.1>\r\n"
	"Subject: do not copy me\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 4\r\n"
	"\r\n"
	"v=0\n";

static char *build(const char *msg, size_t len, int status, const uint8_t *k)
{
	char out[SIPCID_SIP_REPLY_MAX];
	size_t n = sipcid_sip_reply_build(msg, len, status, k, out, sizeof out);
	return n ? g_strndup(out, n) : NULL;
}

static void test_response(void)
{
	g_autofree char *r = build(invite, strlen(invite), 603, key);
	g_assert_nonnull(r);
	g_autofree char *tag = NULL;
	const char *t = strstr(r, "To: <sip:+15550001111@10.77.0.2>;tag=");
	g_assert_nonnull(t);
	tag = g_strndup(t + strlen("To: <sip:+15550001111@10.77.0.2>;tag="), 16);
	g_autofree char *want = g_strdup_printf(
		"SIP/2.0 603 Decline\r\n"
		"Via: SIP/2.0/UDP 10.77.0.1:5062;branch=z9hG4bK-one;rport\r\n"
		"Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-two, SIP/2.0/UDP 192.0.2.8;branch=z9hG4bK-three\r\n"
		"From: \"Mallory\" <sip:+15551230001@10.77.0.1>;tag=abc\r\n"
		"To: <sip:+15550001111@10.77.0.2>;tag=%s\r\n"
		"Call-ID: call-one@10.77.0.1\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n", tag);
	g_assert_cmpstr(r, ==, want);
	for (const char *p = tag; *p; p++)
		g_assert_true(g_ascii_isxdigit(*p));

	/* the outcomes' codes */
	g_assert_cmpint(sipcid_sip_reply_status(SIPCID_OUTCOME_BUSY), ==, 486);
	g_assert_cmpint(sipcid_sip_reply_status(SIPCID_OUTCOME_DECLINE), ==, 603);
	g_assert_cmpint(sipcid_sip_reply_status(SIPCID_OUTCOME_GONE), ==, 404);
	g_assert_cmpint(sipcid_sip_reply_status(SIPCID_OUTCOME_DROP), ==, 0);
	g_autofree char *busy = build(invite, strlen(invite), 486, key);
	g_assert_true(g_str_has_prefix(busy, "SIP/2.0 486 Busy Here\r\n"));
	g_autofree char *gone = build(invite, strlen(invite), 404, key);
	g_assert_true(g_str_has_prefix(gone, "SIP/2.0 404 Not Found\r\n"));
	g_assert_null(build(invite, strlen(invite), 0, key));
	g_assert_null(build(invite, strlen(invite), 180, key));
}

/* A retransmission gets the same response; another Call-ID or another run
 * (key) another tag. */
static void test_tag(void)
{
	g_autofree char *a = build(invite, strlen(invite), 486, key);
	g_autofree char *b = build(invite, strlen(invite), 486, key);
	g_assert_cmpstr(a, ==, b);
	const uint8_t other_key[SIPCID_SIP_REPLY_KEY_LEN] = "fedcba9876543210";
	g_autofree char *c = build(invite, strlen(invite), 486, other_key);
	g_assert_cmpstr(a, !=, c);
	g_autofree char *m = g_strdup(invite);
	memcpy(strstr(m, "call-one"), "call-two", 8);
	g_autofree char *d = build(m, strlen(m), 486, key);
	g_assert_cmpstr(a, !=, d);
	g_assert_cmpstr(strstr(a, "To:"), !=, strstr(d, "To:"));

	/* a To that already has a tag keeps it and gets no second one */
	g_autofree char *t2 = NULL;
	GString *s = g_string_new(invite);
	g_string_replace(s, "t: <sip:+15550001111@10.77.0.2>\r\n",
	                 "To: <sip:+15550001111@10.77.0.2>;tag=theirs\r\n", 1);
	t2 = build(s->str, s->len, 603, key);
	g_assert_nonnull(strstr(t2, "\r\nTo: <sip:+15550001111@10.77.0.2>;tag=theirs\r\n"));
	g_assert_null(strstr(t2, "tag=theirs;tag="));
	g_string_free(s, TRUE);
}

static char *with(const char *from, const char *to)
{
	GString *s = g_string_new(invite);
	g_string_replace(s, from, to, 1);
	return g_string_free(s, FALSE);
}

static void test_hostile(void)
{
	/* a bare CR, NUL or ESC inside a copied header: no response at all */
	const char *bad[] = { "tag=abc", "i: call-one", "CSeq: 1", "branch=z9hG4bK-one" };
	const char *inject[] = { "tag=abc\rContact: x", "i: call\x1b[2Jone", "CSeq: 1\r INVITE",
	                         "branch=z9hG4bK\x7f" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *m = with(bad[i], inject[i]);
		g_assert_null(build(m, strlen(m), 603, key));
	}
	g_autofree char *nul = g_strdup(invite);
	char *at = strstr(nul, "Mallory");
	at[2] = '\0';
	g_assert_null(build(nul, sizeof invite - 1, 603, key));
	/* a CRLF inside a header can only start a new header, which is not copied */
	g_autofree char *crlf = with("CSeq: 1 INVITE\r\n", "CSeq: 1 INVITE\r\nX-Evil: 1\r\n");
	g_autofree char *r = build(crlf, strlen(crlf), 603, key);
	g_assert_nonnull(r);
	g_assert_null(strstr(r, "Evil"));
	/* every header the response needs */
	const char *needed[] = { "t: <sip:+15550001111@10.77.0.2>\r\n", "i: call-one@10.77.0.1\r\n",
	                         "CSeq: 1 INVITE\r\n", "f: \"Mallory\" <sip:+15551230001@10.77.0.1>;tag=abc\r\n" };
	for (size_t i = 0; i < G_N_ELEMENTS(needed); i++) {
		g_autofree char *m = with(needed[i], "");
		g_assert_null(build(m, strlen(m), 603, key));
	}
	g_autofree char *novia = with("Via: SIP/2.0/UDP 10.77.0.1:5062;branch=z9hG4bK-one;rport\r\n"
	                              "v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-two, SIP/2.0/UDP "
	                              "192.0.2.8;branch=z9hG4bK-three\r\n", "");
	g_assert_null(build(novia, strlen(novia), 603, key));
	/* a Via list too long for one frame: refused, nothing written past the buffer */
	GString *huge = g_string_new("INVITE sip:x@y SIP/2.0\r\n");
	for (int i = 0; i < 500; i++)
		g_string_append_printf(huge, "Via: SIP/2.0/UDP 192.0.2.%d;branch=z9hG4bK%d\r\n", i % 250, i);
	g_string_append(huge, strstr(invite, "f: "));
	g_assert_null(build(huge->str, huge->len, 603, key));
	g_string_free(huge, TRUE);
	/* a value over SIPCID_SIP_REPLY_HEADER_MAX */
	g_autofree char *pad = g_strnfill(SIPCID_SIP_REPLY_HEADER_MAX + 10, 'a');
	g_autofree char *longid = g_strdup_printf("i: %s\r\n", pad);
	g_autofree char *m = with("i: call-one@10.77.0.1\r\n", longid);
	g_assert_null(build(m, strlen(m), 603, key));
	/* a folded From is unfolded to one line */
	g_autofree char *folded = with("f: \"Mallory\" <sip", "f: \"Mallory\"\r\n   <sip");
	g_autofree char *fr = build(folded, strlen(folded), 603, key);
	g_assert_nonnull(strstr(fr, "\r\nFrom: \"Mallory\" <sip:+15551230001@10.77.0.1>;tag=abc\r\n"));
	/* nothing, or only a request line */
	g_assert_null(build("", 0, 603, key));
	g_assert_null(build("INVITE sip:x@y SIP/2.0", 22, 603, key));
	g_assert_null(build("\r\n\r\n", 4, 603, key));
}

/* What a well-formed response looks like: a status line, header lines of
 * printable text and tabs each ending CRLF, an empty line, nothing after. */
static void assert_well_formed(const char *r, size_t n, int status)
{
	g_autofree char *line = g_strdup_printf("SIP/2.0 %d ", status);
	g_assert_true(n > strlen(line) && !strncmp(r, line, strlen(line)));
	g_assert_true(n >= 4 && !memcmp(r + n - 4, "\r\n\r\n", 4));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)r[i];
		if (c == '\r') {
			g_assert_true(i + 1 < n && r[i + 1] == '\n');
			i++;
		} else {
			g_assert_true(c >= 0x20 || c == '\t');
			g_assert_true(c != 0x7f);
		}
	}
	struct sipcid_sip_scan s;
	g_assert_true(sipcid_sip_scan(r, n, &s));
	g_assert_false(s.is_request);
	g_assert_cmpint(s.status, ==, status);
	g_assert_cmpint(s.n_from, ==, 1);
	g_assert_cmpint(s.n_to, ==, 1);
	g_assert_cmpint(s.n_call_id, ==, 1);
	g_assert_cmpint(s.n_cseq, ==, 1);
	g_assert_true(s.to_tag);
	g_assert_cmpint(s.content_length, ==, 0);
	g_assert_cmpuint(s.headers_end, ==, n);
}

/* Mutated INVITEs: bytes replaced, lines cut, duplicated and swapped. */
static void test_mutations(void)
{
	GRand *rng = g_rand_new_with_seed(15);
	const char alphabet[] = "\r\n\t ;:,<>\"=\x01\x1b\x7f\x80\xff" "aZ9";
	unsigned built = 0;
	for (int round = 0; round < 20000; round++) {
		GString *m = g_string_new(invite);
		int edits = g_rand_int_range(rng, 1, 8);
		for (int e = 0; e < edits; e++) {
			gsize at = (gsize)g_rand_int_range(rng, 0, (gint32)m->len);
			switch (g_rand_int_range(rng, 0, 4)) {
			case 0:
				m->str[at] = alphabet[g_rand_int_range(rng, 0, sizeof alphabet - 1)];
				break;
			case 1: {
				gsize len = (gsize)g_rand_int_range(rng, 1, 40);
				g_string_erase(m, (gssize)at, (gssize)MIN(len, m->len - at));
				break;
			}
			case 2: {
				gsize len = (gsize)g_rand_int_range(rng, 1, 120);
				len = MIN(len, m->len - at);
				g_autofree char *copy = g_strndup(m->str + at, len);
				g_string_insert_len(m, (gssize)at, copy, (gssize)len);
				break;
			}
			default:
				g_string_truncate(m, at);
				break;
			}
			if (!m->len)
				g_string_append_c(m, 'x');
		}
		char out[SIPCID_SIP_REPLY_MAX + 16];
		memset(out, 0x5a, sizeof out);
		size_t n = sipcid_sip_reply_build(m->str, m->len, 486, key, out, SIPCID_SIP_REPLY_MAX);
		for (size_t i = SIPCID_SIP_REPLY_MAX; i < sizeof out; i++)
			g_assert_cmpint(out[i], ==, 0x5a);
		if (n) {
			assert_well_formed(out, n, 486);
			built++;
		}
		g_string_free(m, TRUE);
	}
	g_rand_free(rng);
	/* the mutations leave many requests whole enough to answer */
	g_assert_cmpuint(built, >, 1000);
}

static uint16_t sum(const uint8_t *p, size_t n, uint32_t s)
{
	for (; n > 1; p += 2, n -= 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		s += (uint32_t)(p[0] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void test_frame(void)
{
	const uint8_t dmac[6] = { 2, 0, 0, 0, 0, 1 }, smac[6] = { 2, 0, 0, 0, 0, 2 };
	const char body[] = "SIP/2.0 603 Decline\r\n\r\n";
	uint8_t buf[SIPCID_FRAME_MAX];
	for (int v6 = 0; v6 <= 1; v6++) {
		struct sipcid_endpoint src = { .family = v6 ? AF_INET6 : AF_INET, .port = 5060 };
		struct sipcid_endpoint dst = { .family = src.family, .port = 5062 };
		inet_pton(src.family, v6 ? "fd77::2" : "10.77.0.2", src.addr);
		inet_pton(dst.family, v6 ? "fd77::1" : "10.77.0.1", dst.addr);
		size_t n = sipcid_frame_build(buf, sizeof buf, dmac, smac, &src, &dst, body, sizeof body - 1);
		size_t iplen = v6 ? 40 : 20, alen = v6 ? 16 : 4;
		g_assert_cmpuint(n, ==, 14 + iplen + 8 + sizeof body - 1);
		g_assert_cmpmem(buf, 6, dmac, 6);
		g_assert_cmpmem(buf + 6, 6, smac, 6);
		g_assert_cmpint(buf[12] << 8 | buf[13], ==, v6 ? 0x86dd : 0x0800);
		const uint8_t *ip = buf + 14, *udp = ip + iplen;
		if (!v6)
			g_assert_cmpint(sum(ip, 20, 0), ==, 0xffff);  /* the header checksum holds */
		g_assert_cmpmem(ip + (v6 ? 8 : 12), alen, src.addr, alen);
		g_assert_cmpmem(ip + (v6 ? 24 : 16), alen, dst.addr, alen);
		g_assert_cmpint(udp[0] << 8 | udp[1], ==, 5060);
		g_assert_cmpint(udp[2] << 8 | udp[3], ==, 5062);
		size_t ulen = 8 + sizeof body - 1;
		g_assert_cmpint(udp[4] << 8 | udp[5], ==, (int)ulen);
		g_assert_cmpint(udp[6] << 8 | udp[7], !=, 0);
		/* pseudo-header + datagram sum to all ones */
		uint32_t ps = sum(src.addr, alen, 0);
		ps = sum(dst.addr, alen, ps) + 17 + (uint32_t)ulen;
		g_assert_cmpint(sum(udp, ulen, ps), ==, 0xffff);
		g_assert_cmpmem(udp + 8, sizeof body - 1, body, sizeof body - 1);
		/* too small a buffer, or mixed families: nothing */
		g_assert_cmpuint(sipcid_frame_build(buf, n - 1, dmac, smac, &src, &dst, body, sizeof body - 1), ==, 0);
		dst.family = v6 ? AF_INET : AF_INET6;
		g_assert_cmpuint(sipcid_frame_build(buf, sizeof buf, dmac, smac, &src, &dst, body, sizeof body - 1), ==, 0);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sip_reply/response", test_response);
	g_test_add_func("/sip_reply/tag", test_tag);
	g_test_add_func("/sip_reply/hostile", test_hostile);
	g_test_add_func("/sip_reply/mutations", test_mutations);
	g_test_add_func("/sip_reply/frame", test_frame);
	return g_test_run();
}
