/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The STIR/SHAKEN rule fields (verstat, attest) and the neighbour-spoof
 * condition: what they match, what they refuse, and their error messages. */
#include "rules_test_util.h"

static struct sipcid_call shaken_call(const char *number, const char *called,
                                      enum sipcid_verstat v, char attest)
{
	struct sipcid_call c = make_call(number, "");
	g_strlcpy(c.called, called, sizeof c.called);
	c.verstat = v;
	c.attest = attest;
	return c;
}

/* The line of the rule that decides, and whether it blocked. */
static int decide(struct sipcid_rules *r, struct sipcid_call *c)
{
	sipcid_rules_decide(r, false, c);
	return decided_line(c);
}

static void test_verstat_field(void)
{
	g_autoptr(sipcid_rules) r = load_ok("block verstat failed\n"
	                                    "allow verstat passed\n"
	                                    "record verstat no-validation\n"
	                                    "norecord verstat none\n",
	                                    NULL);
	struct sipcid_call c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_FAILED, 0);
	g_assert_cmpint(decide(r, &c), ==, 1);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_PASSED, 'A');
	g_assert_cmpint(decide(r, &c), ==, 2);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_NO_VALIDATION, 0);
	g_assert_cmpint(decide(r, &c), ==, 3);
	g_assert_true(c.record);
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_NONE, 0);
	g_assert_cmpint(decide(r, &c), ==, 4);
	/* case does not matter in the pattern */
	g_autoptr(sipcid_rules) upper = load_ok("block VERSTAT Failed\n", NULL);
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_FAILED, 0);
	g_assert_cmpint(decide(upper, &c), ==, 1);
}

static void test_attest_field(void)
{
	g_autoptr(sipcid_rules) r = load_ok("allow attest A\n"
	                                    "block attest c verstat failed\n"
	                                    "record attest none\n",
	                                    NULL);
	struct sipcid_call c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_PASSED, 'A');
	g_assert_cmpint(decide(r, &c), ==, 1);
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_FAILED, 'C');
	g_assert_cmpint(decide(r, &c), ==, 2);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	/* both conditions must hold */
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_PASSED, 'C');
	g_assert_cmpint(decide(r, &c), ==, 0);
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_NONE, 0);
	g_assert_cmpint(decide(r, &c), ==, 3);
	c = shaken_call("+12125550100", "+13135550100", SIPCID_VERSTAT_NONE, 'B');
	g_assert_cmpint(decide(r, &c), ==, 0);
}

