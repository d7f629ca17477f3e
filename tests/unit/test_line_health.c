/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Line health (line_health.h): the registration state machine, its damping
 * clock, voicemail counts, the message-summary parser (message_summary.h)
 * with hostile bodies, the words and JSON of line events, and the same
 * through the packet path. */
#include "line_event.h"
#include "line_health.h"
#include "message_summary.h"
#include "pipeline.h"
#include "settings.h"
#include "sip_scan.h"

#include <arpa/inet.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define ATA "192.168.1.2"
#define REGISTRAR "203.0.113.10"
#define T0 ((int64_t)1700000000 * G_USEC_PER_SEC)
#define SEC G_USEC_PER_SEC
#define DOWN_AFTER (60 * SEC)

/* ---- the message-summary parser ---- */

static struct sipcid_message_summary parse(const char *body, bool expect)
{
	struct sipcid_message_summary ms;
	g_assert_cmpint(sipcid_message_summary_parse(body, strlen(body), &ms), ==, expect);
	return ms;
}

static void test_summary_rfc3842(void)
{
	/* RFC 3842 section 3.4's example body */
	struct sipcid_message_summary ms = parse("Messages-Waiting: yes\r\n"
	                                         "Message-Account: sip:alice@vmail.example.com\r\n"
	                                         "Voice-Message: 2/8 (0/2)\r\n", true);
	g_assert_true(ms.waiting);
	g_assert_cmpint(ms.new_messages, ==, 2);
	g_assert_cmpint(ms.old_messages, ==, 8);
	g_assert_cmpint(ms.urgent_new, ==, 0);
	g_assert_cmpint(ms.urgent_old, ==, 2);
	g_assert_cmpuint(ms.account_hash, !=, 0);
	/* Asterisk's form, without the account, and LF line ends */
	ms = parse("Messages-Waiting: no\nVoice-Message: 0/3 (0/0)\n", true);
	g_assert_false(ms.waiting);
	g_assert_cmpint(ms.new_messages, ==, 0);
	g_assert_cmpint(ms.old_messages, ==, 3);
	g_assert_cmpuint(ms.account_hash, ==, 0);
	/* no urgent part; any case; other classes ignored */
	ms = parse("messages-waiting:YES\r\nFax-Message: 9/9\r\nvoice-message:1/0\r\n", true);
	g_assert_true(ms.waiting);
	g_assert_cmpint(ms.new_messages, ==, 1);
	g_assert_cmpint(ms.old_messages, ==, 0);
	g_assert_cmpint(ms.urgent_new, ==, -1);
	g_assert_cmpint(ms.urgent_old, ==, -1);
	/* Messages-Waiting alone */
	ms = parse("Messages-Waiting: yes", true);
	g_assert_true(ms.waiting);
	g_assert_cmpint(ms.new_messages, ==, -1);
}

