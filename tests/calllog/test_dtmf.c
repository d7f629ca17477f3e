/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Touch-tone controls: RFC 4733 events on hostile payloads, one digit per
 * key press, the SIP INFO bodies, the start/stop matcher, [record] codes. */
#include "config.h"
#include "dtmf.h"
#include "dtmf_info.h"
#include "record_settings.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#define SEC ((int64_t)1000000)

static void test_event_parse(void)
{
	struct sipcid_dtmf_event ev;
	/* RFC 4733 figure 1: event 10 (*), E bit set, volume 10, duration 1600. */
	const uint8_t star_end[] = { 10, 0x80 | 10, 0x06, 0x40 };
	g_assert_true(sipcid_dtmf_event_parse(star_end, sizeof star_end, &ev));
	g_assert_cmpint(ev.digit, ==, '*');
	g_assert_true(ev.end);
	g_assert_cmpuint(ev.duration, ==, 1600);
	const uint8_t one[] = { 1, 10, 0, 160 };
	g_assert_true(sipcid_dtmf_event_parse(one, sizeof one, &ev));
	g_assert_cmpint(ev.digit, ==, '1');
	g_assert_false(ev.end);
	const uint8_t hash[] = { 11, 0, 0, 0 }, d[] = { 15, 0, 0, 0 }, flash[] = { 16, 0, 0, 0 };
	g_assert_true(sipcid_dtmf_event_parse(hash, 4, &ev));
	g_assert_cmpint(ev.digit, ==, '#');
	g_assert_true(sipcid_dtmf_event_parse(d, 4, &ev));
	g_assert_cmpint(ev.digit, ==, 'D');
	/* Hook flash and events beyond: no digit, never an index past the table. */
	g_assert_true(sipcid_dtmf_event_parse(flash, 4, &ev));
	g_assert_cmpint(ev.digit, ==, 0);
	for (int e = 16; e < 256; e++) {
		const uint8_t p[] = { (uint8_t)e, 0xff, 0xff, 0xff };
		g_assert_true(sipcid_dtmf_event_parse(p, 4, &ev));
		g_assert_cmpint(ev.digit, ==, 0);
	}
	/* Hostile lengths: shorter than an event is refused; longer reads four. */
	for (size_t n = 0; n < 4; n++)
		g_assert_false(sipcid_dtmf_event_parse(one, n, &ev));
	g_assert_false(sipcid_dtmf_event_parse(NULL, 4, &ev));
	const uint8_t longer[] = { 5, 0, 0, 80, 0xde, 0xad, 0xbe, 0xef, 1 };
	g_assert_true(sipcid_dtmf_event_parse(longer, sizeof longer, &ev));
	g_assert_cmpint(ev.digit, ==, '5');
}

/* A press as senders send it: a start packet (marker), updates, then three
 * end packets, all with one timestamp. */
static int press(struct sipcid_dtmf_stream *s, uint32_t ssrc, uint32_t ts, uint8_t event,
                 char *got)
{
	int digits = 0;
	for (int i = 0; i < 7; i++) {
		const uint8_t p[] = { event, (uint8_t)(i >= 4 ? 0x80 : 0), 0, (uint8_t)(160 * (i + 1)) };
		struct sipcid_dtmf_event ev;
		g_assert_true(sipcid_dtmf_event_parse(p, 4, &ev));
		char c = sipcid_dtmf_stream_digit(s, ssrc, ts, &ev);
		if (c) {
			*got = c;
			digits++;
		}
	}
	return digits;
}

static void test_stream_repeats(void)
{
	struct sipcid_dtmf_stream s = { 0 };
	char got = 0;
	g_assert_cmpint(press(&s, 7, 1000, 10, &got), ==, 1);
	g_assert_cmpint(got, ==, '*');
	/* The same key again is a new press: a new timestamp. */
	g_assert_cmpint(press(&s, 7, 2600, 10, &got), ==, 1);
	g_assert_cmpint(press(&s, 7, 4200, 1, &got), ==, 1);
	g_assert_cmpint(got, ==, '1');
	/* Late redundant end packets of that press: nothing new. */
	const uint8_t end[] = { 1, 0x80, 0x03, 0x20 };
	struct sipcid_dtmf_event ev;
	sipcid_dtmf_event_parse(end, 4, &ev);
	g_assert_cmpint(sipcid_dtmf_stream_digit(&s, 7, 4200, &ev), ==, 0);
	/* Only the end packets arrived (the start was lost): still one digit. */
	g_assert_cmpint(sipcid_dtmf_stream_digit(&s, 7, 9000, &ev), ==, '1');
	g_assert_cmpint(sipcid_dtmf_stream_digit(&s, 7, 9000, &ev), ==, 0);
	/* Another SSRC (the sender restarted its stream) with the same timestamp. */
	g_assert_cmpint(sipcid_dtmf_stream_digit(&s, 8, 9000, &ev), ==, '1');
}

