/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live mode: the packet thread and the main loop around it (see live.h). */
#include "live.h"

#include "bypass_watch.h"
#include "control.h"
#include "output_watch.h"
#include "record_listen.h"
#include "frame.h"
#include "log.h"
#include "pipeline.h"
#include "privdrop.h"
#include "sip_silence.h"
#include "status.h"
#include "thread_priority.h"
#include "watchdog.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

enum { EXPIRE_EVERY_US = 1000000, DRAIN_EVERY_MS = 500 };
#define UNINSPECTED_WARN_EVERY_US ((int64_t)60 * G_USEC_PER_SEC)

struct live {
	const struct sipcid_live_options *opts;
	struct sipcid_pipeline *pl;
	struct sipcid_nfq *nfq;
	struct sipcid_frame_sender *frames;  /* answers to blocked INVITEs; NULL without CAP_NET_RAW */
	struct sipcid_control *control;
	struct sipcid_bypass_watch *bypass;  /* the kernel's counters for --status */
	GMainLoop *loop;
	GThread *thread;
	int wake_fd;             /* eventfd: the packet thread has news for the main loop */
	int64_t started_us;
	struct sipcid_settings *settings;  /* the pipeline's; replaced on the main loop */
	struct sipcid_watchdog watchdog;   /* systemd's; fed by the packet thread's heartbeat */

	int stop;                /* atomic: the main loop asks the packet thread to finish */
	int finished;            /* atomic: the packet thread is done */
	GError *fatal;           /* set by the packet thread before `finished` */
	int64_t last_expire_us;  /* packet thread only */
	bool wake_pending;       /* packet thread only: events queued in this batch */
	uint64_t uninspected_warned;     /* main loop: the count the last warning gave */
	uint64_t reply_failures_warned;  /* main loop: likewise for answers not sent */
	int64_t reply_failures_warned_us;
	int64_t uninspected_warned_us;   /* main loop: when (monotonic) */
	struct sipcid_sip_silence silence;  /* main loop: the "no SIP seen" warning */
	int64_t silence_checked_us;      /* main loop: its last sample (monotonic) */
};

static void wake_main(struct live *lv)
{
	uint64_t one = 1;
	/* EAGAIN means the counter is already non-zero: the main loop will wake. */
	if (write(lv->wake_fd, &one, sizeof one) < 0)
		(void)0;
}

/* Called by the pipeline when it queues an event into an empty ring (on the
 * packet thread). The main loop is woken once the batch's verdicts are out:
 * one eventfd write per batch rather than per event (measured: 7% of the
 * packet thread at 40 000 pps), and the outputs do not compete with the
 * packets still waiting for their verdicts. A batch takes microseconds. */
static void note_event(void *ctx)
{
	struct live *lv = ctx;
	lv->wake_pending = true;
}

/* ---- packet thread ---- */

static enum sipcid_verdict handle_packet(void *ctx, const struct sipcid_packet *pkt)
{
	struct live *lv = ctx;
	return sipcid_pipeline_handle(lv->pl, pkt);
}

static void age_tables(struct live *lv)
{
	int64_t now = g_get_real_time();
	if (now - lv->last_expire_us >= EXPIRE_EVERY_US) {
		sipcid_pipeline_expire(lv->pl, now);
		lv->last_expire_us = now;
	}
}

static gpointer packet_thread(gpointer data)
{
	struct live *lv = data;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);  /* the main loop takes the signals */

	GError *error = NULL;
	while (!g_atomic_int_get(&lv->stop)) {
		sipcid_watchdog_beat(&lv->watchdog);
		int handled = sipcid_nfq_receive(lv->nfq, &error);
		if (lv->wake_pending) {
			lv->wake_pending = false;
			wake_main(lv);
		}
		if (handled < 0)
			break;
		age_tables(lv);
	}
	/* Everything read gets its verdict; with fail-open the kernel lets new
	 * packets pass while the queue empties. */
	sipcid_nfq_drain(lv->nfq);
	lv->fatal = error;
	g_atomic_int_set(&lv->finished, 1);
	wake_main(lv);
	return NULL;
}

/* ---- main loop ---- */

static void drain_events(struct live *lv)
{
	struct sipcid_call call;
	while (sipcid_pipeline_next_event(lv->pl, &call))
		sipcid_outputs_emit(lv->opts->outputs, &call);
	struct sipcid_line_event ev;
	while (sipcid_pipeline_next_line_event(lv->pl, &ev))
		sipcid_outputs_emit_line(lv->opts->outputs, &ev);
}

