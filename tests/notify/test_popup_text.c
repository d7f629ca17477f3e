/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a popup says for each kind of call, how hostile caller text is made
 * safe for markup, and which events the dedupe table lets through. */
#include "call_dedupe.h"
#include "popup_text.h"

#include <glib.h>
#include <string.h>

/* 2026-11-22 14:03:27 UTC; tests run with TZ=UTC. */
static const int64_t CALL_TIME = 1795356207 * (int64_t)G_USEC_PER_SEC;

static struct sipcid_call make_call(const char *number, const char *name)
{
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	c.time_us = CALL_TIME;
	g_strlcpy(c.call_id, "abc@host", sizeof c.call_id);
	g_strlcpy(c.number, number, sizeof c.number);
	g_strlcpy(c.name, name, sizeof c.name);
	return c;
}

static void test_ringing_named(void)
{
	struct sipcid_call c = make_call("+441632960001", "Alice Example");
	g_strlcpy(c.called, "2001", sizeof c.called);
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME + 5 * G_USEC_PER_SEC);
	g_assert_cmpstr(t.summary, ==, "Incoming call");
	g_assert_cmpstr(t.body, ==, "<b>Alice Example</b>\n+441632960001\nLine 2001\n14:03");
	g_assert_cmpstr(t.icon, ==, "call-start");
	g_assert_cmpstr(t.category, ==, "call.incoming");
	g_assert_cmpint(t.urgency, ==, NOTIFY_POPUP_URGENCY_NORMAL);
	g_assert_cmpint(t.timeout_ms, ==, -1);
	notify_popup_text_clear(&t);

	notify_popup_text_make(&t, &c, false, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "Alice Example\n+441632960001\nLine 2001\n14:03");
	g_assert_cmpstr(t.who, ==, "Alice Example");
	g_assert_cmpstr(t.details, ==, "14:03\n+441632960001\nLine 2001");
	notify_popup_text_clear(&t);
}

/* The phone calling out: whom it called first, then the line it used. */
static void test_outgoing(void)
{
	struct sipcid_call c = make_call("2001", "Home");
	c.direction = SIPCID_DIR_OUTGOING;
	g_strlcpy(c.called, "+15559876543", sizeof c.called);
	g_strlcpy(c.alias, "Mom & Dad", sizeof c.alias);
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Calling");
	g_assert_cmpstr(t.body, ==, "<b>Mom &amp; Dad</b>\n+15559876543\nFrom line 2001\n14:03");
	g_assert_cmpstr(t.category, ==, "call.outgoing");
	notify_popup_text_clear(&t);
	c.alias[0] = '\0';
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = SIPCID_STATE_MISSED;
	c.ring_ms = 20000;
	notify_popup_text_make(&t, &c, false, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "No answer");
	g_assert_cmpstr(t.body, ==, "+15559876543\nFrom line 2001\n14:03, rang 20 s");
	g_assert_cmpint(t.urgency, ==, NOTIFY_POPUP_URGENCY_LOW);
	g_assert_cmpint(t.timeout_ms, ==, -1);
	notify_popup_text_clear(&t);
}