static void test_summary_hostile(void)
{
	/* no Messages-Waiting: not a summary (RFC 3842 makes it mandatory) */
	parse("", false);
	parse("Voice-Message: 2/8\r\n", false);
	parse("garbage without colons\r\n\r\n\r\n", false);
	/* counts too long, negative, or not numbers are absent */
	struct sipcid_message_summary ms =
		parse("Messages-Waiting: yes\r\nVoice-Message: 99999999999999999999/1\r\n", true);
	g_assert_cmpint(ms.new_messages, ==, -1);
	ms = parse("Messages-Waiting: yes\r\nVoice-Message: -2/8\r\n", true);
	g_assert_cmpint(ms.new_messages, ==, -1);
	ms = parse("Messages-Waiting: yes\r\nVoice-Message: 2/x (0/0)\r\n", true);
	g_assert_cmpint(ms.new_messages, ==, -1);
	ms = parse("Messages-Waiting: yes\r\nVoice-Message: 100000/1\r\n", true);
	g_assert_cmpint(ms.new_messages, ==, -1);
	/* an unterminated urgent part: the counts stand, the urgent ones do not */
	ms = parse("Messages-Waiting: yes\r\nVoice-Message: 3/4 (1/", true);
	g_assert_cmpint(ms.new_messages, ==, 3);
	g_assert_cmpint(ms.urgent_new, ==, -1);
	/* a repeated header cannot change what the first said */
	ms = parse("Messages-Waiting: yes\r\nVoice-Message: 1/0\r\nVoice-Message: 50/0\r\n"
	           "Messages-Waiting: no\r\n", true);
	g_assert_true(ms.waiting);
	g_assert_cmpint(ms.new_messages, ==, 1);
	/* a NUL inside, and a length that stops before the end */
	static const char nul[] = "Messages-Waiting: yes\r\nVoice-Mes\0sage: 7/7\r\n";
	g_assert_true(sipcid_message_summary_parse(nul, sizeof nul - 1, &ms));
	g_assert_cmpint(ms.new_messages, ==, -1);
	static const char cut[] = "Messages-Waiting: yes\r\nVoice-Message: 4/5";
	g_assert_true(sipcid_message_summary_parse(cut, sizeof cut - 2, &ms));
	g_assert_cmpint(ms.new_messages, ==, -1);  /* "4/" and the length ends: no pair */
	g_assert_cmpint(ms.old_messages, ==, -1);
	g_assert_true(sipcid_message_summary_parse(cut, sizeof cut - 1, &ms));
	g_assert_cmpint(ms.new_messages, ==, 4);
	g_assert_cmpint(ms.old_messages, ==, 5);
	/* every byte value, as one body: it parses or refuses, and stays in bounds */
	char all[512];
	for (int i = 0; i < 512; i++)
		all[i] = (char)(i * 37 + 11);
	(void)sipcid_message_summary_parse(all, sizeof all, &ms);
}

static void test_summary_is_notify(void)
{
	const char *yes[] = {
		"NOTIFY sip:2001@192.168.1.2 SIP/2.0\r\nEvent: message-summary\r\n\r\n",
		"NOTIFY sip:a@b SIP/2.0\r\nevent:Message-Summary;id=1\r\n\r\n",
		"NOTIFY sip:a@b SIP/2.0\r\no: message-summary\r\n\r\n",
	};
	const char *no[] = {
		"NOTIFY sip:a@b SIP/2.0\r\nEvent: dialog\r\n\r\n",
		"NOTIFY sip:a@b SIP/2.0\r\nEvent: message-summary-x\r\n\r\n",
		"NOTIFY sip:a@b SIP/2.0\r\n\r\nEvent: message-summary\r\n",  /* in the body */
		"INVITE sip:a@b SIP/2.0\r\nEvent: message-summary\r\n\r\n",
		"NOTIF",
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(yes); i++)
		g_assert_true(sipcid_message_summary_is_notify(yes[i], strlen(yes[i])));
	for (unsigned i = 0; i < G_N_ELEMENTS(no); i++)
		g_assert_false(sipcid_message_summary_is_notify(no[i], strlen(no[i])));
}

/* ---- the registration state machine ---- */

static struct sipcid_endpoint ep(const char *addr)
{
	struct sipcid_endpoint e = { .port = 5060 };
	e.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	g_assert_cmpint(inet_pton(e.family, addr, e.addr), ==, 1);
	return e;
}

static struct sipcid_packet packet(const char *text, const char *src, const char *dst, int64_t t)
{
	struct sipcid_packet p = { 0 };
	p.time_us = t;
	p.transport = SIPCID_TRANSPORT_UDP;
	p.src = ep(src);
	p.dst = ep(dst);
	p.payload = (const uint8_t *)text;
	p.payload_len = strlen(text);
	return p;
}

static char *register_msg(int cseq, const char *call_id, const char *expires)
{
	return g_strdup_printf("REGISTER sip:" REGISTRAR " SIP/2.0\r\n"
	                       "Via: SIP/2.0/UDP " ATA ":5060;branch=z9hG4bK%d\r\n"
	                       "From: <sip:2001@" REGISTRAR ">;tag=r\r\nTo: <sip:2001@" REGISTRAR ">\r\n"
	                       "Call-ID: %s\r\nCSeq: %d REGISTER\r\n"
	                       "Contact: <sip:2001@" ATA ":5060>\r\nExpires: %s\r\n"
	                       "Content-Length: 0\r\n\r\n",
	                       cseq, call_id, cseq, expires);
}

