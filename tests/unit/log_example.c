/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A program that logs through lib/log.h, for test_log: it names itself
 * "log-example" (not its file name) and says what argv[1] asks for. */
#include "log.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

enum { THREADS = 4, LINES_PER_THREAD = 250 };

static void levels(void)
{
	errno = ENOENT;
	sipcid_log_warn("opening %s", "x");
	sipcid_log_warnx("errno after logging: %s", errno == ENOENT ? "kept" : "changed");
	sipcid_log_warnx("plain warning");
	sipcid_log_info("info %d", 6);
	sipcid_log_debug("debug %d", 7);
	GError *err = g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_FAILED, "the error's message");
	sipcid_log_gerror("loading", err);
	sipcid_log_gerror(NULL, err);
	g_error_free(err);
	sipcid_log_warnx("two\nlines\n");
	sipcid_log_warnx("bell\aand\033escape");
}

static void glib(void)
{
	/* What g_warning() and g_debug() in a library with this domain do. */
	g_log("Example-Lib", G_LOG_LEVEL_WARNING, "library says %s", "hi");
	g_log("Example-Lib", G_LOG_LEVEL_DEBUG, "library debug");
	/* GLib itself: a failed precondition is a critical in domain GLib. */
	char **none = g_strsplit(NULL, ",", 0);
	g_assert_null(none);
	g_warning("a domainless warning");
	g_message("a domainless message");
}

static void *speak(void *data)
{
	int t = GPOINTER_TO_INT(data);
	char pad[201];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	for (int i = 0; i < LINES_PER_THREAD; i++)
		sipcid_log_warnx("thread %d message %d %s\nthread %d message %d end", t, i, pad, t, i);
	return NULL;
}

static void threads(void)
{
	GThread *th[THREADS];
	for (int t = 0; t < THREADS; t++)
		th[t] = g_thread_new("speaker", speak, GINT_TO_POINTER(t));
	for (int t = 0; t < THREADS; t++)
		g_thread_join(th[t]);
}

int main(int argc, char **argv)
{
	sipcid_log_init("log-example");
	alarm(20);  /* never outlive the test */
	const char *what = argc > 1 ? argv[1] : "";
	if (!strcmp(what, "levels"))
		levels();
	else if (!strcmp(what, "glib"))
		glib();
	else if (!strcmp(what, "threads"))
		threads();
	else if (!strcmp(what, "fatal")) {
		errno = EACCES;
		sipcid_log_fatal("giving up on %s", "y");
	} else if (!strcmp(what, "fatalx"))
		sipcid_log_fatalx("stopped");
	else
		return 2;
	sipcid_log_info("done");
	return 0;
}