static void test_neighbour_spoof(void)
{
	g_autoptr(sipcid_rules) r = load_ok("block neighbour-spoof\n", NULL);
	struct {
		const char *number, *called;
		enum sipcid_verstat v;
		bool match;
	} cases[] = {
		/* same NPA NXX, not verified */
		{ "+12125550100", "+12125551234", SIPCID_VERSTAT_NONE, true },
		{ "+12125550100", "+12125551234", SIPCID_VERSTAT_FAILED, true },
		{ "+12125550100", "+12125551234", SIPCID_VERSTAT_NO_VALIDATION, true },
		/* the line's own number calling it, unverified */
		{ "+12125551234", "+12125551234", SIPCID_VERSTAT_NONE, true },
		/* verified: a real neighbour */
		{ "+12125550100", "+12125551234", SIPCID_VERSTAT_PASSED, false },
		/* same area code, another exchange */
		{ "+12125560100", "+12125551234", SIPCID_VERSTAT_NONE, false },
		/* another area code, same exchange */
		{ "+13125550100", "+12125551234", SIPCID_VERSTAT_NONE, false },
		/* not NANP: never */
		{ "+442071234567", "+442071234000", SIPCID_VERSTAT_NONE, false },
		{ "+4420712345", "+4420712300", SIPCID_VERSTAT_NONE, false },
		/* the line is not a number (a registration name, an extension) */
		{ "+12125550100", "100", SIPCID_VERSTAT_NONE, false },
		{ "+12125550100", "", SIPCID_VERSTAT_NONE, false },
		/* no number, or not a whole NANP number */
		{ "", "+12125551234", SIPCID_VERSTAT_NONE, false },
		{ "+1212555", "+12125551234", SIPCID_VERSTAT_NONE, false },
		{ "+121255501000", "+12125551234", SIPCID_VERSTAT_NONE, false },
		{ "+1212555010x", "+1212555123x", SIPCID_VERSTAT_NONE, false },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct sipcid_call c = shaken_call(cases[i].number, cases[i].called, cases[i].v, 0);
		decide(r, &c);
		if ((c.action == SIPCID_ACTION_BLOCK) != cases[i].match)
			g_error("case %zu: %s calling %s: expected %s", i, cases[i].number,
			        cases[i].called, cases[i].match ? "blocked" : "allowed");
	}
	/* the American spelling, and with other conditions */
	g_autoptr(sipcid_rules) us = load_ok("block neighbor-spoof source stranger\n"
	                                     "record neighbour-spoof\n",
	                                     NULL);
	struct sipcid_call c = shaken_call("+12125550100", "+12125551234", SIPCID_VERSTAT_NONE, 0);
	c.origin = SIPCID_ORIGIN_STRANGER;
	g_assert_cmpint(decide(us, &c), ==, 1);
	c = shaken_call("+12125550100", "+12125551234", SIPCID_VERSTAT_NONE, 0);
	c.origin = SIPCID_ORIGIN_PROVIDER;
	g_assert_cmpint(decide(us, &c), ==, 2);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	/* outgoing calls are never blocked by it */
	g_autoptr(sipcid_rules) all = load_ok("block neighbour-spoof\n", NULL);
	c = shaken_call("+12125550100", "+12125551234", SIPCID_VERSTAT_NONE, 0);
	c.direction = SIPCID_DIR_OUTGOING;
	decide(all, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	/* more conditions than tokens / 2 + 1: every one is kept */
	g_autoptr(sipcid_rules) many = load_ok("block neighbour-spoof neighbour-spoof "
	                                       "neighbour-spoof neighbour-spoof\n",
	                                       NULL);
	c = shaken_call("+12125550100", "+12125551234", SIPCID_VERSTAT_NONE, 0);
	g_assert_cmpint(decide(many, &c), ==, 1);
}

static void assert_error(const char *rules, const char *expected)
{
	g_autofree char *msg = load_error(rules, NULL);
	if (!g_str_has_prefix(msg, expected))
		g_error("for %s\nexpected: %s\n     got: %s", rules, expected, msg);
}

static void test_errors(void)
{
	assert_error("block verstat maybe\n", "rules:1:15: expected passed, failed, no-validation "
	                                      "or none after verstat, not 'maybe'");
	assert_error("block verstat /pass/\n", "rules:1:15: expected passed, failed, "
	                                       "no-validation or none after verstat, not a regular");
	assert_error("block attest D\n", "rules:1:14: expected A, B, C or none after attest, not 'D'");
	assert_error("block attest AB\n", "rules:1:14: expected A, B, C or none after attest");
	assert_error("block verstat\n", "rules:1:14: expected a pattern after 'verstat'");
	/* neighbour-spoof takes no pattern: what follows must be another field */
	assert_error("block neighbour-spoof yes\n", "rules:1:23: expected another condition");
	assert_error("block neighbour-spoof number 1 name\n",
	             "rules:1:36: expected a pattern after 'name'");
	assert_error("block neighbour-spoof neighbour-spoof neighbour-spoof neighbour-spoof "
	             "neighbour-spoof neighbour-spoof neighbour-spoof neighbour-spoof "
	             "neighbour-spoof\n",
	             "rules:1:");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules/shaken/verstat", test_verstat_field);
	g_test_add_func("/rules/shaken/attest", test_attest_field);
	g_test_add_func("/rules/shaken/neighbour-spoof", test_neighbour_spoof);
	g_test_add_func("/rules/shaken/errors", test_errors);
	return g_test_run();
}
