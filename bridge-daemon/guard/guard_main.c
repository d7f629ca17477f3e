/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-guard: opens the line around a stalled sipcidd. See sipcid-guard(8)
 * and docs/datapath.md, "The stall guard".
 *
 * One thread, one timer: every --interval-ms it reads the kernel's line for
 * the queue, feeds it to the decision (guard.h) and puts the bypass in or
 * takes it out (guard_bypass.h). It shares nothing with sipcidd but the
 * kernel's counters, so nothing sipcidd does can stall it. */
#include "guard.h"
#include "guard_bypass.h"
#include "guard_state.h"
#include "log.h"
#include "nfq_proc.h"

#include <glib-unix.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { RECHECK_EVERY_MS = 1000 };

struct guard_run {
	struct sipcid_guard decide;
	struct sipcid_guard_bypass bypass;
	struct sipcid_guard_state state;  /* as last written */
	char state_path[4096];
	FILE *proc;
	uint16_t queue;
	int64_t last_check_ms;
	GMainLoop *loop;
};

static void save(struct guard_run *g)
{
	struct sipcid_guard_counts c = g->decide.counts;
	g->state.open = g->decide.open;
	g->state.opens = c.opens;
	g->state.open_ms_total = c.open_ms_total;
	g->state.longest_ms = c.longest_ms;
	GError *error = NULL;
	if (!sipcid_guard_state_write(g->state_path, &g->state, &error)) {
		sipcid_log_gerror("cannot write the state for sipcidd --status", error);
		g_error_free(error);
	}
}

static void sample(struct guard_run *g, struct sipcid_guard_sample *s)
{
	struct sipcid_nfq_proc p;
	s->now_ms = g_get_monotonic_time() / 1000;
	s->bound = sipcid_nfq_proc_reread(g->proc, g->queue, &p);
	s->portid = s->bound ? p.peer_portid : 0;
	s->waiting = s->bound ? p.queue_total : 0;
	s->id_sequence = s->bound ? p.id_sequence : 0;
}

