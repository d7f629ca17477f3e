/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule-file and phonebook grammar: what is accepted, and the errors for
 * what is not (FILE:LINE:COLUMN and what was expected). */
#include "rules_test_util.h"

static void assert_error(const char *rules, const char *expected)
{
	g_autofree char *msg = load_error(rules, NULL);
	if (!strstr(msg, expected))
		g_error("expected the error to contain\n  %s\nbut it was\n  %s", expected, msg);
}

static void assert_phonebook_error(const char *phonebook, const char *expected)
{
	g_autofree char *msg = load_error(NULL, phonebook);
	if (!strstr(msg, expected))
		g_error("expected the error to contain\n  %s\nbut it was\n  %s", expected, msg);
}

static void test_accepted(void)
{
	const char *rules =
		"# a comment\n"
		"   # an indented comment\n"
		"\n"
		"allow number 5551234567   # trailing comment\n"
		"block\tname\t\"Spam   Likely\"\n"
		"record number +1555*\r\n"
		"norecord via 18005550000\n"
		"block name /a#b/i\n"
		"block name a#b\n"
		"block name \"quote \\\" inside\"\n"
		"block name with\\ space\n"
		"block presentation restricted\n"
		"block number anonymous called 5550001000 via *\n"
		"allow *\n"
		"block * # everyone else\n";
	g_autoptr(sipcid_rules) r = load_ok(rules, NULL);
	g_assert_cmpuint(sipcid_rules_count(r), ==, 12);
	/* '#' inside a word or a regex is not a comment */
	struct sipcid_call c = make_call("+16660000000", "A#B");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "rules:8");
	c = make_call("+16660000000", "quote \" inside");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "rules:10");
	c = make_call("+16660000000", "with space");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "rules:11");
	/* a byte-order mark is ignored */
	g_autoptr(sipcid_rules) bom = load_ok("\xef\xbb\xbf" "block *\n", NULL);
	g_assert_cmpuint(sipcid_rules_count(bom), ==, 1);
	/* no final newline */
	g_autoptr(sipcid_rules) nonl = load_ok("block *", NULL);
	g_assert_cmpuint(sipcid_rules_count(nonl), ==, 1);
}

static void test_errors_name_line_and_column(void)
{
	assert_error("blok number 1\n",
	             "rules:1:1: expected an action (allow, block, reject, drop, record or norecord), "
	             "not 'blok'");
	assert_error("\n\nallow nmbr 2\n",
	             "rules:3:7: expected a field (number, name, called, via, presentation, direction, "
	             "source, verstat, attest, neighbour-spoof or list) or *, "
	             "not 'nmbr'");
	assert_error("allow\n", "rules:1:6: expected a field");
	assert_error("allow number\n", "rules:1:13: expected a pattern after 'number'");
	assert_error("allow name \"abc\n", "rules:1:12: this quoted text has no closing \"");
	assert_error("allow name \"abc\"def\n", "rules:1:17: expected a space after the closing quote");
	assert_error("allow name ab\"c\n", "rules:1:14: unexpected \" inside a word");
	assert_error("allow name abc\\\n", "rules:1:15: expected a character after \\");
	assert_error("allow name /a(/\n", "rules:1:15: this regular expression is not valid: "
	                                   "missing closing parenthesis");
	assert_error("allow name /abc\n", "rules:1:12: this regular expression has no closing /");
	assert_error("allow name /abc/x\n", "rules:1:12: expected only the flag i");
	assert_error("allow name //\n", "rules:1:12: expected a regular expression between");
	assert_error("allow name /(*LIMIT_MATCH=99999999)a/\n", "rules:1:13: expected a regular "
	                                                       "expression; a leading (*VERB)");
	assert_error("block * number 1\n", "rules:1:9: expected the end of the line: 'block *'");
	assert_error("allow number 1 name\n", "rules:1:20: expected a pattern after 'name'");
	assert_error("allow number 1 2\n", "rules:1:16: expected another condition");
	assert_error("allow presentation hidden\n", "rules:1:20: expected allowed, restricted, "
	                                            "unavailable or anonymous after presentation, "
	                                            "not 'hidden'");
	assert_error("allow presentation /x/\n", "rules:1:20: expected allowed, restricted");
	assert_error("allow \"number\" 1\n", "rules:1:7: expected a field");
	/* columns count characters, not bytes */
	assert_error("allow name \"é\" nåme x\n", "rules:1:16: expected another condition");
	assert_error("allow name \"é\" name /é(/\n", "rules:1:24: this regular expression");
	assert_error("block number 1 number 2 number 3 number 4 number 5 number 6 number 7 "
	             "number 8 number 9\n", "rules:1:79: a rule can have at most 8 conditions");
}

