/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Same-length rewrites of SIP over TCP (decode/tcp_rewrite.h): which line
 * gives way, what the phone's rejection becomes, and hostile input. */
#include "tcp_rewrite.h"

#include <glib.h>
#include <string.h>

static size_t headers_end(const char *m)
{
	const char *e = strstr(m, "\r\n\r\n");
	return e ? (size_t)(e - m) + 4 : strlen(m);
}

/* Rewrites a copy of m whose bytes from `from` on are writable; returns it. */
static char *invite(const char *m, size_t from, bool *ok)
{
	char *out = g_strdup(m);
	struct sipcid_tcp_rewrite done;
	*ok = sipcid_tcp_rewrite_invite(m, strlen(m), headers_end(m), from, (uint8_t *)out + from, &done);
	for (unsigned i = 0; i < done.n; i++)
		g_assert_cmpuint(done.span[i].at, >=, from);
	g_assert_cmpuint(strlen(out), ==, strlen(m));
	return out;
}

static void test_invite_picks_line(void)
{
	const char *m = "INVITE sip:x@ata SIP/2.0\r\n"
	                "Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKaaaaaaaaaaaaaaaaaaaa\r\n"
	                "From: <sip:+15551230001@192.0.2.1>;tag=1\r\n"
	                "To: <sip:bob@192.0.2.2>\r\nCall-ID: abc\r\nCSeq: 1 INVITE\r\n"
	                "Contact: <sip:a@192.0.2.1;transport=tcp>\r\n"
	                "Subject: a long subject line that is long\r\n"
	                "X-Folded: this one is folded and\r\n  continues here\r\n"
	                "Allow: INVITE, ACK, BYE, CANCEL\r\n"
	                "Content-Length: 0\r\n\r\n";
	bool ok;
	g_autofree char *out = invite(m, 0, &ok);
	g_assert_true(ok);
	/* The shortest line that fits, not a needed header, not a folded one. */
	g_assert_nonnull(strstr(out, "\r\nRequire: sipcid-blocked        \r\nContent-Length: 0"));
	g_assert_nonnull(strstr(out, "Subject: a long subject"));
	g_assert_nonnull(strstr(out, "X-Folded: this one"));
	/* Only bytes from `from` on may change: with the Allow line begun in
	 * an earlier segment, nothing after it fits (and there is no body). */
	size_t allow = (size_t)(strstr(m, "Allow:") - m);
	g_autofree char *late = invite(m, allow + 1, &ok);
	g_assert_false(ok);
	g_assert_cmpstr(late, ==, m);
	/* The shortest that fits gives way: Allow; when it is the only one left
	 * whole in the segment, still Allow. */
	const char *two = "INVITE sip:x@ata SIP/2.0\r\nVia: v\r\nSubject: a long subject line that is long\r\n"
	                  "Allow: INVITE, ACK, BYE, CANCEL\r\nContent-Length: 0\r\n\r\n";
	g_autofree char *subject = invite(two, 0, &ok);
	g_assert_true(ok);
	g_assert_nonnull(strstr(subject, "Subject: a long"));
	g_autofree char *after = invite(two, (size_t)(strstr(two, "Subject") - two) + 1, &ok);
	g_assert_true(ok);
	g_assert_null(strstr(after, "Allow:"));
}

static void test_invite_sdp(void)
{
	const char *m = "INVITE sip:x@ata SIP/2.0\r\nVia: SIP/2.0/TCP h\r\nFrom: <sip:1@h>;tag=1\r\n"
	                "To: <sip:2@h>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
	                "Content-Length: 70\r\n\r\n"
	                "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 96\r\n";
	bool ok;
	size_t body = headers_end(m);
	g_autofree char *all_m = invite(m, body, &ok);
	g_assert_true(ok);
	g_assert_nonnull(strstr(all_m, "m=xxxxx 4000"));
	g_assert_nonnull(strstr(all_m, "m=xxxxx 4002"));
	/* The audio line passed: a line that is not SDP instead. */
	size_t video = (size_t)(strstr(m, "m=video") - m);
	g_autofree char *late = invite(m, video - 1, &ok);
	g_assert_true(ok);
	g_assert_nonnull(strstr(late, "\r\nxxvideo 4002"));
	/* Only the final CRLF in the segment: nothing to change. */
	g_autofree char *none = invite(m, strlen(m) - 2, &ok);
	g_assert_false(ok);
	g_assert_cmpstr(none, ==, m);
}

static char *response(const char *m, size_t from, int code, const char *reason, bool *ok)
{
	char *out = g_strdup(m);
	struct sipcid_tcp_rewrite done;
	*ok = sipcid_tcp_rewrite_response(m, strlen(m), headers_end(m), from, code, reason,
	                                  (uint8_t *)out + from, &done);
	g_assert_cmpuint(strlen(out), ==, strlen(m));
	return out;
}

