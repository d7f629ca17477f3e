/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule fields country and type (libphonenumber), their lists and their
 * negation with !, beside the indexed number patterns. */
#include "rules_test_util.h"

static int decide_line(struct sipcid_rules *r, const char *number)
{
	struct sipcid_call c = make_call(number, "");
	sipcid_rules_decide(r, false, &c);
	return decided_line(&c);
}

static void test_country(void)
{
	struct sipcid_rules *r = load_ok("allow number +442079460000\n"  /* 1: an exception first */
	                                 "block country GB,ie\n"          /* 2 */
	                                 "record country !US,CA\n",       /* 3 */
	                                 NULL);
	g_assert_cmpint(decide_line(r, "+442079460000"), ==, 1);
	g_assert_cmpint(decide_line(r, "+441614960000"), ==, 2);
	g_assert_cmpint(decide_line(r, "+35312345678"), ==, 2);  /* Ireland */
	g_assert_cmpint(decide_line(r, "+33142685300"), ==, 3);  /* France: neither US nor CA */
	g_assert_cmpint(decide_line(r, "+12125550123"), ==, 0);  /* New York */
	g_assert_cmpint(decide_line(r, "+16135550123"), ==, 0);  /* Ottawa: Canada */
	g_assert_cmpint(decide_line(r, "+18765550123"), ==, 3);  /* Jamaica shares +1 */
	g_assert_cmpint(decide_line(r, "+441481256789"), ==, 3); /* Guernsey shares +44 */
	g_assert_cmpint(decide_line(r, "+80012345678"), ==, 0);  /* no country: not !US either */
	g_assert_cmpint(decide_line(r, "2001"), ==, 0);          /* an extension */
	g_assert_cmpint(decide_line(r, "alice"), ==, 0);
	g_assert_cmpint(decide_line(r, ""), ==, 0);
	/* the decision leaves the facts in the call */
	struct sipcid_call c = make_call("+33612345678", "");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.country, ==, "FR");
	/* the tables give the type with the country, at no extra cost */
	g_assert_cmpstr(c.number_type, ==, "mobile");
	g_assert_true(c.record);
	sipcid_rules_unref(r);
}

static void test_type(void)
{
	struct sipcid_rules *r = load_ok("block type premium-rate\n"
	                                 "allow type toll-free,MOBILE\n"
	                                 "record type !fixed-line-or-mobile number +1*\n",
	                                 NULL);
	g_assert_cmpint(decide_line(r, "+19005550123"), ==, 1);
	g_assert_cmpint(decide_line(r, "+449098790000"), ==, 1);
	g_assert_cmpint(decide_line(r, "+18005550123"), ==, 2);
	g_assert_cmpint(decide_line(r, "+819012345678"), ==, 2);
	g_assert_cmpint(decide_line(r, "+12125550123"), ==, 0);  /* fixed-line-or-mobile */
	g_assert_cmpint(decide_line(r, "+15550000000"), ==, 3);  /* invalid: type unknown */
	struct sipcid_call m = make_call("+447400123456", "");
	sipcid_rules_decide(r, false, &m);
	g_assert_cmpstr(m.number_type, ==, "mobile");
	g_assert_cmpstr(m.country, ==, "GB");
	g_assert_cmpint(decide_line(r, "+442079460000"), ==, 0); /* not +1 */
	/* a blocked premium-rate number in the emergency list still passes */
	struct sipcid_call c = make_call("+19005550123", "");
	g_strlcpy(c.called, "911", sizeof c.called);
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	sipcid_rules_unref(r);
	/* rules without country or type leave the facts to the outputs */
	r = load_ok("block number +1900*\n", NULL);
	c = make_call("+19005550123", "");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	g_assert_cmpstr(c.number_type, ==, "");
	sipcid_rules_unref(r);
	/* * matches any value; anonymous callers as on any field */
	r = load_ok("block country anonymous\nrecord type *\n", NULL);
	g_assert_cmpint(decide_line(r, ""), ==, 1);
	g_assert_cmpint(decide_line(r, "alice"), ==, 2);
	sipcid_rules_unref(r);
}

static void expect_error(const char *rules, const char *want)
{
	g_autofree char *msg = load_error(rules, NULL);
	if (!strstr(msg, want))
		g_error("error '%s' lacks '%s'", msg, want);
}

static void test_errors(void)
{
	expect_error("block country USA\n", "rules:1:15: expected a country code after country");
	expect_error("block country !\n", "not ''");
	expect_error("block country US,,CA\n", "not ''");
	expect_error("block country /US/\n", "not a regular expression");
	expect_error("block type premium\n", "rules:1:12: expected a number type after type");
	expect_error("block type !!mobile\n", "not '!mobile'");
	expect_error("block countri US\n", "neighbour-spoof, list, country or type) or *");
	/* hostile words never crash and never load */
	GString *huge = g_string_new("block country !");
	for (int i = 0; i < 2000; i++)
		g_string_append(huge, "US,");
	g_string_append(huge, "\xff\n");
	g_autofree char *msg = load_error(huge->str, NULL);
	g_assert_nonnull(msg);
	g_string_free(huge, TRUE);
	expect_error("block type \"mobile\xc3\xa9\"\n", "expected a number type");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules/country", test_country);
	g_test_add_func("/rules/type", test_type);
	g_test_add_func("/rules/country-type-errors", test_errors);
	return g_test_run();
}