static char *response_msg(const char *status_line, int cseq, const char *call_id,
                          const char *extra)
{
	return g_strdup_printf("SIP/2.0 %s\r\nVia: SIP/2.0/UDP " ATA ":5060;branch=z9hG4bK%d\r\n"
	                       "From: <sip:2001@x>;tag=r\r\nTo: <sip:2001@x>;tag=s\r\n"
	                       "Call-ID: %s\r\nCSeq: %d REGISTER\r\n%sContent-Length: 0\r\n\r\n",
	                       status_line, cseq, call_id, cseq, extra);
}

static void h_register(struct sipcid_line_health *h, int cseq, const char *expires, int64_t t)
{
	g_autofree char *m = register_msg(cseq, "reg1@ata", expires);
	struct sipcid_packet p = packet(m, ATA, REGISTRAR, t);
	struct sipcid_sip_scan scan;
	g_assert_true(sipcid_sip_scan(m, strlen(m), &scan));
	sipcid_line_health_register(h, &p, &scan, m, strlen(m));
}

static void h_response_from(struct sipcid_line_health *h, const char *src,
                            const char *status_line, int cseq, const char *extra, int64_t t)
{
	g_autofree char *m = response_msg(status_line, cseq, "reg1@ata", extra);
	struct sipcid_packet p = packet(m, src, ATA, t);
	struct sipcid_sip_scan scan;
	g_assert_true(sipcid_sip_scan(m, strlen(m), &scan));
	sipcid_line_health_response(h, &p, &scan, m, strlen(m));
}

static void h_response(struct sipcid_line_health *h, const char *status_line, int cseq,
                       const char *extra, int64_t t)
{
	h_response_from(h, REGISTRAR, status_line, cseq, extra, t);
}

/* The one event due at t, or none (NULL). */
static bool tick(struct sipcid_line_health *h, int64_t t, struct sipcid_line_event *ev)
{
	bool any = sipcid_line_health_tick(h, t, DOWN_AFTER, ev);
	if (any) {
		struct sipcid_line_event again;
		g_assert_false(sipcid_line_health_tick(h, t, DOWN_AFTER, &again));
	}
	return any;
}