static gboolean on_wake(gint fd, GIOCondition cond, gpointer data)
{
	struct live *lv = data;
	uint64_t n;
	(void)cond;
	if (read(fd, &n, sizeof n) < 0 && errno != EAGAIN)
		sipcid_log_warnx("reading the wake-up counter: %s", g_strerror(errno));
	drain_events(lv);
	if (g_atomic_int_get(&lv->finished))
		g_main_loop_quit(lv->loop);
	return G_SOURCE_CONTINUE;
}

/* A safety net: events are also drained when no wake-up came. */
/* Packets passed without a look are never silent: at most one log line a
 * minute says how many there were since the last one. */
static void warn_uninspected(struct live *lv)
{
	int64_t now = g_get_monotonic_time();
	if (now - lv->uninspected_warned_us < UNINSPECTED_WARN_EVERY_US)
		return;
	struct sipcid_nfq_stats ns;
	struct sipcid_pipeline_stats ps;
	sipcid_nfq_get_stats(lv->nfq, &ns);
	sipcid_pipeline_get_stats(lv->pl, &ps);
	uint64_t total = ps.uninspected + ns.truncated;
	if (total == lv->uninspected_warned)
		return;
	sipcid_log_warnx("%" G_GUINT64_FORMAT " packets on SIP ports passed uninspected in the last "
	                 "minute (cut short, not readable as SIP, or no caller); %" G_GUINT64_FORMAT
	                 " since start: see `sipcidd --status`", total - lv->uninspected_warned, total);
	lv->uninspected_warned = total;
	lv->uninspected_warned_us = now;
}

/* Blocked calls that could not be answered were dropped in silence: at most
 * one log line a minute says how many, and why the last one failed. */
static void warn_reply_failures(struct live *lv)
{
	int64_t now = g_get_monotonic_time();
	if (now - lv->reply_failures_warned_us < UNINSPECTED_WARN_EVERY_US)
		return;
	struct sipcid_pipeline_stats ps;
	sipcid_pipeline_get_stats(lv->pl, &ps);
	if (ps.reply_failures == lv->reply_failures_warned)
		return;
	sipcid_log_warnx("%" G_GUINT64_FORMAT " blocked calls could not be answered and were dropped "
	                 "instead (last: %s); %" G_GUINT64_FORMAT " since start: see `sipcidd --status`",
	                 ps.reply_failures - lv->reply_failures_warned,
	                 g_strerror(ps.reply_last_error), ps.reply_failures);
	lv->reply_failures_warned = ps.reply_failures;
	lv->reply_failures_warned_us = now;
}

/* Packets on the SIP ports stopped coming while the bridge forwards: the
 * firewall probably looks at the wrong ports (sip_silence.h). Once a second. */
static void watch_silence(struct live *lv)
{
	int64_t now = g_get_monotonic_time();
	if (now - lv->silence_checked_us < G_USEC_PER_SEC)
		return;
	lv->silence_checked_us = now;
	struct sipcid_nfq_stats ns;
	sipcid_nfq_get_stats(lv->nfq, &ns);
	uint64_t rx = 0;
	bool rx_known = sipcid_sip_silence_bridge_rx(lv->silence.bridge, &rx);
	int64_t interval = (int64_t)lv->settings->no_sip_warning_s * G_USEC_PER_SEC;
	if (sipcid_sip_silence_sample(&lv->silence, now, interval, ns.packets, rx_known, rx)) {
		GString *words = g_string_new(NULL);
		sipcid_sip_silence_words(&lv->silence, words);
		sipcid_log_warnx("%s", words->str);
		g_string_free(words, TRUE);
	}
}

static gboolean on_tick(gpointer data)
{
	drain_events(data);
	warn_uninspected(data);
	warn_reply_failures(data);
	watch_silence(data);
	return G_SOURCE_CONTINUE;
}

/* WATCHDOG=1, if the packet thread went round its loop since last time. */
static gboolean on_watchdog(gpointer data)
{
	struct live *lv = data;
	sipcid_watchdog_check(&lv->watchdog);
	return G_SOURCE_CONTINUE;
}

static gboolean on_stop(gpointer data)
{
	struct live *lv = data;
	if (!g_atomic_int_get(&lv->stop)) {
		sipcid_log_info("stopping: giving every queued packet its verdict");
		sipcid_watchdog_notify(&lv->watchdog, "STOPPING=1");
	}
	g_atomic_int_set(&lv->stop, 1);
	return G_SOURCE_CONTINUE;
}

