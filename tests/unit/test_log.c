/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/log.h as a program's user sees it: log_example's stderr, line by line,
 * on a terminal-like stream and under systemd's journal. */
#include <errno.h>
#include <stdbool.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

/* How the journal case is set up: no JOURNAL_STREAM, one naming the child's
 * stderr (as systemd sets it), or one naming some other stream. */
enum journal { NO_JOURNAL, JOURNAL, OTHER_STREAM };

struct run {
	char *err;        /* everything the child wrote on stderr */
	char **lines;
	int status;       /* exit status */
};

static void run_clear(struct run *r)
{
	g_free(r->err);
	g_strfreev(r->lines);
}

/* Runs log_example MODE with a clean logging environment plus `env`
 * (NAME=VALUE strings, NULL-terminated, or NULL). */
static struct run run_example(const char *mode, enum journal journal, const char *const *env)
{
	const char *example = g_getenv("LOG_EXAMPLE");
	g_assert_nonnull(example);
	g_autofree char *dir = g_dir_make_tmp("sipcid-log-XXXXXX", NULL);
	g_assert_nonnull(dir);
	g_autofree char *path = g_build_filename(dir, "stderr", NULL);
	g_assert_true(g_file_set_contents(path, "", 0, NULL));

	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	for (const char *const *v = (const char *const[]){ "JOURNAL_STREAM", "SIPCID_DEBUG",
	                                                   "G_MESSAGES_DEBUG", "G_DEBUG", NULL };
	     *v; v++)
		g_subprocess_launcher_unsetenv(l, *v);
	g_subprocess_launcher_setenv(l, "LC_ALL", "C", TRUE);
	if (journal != NO_JOURNAL) {
		/* The launcher truncates the file it opens: same inode as now. */
		struct stat st;
		g_assert_cmpint(stat(path, &st), ==, 0);
		g_autofree char *v = g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev,
		                                     (uintmax_t)st.st_ino + (journal == OTHER_STREAM));
		g_subprocess_launcher_setenv(l, "JOURNAL_STREAM", v, TRUE);
	}
	for (const char *const *e = env; e && *e; e++) {
		g_auto(GStrv) kv = g_strsplit(*e, "=", 2);
		g_subprocess_launcher_setenv(l, kv[0], kv[1], TRUE);
	}
	g_subprocess_launcher_set_stderr_file_path(l, path);
	GError *error = NULL;
	g_autoptr(GSubprocess) p = g_subprocess_launcher_spawn(l, &error, example, mode, NULL);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_wait(p, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(p));

	struct run r = { .status = g_subprocess_get_exit_status(p) };
	g_assert_true(g_file_get_contents(path, &r.err, NULL, NULL));
	g_assert_true(g_str_has_suffix(r.err, "\n"));  /* every line is whole */
	r.lines = g_strsplit(r.err, "\n", -1);
	g_free(r.lines[g_strv_length(r.lines) - 1]);  /* the "" after the last \n */
	r.lines[g_strv_length(r.lines) - 1] = NULL;
	g_unlink(path);
	g_rmdir(dir);
	return r;
}

static void assert_lines(const struct run *r, const char *const *want)
{
	for (guint i = 0; want[i] || r->lines[i]; i++) {
		if (!want[i] || !r->lines[i] || strcmp(want[i], r->lines[i]))
			g_error("line %u: expected [%s], got [%s]; all of stderr:\n%s", i + 1,
			        want[i] ? want[i] : "(end)", r->lines[i] ? r->lines[i] : "(end)",
			        r->err);
	}
}

/* What log_example levels writes, with or without the journal's priorities
 * and the debug line. */
static GStrv levels_want(bool journal, bool debug)
{
	g_autofree char *enoent = g_strdup_printf("opening x: %s", g_strerror(ENOENT));
	const struct { int priority; const char *text; } lines[] = {
		{ 4, enoent },
		{ 4, "errno after logging: kept" },
		{ 4, "plain warning" },
		{ 6, "info 6" },
		{ 7, "debug 7" },
		{ 4, "loading: the error's message" },
		{ 4, "the error's message" },
		{ 4, "two" },
		{ 4, "lines" },
		{ 4, "bell?and?escape" },
		{ 6, "done" },
	};
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
		if (lines[i].priority == 7 && !debug)
			continue;
		g_autofree char *prio = journal ? g_strdup_printf("<%d>", lines[i].priority) : g_strdup("");
		g_autofree char *line = g_strconcat(prio, "log-example: ", lines[i].text, NULL);
		g_strv_builder_add(b, line);
	}
	return g_strv_builder_end(b);
}