static void test_up_down_up(void)
{
	struct sipcid_line_health h;
	sipcid_line_health_init(&h);
	struct sipcid_line_event ev;
	g_assert_false(tick(&h, T0, &ev));
	/* REGISTER, 401, REGISTER with credentials, 200 with Expires 60 */
	h_register(&h, 1, "3600", T0);
	g_assert_false(tick(&h, T0, &ev));
	h_response(&h, "401 Unauthorized", 1, "", T0 + 10000);
	g_assert_false(tick(&h, T0 + 10000, &ev));
	h_register(&h, 2, "3600", T0 + 20000);
	h_response(&h, "200 OK", 2, "Expires: 60\r\n", T0 + 30000);
	/* the first state learned: announced at once */
	g_assert_true(tick(&h, T0 + 30000, &ev));
	g_assert_cmpint(ev.kind, ==, SIPCID_LINE_EVENT_LINE);
	g_assert_cmpint(ev.state, ==, SIPCID_LINE_UP);
	g_assert_true(ev.first);
	g_assert_cmpstr(ev.registrar, ==, REGISTRAR ":5060");
	g_assert_cmpint(ev.since_us, ==, T0 + 30000);
	g_assert_cmpint(ev.expires_us, ==, T0 + 30000 + 60 * SEC);

	/* the refresh is refused: down at once, announced only after down-after */
	int64_t t = T0 + 30 * SEC;
	h_register(&h, 3, "3600", t);
	h_response(&h, "403 Forbidden", 3, "", t + 5000);
	g_assert_false(tick(&h, t + 5000, &ev));
	g_assert_cmpint(h.state, ==, SIPCID_LINE_DOWN);
	g_assert_cmpstr(h.reason, ==, "403 Forbidden");
	g_assert_false(tick(&h, t + 5000 + DOWN_AFTER - 1, &ev));
	g_assert_true(tick(&h, t + 5000 + DOWN_AFTER, &ev));
	g_assert_cmpint(ev.state, ==, SIPCID_LINE_DOWN);
	g_assert_false(ev.first);
	g_assert_cmpstr(ev.reason, ==, "403 Forbidden");
	g_assert_cmpint(ev.since_us, ==, t + 5000);
	GString *w = g_string_new(NULL);
	sipcid_line_event_words(w, &ev);
	g_assert_true(g_str_has_prefix(w->str, "Phone line down since "));
	g_assert_true(g_str_has_suffix(w->str, " (403 Forbidden)"));
	/* later failures of another kind change the reason, not the announcement */
	t += 200 * SEC;
	h_register(&h, 4, "3600", t);
	g_assert_false(tick(&h, t + 40 * SEC, &ev));
	g_assert_cmpstr(h.reason, ==, "no answer from the registrar");
	/* back up: announced once, at once */
	t += 100 * SEC;
	h_register(&h, 5, "3600", t);
	h_response(&h, "200 OK", 5, "Contact: <sip:2001@" ATA ":5060>;expires=120\r\n", t + 1000);
	g_assert_true(tick(&h, t + 1000, &ev));
	g_assert_cmpint(ev.state, ==, SIPCID_LINE_UP);
	g_assert_false(ev.first);
	g_assert_cmpint(ev.expires_us, ==, t + 1000 + 120 * SEC);
	g_string_truncate(w, 0);
	sipcid_line_event_words(w, &ev);
	g_assert_cmpstr(w->str, ==, "Phone line back up");
	g_assert_false(tick(&h, t + 2000, &ev));
	g_string_free(w, TRUE);
}

static void test_flap_damped(void)
{
	struct sipcid_line_health h;
	sipcid_line_health_init(&h);
	struct sipcid_line_event ev;
	h_register(&h, 1, "3600", T0);
	h_response(&h, "200 OK", 1, "Expires: 600\r\n", T0 + 1000);
	g_assert_true(tick(&h, T0 + 1000, &ev));
	/* a 503, then a 200 30 s later: never announced */
	h_register(&h, 2, "3600", T0 + 10 * SEC);
	h_response(&h, "503 Service Unavailable", 2, "", T0 + 10 * SEC);
	g_assert_false(tick(&h, T0 + 39 * SEC, &ev));
	h_register(&h, 3, "3600", T0 + 40 * SEC);
	h_response(&h, "200 OK", 3, "Expires: 600\r\n", T0 + 40 * SEC);
	for (int64_t s = 40; s < 300; s += 10)
		g_assert_false(tick(&h, T0 + s * SEC, &ev));
	g_assert_cmpint(h.state, ==, SIPCID_LINE_UP);
	/* a retransmitted REGISTER keeps its Timer F from the first copy */
	h_register(&h, 4, "3600", T0 + 300 * SEC);
	h_register(&h, 4, "3600", T0 + 310 * SEC);
	g_assert_false(tick(&h, T0 + 331 * SEC, &ev));
	g_assert_cmpint(h.state, ==, SIPCID_LINE_UP);
	g_assert_false(tick(&h, T0 + 332 * SEC, &ev));
	g_assert_cmpint(h.state, ==, SIPCID_LINE_DOWN);
	g_assert_cmpint(h.state_since_us, ==, T0 + 332 * SEC);
}