static gboolean on_reload(gpointer data)
{
	struct live *lv = data;
	const char *path = lv->opts->config_path;
	if (!path) {
		sipcid_log_info("SIGHUP: running on defaults, there is no configuration file to reload");
		return G_SOURCE_CONTINUE;
	}
	GError *error = NULL;
	struct sipcid_settings *s = sipcid_settings_load_with(path, lv->opts->overrides, &error);
	if (!s) {
		sipcid_log_warnx("not reloaded, keeping the running configuration: %s", error->message);
		g_error_free(error);
		return G_SOURCE_CONTINUE;
	}
	if (lv->opts->reloaded)
		lv->opts->reloaded(lv->opts->reload_ctx, s);
	/* The pipeline holds its lock while it handles a packet: once this
	 * returns, nothing uses the old settings any more. */
	sipcid_pipeline_set_settings(lv->pl, s);
	sipcid_settings_free(lv->settings);
	lv->settings = s;
	sipcid_log_info("reloaded %s", path);
	return G_SOURCE_CONTINUE;
}

/* `record CALL-ID on|off` on the control socket. The events waiting are
 * delivered first, so the recorder answers for the call as it is now. */
static void record_command(void *ctx, const char *call_id, bool on, GString *out)
{
	struct live *lv = ctx;
	drain_events(lv);
	struct sipcid_recorder *rec = lv->opts->outputs->archive.recorder;
	if (rec)
		sipcid_recorder_control(rec, call_id, on, out);
	else
		g_string_append(out, "error: recording is off in this sipcidd ([record])\n");
}

/* `watch`: the events waiting are delivered first, so the snapshot is the
 * calls as they are now. */
static bool watch_command(void *ctx, const char *args, const char *peer, GSocketConnection *conn,
                          GString *reply)
{
	struct live *lv = ctx;
	if (*args) {
		g_string_append(reply, "error: expected watch, alone\n");
		return false;
	}
	drain_events(lv);
	return sipcid_output_watch_add(lv->opts->outputs->watch, conn, peer, reply);
}

/* `listen CALL-ID [WHO]`: WHO is what the client says of the person asking
 * (sipcid-web: the browser's address); the log gets both it and the peer. */
static bool listen_command(void *ctx, const char *args, const char *peer,
                           GSocketConnection *conn, GString *reply)
{
	struct live *lv = ctx;
	g_auto(GStrv) words = g_strsplit_set(args, " \t", -1);
	const char *w[3] = { NULL };
	int n = 0;
	for (int i = 0; words[i]; i++)
		if (*words[i] && n < 3)
			w[n++] = words[i];
	if (n < 1 || n > 2) {
		g_string_append(reply, "error: expected listen CALL-ID [WHO]\n");
		return false;
	}
	struct sipcid_recorder *rec = lv->opts->outputs->archive.recorder;
	if (!rec) {
		g_string_append(reply, "error: recording is off in this sipcidd ([record]), and "
		                       "listening needs it\n");
		return false;
	}
	drain_events(lv);
	char who[SIPCID_RECORD_LISTEN_WHO_MAX];
	sipcid_record_listen_clean_who(w[1], who, sizeof who);
	g_autofree char *requester = g_strdup_printf("%s%s(%s)", who, *who ? " " : "", peer);
	return sipcid_recorder_listen(rec, w[0], requester, conn, reply);
}

static void status_text(void *ctx, GString *out)
{
	struct live *lv = ctx;
	struct sipcid_status st = { 0 };
	st.queue_num = sipcid_nfq_queue_num(lv->nfq);
	st.started_us = lv->started_us;
	st.now_us = g_get_real_time();
	sipcid_nfq_get_stats(lv->nfq, &st.nfq);
	sipcid_pipeline_get_stats(lv->pl, &st.pipeline);
	/* After the packet thread's counters (bypass_count.h says why). */
	sipcid_bypass_watch_sample(lv->bypass, &st);
	sipcid_status_format(out, &st);
	sipcid_status_format_guard(out, NULL, st.queue_num, st.now_us / 1000);
	sipcid_sip_silence_format(&lv->silence, g_get_monotonic_time(), out);
	if (lv->opts->status_more)
		lv->opts->status_more(lv->opts->status_ctx, out);
}