static void test_info_bodies(void)
{
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_RELAY, "Signal=5\r\nDuration=160\r\n", 25), ==, '5');
	const char *relay[][2] = {
		{ "Signal= *\r\nDuration= 250\r\n", "*" },
		{ "signal = #\r\n", "#" },
		{ "Duration=160\r\nSignal=1\r\n", "1" },
		{ "Signal=10\r\n", "*" },
		{ "Signal=11\r\n", "#" },
		{ "Signal=a\r\n", "A" },
		{ "Signal=12\r\n", "" },
		{ "Signal=\r\n", "" },
		{ "Signal=**\r\n", "" },
		{ "Signalx=1\r\n", "" },
		{ "Duration=160\r\n", "" },
		{ "Signal", "" },
		{ "=", "" },
		{ "", "" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(relay); i++)
		g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_RELAY, relay[i][0], strlen(relay[i][0])),
		                ==, relay[i][1][0]);
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_PLAIN, "5", 1), ==, '5');
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_PLAIN, " *\r\n", 4), ==, '*');
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_PLAIN, "55", 2), ==, 0);
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_PLAIN, "\x01", 1), ==, 0);
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_NONE, "Signal=5", 8), ==, 0);
	/* The length is honoured: a body cut before its key has none, and a
	 * body that is not NUL-terminated is never read past its end. */
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_RELAY, "Signal=5", 7), ==, 0);
	char *exact = g_memdup2("Signal=9", 8);
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_RELAY, exact, 8), ==, '9');
	g_free(exact);
	/* A huge body: only the first SIPCID_DTMF_INFO_MAX_BODY bytes are read. */
	GString *big = g_string_new(NULL);
	while (big->len < 100000)
		g_string_append(big, "X-Padding=0123456789\r\n");
	g_string_append(big, "Signal=1\r\n");
	g_assert_cmpint(sipcid_dtmf_info_body(SIPCID_DTMF_INFO_RELAY, big->str, big->len), ==, 0);
	g_string_free(big, TRUE);
}

static char info_digit(const char *headers, const char *body)
{
	g_autofree char *msg = g_strconcat(headers, "\r\n", body, NULL);
	size_t headers_end = strlen(headers) + 2;
	return sipcid_dtmf_info_digit(msg, headers_end, strlen(body));
}

static void test_info_messages(void)
{
	const char *start = "INFO sip:bob@10.77.0.2 SIP/2.0\r\nCall-ID: x@y\r\n";
	g_autofree char *relay = g_strconcat(start, "Content-Type: application/dtmf-relay\r\n", NULL);
	g_assert_cmpint(info_digit(relay, "Signal=*\r\nDuration=160\r\n"), ==, '*');
	g_autofree char *compact = g_strconcat(start, "c:APPLICATION/DTMF-Relay ; x=1\r\n", NULL);
	g_assert_cmpint(info_digit(compact, "Signal=3\r\n"), ==, '3');
	g_autofree char *plain = g_strconcat(start, "Content-Type :application/dtmf\r\n", NULL);
	g_assert_cmpint(info_digit(plain, "0"), ==, '0');
	/* Other types carry no key, whatever their body says. */
	g_autofree char *text = g_strconcat(start, "Content-Type: text/plain\r\n", NULL);
	g_assert_cmpint(info_digit(text, "Signal=1\r\n"), ==, 0);
	g_autofree char *media = g_strconcat(start, "Content-Type: application/media_control+xml\r\n", NULL);
	g_assert_cmpint(info_digit(media, "1"), ==, 0);
	g_assert_cmpint(info_digit(start, "Signal=1\r\n"), ==, 0);
	/* Headers that only start like Content-Type, or like "c". */
	g_autofree char *lookalike = g_strconcat(start, "Contact: <sip:a@b>\r\nContent-Typo: application/dtmf\r\n", NULL);
	g_assert_cmpint(info_digit(lookalike, "1"), ==, 0);
}

