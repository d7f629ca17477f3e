/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Growl UDP and GNTP messages: layouts, limits and the GNTP password hash. */
#include "announce_text.h"
#include "gntp_message.h"
#include "growl_packet.h"

#include <string.h>

static void test_growl_notification_layout(void)
{
	uint8_t buf[GROWL_PACKET_MAX];
	size_t n = sipcid_growl_notification(buf, sizeof buf, "sipcid", "Incoming Call", "T", "D", 1, true,
	                              GROWL_FLAGS_BIG_ENDIAN, GROWL_AUTH_NONE, "");
	g_assert_cmpuint(n, ==, 12 + 13 + 1 + 1 + 6);
	g_assert_cmpint(buf[0], ==, 1);
	g_assert_cmpint(buf[1], ==, 5);
	g_assert_cmpint(buf[2], ==, 0);
	g_assert_cmpint(buf[3], ==, (1 << 1) | 1);
	g_assert_cmpmem(buf + 12, 13, "Incoming Call", 13);
	g_assert_cmpmem(buf + n - 6, 6, "sipcid", 6);
	n = sipcid_growl_notification(buf, sizeof buf, "sipcid", "Incoming Call", "T", "D", -1, false,
	                       GROWL_FLAGS_LITTLE_ENDIAN, GROWL_AUTH_MD5, "pw");
	g_assert_cmpuint(n, ==, 12 + 13 + 1 + 1 + 6 + 16);
	g_assert_cmpint(buf[1], ==, 1);
	g_assert_cmpint(buf[2], ==, 0x0e); /* (-1 & 7) << 1 */
	g_assert_cmpint(buf[3], ==, 0);
	n = sipcid_growl_notification(buf, sizeof buf, "sipcid", "x", "T", "D", 0, false,
	                       GROWL_FLAGS_BIG_ENDIAN, GROWL_AUTH_SHA256, "pw");
	g_assert_cmpuint(n, ==, 12 + 1 + 1 + 1 + 6 + 32);
	g_assert_cmpint(buf[1], ==, 3);
	g_assert_cmpuint(sipcid_growl_flags(7, false), ==, 4);   /* clamped to 2 */
	g_assert_cmpuint(sipcid_growl_flags(-9, true), ==, 13);  /* clamped to -2 */
}

static void test_growl_truncation(void)
{
	/* A huge description is cut on a character boundary to fit. */
	GString *desc = g_string_new(NULL);
	while (desc->len < 3000)
		g_string_append(desc, "日本");
	uint8_t buf[GROWL_PACKET_MAX];
	size_t n = sipcid_growl_notification(buf, sizeof buf, "sipcid", "Call Update", "Title", desc->str, 0,
	                              false, GROWL_FLAGS_BIG_ENDIAN, GROWL_AUTH_SHA256, "k");
	g_assert_cmpuint(n, >, GROWL_PACKET_MAX - 3);
	g_assert_cmpuint(n, <=, GROWL_PACKET_MAX);
	size_t dlen = (size_t)buf[8] << 8 | buf[9];
	g_assert_cmpuint(dlen % 3, ==, 0);
	g_assert_true(g_utf8_validate((const char *)buf + 12 + 11 + 5, (gssize)dlen, NULL));
	g_assert_cmpuint(12 + 11 + 5 + dlen + 6 + 32, ==, n);
	/* Nothing fits: refuse rather than write past the buffer. */
	g_assert_cmpuint(sipcid_growl_notification(buf, 20, "sipcid", "Call Update", "T", "D", 0, false,
	                                    GROWL_FLAGS_BIG_ENDIAN, GROWL_AUTH_MD5, ""), ==, 0);
	g_string_free(desc, TRUE);
}

static void test_growl_registration(void)
{
	uint8_t buf[GROWL_PACKET_MAX];
	const uint8_t defaults[] = { 0, 1, 2 };
	size_t n = sipcid_growl_registration(buf, sizeof buf, "sipcid", sipcid_announce_type_names(), 3,
	                              defaults, 3, GROWL_AUTH_NONE, "");
	g_assert_cmpuint(n, ==, 6 + 6 + (2 + 13) + (2 + 12) + (2 + 11) + 3);
	g_assert_cmpint(buf[1], ==, 4);
	g_assert_cmpint(buf[4], ==, 3);
	g_assert_cmpint(buf[5], ==, 3);
	g_assert_cmpuint(sipcid_growl_registration(buf, 10, "sipcid", sipcid_announce_type_names(), 3,
	                                    defaults, 3, GROWL_AUTH_NONE, ""), ==, 0);
}

