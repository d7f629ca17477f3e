/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared words for a call: who, what happened, and durations. */
#include "call_words.h"

#include <glib.h>
#include <string.h>

static struct sipcid_call make_call(const char *number, const char *name, const char *alias)
{
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	g_strlcpy(c.number, number, sizeof c.number);
	g_strlcpy(c.name, name, sizeof c.name);
	g_strlcpy(c.alias, alias, sizeof c.alias);
	return c;
}

static void test_withheld(void)
{
	g_assert_cmpstr(sipcid_call_words_withheld(SIPCID_PRES_RESTRICTED), ==, "Withheld number");
	g_assert_cmpstr(sipcid_call_words_withheld(SIPCID_PRES_UNAVAILABLE), ==, "Number unavailable");
	g_assert_cmpstr(sipcid_call_words_withheld(SIPCID_PRES_ALLOWED), ==, "Unknown caller");
	/* A value off the wire's enum range still gets words. */
	g_assert_cmpstr(sipcid_call_words_withheld((enum sipcid_presentation)99), ==, "Unknown caller");
}

static void test_who(void)
{
	struct sipcid_call c = make_call("+15551234567", "ALICE SMITH", "Aunt Alice");
	g_assert_cmpstr(sipcid_call_words_who(&c), ==, "Aunt Alice");
	/* The caller's own fields are returned, not copies: popups rely on it to
	 * show their escaped form of the same field. */
	g_assert_true(sipcid_call_words_who(&c) == c.alias);
	c.alias[0] = '\0';
	g_assert_true(sipcid_call_words_who(&c) == c.name);
	c.name[0] = '\0';
	g_assert_true(sipcid_call_words_who(&c) == c.number);
	c.number[0] = '\0';
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_assert_cmpstr(sipcid_call_words_who(&c), ==, "Withheld number");
	c.presentation = SIPCID_PRES_UNAVAILABLE;
	g_assert_cmpstr(sipcid_call_words_who(&c), ==, "Number unavailable");
	c.presentation = SIPCID_PRES_ALLOWED;
	g_assert_cmpstr(sipcid_call_words_who(&c), ==, "Unknown caller");
	/* A withheld number with a name: the name. */
	c = make_call("", "Bob", "");
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_assert_cmpstr(sipcid_call_words_who(&c), ==, "Bob");
}

static void test_what(void)
{
	struct sipcid_call c = make_call("100", "", "");
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Incoming call");
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = SIPCID_STATE_ANSWERED;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Call answered");
	c.state = SIPCID_STATE_MISSED;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Missed call");
	c.state = SIPCID_STATE_ENDED;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Call ended");
	c.state = (enum sipcid_state)42;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Incoming call");
	/* Blocked wins over every state: the phone never rang. */
	c.action = SIPCID_ACTION_BLOCK;
	c.state = SIPCID_STATE_MISSED;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Blocked call");
	c.kind = SIPCID_EVENT_CALL;
	c.state = SIPCID_STATE_RINGING;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Blocked call");
	/* With its outcome: what the caller was told. */
	c.state = SIPCID_STATE_BLOCKED;
	const struct {
		enum sipcid_outcome o;
		const char *what, *heard;
	} outcomes[] = {
		{ SIPCID_OUTCOME_BUSY, "Blocked call (busy signal)", "They heard a busy signal." },
		{ SIPCID_OUTCOME_DECLINE, "Blocked call (declined)",
		  "Declined: their provider's voicemail or announcement took over." },
		{ SIPCID_OUTCOME_GONE, "Blocked call (not in service)",
		  "They heard that the number is not in service." },
		{ SIPCID_OUTCOME_DROP, "Blocked call (dropped)",
		  "No answer: they heard ringing until their provider gave up." },
		{ SIPCID_OUTCOME_NONE, "Blocked call", NULL },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(outcomes); i++) {
		c.outcome = outcomes[i].o;
		g_assert_cmpstr(sipcid_call_words_what(&c), ==, outcomes[i].what);
		g_assert_cmpstr(sipcid_call_words_heard(c.outcome), ==, outcomes[i].heard);
	}
	/* state blocked alone (a datagram from a sender that left action out) */
	c.action = SIPCID_ACTION_ALLOW;
	c.outcome = SIPCID_OUTCOME_GONE;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Blocked call (not in service)");
	g_assert_null(sipcid_call_words_heard((enum sipcid_outcome)42));
}

