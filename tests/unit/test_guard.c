/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-guard's decision (bridge-daemon/guard/guard.h) fed with samples of
 * the kernel's queue line, and its state file read back. */
#include "guard.h"
#include "guard_state.h"

#include <glib.h>
#include <glib/gstdio.h>

enum { STALL = 500 };

static enum sipcid_guard_action feed(struct sipcid_guard *g, int64_t ms, uint32_t portid,
                                     uint32_t waiting, uint32_t id_sequence)
{
	struct sipcid_guard_sample s = { .now_ms = ms, .bound = portid != 0, .portid = portid,
	                                 .waiting = waiting, .id_sequence = id_sequence };
	return sipcid_guard_feed(g, &s);
}

/* A healthy consumer under load: packets wait in every sample, but they
 * keep leaving. Never opens. */
static void test_busy_consumer(void)
{
	struct sipcid_guard g;
	sipcid_guard_init(&g, STALL);
	for (int64_t t = 0; t < 10000; t += 100)
		g_assert_cmpint(feed(&g, t, 7, 3, (uint32_t)(t / 10)), ==, SIPCID_GUARD_KEEP);
	g_assert_false(g.open);
	g_assert_cmpuint(g.counts.opens, ==, 0);
}

/* An idle line: nothing waits, however long nothing leaves. */
static void test_idle_line(void)
{
	struct sipcid_guard g;
	sipcid_guard_init(&g, STALL);
	for (int64_t t = 0; t < 5000; t += 100)
		g_assert_cmpint(feed(&g, t, 7, 0, 42), ==, SIPCID_GUARD_KEEP);
}

/* Stopped: a packet arrives at 1000 and stays. Open once it has waited the
 * stall time, counted from the last sample that saw the queue empty. */
static void test_stop_then_resume(void)
{
	struct sipcid_guard g;
	sipcid_guard_init(&g, STALL);
	g_assert_cmpint(feed(&g, 900, 7, 0, 10), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1000, 7, 1, 11), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1300, 7, 2, 12), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1399, 7, 2, 12), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1400, 7, 2, 12), ==, SIPCID_GUARD_OPEN);
	g_assert_true(g.open);
	/* Open: nothing new reaches the queue; the stuck two stay. */
	for (int64_t t = 1500; t < 4000; t += 100)
		g_assert_cmpint(feed(&g, t, 7, 2, 12), ==, SIPCID_GUARD_KEEP);
	struct sipcid_guard_counts c = sipcid_guard_counts_at(&g, 3400);
	g_assert_cmpint(c.open_ms_total, ==, 2000);
	g_assert_cmpint(c.longest_ms, ==, 2000);
	/* SIGCONT: it gives one of them its verdict. */
	g_assert_cmpint(feed(&g, 4000, 7, 1, 12), ==, SIPCID_GUARD_CLOSE);
	g_assert_false(g.open);
	g_assert_cmpuint(g.counts.opens, ==, 1);
	g_assert_cmpint(g.counts.open_ms_total, ==, 2600);
	g_assert_cmpint(g.counts.longest_ms, ==, 2600);
	/* Then takes the rest at its own pace: closed stays closed. */
	g_assert_cmpint(feed(&g, 4100, 7, 1, 12), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 4200, 7, 0, 12), ==, SIPCID_GUARD_KEEP);
	/* A second stall counts as a second opening; the longest stays. */
	g_assert_cmpint(feed(&g, 4300, 7, 5, 17), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 4600, 7, 5, 17), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 4700, 7, 5, 17), ==, SIPCID_GUARD_OPEN);
	g_assert_cmpint(feed(&g, 5700, 7, 0, 17), ==, SIPCID_GUARD_CLOSE);
	g_assert_cmpuint(g.counts.opens, ==, 2);
	g_assert_cmpint(g.counts.open_ms_total, ==, 3600);
	g_assert_cmpint(g.counts.longest_ms, ==, 2600);
}

/* Restarted (the watchdog): a new port with an empty queue closes the line;
 * the new sipcidd is judged from its own start. */