static void test_gntp_key_hash(void)
{
	/* key = SHA256("pw" ‖ salt), keyHash = SHA256(key), both hex upper-case. */
	const guint8 salt[] = { 0x01, 0x02, 0xab };
	GString *s = g_string_new(NULL);
	sipcid_gntp_key_hash(s, GNTP_HASH_SHA256, "pw", salt, sizeof salt);
	guint8 basis[] = { 'p', 'w', 0x01, 0x02, 0xab };
	guint8 key[32];
	gsize kl = 32;
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(ck, basis, sizeof basis);
	g_checksum_get_digest(ck, key, &kl);
	g_checksum_free(ck);
	g_autofree char *kh = g_compute_checksum_for_data(G_CHECKSUM_SHA256, key, 32);
	g_autofree char *expect = g_strdup_printf(" SHA256:%s.0102AB", kh);
	for (char *p = expect; *p; p++)
		*p = g_ascii_toupper(*p);
	g_assert_cmpstr(s->str, ==, expect);
	g_string_truncate(s, 0);
	sipcid_gntp_key_hash(s, GNTP_HASH_MD5, "pw", salt, sizeof salt);
	g_assert_true(g_str_has_prefix(s->str, " MD5:"));
	g_assert_cmpuint(s->len, ==, 5 + 32 + 1 + 6);
	g_string_truncate(s, 0);
	sipcid_gntp_key_hash(s, GNTP_HASH_SHA512, "", salt, sizeof salt);
	g_assert_cmpstr(s->str, ==, "");
	g_string_free(s, TRUE);
}

static void test_gntp_requests(void)
{
	GBytes *b = sipcid_gntp_register_request("sipcid", sipcid_announce_type_names(), GNTP_HASH_SHA256, "");
	gsize n;
	const char *r = g_bytes_get_data(b, &n);
	g_autofree char *reg = g_strndup(r, n);
	g_assert_true(g_str_has_prefix(reg, "GNTP/1.0 REGISTER NONE\r\nApplication-Name: sipcid\r\n"
	                                    "Notifications-Count: 3\r\n\r\n"
	                                    "Notification-Name: Incoming Call\r\n"));
	g_assert_true(g_str_has_suffix(reg, "Notification-Enabled: True\r\n\r\n"));
	g_assert_nonnull(strstr(reg, "Notification-Name: Blocked Call\r\n"));
	g_assert_nonnull(strstr(reg, "Notification-Name: Call Update\r\n"));
	g_bytes_unref(b);

	b = sipcid_gntp_notify_request("sipcid", "Blocked Call", "Call from Evil\r\nX-Injected: 1",
	                        "line one\nline two\r\nX-Injected: 2", 2, true, GNTP_HASH_MD5, "pw");
	r = g_bytes_get_data(b, &n);
	g_autofree char *note = g_strndup(r, n);
	g_assert_true(g_str_has_prefix(note, "GNTP/1.0 NOTIFY NONE MD5:"));
	/* Hostile text cannot start a header of its own. */
	g_assert_null(strstr(note, "\r\nX-Injected"));
	g_assert_nonnull(strstr(note, "Notification-Title: Call from Evil X-Injected: 1\r\n"));
	g_assert_nonnull(strstr(note, "Notification-Text: line one\nline two\nX-Injected: 2\r\n"));
	g_assert_nonnull(strstr(note, "Notification-Priority: 2\r\n"));
	g_assert_nonnull(strstr(note, "Notification-Sticky: True\r\n"));
	g_assert_true(g_str_has_suffix(note, "\r\n\r\n"));
	/* Exactly one blank line: the end. */
	g_assert_true(strstr(note, "\r\n\r\n") == note + n - 4);
	g_bytes_unref(b);
}

static void test_gntp_replies(void)
{
	int code;
	const char ok[] = "GNTP/1.0 -OK NONE\r\nResponse-Action: NOTIFY\r\n\r\n";
	g_assert_cmpint(sipcid_gntp_parse_reply(ok, strlen(ok), &code), ==, GNTP_REPLY_OK);
	g_assert_cmpint(sipcid_gntp_parse_reply(ok, 20, &code), ==, GNTP_REPLY_INCOMPLETE);
	g_assert_cmpint(sipcid_gntp_parse_reply(ok, 3, &code), ==, GNTP_REPLY_INCOMPLETE);
	const char err[] = "GNTP/1.0 -ERROR NONE\r\nError-Code: 402\r\n"
	                   "Error-Description: unknown notification\r\n\r\n";
	g_assert_cmpint(sipcid_gntp_parse_reply(err, strlen(err), &code), ==, GNTP_REPLY_ERROR);
	g_assert_cmpint(code, ==, 402);
	const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
	g_assert_cmpint(sipcid_gntp_parse_reply(http, strlen(http), &code), ==, GNTP_REPLY_GARBAGE);
}

/* The title and description of c, in place of what t and d held. */
static void render(GString *t, GString *d, const struct sipcid_call *c)
{
	g_string_truncate(t, 0);
	g_string_truncate(d, 0);
	sipcid_announce_title(t, c);
	sipcid_announce_description(d, c);
}