int sipcid_live_run(const struct sipcid_live_options *opts)
{
	struct live lv = { .opts = opts, .settings = opts->settings, .wake_fd = -1 };
	int status = 1;
	GError *error = NULL;
	lv.started_us = g_get_real_time();
	lv.last_expire_us = lv.started_us;
	sipcid_watchdog_open(&lv.watchdog);

	lv.pl = opts->pipeline;
	lv.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (lv.wake_fd < 0) {
		sipcid_log_warn("eventfd");
		goto out;
	}
	sipcid_pipeline_set_wakeup(lv.pl, note_event, &lv);
	lv.nfq = sipcid_nfq_open(&opts->nfq, handle_packet, &lv, &error);
	if (!lv.nfq) {
		sipcid_log_gerror(NULL, error);
		goto out;
	}
	lv.bypass = sipcid_bypass_watch_new(opts->nfq.queue_num);
	/* Needs CAP_NET_RAW, which the privilege drop below gives up. Without
	 * it sipcidd still blocks: blocked calls are dropped in silence. */
	lv.frames = sipcid_frame_sender_open(&error);
	if (!lv.frames) {
		sipcid_log_warnx("%s; blocked calls will be dropped in silence instead of answered",
		                 error->message);
		g_clear_error(&error);
	}
	sipcid_pipeline_set_frame_sender(lv.pl, lv.frames);
	sipcid_sip_silence_init(&lv.silence, opts->bridge, opts->sip_ports);
	const char *cpath = opts->control_path ? opts->control_path : SIPCID_CONTROL_DEFAULT_PATH;
	if (*cpath) {
		lv.control = sipcid_control_start(cpath, status_text, &lv, &error);
		if (!lv.control) {
			sipcid_log_gerror(NULL, error);
			goto out;
		}
		sipcid_control_set_record(lv.control, record_command, &lv);
		if (opts->outputs->watch)
			sipcid_control_set_watch(lv.control, watch_command, &lv);
		sipcid_control_set_listen(lv.control, listen_command, &lv);
	}
	/* Root was needed to open the queue and the sockets above; the rest runs
	 * as the configured user with CAP_NET_ADMIN only. Before the packet
	 * thread starts: it inherits this thread's credentials (privdrop.h). */
	if (sipcid_privdrop_live(lv.settings, cpath, &error) == SIPCID_PRIVDROP_FAILED) {
		sipcid_log_gerror(NULL, error);
		goto out;
	}
	sipcid_privdrop_forget_raw();

	lv.loop = g_main_loop_new(NULL, FALSE);
	guint src[5];
	src[0] = g_unix_fd_add(lv.wake_fd, G_IO_IN, on_wake, &lv);
	src[1] = g_timeout_add(DRAIN_EVERY_MS, on_tick, &lv);
	src[2] = g_unix_signal_add(SIGTERM, on_stop, &lv);
	src[3] = g_unix_signal_add(SIGINT, on_stop, &lv);
	src[4] = g_unix_signal_add(SIGHUP, on_reload, &lv);
	lv.thread = g_thread_new("sipcid-packets", packet_thread, &lv);
	/* After the packet thread exists: it keeps the priority we had. */
	sipcid_thread_yield_to_packets("main (announcements, control)");
	struct sipcid_nfq_stats ns;
	sipcid_nfq_get_stats(lv.nfq, &ns);
	sipcid_log_info("listening on NFQUEUE queue %u%s", opts->nfq.queue_num,
	          ns.fail_open ? " (fail-open)" : " (WITHOUT fail-open)");
	unsigned ping_ms = sipcid_watchdog_check_every_ms(&lv.watchdog);
	guint ping_src = ping_ms ? g_timeout_add(ping_ms, on_watchdog, &lv) : 0;
	sipcid_watchdog_notify(&lv.watchdog, "READY=1");
	g_main_loop_run(lv.loop);

	g_thread_join(lv.thread);
	for (size_t i = 0; i < G_N_ELEMENTS(src); i++)
		g_source_remove(src[i]);
	if (ping_src)
		g_source_remove(ping_src);
	drain_events(&lv);
	if (lv.fatal) {
		sipcid_log_gerror(NULL, lv.fatal);
		g_error_free(lv.fatal);
	} else {
		status = 0;
	}
out:
	sipcid_control_stop(lv.control);
	sipcid_bypass_watch_free(lv.bypass);
	sipcid_nfq_close(lv.nfq);
	/* After the packet thread: it sends through it. The pipeline outlives
	 * this run (its owner frees it), so it forgets the sender first. */
	if (lv.pl)
		sipcid_pipeline_set_frame_sender(lv.pl, NULL);
	sipcid_frame_sender_close(lv.frames);
	sipcid_watchdog_close(&lv.watchdog);
	if (lv.loop)
		g_main_loop_unref(lv.loop);
	if (lv.wake_fd >= 0)
		close(lv.wake_fd);
	if (lv.settings)
		sipcid_settings_free(lv.settings);
	g_clear_error(&error);
	return status;
}