static void test_sequences(void)
{
	struct sipcid_dtmf_seq q = { 0 };
	int64_t t = 100 * SEC;
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '1', t + SEC / 2, "*1", "*0"), ==, SIPCID_DTMF_START);
	/* A match is used up: "1" alone after it does nothing. */
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '1', t + SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t + 2 * SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '0', t + 2 * SEC, "*1", "*0"), ==, SIPCID_DTMF_STOP);
	/* Overlapping: "**1" starts (the code is its end). */
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t + 10 * SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t + 10 * SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '1', t + 11 * SEC, "*1", "*0"), ==, SIPCID_DTMF_START);
	/* Typed digits around a code: "5*0" stops, "*05" stopped at the 0. */
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '5', t + 20 * SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t + 20 * SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '0', t + 20 * SEC, "*1", "*0"), ==, SIPCID_DTMF_STOP);
	/* Too slow: * then 1 more than three seconds later is no code. */
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t + 30 * SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '1', t + 33 * SEC + 1, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	/* ...but the time is between keys, not the call's: a fresh * then 1 works. */
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t + 40 * SEC, "*1", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '1', t + 43 * SEC, "*1", "*0"), ==, SIPCID_DTMF_START);
	/* Longer codes, a slow first key, and more keys than the memory holds. */
	const char *start = "#9#9", *stop = "##";
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '#', t + 50 * SEC, start, stop), ==, SIPCID_DTMF_NONE);
	for (const char *k = "#9#"; *k; k++)
		g_assert_cmpint(sipcid_dtmf_seq_push(&q, *k, t + 55 * SEC, start, stop), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '9', t + 55 * SEC, start, stop), ==, SIPCID_DTMF_START);
	for (int i = 0; i < 100; i++)
		g_assert_cmpint(sipcid_dtmf_seq_push(&q, '7', t + 60 * SEC, start, stop), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(q.n, <=, SIPCID_DTMF_CODE_MAX);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '#', t + 60 * SEC, start, stop), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '#', t + 60 * SEC, start, stop), ==, SIPCID_DTMF_STOP);
	/* A long code typed slowly works while no gap exceeds 3 s... */
	const char *slow = "1234";
	for (int i = 0; i < 3; i++)
		g_assert_cmpint(sipcid_dtmf_seq_push(&q, slow[i], t + 80 * SEC + i * 5 * SEC / 2, slow, stop),
		                ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '4', t + 80 * SEC + 15 * SEC / 2, slow, stop), ==,
	                SIPCID_DTMF_START);
	/* ...and fails on one longer gap in the middle. */
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '1', t + 90 * SEC, slow, stop), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '2', t + 91 * SEC, slow, stop), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '3', t + 95 * SEC, slow, stop), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '4', t + 96 * SEC, slow, stop), ==, SIPCID_DTMF_NONE);
	/* A code turned off (empty) never matches; 0 is no key. */
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '*', t + 70 * SEC, "", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, '1', t + 70 * SEC, "", "*0"), ==, SIPCID_DTMF_NONE);
	g_assert_cmpint(sipcid_dtmf_seq_push(&q, 0, t + 70 * SEC, "", "*0"), ==, SIPCID_DTMF_NONE);
}

static bool load_record(const char *text, struct sipcid_record_settings *s, GError **error)
{
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("dtmf-XXXXXX.conf", &path, NULL);
	g_assert_cmpint(fd, >=, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	close(fd);
	struct sipcid_config *cfg = sipcid_config_load(path, error);
	g_unlink(path);
	if (!cfg)
		return false;
	bool ok = sipcid_record_settings_load(cfg, s, error);
	sipcid_config_free(cfg);
	return ok;
}

static void test_settings(void)
{
	struct sipcid_record_settings s;
	GError *err = NULL;
	g_assert_true(load_record("[record]\n", &s, &err));
	g_assert_cmpstr(s.dtmf_start, ==, "*1");
	g_assert_cmpstr(s.dtmf_stop, ==, "*0");
	g_assert_true(s.on_demand);
	g_assert_true(load_record("[record]\ndtmf-start = #55\ndtmf-stop =\non-demand = no\n", &s, &err));
	g_assert_cmpstr(s.dtmf_start, ==, "#55");
	g_assert_cmpstr(s.dtmf_stop, ==, "");
	g_assert_false(s.on_demand);
	const char *bad[] = { "[record]\ndtmf-start = *x\n", "[record]\ndtmf-stop = 123456789\n",
	                      "[record]\ndtmf-start = *1\ndtmf-stop = *1\n" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_false(load_record(bad[i], &s, &err));
		g_assert_nonnull(strstr(err->message, "[record] dtmf-"));
		g_assert_nonnull(strstr(err->message, ":2") ? err->message : strstr(err->message, ":3"));
		g_clear_error(&err);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/dtmf/event-parse", test_event_parse);
	g_test_add_func("/dtmf/stream-repeats", test_stream_repeats);
	g_test_add_func("/dtmf/info-bodies", test_info_bodies);
	g_test_add_func("/dtmf/info-messages", test_info_messages);
	g_test_add_func("/dtmf/sequences", test_sequences);
	g_test_add_func("/dtmf/settings", test_settings);
	return g_test_run();
}