static void test_alias_blocked_forwarded(void)
{
	struct sipcid_call c = make_call("+441632960002", "SPAM CO");
	g_strlcpy(c.alias, "Known nuisance", sizeof c.alias);
	g_strlcpy(c.called, "2002", sizeof c.called);
	g_strlcpy(c.via, "+441632960099", sizeof c.via);
	c.action = SIPCID_ACTION_BLOCK;
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Blocked call");
	g_assert_cmpstr(t.body, ==,
	                "<b>Known nuisance</b>\n+441632960002 · SPAM CO\n"
	                "Line 2002, forwarded via +441632960099\nBlocked\n14:03");
	g_assert_cmpstr(t.icon, ==, "call-stop");
	g_assert_cmpint(t.urgency, ==, NOTIFY_POPUP_URGENCY_LOW);
	notify_popup_text_clear(&t);

	/* With state blocked and its outcome, the popup says how. */
	c.state = SIPCID_STATE_BLOCKED;
	c.outcome = SIPCID_OUTCOME_DECLINE;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Blocked call (declined)");
	g_assert_cmpstr(t.body, ==,
	                "<b>Known nuisance</b>\n+441632960002 · SPAM CO\n"
	                "Line 2002, forwarded via +441632960099\nBlocked: Declined: their "
	                "provider's voicemail or announcement took over.\n14:03");
	g_assert_cmpstr(t.category, ==, "call.unanswered");
	g_assert_cmpstr(t.icon, ==, "call-stop");
	g_assert_cmpint(t.urgency, ==, NOTIFY_POPUP_URGENCY_LOW);
	notify_popup_text_clear(&t);
	c.outcome = SIPCID_OUTCOME_BUSY;
	notify_popup_text_make(&t, &c, false, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Blocked call (busy signal)");
	g_assert_nonnull(strstr(t.details, "\nBlocked: They heard a busy signal."));
	notify_popup_text_clear(&t);
	/* The sipcid datagram carries state, not outcome: state blocked alone
	 * still reads as blocked. */
	c.action = SIPCID_ACTION_ALLOW;
	c.outcome = SIPCID_OUTCOME_NONE;
	notify_popup_text_make(&t, &c, false, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Blocked call");
	g_assert_true(g_str_has_suffix(t.details, "\nBlocked"));
	g_assert_cmpint(t.urgency, ==, NOTIFY_POPUP_URGENCY_LOW);
	notify_popup_text_clear(&t);
}

/* The carrier's STIR/SHAKEN word, after the number, in every wording. */
static void test_shaken(void)
{
	struct sipcid_call c = make_call("+12125550100", "Alice Example");
	g_strlcpy(c.called, "2001", sizeof c.called);
	c.verstat = SIPCID_VERSTAT_PASSED;
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>Alice Example</b>\n+12125550100\nVerified\nLine 2001\n14:03");
	notify_popup_text_clear(&t);
	c.attest = 'A';
	notify_popup_text_make(&t, &c, false, CALL_TIME);
	g_assert_cmpstr(t.details, ==, "14:03\n+12125550100\nVerified (attestation A)\nLine 2001");
	notify_popup_text_clear(&t);
	/* failed verification, blocked, with only a number to show */
	c = make_call("+12125550100", "");
	c.verstat = SIPCID_VERSTAT_FAILED;
	c.action = SIPCID_ACTION_BLOCK;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>+12125550100</b>\nFailed verification\nBlocked\n14:03");
	notify_popup_text_clear(&t);
	c = make_call("+12125550100", "");
	c.verstat = SIPCID_VERSTAT_NO_VALIDATION;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>+12125550100</b>\nNot verified\n14:03");
	notify_popup_text_clear(&t);
	c.verstat = SIPCID_VERSTAT_NONE;
	c.attest = 'C';
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>+12125550100</b>\nAttestation C\n14:03");
	notify_popup_text_clear(&t);
	/* nothing known: nothing said */
	c.attest = 0;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>+12125550100</b>\n14:03");
	notify_popup_text_clear(&t);
	/* the phone's own calls out carry none */
	c.direction = SIPCID_DIR_OUTGOING;
	c.verstat = SIPCID_VERSTAT_PASSED;
	g_strlcpy(c.called, "+15559876543", sizeof c.called);
	notify_popup_text_make(&t, &c, false, CALL_TIME);
	g_assert_null(strstr(t.body, "Verified"));
	notify_popup_text_clear(&t);
}

static void test_presentation(void)
{
	struct sipcid_call c = make_call("", "");
	c.presentation = SIPCID_PRES_RESTRICTED;
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>Withheld number</b>\n14:03");
	notify_popup_text_clear(&t);
	c.presentation = SIPCID_PRES_UNAVAILABLE;
	g_strlcpy(c.via, "100", sizeof c.via);
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>Number unavailable</b>\nForwarded via 100\n14:03");
	notify_popup_text_clear(&t);
	/* A withheld number with a listed name still says it is withheld. */
	c = make_call("", "Bob");
	c.presentation = SIPCID_PRES_RESTRICTED;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==, "<b>Bob</b>\nWithheld number\n14:03");
	notify_popup_text_clear(&t);
}

static void test_states(void)
{
	struct sipcid_call c = make_call("100", "");
	c.kind = SIPCID_EVENT_UPDATE;
	struct notify_popup_text t;

	c.state = SIPCID_STATE_ANSWERED;
	c.ring_ms = 12400;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Call answered");
	g_assert_cmpstr(t.body, ==, "<b>100</b>\n14:03, rang 12 s");
	g_assert_cmpstr(t.category, ==, "call.incoming");
	g_assert_cmpint(t.timeout_ms, ==, 10000);
	notify_popup_text_clear(&t);

	c.state = SIPCID_STATE_ENDED;
	c.talk_ms = 3723000;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Call ended");
	g_assert_cmpstr(t.body, ==, "<b>100</b>\n14:03, rang 12 s, talked 1:02:03");
	g_assert_cmpstr(t.category, ==, "call.ended");
	g_assert_cmpstr(t.icon, ==, "call-stop");
	notify_popup_text_clear(&t);

	c.state = SIPCID_STATE_MISSED;
	c.ring_ms = 65000;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.summary, ==, "Missed call");
	g_assert_cmpstr(t.body, ==, "<b>100</b>\n14:03, rang 1:05");
	g_assert_cmpstr(t.category, ==, "call.unanswered");
	g_assert_cmpint(t.timeout_ms, ==, 0);
	notify_popup_text_clear(&t);
}

