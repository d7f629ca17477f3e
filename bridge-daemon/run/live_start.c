/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live mode's setup from the command line and configuration (see live_start.h). */
#include "live_start.h"

#include "capture_nflog.h"
#include "live.h"
#include "log.h"
#include "outputs.h"
#include "privdrop.h"
#include "rules_watch.h"
#include "status.h"

#include <glib-unix.h>
#include <malloc.h>
#include <stdio.h>

struct live_run {
	struct sipcid_pipeline *pl;
	struct sipcid_outputs outputs;
	struct sipcid_rules_watch *watch;
	/* The recorder's RTP: NFLOG copies of the bridge's UDP, read on the main
	 * loop (the recorder is not thread-safe, and reading copies is cheap). */
	struct sipcid_nflog *nflog;
	const char *nflog_why;   /* why there is none, for --status */
	guint nflog_src, tick_src;
};

/* The rule file or phonebook changed and loaded cleanly: later calls use it. */
static void on_rules_loaded(struct sipcid_rules *rules, void *ctx)
{
	struct live_run *run = ctx;
	sipcid_pipeline_set_rules(run->pl, rules);
	sipcid_outputs_set_rules(&run->outputs, rules);
	sipcid_log_info("rules reloaded: %u rules, %u phonebook entries", sipcid_rules_count(rules),
	          sipcid_rules_phonebook_count(rules));
}

static void watch_rules(struct live_run *run, const struct sipcid_settings *s)
{
	if (run->watch)
		sipcid_rules_watch_free(run->watch);
	/* A failed reload is logged by the watcher; the running rules stay. */
	run->watch = sipcid_rules_watch_new(&s->rules_files, &s->numbers, on_rules_loaded, NULL, run);
}

/* SIGHUP brought new settings (their rules loaded already). */
static void on_reloaded(void *ctx, const struct sipcid_settings *s)
{
	struct live_run *run = ctx;
	sipcid_outputs_set_rules(&run->outputs, s->rules);
	watch_rules(run, s);
}

static void on_rtp_copy(void *ctx, const struct sipcid_packet *pkt)
{
	struct live_run *run = ctx;
	sipcid_recorder_packet(run->outputs.archive.recorder, pkt);
}

static gboolean on_nflog(gint fd, GIOCondition cond, gpointer data)
{
	struct live_run *run = data;
	GError *err = NULL;
	(void)fd;
	(void)cond;
	if (sipcid_nflog_receive(run->nflog, &err) >= 0)
		return G_SOURCE_CONTINUE;
	sipcid_log_warnx("recorded calls get no audio from now on: %s", err->message);
	g_error_free(err);
	run->nflog_why = "stopped after a read error (see the log)";
	run->nflog_src = 0;
	return G_SOURCE_REMOVE;
}

/* Finishes recordings whose RTP stopped and puts finished files in the log. */
static gboolean on_record_tick(gpointer data)
{
	struct live_run *run = data;
	sipcid_recorder_tick(run->outputs.archive.recorder, g_get_real_time());
	return G_SOURCE_CONTINUE;
}

/* Listens for RTP when calls can be recorded. Attached before live mode adds
 * its own sources: at equal priority GLib dispatches in attach order, so the
 * copies of a call's last RTP packets, already in the socket when its BYE
 * reaches the main loop, are read before the recording is finished. */
static void start_recording(struct live_run *run, const struct sipcid_settings *s)
{
	if (!run->outputs.archive.recorder)
		return;
	run->tick_src = g_timeout_add_seconds(1, on_record_tick, run);
	if (s->record.nflog_group == 0) {
		run->nflog_why = "off ([record] nflog-group = 0): recorded calls get no audio";
		return;
	}
	struct sipcid_nflog_options no = { .group = (uint16_t)s->record.nflog_group };
	GError *err = NULL;
	run->nflog = sipcid_nflog_open(&no, on_rtp_copy, run, &err);
	if (!run->nflog) {
		/* The phone works without it; only the recordings' audio is missing. */
		sipcid_log_warnx("recorded calls will have no audio: %s", err->message);
		g_error_free(err);
		run->nflog_why = "not bound (see the log): recorded calls get no audio";
		return;
	}
	run->nflog_src = g_unix_fd_add(sipcid_nflog_fd(run->nflog), G_IO_IN, on_nflog, run);
	sipcid_log_info("recording: RTP copies from NFLOG group %u", s->record.nflog_group);
}

