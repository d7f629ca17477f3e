/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hot reload: a GLib main loop, real files, change events and SIGHUP-style
 * reloads. A broken file keeps the previous rules. */
#include "rules_test_util.h"

#include "log.h"
#include "rules_edit.h"
#include "rules_watch.h"

#include <glib/gstdio.h>
#include <syslog.h>

struct watch_log {
	GMainLoop *loop;
	struct sipcid_rules *current;   /* what the daemon would be using */
	unsigned loaded, failed;
	char *last_error;
};

static void on_loaded(struct sipcid_rules *r, void *data)
{
	struct watch_log *log = data;
	/* the daemon's atomic swap: take the new, drop the old */
	struct sipcid_rules *old = log->current;
	log->current = sipcid_rules_ref(r);
	sipcid_rules_unref(old);
	log->loaded++;
	g_main_loop_quit(log->loop);
}

static void on_failed(const GError *error, void *data)
{
	struct watch_log *log = data;
	g_free(log->last_error);
	log->last_error = g_strdup(error->message);
	log->failed++;
	g_main_loop_quit(log->loop);
}

static gboolean give_up(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

/* Runs the loop until a callback or 10 s, whichever first. */
static void wait_for_reload(struct watch_log *log)
{
	GSource *timeout = g_timeout_source_new_seconds(10);
	g_source_set_callback(timeout, give_up, log->loop, NULL);
	g_source_attach(timeout, NULL);
	g_main_loop_run(log->loop);
	g_source_destroy(timeout);
	g_source_unref(timeout);
}

/* Runs the loop for ms milliseconds. */
static void run_for(struct watch_log *log, unsigned ms)
{
	GSource *t = g_timeout_source_new(ms);
	g_source_set_callback(t, give_up, log->loop, NULL);
	g_source_attach(t, NULL);
	g_main_loop_run(log->loop);
	g_source_destroy(t);
	g_source_unref(t);
}

static void put(const char *path, const char *text)
{
	GError *error = NULL;
	g_file_set_contents(path, text, -1, &error);  /* writes a new file and renames it */
	g_assert_no_error(error);
}

static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");
	g_assert_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const char *decide_rule(struct sipcid_rules *r, const char *number)
{
	static struct sipcid_call c;
	c = make_call(number, "");
	sipcid_rules_decide(r, false, &c);
	return c.rule;
}

static void test_watch(void)
{
	g_autofree char *dir = g_dir_make_tmp("sipcid-watch-XXXXXX", NULL);
	g_assert_nonnull(dir);
	g_autofree char *rules = g_build_filename(dir, "rules", NULL);
	g_autofree char *phonebook = g_build_filename(dir, "phonebook", NULL);
	put(rules, "block number 5550000001\n");
	struct sipcid_number_plan plan = nanp();
	struct sipcid_rules_settings settings = { .rules_path = rules,
		                                  .phonebook_path = phonebook };
	struct watch_log log = { .loop = g_main_loop_new(NULL, FALSE) };
	GError *error = NULL;
	log.current = sipcid_rules_load_settings(&settings, &plan, &error);
	g_assert_no_error(error);
	g_autofree char *origin1 = g_strconcat(rules, ":1", NULL);
	g_autofree char *origin2 = g_strconcat(rules, ":2", NULL);
	g_assert_cmpstr(decide_rule(log.current, "+15550000001"), ==, origin1);

	struct sipcid_rules_watch *w = sipcid_rules_watch_new(&settings, &plan, on_loaded,
	                                                      on_failed, &log);
	sipcid_rules_watch_set_delay(w, 50);

	/* an in-place change (append) is picked up */
	append(rules, "block number 5550000002\n");
	wait_for_reload(&log);
	g_assert_cmpuint(log.loaded, ==, 1);
	g_assert_cmpstr(decide_rule(log.current, "+15550000002"), ==, origin2);

	/* a save by rename is picked up; a call decided before keeps its decision */
	struct sipcid_call before = make_call("+15550000002", "");
	sipcid_rules_decide(log.current, false, &before);
	put(rules, "allow number 5550000002\n");
	wait_for_reload(&log);
	g_assert_cmpuint(log.loaded, ==, 2);
	g_assert_cmpint(before.action, ==, SIPCID_ACTION_BLOCK);
	struct sipcid_call after = make_call("+15550000002", "");
	sipcid_rules_decide(log.current, false, &after);
	g_assert_cmpint(after.action, ==, SIPCID_ACTION_ALLOW);

	/* a broken file: the error is reported, the previous rules stay */
	struct sipcid_rules *kept = log.current;
	put(rules, "allow number 5550000002\nblok *\n");
	wait_for_reload(&log);
	g_assert_cmpuint(log.failed, ==, 1);
	g_assert_cmpuint(log.loaded, ==, 2);
	g_assert_true(log.current == kept);
	g_autofree char *expected = g_strconcat(rules, ":2:1: expected an action", NULL);
	g_assert_true(g_str_has_prefix(log.last_error, expected));

	/* the phonebook appearing (it was missing, an optional default) */
	put(phonebook, "+15550000002 Plumber\n");
	wait_for_reload(&log);
	/* still broken rules: a failure again, nothing swapped */
	g_assert_cmpuint(log.failed, ==, 2);
	g_assert_true(log.current == kept);

	/* fixing the file loads both */
	put(rules, "record name Plumber\n");
	wait_for_reload(&log);
	g_assert_cmpuint(log.loaded, ==, 3);
	after = make_call("+15550000002", "");
	sipcid_rules_decide(log.current, false, &after);
	g_assert_cmpstr(after.alias, ==, "Plumber");
	g_assert_true(after.record);

	/* a burst of writes gives one reload */
	for (int i = 0; i < 5; i++)
		append(rules, "# more\n");
	wait_for_reload(&log);
	run_for(&log, 300);
	g_assert_cmpuint(log.loaded, ==, 4);

	/* SIGHUP-style reload, without any change */
	g_assert_true(sipcid_rules_watch_reload(w));
	g_assert_cmpuint(log.loaded, ==, 5);
	put(phonebook, "+15550000002\n");
	g_assert_false(sipcid_rules_watch_reload(w));
	g_assert_cmpuint(log.failed, ==, 3);
	g_assert_nonnull(strstr(log.last_error, "expected a name after the number"));
	run_for(&log, 300);  /* let the change event of that write pass */

	/* deleting the optional phonebook: loads without it */
	unsigned loaded = log.loaded;
	g_unlink(phonebook);
	wait_for_reload(&log);
	g_assert_cmpuint(log.loaded, ==, loaded + 1);
	after = make_call("+15550000002", "");
	sipcid_rules_decide(log.current, false, &after);
	g_assert_cmpstr(after.alias, ==, "");

	/* sipcid-rules rename-last and block-last: files replaced by a rename
	 * (rules_edit.h) are reloaded too, phonebook and rule file alike */
	GError *err = NULL;
	loaded = log.loaded;
	g_assert_true(sipcid_rules_edit_phonebook_set(phonebook, "+15550000002", "Plumber Two",
	                                              "renamed", &plan, &err));
	g_assert_no_error(err);
	wait_for_reload(&log);
	g_assert_cmpuint(log.loaded, ==, loaded + 1);
	after = make_call("+15550000002", "");
	sipcid_rules_decide(log.current, false, &after);
	g_assert_cmpstr(after.alias, ==, "Plumber Two");
	run_for(&log, 300);
	loaded = log.loaded;
	g_assert_true(sipcid_rules_edit_add(rules, "reject busy number +15550000002", "blocked",
	                                    &plan, &err));
	g_assert_no_error(err);
	wait_for_reload(&log);
	g_assert_cmpuint(log.loaded, ==, loaded + 1);
	after = make_call("+15550000002", "");
	sipcid_rules_decide(log.current, false, &after);
	g_assert_cmpint(after.action, ==, SIPCID_ACTION_BLOCK);
	g_assert_cmpint(after.outcome, ==, SIPCID_OUTCOME_BUSY);

	/* after free, no callback */
	sipcid_rules_watch_free(w);
	loaded = log.loaded;
	append(rules, "# late\n");
	run_for(&log, 300);
	g_assert_cmpuint(log.loaded, ==, loaded);

	sipcid_rules_unref(log.current);
	g_main_loop_unref(log.loop);
	g_free(log.last_error);
	g_unlink(rules);
	g_rmdir(dir);
}

static void keep_warning(int priority, const char *msg, void *data)
{
	if (priority == LOG_WARNING)
		g_ptr_array_add(data, g_strdup(msg));
}

static void test_default_warning(void)
{
	/* without a failure callback, a failed reload is a warning */
	g_autofree char *dir = g_dir_make_tmp("sipcid-watch-XXXXXX", NULL);
	g_autofree char *rules = g_build_filename(dir, "rules", NULL);
	put(rules, "nonsense\n");
	struct sipcid_number_plan plan = nanp();
	struct sipcid_rules_settings settings = { .rules_path = rules };
	struct watch_log log = { .loop = g_main_loop_new(NULL, FALSE) };
	struct sipcid_rules_watch *w = sipcid_rules_watch_new(&settings, &plan, on_loaded, NULL,
	                                                      &log);
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	sipcid_log_set_tap(keep_warning, warnings);
	g_assert_false(sipcid_rules_watch_reload(w));
	sipcid_log_set_tap(NULL, NULL);
	g_assert_cmpuint(warnings->len, ==, 1);
	g_assert_true(g_pattern_match_simple("the rules were not reloaded; the previous rules stay "
	                                     "in force:*expected an action*", warnings->pdata[0]));
	g_assert_cmpuint(log.loaded, ==, 0);
	sipcid_rules_watch_free(w);
	g_main_loop_unref(log.loop);
	g_unlink(rules);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules/watch/reload", test_watch);
	g_test_add_func("/rules/watch/default-warning", test_default_warning);
	return g_test_run();
}