static void test_expiry_and_first_down(void)
{
	struct sipcid_line_health h;
	sipcid_line_health_init(&h);
	struct sipcid_line_event ev;
	/* the first state is down: damped like any other down */
	h_register(&h, 1, "3600", T0);
	h_response(&h, "404 Not Found", 1, "", T0 + 1000);
	g_assert_false(tick(&h, T0 + 1000, &ev));
	g_assert_true(tick(&h, T0 + 1000 + DOWN_AFTER, &ev));
	g_assert_cmpint(ev.state, ==, SIPCID_LINE_DOWN);
	g_assert_true(ev.first);
	g_assert_cmpstr(ev.reason, ==, "404 Not Found");
	/* up, then no renewal: expired at the granted time */
	int64_t t = T0 + 100 * SEC;
	h_register(&h, 2, "3600", t);
	h_response(&h, "200 OK", 2, "Expires: 20\r\n", t);
	g_assert_true(tick(&h, t, &ev));
	g_assert_false(tick(&h, t + 20 * SEC - 1, &ev));
	g_assert_cmpint(h.state, ==, SIPCID_LINE_UP);
	g_assert_false(tick(&h, t + 20 * SEC, &ev));
	g_assert_cmpint(h.state, ==, SIPCID_LINE_DOWN);
	g_assert_cmpstr(h.reason, ==, "registration expired");
	g_assert_true(tick(&h, t + 20 * SEC + DOWN_AFTER, &ev));
	g_assert_cmpint(ev.since_us, ==, t + 20 * SEC);
	/* a de-registration (Expires: 0) answered 200 is down too */
	t += 1000 * SEC;
	h_register(&h, 3, "3600", t);
	h_response(&h, "200 OK", 3, "Expires: 3600\r\n", t);
	g_assert_true(tick(&h, t, &ev));
	h_register(&h, 4, "0", t + SEC);
	h_response(&h, "200 OK", 4, "", t + SEC);
	g_assert_false(tick(&h, t + SEC, &ev));
	g_assert_cmpstr(h.reason, ==, "the phone unregistered");
}

static void test_hostile_responses(void)
{
	struct sipcid_line_health h;
	sipcid_line_health_init(&h);
	struct sipcid_line_event ev;
	h_register(&h, 1, "3600", T0);
	/* from someone else, for another CSeq, provisional: nothing */
	h_response_from(&h, "198.51.100.7", "403 Forbidden", 1, "", T0 + 1);
	h_response(&h, "403 Forbidden", 9, "", T0 + 2);
	h_response(&h, "100 Trying", 1, "", T0 + 3);
	g_assert_false(tick(&h, T0 + 4, &ev));
	g_assert_cmpint(h.state, ==, SIPCID_LINE_UNKNOWN);
	/* a huge expiry is capped at a year; expires= inside <...> is the URI's */
	h_response(&h, "200 OK", 1,
	           "Contact: <sip:2001@" ATA ";expires=5>\r\nExpires: 99999999999999999999\r\n",
	           T0 + 5);
	g_assert_true(tick(&h, T0 + 5, &ev));
	g_assert_cmpint(ev.expires_us, ==, T0 + 5 + (int64_t)366 * 86400 * SEC);
	/* a reason phrase with control characters and bidi overrides arrives clean */
	h_register(&h, 2, "3600", T0 + 10);
	h_response(&h, "480 Tempor\x1b[31mary \xe2\x80\xae" "Gone\x01 and a very long phrase that "
	               "goes on past any sensible length for a popup line",
	           2, "", T0 + 11);
	g_assert_false(tick(&h, T0 + 11, &ev));
	g_assert_true(g_str_has_prefix(h.reason, "480 Tempor"));
	g_assert_null(strchr(h.reason, '\x1b'));
	g_assert_null(strstr(h.reason, "\xe2\x80\xae"));
	g_assert_cmpuint(strlen(h.reason), <, SIPCID_LINE_REASON_MAX);
	g_assert_true(g_utf8_validate(h.reason, -1, NULL));
	/* more accounts than slots: the table stays bounded and keeps working */
	for (int i = 0; i < 40; i++) {
		g_autofree char *id = g_strdup_printf("acct%d@ata", i);
		g_autofree char *m = register_msg(1, id, "60");
		struct sipcid_packet p = packet(m, ATA, REGISTRAR, T0 + 20 + i);
		struct sipcid_sip_scan scan;
		g_assert_true(sipcid_sip_scan(m, strlen(m), &scan));
		sipcid_line_health_register(&h, &p, &scan, m, strlen(m));
	}
	(void)tick(&h, T0 + 100, &ev);
}

