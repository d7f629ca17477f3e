/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Matching: each field, each kind of pattern, order, normalisation, aliases. */
#include "rules_test_util.h"

/* Decides `call` against `rules` and returns the deciding line (0: none). */
static int decide(const char *rules, const char *phonebook, struct sipcid_call *call)
{
	g_autoptr(sipcid_rules) r = load_ok(rules, phonebook);
	sipcid_rules_decide(r, false, call);
	return decided_line(call);
}

static void test_no_rules(void)
{
	struct sipcid_call c = make_call("+15551234567", "X");
	g_strlcpy(c.alias, "stale", sizeof c.alias);
	g_strlcpy(c.rule, "stale:1", sizeof c.rule);
	sipcid_rules_decide(NULL, true, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_true(c.record);
	g_assert_cmpstr(c.rule, ==, "");
	g_assert_cmpstr(c.alias, ==, "");

	g_autoptr(sipcid_rules) r = load_ok("# only a comment\n\n   \n", NULL);
	g_assert_cmpuint(sipcid_rules_count(r), ==, 0);
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_false(c.record);
	g_assert_cmpstr(c.rule, ==, "");
}

static void test_actions(void)
{
	const char *rules = "block number +15550000001\n"
	                    "record number +15550000002\n"
	                    "norecord number +15550000003\n"
	                    "allow number +15550000004\n";
	g_autoptr(sipcid_rules) r = load_ok(rules, NULL);
	struct sipcid_call c = make_call("+15550000001", "");
	sipcid_rules_decide(r, true, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	g_assert_false(c.record);
	g_assert_cmpstr(c.rule, ==, "rules:1");

	c = make_call("+15550000002", "");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_true(c.record);
	g_assert_cmpstr(c.rule, ==, "rules:2");

	c = make_call("+15550000003", "");
	sipcid_rules_decide(r, true, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_false(c.record);
	g_assert_cmpstr(c.rule, ==, "rules:3");

	/* allow keeps the record default, either way */
	c = make_call("+15550000004", "");
	sipcid_rules_decide(r, true, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_true(c.record);
	sipcid_rules_decide(r, false, &c);
	g_assert_false(c.record);
	g_assert_cmpstr(c.rule, ==, "rules:4");

	/* no match: allowed, record default, no rule */
	c = make_call("+15550000009", "");
	sipcid_rules_decide(r, true, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_true(c.record);
	g_assert_cmpstr(c.rule, ==, "");
}

static void test_keywords_ignore_case(void)
{
	struct sipcid_call c = make_call("+15550000001", "");
	g_assert_cmpint(decide("BLOCK Number +15550000001\n", NULL, &c), ==, 1);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
}

static void test_number_normalisation(void)
{
	/* Under NANP each spelling of the rule matches the normalised call. */
	const char *spellings[] = { "5551234567", "15551234567", "+15551234567",
		                    "\"(555) 123-4567\"", "\"+1 555 123 4567\"", "555.123.4567",
		                    "01115551234567" };
	for (unsigned i = 0; i < G_N_ELEMENTS(spellings); i++) {
		g_autofree char *rules = g_strdup_printf("block number %s\n", spellings[i]);
		struct sipcid_call c = make_call("+15551234567", "");
		g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
		g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
		c = make_call("+15551234568", "");
		g_assert_cmpint(decide(rules, NULL, &c), ==, 0);
	}
	/* called and via are normalised too */
	struct sipcid_call c = make_call("+15551234567", "");
	g_strlcpy(c.called, "+15550001111", sizeof c.called);
	g_strlcpy(c.via, "+18005550000", sizeof c.via);
	g_assert_cmpint(decide("allow called 5550001112\nrecord called 555-000-1111\n", NULL, &c),
	                ==, 2);
	g_assert_cmpint(decide("norecord via 1-800-555-0000\n", NULL, &c), ==, 1);
	/* A short number is not given a country code: 911 stays 911. */
	c = make_call("911", "");
	g_assert_cmpint(decide("allow number +1911\nblock number 911\n", NULL, &c), ==, 2);
	/* A SIP user name is compared as text, ignoring ASCII case. */
	c = make_call("alice", "");
	g_assert_cmpint(decide("block number Alice\n", NULL, &c), ==, 1);
}

static void test_no_normalisation_without_plan(void)
{
	struct sipcid_number_plan none;
	sipcid_number_plan_preset("none", &none);
	g_autoptr(sipcid_rules) r = sipcid_rules_load_data("rules", "block number 5551234567\n",
	                                                   NULL, NULL, &none, NULL);
	g_assert_nonnull(r);
	struct sipcid_call c = make_call("5551234567", "");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	c = make_call("+15551234567", "");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
}

static void test_globs(void)
{
	struct sipcid_call c = make_call("+15551234567", "ACME Sales Dept");
	g_assert_cmpint(decide("record number +1555*\n", NULL, &c), ==, 1);
	g_assert_true(c.record);
	g_assert_cmpint(decide("record number +1666*\n", NULL, &c), ==, 0);
	g_assert_cmpint(decide("block number +1555123456?\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number +155512345?\n", NULL, &c), ==, 0);
	g_assert_cmpint(decide("block number *4567\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number +1*5*7\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number \"+1 (555) 12*\"\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name acme*\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name \"* sales *\"\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name *sales\n", NULL, &c), ==, 0);
	g_assert_cmpint(decide("block name ACME?Sales*\n", NULL, &c), ==, 1);
	/* ? is one character, also when it takes several bytes */
	c = make_call("+15551234567", "Zoë");
	g_assert_cmpint(decide("block name Zo?\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name Zo??\n", NULL, &c), ==, 0);
	/* an escaped * is a star, not a wildcard */
	c = make_call("+15551234567", "Star*Corp");
	g_assert_cmpint(decide("block name Star\\*Corp\n", NULL, &c), ==, 1);
	c = make_call("+15551234567", "StarXCorp");
	g_assert_cmpint(decide("block name Star\\*Corp\n", NULL, &c), ==, 0);
	g_assert_cmpint(decide("block name Star*Corp\n", NULL, &c), ==, 1);
}

static void test_regex(void)
{
	struct sipcid_call c = make_call("+15551234567", "Spam Likely");
	g_assert_cmpint(decide("block name /spam/\n", NULL, &c), ==, 0);
	g_assert_cmpint(decide("block name /spam/i\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name /^Spam L/\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name /likely spam/i\n", NULL, &c), ==, 0);
	g_assert_cmpint(decide("block name /spam likely/i # spaces inside\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number /^\\+1555[0-9]{7}$/\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number /^\\+1556/\n", NULL, &c), ==, 0);
	/* a slash inside the expression is escaped */
	c = make_call("+15551234567", "a/b");
	g_assert_cmpint(decide("block name /a\\/b/\n", NULL, &c), ==, 1);
	/* Unicode-aware */
	c = make_call("+15551234567", "ÉLODIE");
	g_assert_cmpint(decide("block name /élodie/i\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name /^\\w+$/\n", NULL, &c), ==, 1);
}

static void test_exact_name_ignores_ascii_case(void)
{
	struct sipcid_call c = make_call("+15551234567", "JOHN SMITH");
	g_assert_cmpint(decide("block name \"John Smith\"\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block name \"John Smit\"\n", NULL, &c), ==, 0);
	g_assert_cmpint(decide("block name 'John\n", NULL, &c), ==, 0);
	/* an empty quoted pattern matches a caller that sent no name */
	c = make_call("+15551234567", "");
	g_assert_cmpint(decide("block name \"\"\n", NULL, &c), ==, 1);
}

static void test_anonymous(void)
{
	const char *fields[] = { "number", "name", "called", "via", "presentation" };
	for (unsigned i = 0; i < G_N_ELEMENTS(fields); i++) {
		g_autofree char *rules = g_strdup_printf("block %s anonymous\n", fields[i]);
		struct sipcid_call c = make_call("", "");
		c.presentation = SIPCID_PRES_RESTRICTED;
		g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
		c.presentation = SIPCID_PRES_UNAVAILABLE;
		g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
		/* withheld presentation with a number (a carrier sent PAI): still anonymous */
		c = make_call("+15551234567", "");
		c.presentation = SIPCID_PRES_RESTRICTED;
		g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
		/* an allowed caller with a number is not */
		c = make_call("+15551234567", "Anonymous");
		g_assert_cmpint(decide(rules, NULL, &c), ==, 0);
		/* no number at all counts as anonymous */
		c = make_call("", "");
		g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
	}
	/* quoted, anonymous is just text */
	struct sipcid_call c = make_call("+15551234567", "Anonymous");
	g_assert_cmpint(decide("block name \"anonymous\"\n", NULL, &c), ==, 1);
	c.presentation = SIPCID_PRES_RESTRICTED;
	c.name[0] = '\0';
	g_assert_cmpint(decide("block name \"anonymous\"\n", NULL, &c), ==, 0);
}

static void test_presentation(void)
{
	const char *rules = "block presentation unavailable\nrecord presentation Restricted\n"
	                    "norecord presentation allowed\n";
	struct sipcid_call c = make_call("+15551234567", "");
	g_assert_cmpint(decide(rules, NULL, &c), ==, 3);
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_assert_cmpint(decide(rules, NULL, &c), ==, 2);
	c.presentation = SIPCID_PRES_UNAVAILABLE;
	g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
}

static void test_star_and_order(void)
{
	/* allow my list, block everyone else */
	const char *rules = "allow number 5551234567\n"
	                    "allow name Mom\n"
	                    "block *\n"
	                    "allow number 5559999999\n";
	struct sipcid_call c = make_call("+15551234567", "");
	g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	c = make_call("+15550000000", "mom");
	g_assert_cmpint(decide(rules, NULL, &c), ==, 2);
	c = make_call("+15559999999", "");
	g_assert_cmpint(decide(rules, NULL, &c), ==, 3);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	c = make_call("", "");
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_assert_cmpint(decide(rules, NULL, &c), ==, 3);
}

static void test_first_match_across_index_and_scan(void)
{
	/* Exact rules are found by hash, globs and regexes by scanning: the
	 * earliest matching line must still win, whichever way it was found. */
	struct sipcid_call c = make_call("+15551234567", "Spam");
	g_assert_cmpint(decide("record number +1555*\nblock number 5551234567\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number 5551234567\nrecord number +1555*\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("allow name /sp/i\nblock number 5551234567\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number 5551234567\nallow name /sp/i\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("allow number +1*\nblock number +1555*\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number +1555*\nallow number +1*\n", NULL, &c), ==, 1);
	/* globs found by their literal start or end keep the order too */
	g_assert_cmpint(decide("allow number *4567\nblock number 5551234567\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("block number 5551234567\nallow number *4567\n", NULL, &c), ==, 1);
	g_assert_cmpint(decide("allow number *4568\nblock number +1555*67\n", NULL, &c), ==, 2);
	g_assert_cmpint(decide("allow number +1555?3*\nblock name *pa*\nrecord number *7\n", NULL,
	                       &c), ==, 2);
	g_assert_cmpint(decide("allow number +1555?3*\nblock name *pa*\nrecord number *67\n"
	                       "allow number +15551*\n", NULL, &c), ==, 2);
	g_assert_cmpint(decide("allow name *x*\nrecord number *1234567\nblock name s*\n", NULL,
	                       &c), ==, 2);
	g_assert_cmpint(decide("allow name *x*\nrecord name *M\nblock name s*\n", NULL, &c), ==, 2);
	/* same number twice: the earlier line wins */
	g_assert_cmpint(decide("allow number +15551234567\nblock number 5551234567\n", NULL, &c),
	                ==, 1);
	/* an indexed rule whose other condition fails gives way to a later one */
	g_assert_cmpint(decide("block number 5551234567 name Other\n"
	                       "record number 5551234567 name spam\n"
	                       "allow *\n", NULL, &c), ==, 2);
	g_assert_cmpint(decide("block number 5551234567 name Other\nallow *\n", NULL, &c), ==, 2);
	/* many rules around the matching one */
	GString *many = g_string_new(NULL);
	for (int i = 0; i < 5000; i++)
		g_string_append_printf(many, "block number +1666%07d\n", i);
	g_string_append(many, "allow name /x/\nrecord number +15551234567\nblock *\n");
	g_assert_cmpint(decide(many->str, NULL, &c), ==, 5002);
	g_assert_true(c.record);
	c = make_call("+16660000042", "");
	g_assert_cmpint(decide(many->str, NULL, &c), ==, 43);
	c = make_call("+16660000042", "x");
	g_assert_cmpint(decide(many->str, NULL, &c), ==, 43);
	c = make_call("+17770000000", "x");
	g_assert_cmpint(decide(many->str, NULL, &c), ==, 5001);
	g_string_free(many, TRUE);
}

static void test_conditions_combine(void)
{
	/* block anonymous calls to the office line only */
	const char *rules = "block number anonymous called 5550001000\n";
	struct sipcid_call c = make_call("", "");
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_assert_cmpint(decide(rules, NULL, &c), ==, 1);
	g_strlcpy(c.called, "+15550002000", sizeof c.called);
	g_assert_cmpint(decide(rules, NULL, &c), ==, 0);
}

static void test_phonebook_alias(void)
{
	const char *phonebook = "# family\n+15551234567 Mom\n5559876543 \"Dr. Who\"  # dentist\n"
	                        "555-222-3333   Aunt   Jo\n";
	g_autoptr(sipcid_rules) r = load_ok("block name Mom called 5550009999\n"
	                                    "record name \"dr. who\"\n"
	                                    "allow name \"Aunt Jo\"\n", phonebook);
	g_assert_cmpuint(sipcid_rules_phonebook_count(r), ==, 3);
	struct sipcid_call c = make_call("+15551234567", "WIRELESS CALLER");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.alias, ==, "Mom");
	g_assert_cmpstr(c.rule, ==, "");  /* called does not match */
	c = make_call("+15559876543", "");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.alias, ==, "Dr. Who");
	g_assert_cmpstr(c.rule, ==, "rules:2");
	g_assert_true(c.record);
	c = make_call("+15552223333", "JO SMITH");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.alias, ==, "Aunt Jo");
	g_assert_cmpstr(c.rule, ==, "rules:3");
	/* name matches the network's name as well as the alias */
	g_autoptr(sipcid_rules) r2 = load_ok("block name \"WIRELESS CALLER\"\n", phonebook);
	c = make_call("+15551234567", "WIRELESS CALLER");
	sipcid_rules_decide(r2, false, &c);
	g_assert_cmpstr(c.alias, ==, "Mom");
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	/* not listed: no alias */
	c = make_call("+15550000000", "X");
	sipcid_rules_decide(r2, false, &c);
	g_assert_cmpstr(c.alias, ==, "");
	g_assert_cmpstr(sipcid_rules_alias(r2, "+15559876543"), ==, "Dr. Who");
	g_assert_null(sipcid_rules_alias(r2, "+15559876544"));
	g_assert_null(sipcid_rules_alias(r2, ""));
}

static void test_long_rule_path(void)
{
	g_autofree char *dir = g_strnfill(300, 'd');
	g_autofree char *name = g_strconcat("/", dir, "/rules", NULL);
	struct sipcid_number_plan plan = nanp();
	g_autoptr(sipcid_rules) r = sipcid_rules_load_data(name, "\n\nblock *\n", NULL, NULL,
	                                                   &plan, NULL);
	struct sipcid_call c = make_call("+1", "");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpuint(strlen(c.rule), <, SIPCID_RULE_MAX);
	g_assert_true(g_str_has_suffix(c.rule, "dd/rules:3"));
	g_assert_true(g_str_has_prefix(c.rule, "..."));
}

static void test_ref_unref(void)
{
	struct sipcid_rules *r = load_ok("block *\n", NULL);
	struct sipcid_rules *held = sipcid_rules_ref(r);
	sipcid_rules_unref(r);
	struct sipcid_call c = make_call("+15551234567", "");
	sipcid_rules_decide(held, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	sipcid_rules_unref(held);
	sipcid_rules_unref(NULL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules/match/no-rules", test_no_rules);
	g_test_add_func("/rules/match/actions", test_actions);
	g_test_add_func("/rules/match/keywords-ignore-case", test_keywords_ignore_case);
	g_test_add_func("/rules/match/number-normalisation", test_number_normalisation);
	g_test_add_func("/rules/match/no-plan", test_no_normalisation_without_plan);
	g_test_add_func("/rules/match/globs", test_globs);
	g_test_add_func("/rules/match/regex", test_regex);
	g_test_add_func("/rules/match/exact-name-case", test_exact_name_ignores_ascii_case);
	g_test_add_func("/rules/match/anonymous", test_anonymous);
	g_test_add_func("/rules/match/presentation", test_presentation);
	g_test_add_func("/rules/match/star-and-order", test_star_and_order);
	g_test_add_func("/rules/match/first-match-index-and-scan",
	                test_first_match_across_index_and_scan);
	g_test_add_func("/rules/match/conditions-combine", test_conditions_combine);
	g_test_add_func("/rules/match/phonebook-alias", test_phonebook_alias);
	g_test_add_func("/rules/match/long-rule-path", test_long_rule_path);
	g_test_add_func("/rules/match/ref-unref", test_ref_unref);
	return g_test_run();
}