static void expect_levels(const char *debug_env, enum journal journal, bool journal_lines,
                          bool debug_lines)
{
	struct run r = run_example("levels", journal, (const char *const[]){ debug_env, NULL });
	g_assert_cmpint(r.status, ==, 0);
	g_auto(GStrv) want = levels_want(journal_lines, debug_lines);
	assert_lines(&r, (const char *const *)want);
	run_clear(&r);
}

static void test_levels(void)
{
	expect_levels(NULL, NO_JOURNAL, false, false);
}

static void test_debug(void)
{
	expect_levels("SIPCID_DEBUG=1", NO_JOURNAL, false, true);
	expect_levels("SIPCID_DEBUG=0", NO_JOURNAL, false, false);
}

static void test_journal(void)
{
	expect_levels("SIPCID_DEBUG=1", JOURNAL, true, true);
	/* JOURNAL_STREAM inherited by a program whose stderr went elsewhere. */
	expect_levels(NULL, OTHER_STREAM, false, false);
}

static void test_fatal(void)
{
	g_autofree char *eacces = g_strdup_printf("log-example: giving up on y: %s",
	                                          g_strerror(EACCES));
	struct run r = run_example("fatal", NO_JOURNAL, NULL);
	g_assert_cmpint(r.status, ==, 1);
	assert_lines(&r, (const char *const[]){ eacces, NULL });
	run_clear(&r);
	r = run_example("fatalx", JOURNAL, NULL);
	g_assert_cmpint(r.status, ==, 1);
	assert_lines(&r, (const char *const[]){ "<3>log-example: stopped", NULL });
	run_clear(&r);
}

/* A library's g_warning comes out through the same writer, with its domain;
 * its debug lines only when G_MESSAGES_DEBUG asks for them. */
static void test_glib(void)
{
	const char *const want[] = {
		"log-example: Example-Lib: library says hi",
		"log-example: GLib: g_strsplit: assertion 'string != NULL' failed",
		"log-example: a domainless warning",
		"log-example: a domainless message",
		"log-example: done",
		NULL };
	struct run r = run_example("glib", NO_JOURNAL, NULL);
	g_assert_cmpint(r.status, ==, 0);
	assert_lines(&r, want);
	run_clear(&r);

	r = run_example("glib", JOURNAL, (const char *const[]){ "G_MESSAGES_DEBUG=Example-Lib", NULL });
	g_assert_cmpint(r.status, ==, 0);
	assert_lines(&r, (const char *const[]){
		"<4>log-example: Example-Lib: library says hi",
		"<7>log-example: Example-Lib: library debug",
		"<3>log-example: GLib: g_strsplit: assertion 'string != NULL' failed",
		"<4>log-example: a domainless warning",
		"<6>log-example: a domainless message",
		"<6>log-example: done",
		NULL });
	run_clear(&r);
}

/* Four threads log 250 two-line messages each at once: every line whole,
 * and each message's two lines together. */
static void test_threads(void)
{
	enum { THREADS = 4, MESSAGES = 250 };
	struct run r = run_example("threads", NO_JOURNAL, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpuint(g_strv_length(r.lines), ==, THREADS * MESSAGES * 2 + 1);
	int next[THREADS] = { 0 };
	for (guint i = 0; i + 1 < g_strv_length(r.lines); i += 2) {
		int t = -1, m = -1, t2 = -1, m2 = -1, end = 0;
		char pad[202];
		g_assert_cmpint(sscanf(r.lines[i], "log-example: thread %d message %d %201s", &t, &m, pad),
		                ==, 3);
		g_assert_cmpuint(strlen(pad), ==, 200);
		g_assert_cmpuint(strspn(pad, "x"), ==, 200);
		g_assert_true(t >= 0 && t < THREADS);
		g_assert_cmpint(m, ==, next[t]);  /* each thread's messages in its order */
		next[t]++;
		g_assert_cmpint(sscanf(r.lines[i + 1], "log-example: thread %d message %d end%n", &t2,
		                       &m2, &end), ==, 2);
		g_assert_cmpuint((size_t)end, ==, strlen(r.lines[i + 1]));
		g_assert_cmpint(t2, ==, t);
		g_assert_cmpint(m2, ==, m);
	}
	for (int t = 0; t < THREADS; t++)
		g_assert_cmpint(next[t], ==, MESSAGES);
	g_assert_cmpstr(r.lines[THREADS * MESSAGES * 2], ==, "log-example: done");
	run_clear(&r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/log/levels", test_levels);
	g_test_add_func("/log/debug", test_debug);
	g_test_add_func("/log/journal", test_journal);
	g_test_add_func("/log/fatal", test_fatal);
	g_test_add_func("/log/glib-writer", test_glib);
	g_test_add_func("/log/threads", test_threads);
	return g_test_run();
}