static void test_restart(void)
{
	struct sipcid_guard g;
	sipcid_guard_init(&g, STALL);
	feed(&g, 0, 7, 4, 100);
	g_assert_cmpint(feed(&g, 600, 7, 4, 100), ==, SIPCID_GUARD_OPEN);
	g_assert_cmpint(feed(&g, 900, 0, 0, 0), ==, SIPCID_GUARD_CLOSE);   /* killed: unbound */
	g_assert_cmpint(feed(&g, 1000, 0, 0, 0), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1100, 9, 0, 0), ==, SIPCID_GUARD_KEEP);   /* bound again */
	g_assert_cmpint(feed(&g, 1200, 9, 1, 1), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1300, 9, 0, 1), ==, SIPCID_GUARD_KEEP);
	/* It stalls too; restarted between two samples, the next one already
	 * has packets waiting under a new port. */
	g_assert_cmpint(feed(&g, 1400, 9, 3, 4), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1800, 9, 3, 4), ==, SIPCID_GUARD_OPEN);
	g_assert_cmpint(feed(&g, 1900, 11, 2, 2), ==, SIPCID_GUARD_CLOSE);
	g_assert_cmpint(feed(&g, 2300, 11, 2, 2), ==, SIPCID_GUARD_KEEP);
	/* The new one takes none of its packets either: after a stall time of its own, open. */
	g_assert_cmpint(feed(&g, 2400, 11, 2, 2), ==, SIPCID_GUARD_OPEN);
}

/* A new process bound while packets wait is not stalled until it has had
 * the stall time of its own. */
static void test_new_port_gets_its_time(void)
{
	struct sipcid_guard g;
	sipcid_guard_init(&g, STALL);
	feed(&g, 0, 7, 2, 50);
	g_assert_cmpint(feed(&g, 400, 8, 2, 2), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 600, 8, 2, 2), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 900, 8, 2, 2), ==, SIPCID_GUARD_OPEN);
}

/* id_sequence wraps at 2^32: packets leaving across the wrap are progress. */
static void test_id_wrap(void)
{
	struct sipcid_guard g;
	sipcid_guard_init(&g, STALL);
	feed(&g, 0, 7, 2, UINT32_MAX - 1);
	g_assert_cmpint(feed(&g, 400, 7, 2, UINT32_MAX), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 800, 7, 2, 1), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1200, 7, 2, 3), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1700, 7, 2, 3), ==, SIPCID_GUARD_OPEN);
	/* The stuck ones leave across nothing: still the same count; then one goes. */
	g_assert_cmpint(feed(&g, 1800, 7, 2, 3), ==, SIPCID_GUARD_KEEP);
	g_assert_cmpint(feed(&g, 1900, 7, 1, 3), ==, SIPCID_GUARD_CLOSE);
}

static void test_state_file(void)
{
	g_autofree char *dir = g_dir_make_tmp("test_guard.XXXXXX", NULL);
	g_assert_nonnull(dir);
	g_autofree char *path = g_build_filename(dir, "guard.state", NULL);
	struct sipcid_guard_state st = { .pid = 1234, .queue = 65535, .open = true,
	                                 .opened_at_ms = 1796000000123, .opens = 3,
	                                 .open_ms_total = 4567, .longest_ms = 2000 };
	GError *error = NULL;
	g_assert_true(sipcid_guard_state_write(path, &st, &error));
	struct sipcid_guard_state back;
	g_assert_true(sipcid_guard_state_read(path, &back, &error));
	g_assert_no_error(error);
	g_assert_cmpint(back.pid, ==, 1234);
	g_assert_cmpuint(back.queue, ==, 65535);
	g_assert_true(back.open);
	g_assert_cmpint(back.opened_at_ms, ==, 1796000000123);
	g_assert_cmpuint(back.opens, ==, 3);
	g_assert_cmpint(back.open_ms_total, ==, 4567);
	g_assert_cmpint(back.longest_ms, ==, 2000);

	/* Not a state file: refused, with the reason. */
	g_assert_true(g_file_set_contents(path, "pid=1\nqueue=0\nopen=2\nopens=0\n", -1, NULL));
	g_assert_false(sipcid_guard_state_read(path, &back, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
	g_clear_error(&error);
	g_assert_true(g_file_set_contents(path, "pid=-1\nqueue=0\nopen=0\nopens=0\n", -1, NULL));
	g_assert_false(sipcid_guard_state_read(path, &back, &error));
	g_assert_nonnull(strstr(error->message, ":1: expected key=number"));
	g_clear_error(&error);
	g_assert_true(g_file_set_contents(path, "pid=1\nopen=0\nopens=0\n", -1, NULL));
	g_assert_false(sipcid_guard_state_read(path, &back, &error));
	g_clear_error(&error);
	g_assert_cmpint(g_remove(path), ==, 0);
	g_assert_false(sipcid_guard_state_read(path, &back, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_clear_error(&error);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/guard/busy-consumer", test_busy_consumer);
	g_test_add_func("/guard/idle-line", test_idle_line);
	g_test_add_func("/guard/stop-then-resume", test_stop_then_resume);
	g_test_add_func("/guard/restart", test_restart);
	g_test_add_func("/guard/new-port-gets-its-time", test_new_port_gets_its_time);
	g_test_add_func("/guard/id-wrap", test_id_wrap);
	g_test_add_func("/guard/state-file", test_state_file);
	return g_test_run();
}