static void test_other_day(void)
{
	struct sipcid_call c = make_call("100", "");
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME + 24 * 3600 * (int64_t)G_USEC_PER_SEC);
	g_assert_cmpstr(t.body, ==, "<b>100</b>\n2026-11-22 14:03");
	notify_popup_text_clear(&t);
}

static void test_markup_escaped(void)
{
	struct sipcid_call c = make_call("<i>1</i>", "<b>Eve</b> &amp; <a href=\"http://x\">'q'</a>");
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_assert_cmpstr(t.body, ==,
	                "<b>&lt;b&gt;Eve&lt;/b&gt; &amp;amp; &lt;a href=&quot;http://x&quot;&gt;"
	                "&apos;q&apos;&lt;/a&gt;</b>\n&lt;i&gt;1&lt;/i&gt;\n14:03");
	/* The summary never carries caller text. */
	g_assert_cmpstr(t.summary, ==, "Incoming call");
	/* The escaped body parses as markup: no element but our own <b>. */
	GMarkupParseContext *pc = g_markup_parse_context_new(
		&(GMarkupParser){ 0 }, 0, NULL, NULL);
	g_autofree char *doc = g_strdup_printf("<x>%s</x>", t.body);
	g_assert_true(g_markup_parse_context_parse(pc, doc, -1, NULL));
	g_assert_true(g_markup_parse_context_end_parse(pc, NULL));
	g_markup_parse_context_free(pc);
	notify_popup_text_clear(&t);

	notify_popup_text_make(&t, &c, false, CALL_TIME);
	g_assert_cmpstr(t.who, ==, "<b>Eve</b> &amp; <a href=\"http://x\">'q'</a>");
	notify_popup_text_clear(&t);
}

static void test_field_cleaning(void)
{
	/* Newlines, tabs and control characters never reach a popup line. */
	g_autofree char *a =
		notify_popup_text_field("Line1\nLine2\r\n\tx\x01\x1b[31mred\x7f", 64, true);
	g_assert_cmpstr(a, ==, "Line1 Line2 x[31mred");
	/* Invalid UTF-8 becomes U+FFFD; the result is valid UTF-8. */
	g_autofree char *b = notify_popup_text_field("ab\xff\xfe" "cd\xc3", 64, false);
	g_assert_cmpstr(b, ==, "ab\xef\xbf\xbd\xef\xbf\xbd" "cd\xef\xbf\xbd");
	/* A 10 kB name is cut to 64 characters, the last one an ellipsis, on a
	 * character boundary, after escaping nothing is split. */
	GString *big = g_string_new(NULL);
	for (int i = 0; i < 2000; i++)
		g_string_append(big, "é&<x");
	g_autofree char *c = notify_popup_text_field(big->str, 64, false);
	g_assert_true(g_utf8_validate(c, -1, NULL));
	g_assert_cmpint(g_utf8_strlen(c, -1), ==, 64);
	g_assert_true(g_str_has_suffix(c, "…"));
	g_autofree char *d = notify_popup_text_field(big->str, 64, true);
	g_assert_true(g_str_has_prefix(d, "é&amp;&lt;xé&amp;&lt;x"));
	g_assert_true(g_str_has_suffix(d, "…"));
	g_assert_null(strchr(d, '<'));
	g_string_free(big, TRUE);
	/* Exactly the cap: kept whole. */
	g_autofree char *e = notify_popup_text_field("0123456789", 10, false);
	g_assert_cmpstr(e, ==, "0123456789");
	g_autofree char *f = notify_popup_text_field("0123456789A", 10, false);
	g_assert_cmpstr(f, ==, "012345678…");
}