static void test_voicemail_dedupe(void)
{
	struct sipcid_line_health h;
	sipcid_line_health_init(&h);
	struct sipcid_line_event ev;
	struct sipcid_message_summary ms = parse("Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n",
	                                         true);
	g_assert_true(sipcid_line_health_voicemail(&h, &ms, T0, &ev));
	g_assert_cmpint(ev.kind, ==, SIPCID_LINE_EVENT_VOICEMAIL);
	g_assert_cmpint(ev.new_messages, ==, 2);
	g_assert_cmpint(ev.old_messages, ==, 8);
	g_assert_cmpint(ev.urgent_new, ==, 0);
	GString *w = g_string_new(NULL);
	sipcid_line_event_words(w, &ev);
	g_assert_cmpstr(w->str, ==, "2 new voicemails");
	/* the same counts again (a refresh, a retransmission): not news */
	g_assert_false(sipcid_line_health_voicemail(&h, &ms, T0 + SEC, &ev));
	ms = parse("Messages-Waiting: yes\r\nVoice-Message: 1/9 (0/2)\r\n", true);
	g_assert_true(sipcid_line_health_voicemail(&h, &ms, T0 + 2 * SEC, &ev));
	g_string_truncate(w, 0);
	sipcid_line_event_words(w, &ev);
	g_assert_cmpstr(w->str, ==, "1 new voicemail");
	ms = parse("Messages-Waiting: no\r\nVoice-Message: 0/10 (0/2)\r\n", true);
	g_assert_true(sipcid_line_health_voicemail(&h, &ms, T0 + 3 * SEC, &ev));
	g_string_truncate(w, 0);
	sipcid_line_event_words(w, &ev);
	g_assert_cmpstr(w->str, ==, "No new voicemail");
	/* another mailbox is its own */
	ms = parse("Messages-Waiting: no\r\nMessage-Account: sip:2002@vm\r\n"
	           "Voice-Message: 0/10 (0/2)\r\n", true);
	g_assert_true(sipcid_line_health_voicemail(&h, &ms, T0 + 4 * SEC, &ev));
	g_assert_false(sipcid_line_health_voicemail(&h, &ms, T0 + 5 * SEC, &ev));
	/* urgent ones are said */
	ms = parse("Messages-Waiting: yes\r\nVoice-Message: 3/0 (1/0)\r\n", true);
	g_assert_true(sipcid_line_health_voicemail(&h, &ms, T0 + 6 * SEC, &ev));
	g_string_truncate(w, 0);
	sipcid_line_event_words(w, &ev);
	g_assert_cmpstr(w->str, ==, "3 new voicemails (1 urgent)");
	g_string_free(w, TRUE);
}

static void test_json(void)
{
	struct sipcid_line_event ev = { .kind = SIPCID_LINE_EVENT_LINE, .time_us = T0,
		                        .state = SIPCID_LINE_DOWN, .since_us = T0 - 60 * SEC };
	g_strlcpy(ev.reason, "403 \"Forbidden\"", sizeof ev.reason);
	g_strlcpy(ev.registrar, REGISTRAR ":5060", sizeof ev.registrar);
	GString *j = g_string_new(NULL);
	sipcid_line_event_json(j, &ev);
	g_assert_cmpstr(j->str, ==,
	                "{\"event\":\"line\",\"time\":\"2023-11-14T22:13:20.000Z\",\"state\":\"down\","
	                "\"reason\":\"403 \\\"Forbidden\\\"\",\"registrar\":\"203.0.113.10:5060\","
	                "\"since\":\"2023-11-14T22:12:20.000Z\",\"expires\":null,\"first\":false,"
	                "\"box\":null}");
	struct sipcid_line_event vm = { .kind = SIPCID_LINE_EVENT_VOICEMAIL, .time_us = T0,
		                        .waiting = true, .new_messages = 2, .old_messages = 8,
		                        .urgent_new = -1, .urgent_old = -1 };
	g_string_truncate(j, 0);
	sipcid_line_event_json(j, &vm);
	g_assert_cmpstr(j->str, ==,
	                "{\"event\":\"voicemail\",\"time\":\"2023-11-14T22:13:20.000Z\","
	                "\"waiting\":true,\"new\":2,\"old\":8,\"urgent\":null,\"urgent_old\":null,"
	                "\"box\":null}");
	g_string_free(j, TRUE);
}

