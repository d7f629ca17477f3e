/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NCID server alone on a main loop, fed calls from stdin: what the
 * NCID tests and the cost measurement drive (no bridge, no root).
 *
 *   ncid_serve CONFIG      [ncid] and [log] of CONFIG; prints "port N" once listening
 *
 * Commands on stdin, one a line:
 *   call ID NUMBER [NAME...]     a new call, ringing        (block ...: dropped;
 *                                                           reject ...: rejected busy)
 *   private ID                   a new call with a withheld number
 *   update ID STATE [RING_MS [TALK_MS]]   answered, missed or ended
 *   flood N                      N calls, each ringing then missed
 *   wait-clients K               answers "clients K" once K clients have started
 *   bench N                      N events to every client; answers the CPU time they took
 *   quit
 * Every command is answered with a line ("ok", "clients K", "bench ..."). */
#include "log.h"
#include "ncid.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static struct sipcid_output *server;
static GHashTable *calls;   /* ID -> struct sipcid_call */
static GMainLoop *loop;
static unsigned waiting_for = 0;
static bool waiting;

static void answer(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void answer(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static struct sipcid_call make_call(const char *id, const char *number, const char *name)
{
	struct sipcid_call c = { .kind = SIPCID_EVENT_CALL, .time_us = g_get_real_time() };
	g_strlcpy(c.call_id, id, sizeof c.call_id);
	g_strlcpy(c.number, number, sizeof c.number);
	g_strlcpy(c.number_raw, number, sizeof c.number_raw);
	g_strlcpy(c.name, name, sizeof c.name);
	return c;
}

static void emit(const struct sipcid_call *c)
{
	server->emit(server->ctx, c);
}

static double cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_usec;
}

/* Sends n events and runs the loop until every byte is out. */
static void bench(long n)
{
	unsigned clients = sipcid_ncid_clients(server);
	double t0 = cpu_us();
	gint64 w0 = g_get_monotonic_time();
	for (long i = 0; i < n; i++) {
		char id[32];
		g_snprintf(id, sizeof id, "bench-%ld", i);
		struct sipcid_call c = make_call(id, "+15551234567", "Bench Caller");
		c.kind = i % 2 ? SIPCID_EVENT_UPDATE : SIPCID_EVENT_CALL;
		c.state = i % 2 ? SIPCID_STATE_MISSED : SIPCID_STATE_RINGING;
		emit(&c);
		/* Let the sockets drain as a live run would between events. */
		for (int k = 0; k < 100 && g_main_context_iteration(NULL, FALSE); k++)
			;
	}
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (sipcid_ncid_pending(server) && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	double used = cpu_us() - t0;
	answer("bench events %ld clients %u cpu_us_per_event %.2f wall_ms %.0f", n, clients,
	       used / (double)n, (double)(g_get_monotonic_time() - w0) / 1000.0);
}

static void command(char *line)
{
	g_strstrip(line);
	g_auto(GStrv) w = g_strsplit(line, " ", 4);
	guint n = g_strv_length(w);
	if (n == 0)
		return;
	bool block = !strcmp(w[0], "block"), reject = !strcmp(w[0], "reject");
	if ((!strcmp(w[0], "call") || block || reject) && n >= 3) {
		struct sipcid_call c = make_call(w[1], w[2], n > 3 ? w[3] : "");
		if (block || reject) {
			c.action = SIPCID_ACTION_BLOCK;
			c.state = SIPCID_STATE_BLOCKED;
			c.outcome = block ? SIPCID_OUTCOME_DROP : SIPCID_OUTCOME_BUSY;
		}
		g_hash_table_replace(calls, g_strdup(w[1]), g_memdup2(&c, sizeof c));
		emit(&c);
	} else if (!strcmp(w[0], "private") && n >= 2) {
		struct sipcid_call c = make_call(w[1], "", "");
		c.presentation = SIPCID_PRES_RESTRICTED;
		g_hash_table_replace(calls, g_strdup(w[1]), g_memdup2(&c, sizeof c));
		emit(&c);
	} else if (!strcmp(w[0], "update") && n >= 3) {
		struct sipcid_call *c = g_hash_table_lookup(calls, w[1]);
		g_auto(GStrv) ms = g_strsplit(n > 3 ? w[3] : "", " ", 2);
		if (!c || !sipcid_call_state_parse(w[2], &c->state)) {
			answer("error: unknown call or state");
			return;
		}
		c->kind = SIPCID_EVENT_UPDATE;
		if (ms[0])
			c->ring_ms = g_ascii_strtoll(ms[0], NULL, 10);
		if (ms[0] && ms[1])
			c->talk_ms = g_ascii_strtoll(ms[1], NULL, 10);
		emit(c);
	} else if (!strcmp(w[0], "flood") && n >= 2) {
		long count = strtol(w[1], NULL, 10);
		for (long i = 0; i < count; i++) {
			char id[32];
			g_snprintf(id, sizeof id, "flood-%ld", i);
			struct sipcid_call c = make_call(id, "+15550000000", "Flood Caller");
			emit(&c);
			c.kind = SIPCID_EVENT_UPDATE;
			c.state = SIPCID_STATE_MISSED;
			emit(&c);
		}
	} else if (!strcmp(w[0], "wait-clients") && n >= 2) {
		waiting_for = (unsigned)strtoul(w[1], NULL, 10);
		waiting = true;
		return;
	} else if (!strcmp(w[0], "bench") && n >= 2) {
		bench(strtol(w[1], NULL, 10));
		return;
	} else if (!strcmp(w[0], "quit")) {
		g_main_loop_quit(loop);
	} else {
		answer("error: unknown command");
		return;
	}
	answer("ok");
}

static gboolean on_stdin(GIOChannel *ch, GIOCondition cond, gpointer data)
{
	(void)cond;
	(void)data;
	char *line = NULL;
	GIOStatus st = g_io_channel_read_line(ch, &line, NULL, NULL, NULL);
	if (st == G_IO_STATUS_NORMAL && line)
		command(line);
	g_free(line);
	if (st == G_IO_STATUS_EOF || st == G_IO_STATUS_ERROR) {
		g_main_loop_quit(loop);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_tick(gpointer data)
{
	(void)data;
	if (waiting && sipcid_ncid_clients(server) >= waiting_for) {
		waiting = false;
		answer("clients %u", sipcid_ncid_clients(server));
	}
	return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv)
{
	sipcid_log_init("ncid_serve");
	if (argc != 2)
		sipcid_log_fatalx("usage: ncid_serve CONFIG");
	GError *error = NULL;
	struct sipcid_config *cfg = sipcid_config_load(argv[1], &error);
	struct sipcid_ncid_settings ns;
	struct sipcid_calllog_settings ls;
	if (!cfg || !sipcid_ncid_settings_load(cfg, &ns, &error) ||
	    !sipcid_calllog_settings_load(cfg, &ls, &error))
		sipcid_log_fatalx("%s", error->message);
	sipcid_config_free(cfg);
	if (!ns.enabled)
		sipcid_log_fatalx("the configuration has no [ncid] listen");
	server = sipcid_ncid_open(&ns, &ls, &error);
	if (!server)
		sipcid_log_fatalx("%s", error->message);
	calls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	loop = g_main_loop_new(NULL, FALSE);
	answer("port %u", sipcid_ncid_port(server));
	GIOChannel *in = g_io_channel_unix_new(0);
	guint in_watch = g_io_add_watch(in, G_IO_IN | G_IO_HUP, on_stdin, NULL);
	guint tick = g_timeout_add(20, on_tick, NULL);
	g_main_loop_run(loop);
	g_source_remove(tick);
	g_source_remove(in_watch);
	g_io_channel_unref(in);
	server->close(server->ctx);
	g_hash_table_destroy(calls);
	g_main_loop_unref(loop);
	return 0;
}