static gboolean on_tick(gpointer data)
{
	struct guard_run *g = data;
	struct sipcid_guard_sample s;
	sample(g, &s);
	uint32_t was_portid = g->decide.portid;
	switch (sipcid_guard_feed(&g->decide, &s)) {
	case SIPCID_GUARD_OPEN:
		sipcid_guard_bypass_open(&g->bypass, false);
		g->last_check_ms = s.now_ms;
		g->state.opened_at_ms = g_get_real_time() / 1000;
		sipcid_log_info("queue %u: sipcidd took no packet for %" PRId64 " ms while %" PRIu32
		                " waited: the line is open, SIP passes uninspected", g->queue,
		                s.now_ms - g->decide.progress_ms, s.waiting);
		save(g);
		break;
	case SIPCID_GUARD_CLOSE:
		sipcid_guard_bypass_close(&g->bypass);
		g->state.opened_at_ms = 0;
		sipcid_log_info("queue %u: %s: the line is closed, sipcidd inspects SIP again "
		                "(it was open %" PRId64 " ms)", g->queue,
		                !s.bound ? "no sipcidd is bound (--queue-bypass passes SIP)"
		                : s.portid != was_portid ? "a new sipcidd is bound"
		                : "sipcidd takes packets again", s.now_ms - g->decide.opened_ms);
		save(g);
		break;
	case SIPCID_GUARD_KEEP:
		/* `sipcid-firewall up` flushes the chain, bypass and all. */
		if (g->decide.open && s.now_ms - g->last_check_ms >= RECHECK_EVERY_MS) {
			sipcid_guard_bypass_open(&g->bypass, true);
			g->last_check_ms = s.now_ms;
		}
		break;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_stop(gpointer data)
{
	g_main_loop_quit(((struct guard_run *)data)->loop);
	return G_SOURCE_REMOVE;
}

/* The counts a previous guard left for this queue go on. */
static void load_counts(struct guard_run *g)
{
	struct sipcid_guard_state old;
	if (!sipcid_guard_state_read(g->state_path, &old, NULL) || old.queue != g->queue)
		return;
	g->decide.counts.opens = old.opens;
	g->decide.counts.open_ms_total = old.open_ms_total;
	g->decide.counts.longest_ms = old.longest_ms;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

int main(int argc, char **argv)
{
	sipcid_log_init("sipcid-guard");
	gint64 queue = strtol(env_or("SIPCID_QUEUE", "0"), NULL, 10);
	gint64 stall_ms = 500, interval_ms = 100;
	g_autofree char *state_path = NULL;
	GOptionEntry entries[] = {
		{ "queue", 'q', 0, G_OPTION_ARG_INT64, &queue,
		  "the NFQUEUE queue sipcidd reads (default $SIPCID_QUEUE or 0)", "N" },
		{ "stall-ms", 0, 0, G_OPTION_ARG_INT64, &stall_ms,
		  "open the line when packets wait this long and none is taken (default 500)", "MS" },
		{ "interval-ms", 0, 0, G_OPTION_ARG_INT64, &interval_ms,
		  "read the kernel's queue counters this often (default 100)", "MS" },
		{ "state", 0, 0, G_OPTION_ARG_FILENAME, &state_path,
		  "the state file sipcidd --status reads (default: " SIPCID_GUARD_STATE_NAME
		  " in the state directory)", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GError *error = NULL;
	GOptionContext *ctx = g_option_context_new("- open the SIP line around a stalled sipcidd");
	g_option_context_add_main_entries(ctx, entries, NULL);
	bool parsed = g_option_context_parse(ctx, &argc, &argv, &error);
	g_option_context_free(ctx);
	if (!parsed || argc != 1) {
		sipcid_log_warnx("%s (see --help)", parsed ? "unexpected arguments" : error->message);
		g_clear_error(&error);
		return 2;
	}
	if (queue < 0 || queue > 65535 || stall_ms < 1 || stall_ms > 60000 || interval_ms < 10 ||
	    interval_ms > stall_ms) {
		sipcid_log_warnx("expected --queue 0-65535, --stall-ms 1-60000 and --interval-ms from "
		                 "10 to the stall time");
		return 2;
	}

	struct guard_run g = { .queue = (uint16_t)queue };
	sipcid_guard_init(&g.decide, stall_ms);
	g.bypass.program[0] = env_or("SIPCID_IPTABLES", "iptables");
	g.bypass.program[1] = env_or("SIPCID_IP6TABLES", "ip6tables");
	if (state_path)
		g_strlcpy(g.state_path, state_path, sizeof g.state_path);
	else
		sipcid_guard_state_path(g.state_path, sizeof g.state_path);
	g.proc = fopen(SIPCID_NFQ_PROC_PATH, "re");
	if (!g.proc) {
		sipcid_log_fatal("cannot read %s (run it as root)", SIPCID_NFQ_PROC_PATH);
	}
	/* A guard that was killed may have left its bypass in. */
	sipcid_guard_bypass_close(&g.bypass);
	load_counts(&g);
	g.state.pid = getpid();
	g.state.queue = g.queue;
	save(&g);

	g.loop = g_main_loop_new(NULL, FALSE);
	g_timeout_add((guint)interval_ms, on_tick, &g);
	g_unix_signal_add(SIGTERM, on_stop, &g);
	g_unix_signal_add(SIGINT, on_stop, &g);
	sipcid_log_info("watching NFQUEUE queue %u every %" G_GINT64_FORMAT " ms: the line opens "
	                "when packets wait %" G_GINT64_FORMAT " ms and sipcidd takes none",
	                g.queue, interval_ms, stall_ms);
	g_main_loop_run(g.loop);

	if (g.decide.open) {
		sipcid_guard_bypass_close(&g.bypass);
		int64_t now_ms = g_get_monotonic_time() / 1000;
		g.decide.counts = sipcid_guard_counts_at(&g.decide, now_ms);
		g.decide.open = false;
		sipcid_log_info("stopping: the line is closed (SIP goes to the queue again)");
	}
	g.state.pid = 0;
	g.state.opened_at_ms = 0;
	save(&g);
	g_main_loop_unref(g.loop);
	fclose(g.proc);
	return 0;
}
