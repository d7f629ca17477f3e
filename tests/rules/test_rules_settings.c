/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The [rules] group of sipcid.conf, optional and required files, and the
 * phonebook suggestions file. */
#include "rules_test_util.h"

#include "config.h"
#include "rules_settings.h"
#include "suggestions.h"

#include <glib/gstdio.h>

static char *tmpdir;

static char *tmp_path(const char *name)
{
	return g_build_filename(tmpdir, name, NULL);
}

static void put(const char *path, const char *text)
{
	GError *error = NULL;
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
}

static struct sipcid_config *config(const char *text)
{
	g_autofree char *name = tmp_path("sipcid.conf");
	GError *error = NULL;
	struct sipcid_config *cfg = sipcid_config_load_data(name, text, &error);
	g_assert_no_error(error);
	return cfg;
}

static void test_defaults(void)
{
	struct sipcid_config *cfg = config("");
	struct sipcid_rules_settings s;
	GError *error = NULL;
	g_assert_true(sipcid_rules_settings_load(cfg, &s, &error));
	g_assert_cmpstr(s.rules_path, ==, "/etc/sipcid/rules");
	g_assert_cmpstr(s.phonebook_path, ==, "/etc/sipcid/phonebook");
	g_assert_false(s.rules_required);
	g_assert_false(s.phonebook_required);
	g_assert_false(s.record_default);
	g_assert_null(s.suggestions_path);
	sipcid_rules_settings_clear(&s);
	sipcid_config_free(cfg);
}

static void test_keys(void)
{
	struct sipcid_config *cfg = config("[rules]\nrules = my-rules\nphonebook = /x/pb\n"
	                                   "record-default = yes\nsuggestions = sugg\n");
	struct sipcid_rules_settings s;
	GError *error = NULL;
	g_assert_true(sipcid_rules_settings_load(cfg, &s, &error));
	g_autofree char *rules = tmp_path("my-rules");
	g_autofree char *sugg = tmp_path("sugg");
	g_assert_cmpstr(s.rules_path, ==, rules);   /* relative to the configuration */
	g_assert_cmpstr(s.phonebook_path, ==, "/x/pb");
	g_assert_true(s.rules_required);
	g_assert_true(s.phonebook_required);
	g_assert_true(s.record_default);
	g_assert_cmpstr(s.suggestions_path, ==, sugg);
	sipcid_rules_settings_clear(&s);
	sipcid_config_free(cfg);

	cfg = config("[rules]\nrules =\nsuggestions =\n");
	g_assert_true(sipcid_rules_settings_load(cfg, &s, &error));
	g_assert_null(s.rules_path);
	g_assert_null(s.suggestions_path);
	g_assert_cmpstr(s.phonebook_path, ==, "/etc/sipcid/phonebook");
	sipcid_rules_settings_clear(&s);
	sipcid_config_free(cfg);
}

static void test_bad_keys(void)
{
	struct sipcid_config *cfg = config("[rules]\n\nrule = x\n");
	struct sipcid_rules_settings s;
	GError *error = NULL;
	g_assert_false(sipcid_rules_settings_load(cfg, &s, &error));
	g_assert_nonnull(strstr(error->message, "sipcid.conf:3: [rules] rule: unknown key"));
	g_clear_error(&error);
	sipcid_config_free(cfg);
	cfg = config("[rules]\nrecord-default = sometimes\n");
	g_assert_false(sipcid_rules_settings_load(cfg, &s, &error));
	g_assert_nonnull(strstr(error->message, "sipcid.conf:2: [rules] record-default: expected "
	                                        "true or false"));
	g_clear_error(&error);
	sipcid_config_free(cfg);
}