static void test_long_name_popup(void)
{
	struct sipcid_call c = make_call("100", "");
	memset(c.name, 'N', sizeof c.name - 1);
	c.name[sizeof c.name - 1] = '\0';
	struct notify_popup_text t;
	notify_popup_text_make(&t, &c, true, CALL_TIME);
	g_autofree char *expect_who = g_strnfill(63, 'N');
	g_autofree char *expect = g_strdup_printf("<b>%s…</b>\n100\n14:03", expect_who);
	g_assert_cmpstr(t.body, ==, expect);
	notify_popup_text_clear(&t);
}

static int freed;
static void count_free(void *p)
{
	(void)p;
	freed++;
}

static void test_dedupe(void)
{
	struct notify_call_dedupe *d = notify_call_dedupe_new(3, 100);
	struct sipcid_call c = make_call("1", "");
	struct notify_popup_slot *s1 = notify_call_dedupe_admit(d, &c, 1);
	g_assert_nonnull(s1);
	s1->data = &freed;
	s1->free = count_free;
	/* The same event again (broadcast and unicast): dropped. */
	g_assert_null(notify_call_dedupe_admit(d, &c, 2));
	/* A later state: the same slot, so the popup is replaced. */
	c.state = SIPCID_STATE_ANSWERED;
	g_assert_true(notify_call_dedupe_admit(d, &c, 3) == s1);
	g_assert_null(notify_call_dedupe_admit(d, &c, 4));
	/* A late copy of the earlier state never steps the popup back. */
	c.state = SIPCID_STATE_RINGING;
	g_assert_null(notify_call_dedupe_admit(d, &c, 5));
	c.state = SIPCID_STATE_ENDED;
	g_assert_true(notify_call_dedupe_admit(d, &c, 6) == s1);
	c.state = SIPCID_STATE_MISSED;
	g_assert_null(notify_call_dedupe_admit(d, &c, 7));
	/* Other calls; the table holds 3, the least recently seen goes first. */
	for (int i = 0; i < 3; i++) {
		struct sipcid_call o = make_call("2", "");
		g_snprintf(o.call_id, sizeof o.call_id, "other-%d", i);
		g_assert_nonnull(notify_call_dedupe_admit(d, &o, 10 + i));
	}
	g_assert_cmpuint(notify_call_dedupe_size(d), ==, 3);
	g_assert_cmpint(freed, ==, 1);
	/* Forgotten, so the same event is news again. */
	g_assert_nonnull(notify_call_dedupe_admit(d, &c, 20));
	/* Expiry: after forget_after_us a call id starts afresh. */
	struct sipcid_call o = make_call("2", "");
	g_strlcpy(o.call_id, "other-2", sizeof o.call_id);
	g_assert_null(notify_call_dedupe_admit(d, &o, 30));
	g_assert_nonnull(notify_call_dedupe_admit(d, &o, 200));
	notify_call_dedupe_free(d);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/popup_text/ringing_named", test_ringing_named);
	g_test_add_func("/popup_text/alias_blocked_forwarded", test_alias_blocked_forwarded);
	g_test_add_func("/popup_text/presentation", test_presentation);
	g_test_add_func("/popup_text/shaken", test_shaken);
	g_test_add_func("/popup_text/outgoing", test_outgoing);
	g_test_add_func("/popup_text/states", test_states);
	g_test_add_func("/popup_text/other_day", test_other_day);
	g_test_add_func("/popup_text/markup_escaped", test_markup_escaped);
	g_test_add_func("/popup_text/field_cleaning", test_field_cleaning);
	g_test_add_func("/popup_text/long_name_popup", test_long_name_popup);
	g_test_add_func("/call_dedupe/states_and_bounds", test_dedupe);
	return g_test_run();
}