/* ---- through the packet path ---- */

static void feed(struct sipcid_pipeline *pl, const char *m, const char *src, const char *dst,
                 int64_t t)
{
	struct sipcid_packet p = packet(m, src, dst, t);
	g_assert_cmpint(sipcid_pipeline_handle(pl, &p), ==, SIPCID_VERDICT_ACCEPT);
}

static unsigned drain(struct sipcid_pipeline *pl, struct sipcid_line_event *last)
{
	unsigned n = 0;
	while (sipcid_pipeline_next_line_event(pl, last))
		n++;
	return n;
}

static const char notify_fmt[] =
	"NOTIFY sip:2001@" ATA ":5060 SIP/2.0\r\nVia: SIP/2.0/UDP " REGISTRAR ":5060;branch=z9hG4bKn%d\r\n"
	"From: <sip:2001@" REGISTRAR ">;tag=p\r\nTo: <sip:2001@" REGISTRAR ">;tag=q\r\n"
	"Call-ID: mwi@provider\r\nCSeq: %d NOTIFY\r\nEvent: message-summary\r\n"
	"Subscription-State: active\r\nContent-Type: application/simple-message-summary\r\n"
	"Content-Length: %zu\r\n\r\n%s";

static void notify(struct sipcid_pipeline *pl, int cseq, const char *body, const char *src,
                   int64_t t)
{
	g_autofree char *m = g_strdup_printf(notify_fmt, cseq, cseq, strlen(body), body);
	feed(pl, m, src, ATA, t);
}