static void test_all_errors_reported(void)
{
	g_autofree char *msg = load_error("blok *\nallow *\nallow nmbr 1\nallow number\n", NULL);
	g_auto(GStrv) lines = g_strsplit(msg, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 3);
	g_assert_true(g_str_has_prefix(lines[0], "rules:1:1: "));
	g_assert_true(g_str_has_prefix(lines[1], "rules:3:7: "));
	g_assert_true(g_str_has_prefix(lines[2], "rules:4:13: "));

	/* many errors: the first twenty, then a count */
	GString *bad = g_string_new(NULL);
	for (int i = 0; i < 50; i++)
		g_string_append(bad, "nonsense\n");
	g_free(msg);
	msg = load_error(bad->str, NULL);
	g_string_free(bad, TRUE);
	g_strfreev(lines);
	lines = g_strsplit(msg, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 21);
	g_assert_true(g_str_has_prefix(lines[19], "rules:20:1: "));
	g_assert_cmpstr(lines[20], ==, "rules: 30 more errors not shown; the file was not loaded");
}

static void test_rejected_whole(void)
{
	/* one bad line among good ones: nothing is loaded */
	struct sipcid_number_plan plan = nanp();
	GError *error = NULL;
	struct sipcid_rules *r = sipcid_rules_load_data("rules", "block *\nallow number\n", NULL,
	                                                NULL, &plan, &error);
	g_assert_null(r);
	g_assert_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX);
	g_clear_error(&error);
	/* a good rule file with a bad phonebook is rejected too */
	r = sipcid_rules_load_data("rules", "block *\n", "phonebook", "+15551234567\n", &plan,
	                           &error);
	g_assert_null(r);
	g_assert_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX);
	g_error_free(error);
}

static void test_phonebook_errors(void)
{
	assert_phonebook_error("+15551234567\n", "phonebook:1:13: expected a name after the number "
	                                         "+15551234567");
	assert_phonebook_error("# x\n+15551234567 Mom\n5551234567 Mother\n",
	                       "phonebook:3:1: 5551234567 is already in the phonebook on line 2 "
	                       "(as Mom); expected each number once");
	assert_phonebook_error("\"\" Mom\n", "phonebook:1:1: expected a phone number");
	assert_phonebook_error("allow number 5551234567\n", "phonebook:1:1: expected a phone number "
	                       "(digits, optionally with a leading + and separators such as - or "
	                       "spaces in quotes), not 'allow'");
	assert_phonebook_error("+15551234567 \"Mom\n", "phonebook:1:14: this quoted text has no "
	                                               "closing \"");
	g_autofree char *long_name = g_strnfill(200, 'x');
	g_autofree char *pb = g_strdup_printf("+15551234567 %s\n", long_name);
	assert_phonebook_error(pb, "phonebook:1:14: this name is 200 bytes long");
	/* a phonebook line may start with / (no regexes there) */
	g_autoptr(sipcid_rules) r = load_ok(NULL, "+15551234567 /dev/null\n");
	g_assert_cmpstr(sipcid_rules_alias(r, "+15551234567"), ==, "/dev/null");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules/grammar/accepted", test_accepted);
	g_test_add_func("/rules/grammar/errors-line-column", test_errors_name_line_and_column);
	g_test_add_func("/rules/grammar/all-errors-reported", test_all_errors_reported);
	g_test_add_func("/rules/grammar/rejected-whole", test_rejected_whole);
	g_test_add_func("/rules/grammar/phonebook-errors", test_phonebook_errors);
	return g_test_run();
}