static void stop_recording(struct live_run *run)
{
	if (run->nflog_src)
		g_source_remove(run->nflog_src);
	if (run->tick_src)
		g_source_remove(run->tick_src);
	run->nflog_src = run->tick_src = 0;
	sipcid_nflog_close(run->nflog);
	run->nflog = NULL;
}

static void status_recording(void *ctx, GString *out)
{
	struct live_run *run = ctx;
	struct sipcid_recorder *rec = run->outputs.archive.recorder;
	if (!rec) {
		sipcid_status_format_recording(out, NULL, 0, NULL, NULL);
		return;
	}
	struct sipcid_recorder_stats rs;
	sipcid_recorder_get_stats(rec, &rs);
	struct sipcid_nflog_stats ns;
	if (run->nflog && run->nflog_src)
		sipcid_nflog_get_stats(run->nflog, &ns);
	sipcid_status_format_recording(out, &rs, run->nflog ? sipcid_nflog_group(run->nflog) : 0,
	                               run->nflog && run->nflog_src ? &ns : NULL, run->nflog_why);
}

static void status_more(void *ctx, GString *out)
{
	struct live_run *run = ctx;
	status_recording(run, out);
	for (guint i = 0; i < run->outputs.webhooks->len; i++) {
		const struct sipcid_output *w = g_ptr_array_index(run->outputs.webhooks, i);
		struct sipcid_webhook_stats ws;
		sipcid_webhook_get_stats(w, &ws);
		sipcid_status_format_webhook(out, sipcid_webhook_name(w), &ws);
	}
}

int sipcid_live_main(const struct sipcid_options *opts)
{
	/* One malloc arena for every thread, set before any thread exists. The
	 * packet path does not allocate, and glibc's default (an arena for each
	 * thread that does: the call log's, the main loop's) kept 1.3 MiB more
	 * resident after 100 000 calls, for no measurable speed. */
	mallopt(M_ARENA_MAX, 1);
	GError *err = NULL;
	struct sipcid_settings *settings = sipcid_options_load_settings(opts);
	if (!settings)
		return 2;
	/* Before the outputs start the call log's and the recorder's threads:
	 * they inherit the bounding set and no_new_privs (privdrop.h). */
	if (!sipcid_privdrop_prepare(settings->user, &err)) {
		sipcid_log_gerror(NULL, err);
		g_error_free(err);
		sipcid_settings_free(settings);
		return 2;
	}
	/* SIGHUP reloads with the same command-line overrides. */
	struct sipcid_settings_overrides ov = { opts->rules_path, opts->phonebook_path };
	struct live_run run = { 0 };
	run.pl = sipcid_pipeline_new(settings);
	/* Events also go to stdout, one line each (JSON with --json), like --read. */
	struct sipcid_outputs_options oo = {
		.print = true, .json = opts->json, .live = true, .announce = !opts->no_notify,
		.archive = true, .serve = true,
	};
	if (!sipcid_outputs_open(&run.outputs, settings, run.pl, &oo, &err)) {
		sipcid_log_gerror(NULL, err);
		g_error_free(err);
		sipcid_pipeline_free(run.pl);
		sipcid_settings_free(settings);
		return 2;
	}
	watch_rules(&run, settings);
	start_recording(&run, settings);
	struct sipcid_live_options live = {
		.settings = settings,
		.config_path = opts->config_path,
		.overrides = &ov,
		.nfq = {
			.queue_num = (uint16_t)(opts->queue >= 0 ? opts->queue : settings->queue),
			.queue_maxlen = (uint32_t)settings->queue_length,
			.rcvbuf_bytes = settings->receive_buffer,
		},
		.control_path = opts->control_path,
		/* The service's environment (/etc/default/sipcid), as the firewall's. */
		.bridge = g_getenv("SIPCID_BRIDGE"),
		.sip_ports = g_getenv("SIPCID_PORTS"),
		.pipeline = run.pl,
		.outputs = &run.outputs,
		.reloaded = on_reloaded,
		.reload_ctx = &run,
		.status_more = status_more,
		.status_ctx = &run,
	};
	int status = sipcid_live_run(&live);
	/* Before the outputs close: the recorder takes no more packets. */
	stop_recording(&run);
	sipcid_rules_watch_free(run.watch);
	sipcid_outputs_close(&run.outputs);
	sipcid_pipeline_free(run.pl);
	return status;
}