/* sipcid.conf holding text, loaded as sipcidd loads it. */
static struct sipcid_settings *load_conf(const char *text, GError **err)
{
	char *path = NULL;
	int fd = g_file_open_tmp("line-health-XXXXXX.conf", &path, NULL);
	g_assert_cmpint(fd, >=, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	close(fd);
	struct sipcid_settings *s = sipcid_settings_load(path, err);
	g_unlink(path);
	g_free(path);
	return s;
}

static void test_pipeline(void)
{
	g_autoptr(GError) err = NULL;
	struct sipcid_settings *s =
		load_conf("[line]\ndown-after = 5s\n", &err);
	g_assert_no_error(err);
	g_assert_cmpint(s->line_down_after_us, ==, 5 * SEC);
	struct sipcid_pipeline *pl = sipcid_pipeline_new(s);
	struct sipcid_line_event ev;
	g_autofree char *r1 = register_msg(1, "reg1@ata", "3600");
	g_autofree char *ok1 = response_msg("200 OK", 1, "reg1@ata", "Expires: 60\r\n");
	feed(pl, r1, ATA, REGISTRAR, T0);
	feed(pl, ok1, REGISTRAR, ATA, T0 + 1000);
	g_assert_cmpuint(drain(pl, &ev), ==, 1);
	g_assert_cmpint(ev.state, ==, SIPCID_LINE_UP);
	/* the provider's NOTIFY: one event per change of counts */
	notify(pl, 1, "Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n", REGISTRAR, T0 + SEC);
	notify(pl, 2, "Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n", REGISTRAR, T0 + 2 * SEC);
	g_assert_cmpuint(drain(pl, &ev), ==, 1);
	g_assert_cmpint(ev.kind, ==, SIPCID_LINE_EVENT_VOICEMAIL);
	g_assert_cmpint(ev.new_messages, ==, 2);
	/* one from the ATA itself is not the provider's word */
	notify(pl, 3, "Messages-Waiting: yes\r\nVoice-Message: 9/9\r\n", ATA, T0 + 3 * SEC);
	g_assert_cmpuint(drain(pl, &ev), ==, 0);
	/* a stranger's REGISTER toward the ATA, refused by it, moves nothing */
	g_autofree char *r2 = g_strdup_printf("REGISTER sip:" ATA " SIP/2.0\r\nVia: SIP/2.0/UDP "
	                                      "198.51.100.7:5060;branch=z9hG4bKs\r\nFrom: <sip:x@y>;tag=1\r\n"
	                                      "To: <sip:x@y>\r\nCall-ID: scan@x\r\nCSeq: 1 REGISTER\r\n"
	                                      "Content-Length: 0\r\n\r\n");
	g_autofree char *no2 = response_msg("403 Forbidden", 1, "scan@x", "");
	feed(pl, r2, "198.51.100.7", ATA, T0 + 4 * SEC);
	feed(pl, no2, ATA, "198.51.100.7", T0 + 4 * SEC);
	sipcid_pipeline_expire(pl, T0 + 30 * SEC);
	g_assert_cmpuint(drain(pl, &ev), ==, 0);
	/* the registration runs out: down after down-after, by the packets' clock */
	sipcid_pipeline_expire(pl, T0 + 1000 + 60 * SEC);
	g_assert_cmpuint(drain(pl, &ev), ==, 0);
	sipcid_pipeline_expire(pl, T0 + 1000 + 65 * SEC);
	g_assert_cmpuint(drain(pl, &ev), ==, 1);
	g_assert_cmpint(ev.state, ==, SIPCID_LINE_DOWN);
	g_assert_cmpstr(ev.reason, ==, "registration expired");
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	GString *out = g_string_new(NULL);
	sipcid_line_health_format(&st.health, T0 + 70 * SEC, out);
	g_assert_nonnull(strstr(out->str, "down since "));
	g_assert_nonnull(strstr(out->str, "(registration expired), registrar " REGISTRAR ":5060"));
	g_assert_nonnull(strstr(out->str, "2 new voicemails, 8 old"));
	g_string_free(out, TRUE);
	sipcid_pipeline_free(pl);
	sipcid_settings_free(s);
}

static void test_settings_errors(void)
{
	const char *bad[] = { "[line]\ndown-after = soon\n", "[line]\ndown-after = -5\n",
		              "[line]\ndown-after = 5h\n", "[line]\ndown-after = 2000m\n",
		              "[line]\nup-after = 5\n" };
	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *err = NULL;
		g_assert_null(load_conf(bad[i], &err));
		g_assert_nonnull(err);
		g_assert_nonnull(strstr(err->message, "[line]"));
		g_error_free(err);
	}
	GError *err = NULL;
	struct sipcid_settings *s = load_conf("[line]\ndown-after = 2m\n", &err);
	g_assert_no_error(err);
	g_assert_cmpint(s->line_down_after_us, ==, 120 * SEC);
	sipcid_settings_free(s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("TZ", "UTC", TRUE);
	tzset();
	g_test_add_func("/message_summary/rfc3842", test_summary_rfc3842);
	g_test_add_func("/message_summary/hostile", test_summary_hostile);
	g_test_add_func("/message_summary/is_notify", test_summary_is_notify);
	g_test_add_func("/line_health/up_down_up", test_up_down_up);
	g_test_add_func("/line_health/flap_damped", test_flap_damped);
	g_test_add_func("/line_health/expiry_and_first_down", test_expiry_and_first_down);
	g_test_add_func("/line_health/hostile_responses", test_hostile_responses);
	g_test_add_func("/line_health/voicemail_dedupe", test_voicemail_dedupe);
	g_test_add_func("/line_event/json", test_json);
	g_test_add_func("/line_health/pipeline", test_pipeline);
	g_test_add_func("/line_health/settings_errors", test_settings_errors);
	return g_test_run();
}