/* The phone calling out: whom it called, and its own words. */
static void test_outgoing(void)
{
	struct sipcid_call c = make_call("2001", "Home", "");
	c.direction = SIPCID_DIR_OUTGOING;
	g_strlcpy(c.called, "+15559876543", sizeof c.called);
	g_autoptr(GString) t = g_string_new(NULL);
	sipcid_call_words_title(t, &c);
	g_assert_cmpstr(t->str, ==, "Calling +15559876543");
	g_strlcpy(c.alias, "Mom", sizeof c.alias);
	g_string_truncate(t, 0);
	sipcid_call_words_title(t, &c);
	g_assert_cmpstr(t->str, ==, "Calling Mom");
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = SIPCID_STATE_ANSWERED;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Call answered");
	c.state = SIPCID_STATE_MISSED;
	g_string_truncate(t, 0);
	sipcid_call_words_title(t, &c);
	g_assert_cmpstr(t->str, ==, "No answer: Mom");
	c.state = SIPCID_STATE_ENDED;
	g_assert_cmpstr(sipcid_call_words_what(&c), ==, "Call ended");
	c.alias[0] = c.called[0] = '\0';
	g_assert_cmpstr(sipcid_call_words_who(&c), ==, "Unknown number");
	/* an incoming call's title keeps its colon */
	c.direction = SIPCID_DIR_INCOMING;
	c.kind = SIPCID_EVENT_CALL;
	c.state = SIPCID_STATE_RINGING;
	g_string_truncate(t, 0);
	sipcid_call_words_title(t, &c);
	g_assert_cmpstr(t->str, ==, "Incoming call: Home");
}

#define DURATION(ms, want)                                          \
	do {                                                        \
		g_autoptr(GString) s_ = g_string_new("rang ");      \
		sipcid_call_words_duration(s_, ms);                 \
		g_assert_cmpstr(s_->str, ==, "rang " want);         \
	} while (0)

static void test_shaken(void)
{
	struct sipcid_call c = { 0 };
	g_assert_null(sipcid_call_words_shaken(&c));
	c.verstat = SIPCID_VERSTAT_PASSED;
	g_assert_cmpstr(sipcid_call_words_shaken(&c), ==, "Verified");
	c.attest = 'B';
	g_assert_cmpstr(sipcid_call_words_shaken(&c), ==, "Verified (attestation B)");
	c.verstat = SIPCID_VERSTAT_FAILED;
	g_assert_cmpstr(sipcid_call_words_shaken(&c), ==, "Failed verification");
	c.verstat = SIPCID_VERSTAT_NO_VALIDATION;
	g_assert_cmpstr(sipcid_call_words_shaken(&c), ==, "Not verified");
	c.verstat = SIPCID_VERSTAT_NONE;
	g_assert_cmpstr(sipcid_call_words_shaken(&c), ==, "Attestation B");
	/* a level that is not A, B or C is not known */
	c.attest = 'Z';
	g_assert_null(sipcid_call_words_shaken(&c));
	c.verstat = SIPCID_VERSTAT_PASSED;
	g_assert_cmpstr(sipcid_call_words_shaken(&c), ==, "Verified");
}

static void test_duration(void)
{
	DURATION(0, "0 s");
	DURATION(999, "0 s");              /* truncated, never rounded up */
	DURATION(42000, "42 s");
	DURATION(59999, "59 s");           /* not yet a minute */
	DURATION(60000, "1:00");
	DURATION(65000, "1:05");
	DURATION(3599999, "59:59");
	DURATION(3600000, "1:00:00");
	DURATION(3723000, "1:02:03");
	DURATION(100 * 3600000LL + 61000, "100:01:01");
	DURATION(-5000, "0 s");            /* a clock step backwards is no time */
	DURATION(INT64_MAX, "2562047788015:12:55");
	DURATION(INT64_MIN, "0 s");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/call_words/withheld", test_withheld);
	g_test_add_func("/call_words/who", test_who);
	g_test_add_func("/call_words/what", test_what);
	g_test_add_func("/call_words/outgoing", test_outgoing);
	g_test_add_func("/call_words/duration", test_duration);
	g_test_add_func("/call_words/shaken", test_shaken);
	return g_test_run();
}