static void test_texts(void)
{
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	g_strlcpy(c.number, "+33123456789", sizeof c.number);
	g_strlcpy(c.name, "ALICE SMITH", sizeof c.name);
	g_strlcpy(c.alias, "Alice", sizeof c.alias);
	g_strlcpy(c.called, "100", sizeof c.called);
	g_autoptr(GString) t = g_string_new(NULL);
	g_autoptr(GString) d = g_string_new(NULL);
	sipcid_announce_title(t, &c);
	sipcid_announce_description(d, &c);
	g_assert_cmpstr(t->str, ==, "Incoming call: Alice");
	g_assert_cmpstr(d->str, ==, "+33123456789\nCaller ID: ALICE SMITH\nTo: 100");
	g_assert_cmpint(sipcid_announce_type_of(&c), ==, SIPCID_ANNOUNCE_INCOMING);
	c.action = SIPCID_ACTION_BLOCK;
	g_assert_cmpint(sipcid_announce_type_of(&c), ==, SIPCID_ANNOUNCE_BLOCKED);
	g_string_truncate(t, 0);
	sipcid_announce_title(t, &c);
	g_assert_cmpstr(t->str, ==, "Blocked call: Alice");
	/* With its outcome, title and description say what the caller heard. */
	c.state = SIPCID_STATE_BLOCKED;
	c.outcome = SIPCID_OUTCOME_GONE;
	g_string_truncate(t, 0);
	g_string_truncate(d, 0);
	render(t, d, &c);
	g_assert_cmpstr(t->str, ==, "Blocked call (not in service): Alice");
	g_assert_cmpstr(d->str, ==, "+33123456789\nCaller ID: ALICE SMITH\nTo: 100\n"
	                            "Blocked: the phone did not ring\n"
	                            "They heard that the number is not in service.");
	c.outcome = SIPCID_OUTCOME_NONE;
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = SIPCID_STATE_MISSED;
	c.ring_ms = 61000;
	g_assert_cmpint(sipcid_announce_type_of(&c), ==, SIPCID_ANNOUNCE_UPDATE);
	/* A blocked call's later states still say it was blocked: it never rang. */
	g_string_truncate(t, 0);
	sipcid_announce_title(t, &c);
	g_assert_cmpstr(t->str, ==, "Blocked call: Alice");
	c.action = SIPCID_ACTION_ALLOW;
	g_string_truncate(t, 0);
	g_string_truncate(d, 0);
	sipcid_announce_title(t, &c);
	sipcid_announce_description(d, &c);
	g_assert_cmpstr(t->str, ==, "Missed call: Alice");
	g_assert_true(g_str_has_suffix(d->str, "\nRang: 1:01"));
	/* The carrier's STIR/SHAKEN word follows the caller. */
	memset(&c, 0, sizeof c);
	g_strlcpy(c.number, "+12125550100", sizeof c.number);
	g_strlcpy(c.called, "+12125551234", sizeof c.called);
	c.verstat = SIPCID_VERSTAT_FAILED;
	render(t, d, &c);
	g_assert_cmpstr(d->str, ==, "+12125550100\nFailed verification\nTo: +12125551234");
	c.verstat = SIPCID_VERSTAT_PASSED;
	c.attest = 'A';
	render(t, d, &c);
	g_assert_cmpstr(d->str, ==, "+12125550100\nVerified (attestation A)\nTo: +12125551234");
	memset(&c, 0, sizeof c);
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_string_truncate(t, 0);
	sipcid_announce_title(t, &c);
	g_assert_cmpstr(t->str, ==, "Incoming call: Withheld number");

	/* The phone calling out: whom it called, and on which line. */
	memset(&c, 0, sizeof c);
	c.direction = SIPCID_DIR_OUTGOING;
	g_strlcpy(c.number, "2001", sizeof c.number);
	g_strlcpy(c.called, "+15559876543", sizeof c.called);
	g_strlcpy(c.alias, "Mom", sizeof c.alias);
	render(t, d, &c);
	g_assert_cmpstr(t->str, ==, "Calling Mom");
	g_assert_cmpstr(d->str, ==, "+15559876543\nFrom line: 2001");
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = SIPCID_STATE_ENDED;
	c.ring_ms = 4000;
	c.talk_ms = 65000;
	render(t, d, &c);
	g_assert_cmpstr(t->str, ==, "Call ended: Mom");
	g_assert_cmpstr(d->str, ==, "+15559876543\nFrom line: 2001\nRang: 4 s\nTalked: 1:05");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/growl/notification-layout", test_growl_notification_layout);
	g_test_add_func("/growl/truncation", test_growl_truncation);
	g_test_add_func("/growl/registration", test_growl_registration);
	g_test_add_func("/gntp/key-hash", test_gntp_key_hash);
	g_test_add_func("/gntp/requests", test_gntp_requests);
	g_test_add_func("/gntp/replies", test_gntp_replies);
	g_test_add_func("/announce/texts", test_texts);
	return g_test_run();
}
