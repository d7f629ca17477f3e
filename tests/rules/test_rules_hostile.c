/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hostile rule files and callers: clear errors, never a crash, and a
 * catastrophic regular expression still gives the right decision. */
#include "rules_test_util.h"

#include <glib/gstdio.h>

static char *tmpdir;

static char *write_file(const char *name, const char *data, size_t len)
{
	char *path = g_build_filename(tmpdir, name, NULL);
	GError *error = NULL;
	g_file_set_contents(path, data, (gssize)len, &error);
	g_assert_no_error(error);
	return path;
}

static char *load_file_error(const char *path, bool phonebook)
{
	struct sipcid_number_plan plan = nanp();
	GError *error = NULL;
	struct sipcid_rules *r = phonebook ? sipcid_rules_load(NULL, path, &plan, &error)
	                                   : sipcid_rules_load(path, NULL, &plan, &error);
	g_assert_null(r);
	g_assert_nonnull(error);
	g_assert_true(error->domain == SIPCID_RULES_ERROR);
	char *msg = g_strdup(error->message);
	g_error_free(error);
	return msg;
}

static void test_binary_junk(void)
{
	/* deterministic junk without NUL bytes: many lines of invalid UTF-8 */
	GRand *rand = g_rand_new_with_seed(5);
	size_t len = 64 * 1024;
	char *junk = g_malloc(len);
	for (size_t i = 0; i < len; i++) {
		junk[i] = (char)g_rand_int_range(rand, 1, 256);
	}
	g_rand_free(rand);
	g_autofree char *path = write_file("junk", junk, len);
	for (int pb = 0; pb < 2; pb++) {
		g_autofree char *msg = load_file_error(path, pb);
		g_assert_true(g_str_has_prefix(msg, path));
		g_assert_nonnull(strstr(msg, "more errors not shown; the file was not loaded"));
		g_assert_true(g_utf8_validate(msg, -1, NULL));
	}
	g_free(junk);
}

static void test_nul_bytes(void)
{
	static const char data[] = "block *\nallow number 1\0\nblock *\n";
	g_autofree char *path = write_file("nul", data, sizeof data - 1);
	g_autofree char *msg = load_file_error(path, false);
	g_autofree char *expected = g_strdup_printf("%s:2: this is not a text file (it contains a "
	                                            "NUL byte)", path);
	g_autofree char *full = g_strconcat(expected, "; expected one rule or phonebook entry a line",
	                                    NULL);
	g_assert_cmpstr(msg, ==, full);
	g_autofree char *pbmsg = load_file_error(path, true);
	g_assert_true(g_str_has_prefix(pbmsg, expected));
}

static void test_invalid_utf8(void)
{
	g_autofree char *path = write_file("latin1", "block *\nallow name Zo\xeb\n", 22);
	g_autofree char *msg = load_file_error(path, false);
	g_autofree char *expected = g_strdup_printf("%s:2:14: expected UTF-8 text", path);
	g_assert_true(g_str_has_prefix(msg, expected));
}

static void test_megabyte_line(void)
{
	size_t n = 1 << 20;
	GString *s = g_string_new("block *\nblock name \"");
	for (size_t i = 0; i < n; i++)
		g_string_append_c(s, 'x');
	g_string_append(s, "\"\nallow nmbr 1\n");
	g_autofree char *path = write_file("long", s->str, s->len);
	g_autofree char *msg = load_file_error(path, false);
	g_auto(GStrv) lines = g_strsplit(msg, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 2);
	g_autofree char *l2 = g_strdup_printf("%s:2: this line is %zu bytes long; a line can hold "
	                                      "at most 4096", path, n + 13);
	g_assert_cmpstr(lines[0], ==, l2);
	g_assert_true(g_str_has_prefix(lines[1], path));
	g_assert_nonnull(strstr(lines[1], ":3:7: expected a field"));
	/* a 1 MB line without a line break, as a phonebook */
	g_autofree char *path2 = write_file("long2", s->str + 20, n);
	g_autofree char *msg2 = load_file_error(path2, true);
	g_assert_nonnull(strstr(msg2, ":1: this line is 1048576 bytes long"));
	g_string_free(s, TRUE);
}