static void test_response(void)
{
	const char *m = "SIP/2.0 420 Bad Extension\r\nVia: SIP/2.0/TCP h\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n"
	                "Unsupported: sipcid-blocked\r\nContent-Length: 0\r\n\r\n";
	bool ok;
	g_autofree char *busy = response(m, 0, 486, "Busy Here", &ok);
	g_assert_true(ok);
	g_assert_true(g_str_has_prefix(busy, "SIP/2.0 486 Busy Here    \r\nVia:"));
	g_assert_null(strstr(busy, "sipcid-blocked"));
	/* A reason longer than the room is cut; an empty one is allowed. */
	const char *short_reason = "SIP/2.0 500 Err\r\nCall-ID: c\r\n\r\n";
	g_autofree char *cut = response(short_reason, 0, 603, "Decline", &ok);
	g_assert_true(ok);
	g_assert_true(g_str_has_prefix(cut, "SIP/2.0 603 Dec\r\n"));
	const char *bare = "SIP/2.0 420 \r\nCall-ID: c\r\n\r\n";
	g_autofree char *empty = response(bare, 0, 404, "Not Found", &ok);
	g_assert_true(ok);
	g_assert_true(g_str_has_prefix(empty, "SIP/2.0 404 \r\n"));
	/* The status line passed in an earlier segment: nothing. */
	g_autofree char *late = response(m, 5, 486, "Busy Here", &ok);
	g_assert_false(ok);
	/* Not a status line. */
	g_autofree char *junk = response("SIP/2.0 42\r\n\r\n", 0, 486, "Busy Here", &ok);
	g_assert_false(ok);
}

static void test_stray(void)
{
	const char *m = "SIP/2.0 420 Bad Extension\r\nVia: SIP/2.0/TCP h\r\ni: Az9-z@lab\r\nCSeq:  7 INVITE \r\n"
	                "Content-Length: 0\r\n\r\n";
	g_autofree char *out = g_strdup(m);
	struct sipcid_tcp_rewrite done;
	g_assert_true(sipcid_tcp_rewrite_stray(m, strlen(m), headers_end(m), 0, (uint8_t *)out, &done));
	g_assert_cmpuint(strlen(out), ==, strlen(m));
	g_assert_nonnull(strstr(out, "\r\ni: Ba0-a@mbc\r\n"));
	g_assert_nonnull(strstr(out, "\r\nCSeq:  7 XXXXXX \r\n"));
	g_assert_true(g_str_has_prefix(out, "SIP/2.0 420 Bad Extension\r\n"));
	/* A Call-ID with nothing to move, or no CSeq: not a stray for sure. */
	const char *dots = "SIP/2.0 420 X\r\nCall-ID: ...\r\nCSeq: 1 INVITE\r\n\r\n";
	g_assert_false(sipcid_tcp_rewrite_stray(dots, strlen(dots), headers_end(dots), 0, NULL, &done));
	const char *no_cseq = "SIP/2.0 420 X\r\nCall-ID: c\r\n\r\n";
	g_assert_false(sipcid_tcp_rewrite_stray(no_cseq, strlen(no_cseq), headers_end(no_cseq), 0, NULL, &done));
}

/* Hostile shapes: every prefix of a message, every start offset, with and
 * without room to write; nothing is read or written out of bounds (ASan). */
static void test_hostile(void)
{
	const char *m = "INVITE sip:x SIP/2.0\r\nVia: v\r\nNoColonHere and long enough to fit a require\r\n"
	                ":\r\n \r\nUser-Agent:\r\nX: y\nZ-Header-With-Bare-LF: long enough value\n"
	                "Content-Length: 5\r\n\r\nm=\r\n";
	size_t n = strlen(m);
	for (size_t len = 0; len <= n; len++) {
		char *copy = g_memdup2(m, len ? len : 1);
		for (size_t from = 0; from <= len; from++) {
			struct sipcid_tcp_rewrite done;
			size_t he = MIN(headers_end(m), len);
			/* The writable segment: exactly its bytes (ASan sees a write past it). */
			char *out = g_malloc0(MAX(len - from, 1));
			memcpy(out, copy + from, len - from);
			sipcid_tcp_rewrite_invite(copy, len, he, from, (uint8_t *)out, &done);
			sipcid_tcp_rewrite_response(copy, len, he, from, 486, "Busy Here", (uint8_t *)out, &done);
			sipcid_tcp_rewrite_stray(copy, len, he, from, (uint8_t *)out, &done);
			for (unsigned i = 0; i < done.n; i++)
				g_assert_cmpuint(done.span[i].at + done.span[i].len, <=, len);
			g_free(out);
		}
		g_free(copy);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tcp-rewrite/invite-picks-line", test_invite_picks_line);
	g_test_add_func("/tcp-rewrite/invite-sdp", test_invite_sdp);
	g_test_add_func("/tcp-rewrite/response", test_response);
	g_test_add_func("/tcp-rewrite/stray", test_stray);
	g_test_add_func("/tcp-rewrite/hostile", test_hostile);
	return g_test_run();
}
