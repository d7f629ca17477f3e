/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rules_edit: the rule "block last caller" writes, where it goes in the
 * file, and that a refused edit leaves the file as it was. */
#include "rules_edit.h"
#include "rules_test_util.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

static char *tmp_file(const char *name)
{
	static char *dir;
	if (!dir)
		dir = g_dir_make_tmp("rules-edit-XXXXXX", NULL);
	return g_build_filename(dir, name, NULL);
}

static char *read_text(const char *path)
{
	char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

static void test_block_rule(void)
{
	GError *err = NULL;
	char *rule = sipcid_rules_edit_block_rule("+15551234567", &err);
	g_assert_no_error(err);
	g_assert_cmpstr(rule, ==, "block number +15551234567");
	g_free(rule);
	rule = sipcid_rules_edit_block_rule("alice@example.org", &err);
	g_assert_cmpstr(rule, ==, "block number alice@example.org");
	g_free(rule);
	/* No number, or one the grammar would read as a pattern or comment. */
	static const char *const refused[] = { "", "555*", "55?5", "/5/", "\"5", "5 5", "5#x" };
	for (size_t i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_assert_null(sipcid_rules_edit_block_rule(refused[i], &err));
		g_assert_nonnull(err);
		g_clear_error(&err);
	}
	g_assert_null(sipcid_rules_edit_block_rule(NULL, &err));
	g_assert_true(strstr(err->message, "no number") != NULL);
	g_clear_error(&err);
}

/* The rule goes before the first rule, after the header comments: an
 * earlier allow must not win over it. The mode stays. */
static void test_add_before_first_rule(void)
{
	g_autofree char *path = tmp_file("rules");
	const char *before = "# my rules\n\n# friends\nallow number +1555*\nblock name spam\n";
	g_assert_true(g_file_set_contents(path, before, -1, NULL));
	g_assert_cmpint(g_chmod(path, 0640), ==, 0);
	struct sipcid_number_plan plan = nanp();
	GError *err = NULL;
	g_assert_true(sipcid_rules_edit_add(path, "block number +15551234567", "2026-11-30: test",
	                                    &plan, &err));
	g_assert_no_error(err);
	g_autofree char *after = read_text(path);
	g_assert_cmpstr(after, ==, "# my rules\n\n# 2026-11-30: test\nblock number +15551234567\n"
	                           "# friends\nallow number +1555*\nblock name spam\n");
	struct stat st;
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0640);

	struct sipcid_rules *r = sipcid_rules_load(path, NULL, &plan, &err);
	g_assert_no_error(err);
	struct sipcid_call call = { .kind = SIPCID_EVENT_CALL };
	g_strlcpy(call.number, "+15551234567", sizeof call.number);
	sipcid_rules_decide(r, false, &call);
	g_assert_cmpint(call.action, ==, SIPCID_ACTION_BLOCK);
	g_autofree char *where = g_strdup_printf("%s:4", path);
	g_assert_cmpstr(call.rule, ==, where);
	sipcid_rules_unref(r);
}

static void test_add_creates_and_appends_to_comments_only(void)
{
	g_autofree char *path = tmp_file("new-rules");
	struct sipcid_number_plan plan = nanp();
	GError *err = NULL;
	g_assert_true(sipcid_rules_edit_add(path, "block number 101", "c1", &plan, &err));
	g_autofree char *created = read_text(path);
	g_assert_cmpstr(created, ==, "# c1\nblock number 101\n");
	/* A file of comments without a final newline. */
	g_assert_true(g_file_set_contents(path, "# only comments", -1, NULL));
	g_assert_true(sipcid_rules_edit_add(path, "block number 102", "c2", &plan, &err));
	g_autofree char *after = read_text(path);
	g_assert_cmpstr(after, ==, "# only comments\n# c2\nblock number 102\n");
}

/* An edit that would not load, or spans lines, changes nothing. */
static void test_refused_edit_changes_nothing(void)
{
	g_autofree char *path = tmp_file("kept");
	const char *before = "block number anonymous\n";
	g_assert_true(g_file_set_contents(path, before, -1, NULL));
	struct sipcid_number_plan plan = nanp();
	GError *err = NULL;
	g_assert_false(sipcid_rules_edit_add(path, "frobnicate number 1", "c", &plan, &err));
	g_assert_true(strstr(err->message, "not changed") != NULL);
	g_clear_error(&err);
	g_assert_false(sipcid_rules_edit_add(path, "block number 1\nallow *", "c", &plan, &err));
	g_clear_error(&err);
	g_assert_false(sipcid_rules_edit_add(path, "block number 1", "c\nallow *", &plan, &err));
	g_clear_error(&err);
	g_autofree char *after = read_text(path);
	g_assert_cmpstr(after, ==, before);
}

/* Removing a phonebook entry: the line becomes a comment, the others stay,
 * and a number that is not there is refused with the file untouched. */
static void test_phonebook_delete(void)
{
	struct sipcid_number_plan plan = nanp();
	g_autofree char *path = tmp_file("phonebook-delete");
	g_assert_true(g_file_set_contents(path, "+15550001111 Ann\n+15550002222 \"Bob B\"\n", -1,
	                                  NULL));
	GError *err = NULL;
	g_assert_true(sipcid_rules_edit_phonebook_delete(path, "5550001111", "gone", &plan, &err));
	g_assert_no_error(err);
	g_autofree char *after = read_text(path);
	g_assert_cmpstr(after, ==, "# gone (was: +15550001111 Ann)\n+15550002222 \"Bob B\"\n");
	g_assert_false(sipcid_rules_edit_phonebook_delete(path, "+15550001111", "again", &plan, &err));
	g_assert_true(strstr(err->message, "not in the phonebook") != NULL);
	g_clear_error(&err);
	g_autofree char *again = read_text(path);
	g_assert_cmpstr(again, ==, after);
}

static void collect(void *ctx, unsigned line, const char *written, const char *number,
                    const char *name)
{
	g_string_append_printf(ctx, "%u|%s|%s|%s\n", line, written, number, name);
}

/* The phonebook's entries as sipcid_rules_load reads them; none at all from
 * a text that does not load. */
static void test_phonebook_read(void)
{
	struct sipcid_number_plan plan = nanp();
	g_autoptr(GString) got = g_string_new(NULL);
	GError *err = NULL;
	g_assert_true(sipcid_rules_phonebook_read("pb", "# c\n555-000-1111 Ann  Lee\n"
	                                          "+15550002222 \"Bob \\\"B\\\"\"\n",
	                                          &plan, collect, got, &err));
	g_assert_cmpstr(got->str, ==, "2|555-000-1111|+15550001111|Ann Lee\n"
	                              "3|+15550002222|+15550002222|Bob \"B\"\n");
	g_string_truncate(got, 0);
	g_assert_false(sipcid_rules_phonebook_read("pb", "+15550001111 A\n5550001111 B\n", &plan,
	                                           collect, got, &err));
	g_assert_true(g_str_has_prefix(err->message, "pb:2:"));
	g_clear_error(&err);
	g_assert_cmpstr(got->str, ==, "");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules_edit/block_rule", test_block_rule);
	g_test_add_func("/rules_edit/add_before_first_rule", test_add_before_first_rule);
	g_test_add_func("/rules_edit/add_creates", test_add_creates_and_appends_to_comments_only);
	g_test_add_func("/rules_edit/refused_changes_nothing", test_refused_edit_changes_nothing);
	g_test_add_func("/rules_edit/phonebook_delete", test_phonebook_delete);
	g_test_add_func("/rules_edit/phonebook_read", test_phonebook_read);
	return g_test_run();
}