static void test_missing_files(void)
{
	struct sipcid_number_plan plan = nanp();
	g_autofree char *missing = tmp_path("does-not-exist");
	/* a missing default file: no rules, no error */
	struct sipcid_rules_settings s = { .rules_path = g_strdup(missing),
		                           .phonebook_path = g_strdup(missing) };
	GError *error = NULL;
	struct sipcid_rules *r = sipcid_rules_load_settings(&s, &plan, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sipcid_rules_count(r), ==, 0);
	sipcid_rules_unref(r);
	/* a missing file the configuration names: an error */
	s.rules_required = true;
	g_assert_null(sipcid_rules_load_settings(&s, &plan, &error));
	g_assert_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_READ);
	g_assert_nonnull(strstr(error->message, missing));
	g_clear_error(&error);
	s.rules_required = false;
	s.phonebook_required = true;
	g_assert_null(sipcid_rules_load_settings(&s, &plan, &error));
	g_clear_error(&error);
	/* existing files are loaded */
	s.phonebook_required = false;
	g_free(s.rules_path);
	s.rules_path = tmp_path("rules");
	put(s.rules_path, "block *\n");
	r = sipcid_rules_load_settings(&s, &plan, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sipcid_rules_count(r), ==, 1);
	sipcid_rules_unref(r);
	sipcid_rules_settings_clear(&s);
}

static struct sipcid_call caller(const char *number, const char *name)
{
	struct sipcid_call c = make_call(number, name);
	c.time_us = 1795301683123000;  /* 2026-11-21T22:54:43.123Z */
	return c;
}

static void test_suggestions(void)
{
	g_autofree char *path = tmp_path("suggestions");
	g_unlink(path);
	g_autoptr(sipcid_rules) r = load_ok(NULL, "+15551234567 Mom\n");
	struct sipcid_suggestions *s = sipcid_suggestions_new(path);
	GError *error = NULL;
	struct sipcid_call c = caller("+15557654321", "ACME \"BEST\" CORP");
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));  /* once per number */
	c = caller("+15551234567", "WIRELESS CALLER");              /* in the phonebook */
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	c = caller("", "");                                          /* no number */
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	c = caller("+15550000001", "Hidden");                        /* withheld */
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	c = caller("+15550000002", "");                              /* no name */
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	g_assert_no_error(error);

	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_cmpstr(text, ==,
	                "# Numbers that called and are not in the phonebook (written by sipcidd).\n"
	                "# Edit the names and move the lines you want into the phonebook.\n"
	                "+15557654321 \"ACME \\\"BEST\\\" CORP\"  # first call 2026-11-21 22:54 UTC\n"
	                "#+15550000002  # no name; first call 2026-11-21 22:54 UTC\n");
	/* the file is a valid phonebook, with the network's name as the name */
	struct sipcid_number_plan plan = nanp();
	g_autoptr(sipcid_rules) pb = sipcid_rules_load(NULL, path, &plan, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(sipcid_rules_alias(pb, "+15557654321"), ==, "ACME \"BEST\" CORP");
	g_assert_cmpuint(sipcid_rules_phonebook_count(pb), ==, 1);

	/* the user edits the file (without a final newline) and deletes a line:
	 * a number still in the file is not added again, a deleted one is */
	put(path, "+15550000002 Plumber");
	c = caller("+15550000002", "");
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	c = caller("+15557654321", "ACME");
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	g_free(text);
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "+15550000002 Plumber\n"
	                          "+15557654321 \"ACME\"  # first call 2026-11-21 22:54 UTC\n");
	sipcid_suggestions_free(s);

	/* a new instance learns what the file holds */
	s = sipcid_suggestions_new(path);
	g_assert_true(sipcid_suggestions_add(s, r, &c, &error));
	g_autofree char *after = NULL;
	g_assert_true(g_file_get_contents(path, &after, NULL, NULL));
	g_assert_cmpstr(after, ==, text);
	sipcid_suggestions_free(s);

	/* an unwritable place is an error, not a crash */
	g_autofree char *bad = g_build_filename(tmpdir, "no-such-dir", "suggestions", NULL);
	s = sipcid_suggestions_new(bad);
	c = caller("+15550000003", "X");
	g_assert_false(sipcid_suggestions_add(s, r, &c, &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, bad));
	g_clear_error(&error);
	sipcid_suggestions_free(s);
	g_unlink(path);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("sipcid-rules-settings-XXXXXX", NULL);
	g_assert_nonnull(tmpdir);
	g_test_add_func("/rules/settings/defaults", test_defaults);
	g_test_add_func("/rules/settings/keys", test_keys);
	g_test_add_func("/rules/settings/bad-keys", test_bad_keys);
	g_test_add_func("/rules/settings/missing-files", test_missing_files);
	g_test_add_func("/rules/suggestions", test_suggestions);
	int rc = g_test_run();
	g_autofree char *rules = tmp_path("rules");
	g_unlink(rules);
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return rc;
}