static void test_unbalanced_quotes(void)
{
	const char *cases[] = { "\"\n", "block name \"\n", "block name \"a\\\"\n",
		                "block name \"\"\"\n", "\"block\" *\n", "block name /\n",
		                "block name /\\/\n", "\\\n" };
	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *msg = load_error(cases[i], NULL);
		g_assert_true(g_str_has_prefix(msg, "rules:1:"));
	}
}

static void test_directory_and_missing(void)
{
	g_autofree char *msg = load_file_error(tmpdir, false);
	g_assert_nonnull(strstr(msg, "is a directory; expected a file"));
	g_autofree char *missing = g_build_filename(tmpdir, "missing", NULL);
	struct sipcid_number_plan plan = nanp();
	GError *error = NULL;
	g_assert_null(sipcid_rules_load(missing, NULL, &plan, &error));
	g_assert_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_READ);
	g_assert_nonnull(strstr(error->message, missing));
	g_error_free(error);
}

static void test_catastrophic_regex(void)
{
	/* (a+)+$ backtracks exponentially on a run of a's that ends in b. The
	 * match limit stops it; the rule then does not match, and the decision
	 * carries on to the next rule. */
	g_autoptr(sipcid_rules) r = load_ok("block name /(a+)+$/\n"
	                                    "block name /(a|aa)+$/\n"
	                                    "record name /^a+b$/\n", NULL);
	char name[SIPCID_NAME_MAX];
	memset(name, 'a', sizeof name - 2);
	name[sizeof name - 2] = 'b';
	name[sizeof name - 1] = '\0';
	struct sipcid_call c = make_call("+15551234567", name);
	for (int i = 0; i < 3; i++) {
		sipcid_rules_decide(r, false, &c);
		g_assert_cmpstr(c.rule, ==, "rules:3");
		g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
		g_assert_true(c.record);
	}
	/* each of the two runaway expressions was cut short every time */
	g_assert_cmpuint(sipcid_rules_regex_limit_hits(r), ==, 6);
	/* and a subject they genuinely match still matches */
	c = make_call("+15551234567", "aaaa");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "rules:1");
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
}

static void test_hostile_caller_text(void)
{
	g_autoptr(sipcid_rules) r = load_ok("block name *\\\\*\nblock name /\\x{202e}/\n"
	                                    "allow name ?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*b\n", NULL);
	char name[SIPCID_NAME_MAX];
	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	struct sipcid_call c = make_call("+15551234567", name);
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "");
	name[sizeof name - 2] = 'b';
	c = make_call("+15551234567", name);
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "rules:3");
	c = make_call("+15551234567", "back\\slash");
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "rules:1");
	/* a full-length number and name near the buffer limits */
	memset(c.number, '9', sizeof c.number - 1);
	c.number[sizeof c.number - 1] = '\0';
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpstr(c.rule, ==, "rules:1");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("sipcid-rules-XXXXXX", NULL);
	g_assert_nonnull(tmpdir);
	g_test_add_func("/rules/hostile/binary-junk", test_binary_junk);
	g_test_add_func("/rules/hostile/nul-bytes", test_nul_bytes);
	g_test_add_func("/rules/hostile/invalid-utf8", test_invalid_utf8);
	g_test_add_func("/rules/hostile/megabyte-line", test_megabyte_line);
	g_test_add_func("/rules/hostile/unbalanced-quotes", test_unbalanced_quotes);
	g_test_add_func("/rules/hostile/directory-and-missing", test_directory_and_missing);
	g_test_add_func("/rules/hostile/catastrophic-regex", test_catastrophic_regex);
	g_test_add_func("/rules/hostile/hostile-caller-text", test_hostile_caller_text);
	int rc = g_test_run();
	GDir *d = g_dir_open(tmpdir, 0, NULL);
	for (const char *n; d && (n = g_dir_read_name(d));) {
		g_autofree char *p = g_build_filename(tmpdir, n, NULL);
		g_unlink(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return rc;
}
