/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Offline mode: capture file -> pipeline -> outputs, in one thread. */
#include "offline.h"

#include "capture_pcap.h"
#include "log.h"
#include "outputs.h"
#include "pipeline.h"
#include "settings.h"
#include "output_archive.h"

struct replay {
	struct sipcid_pipeline *pl;
	struct sipcid_outputs outputs;
	int64_t last_expire_us;
};

static void drain(struct replay *r)
{
	struct sipcid_call call;
	while (sipcid_pipeline_next_event(r->pl, &call))
		sipcid_outputs_emit(&r->outputs, &call);
	struct sipcid_line_event ev;
	while (sipcid_pipeline_next_line_event(r->pl, &ev))
		sipcid_outputs_emit_line(&r->outputs, &ev);
}

static void on_packet(void *ctx, const struct sipcid_packet *pkt)
{
	struct replay *r = ctx;
	struct sipcid_recorder *rec = r->outputs.archive.recorder;
	sipcid_pipeline_handle(r->pl, pkt);
	if (rec)  /* the RTP of recorded calls is in the capture too */
		sipcid_recorder_packet(rec, pkt);
	/* Age calls by capture time, so a long capture behaves as it did live. */
	if (pkt->time_us - r->last_expire_us > G_USEC_PER_SEC) {
		sipcid_pipeline_expire(r->pl, pkt->time_us);
		if (rec)
			sipcid_recorder_tick(rec, pkt->time_us);
		r->last_expire_us = pkt->time_us;
	}
	drain(r);
}

int sipcid_offline_run(const struct sipcid_options *opts)
{
	GError *err = NULL;
	struct sipcid_settings *settings = sipcid_options_load_settings(opts);
	if (!settings)
		return 2;
	/* A replay keeps calls (log, recordings) only where the configuration
	 * names the place explicitly: replaying a capture must never add rows to
	 * the system's own call log by accident. */
	if (!settings->log.database_set)
		settings->log.enabled = false;
	settings->record.enabled = settings->record.directory_set;
	/* The same for the network: a replay announces only where the
	 * configuration says to, or everywhere live mode would with --announce.
	 * Replaying a capture must not pop up on every desktop in the house. */
	if (!opts->announce)
		sipcid_announce_settings_keep_named(&settings->notify);

	struct replay r = { 0 };
	r.pl = sipcid_pipeline_new(settings);
	sipcid_pipeline_set_uninspected_scope(r.pl, true);
	struct sipcid_outputs_options oo = {
		.print = true,
		.json = opts->json,
		.announce = !opts->no_notify,
		.archive = settings->log.enabled || settings->record.enabled,
	};
	int status = 0;
	if (!sipcid_outputs_open(&r.outputs, settings, r.pl, &oo, &err)) {
		sipcid_log_gerror(NULL, err);
		g_error_free(err);
		status = 2;
		goto out;
	}
	uint64_t frames = 0;
	if (!sipcid_pcap_read(opts->read_path, on_packet, &r, &frames, &err)) {
		sipcid_log_gerror(NULL, err);
		g_error_free(err);
		status = 1;
	}
	drain(&r);
	struct sipcid_pipeline_stats ps;
	sipcid_pipeline_get_stats(r.pl, &ps);
	if (ps.uninspected)
		sipcid_log_warnx("%s: %" G_GUINT64_FORMAT " packets to or from port 5060 or 5061 "
		                 "could not be inspected (not readable as SIP, or no caller)",
		                 opts->read_path, ps.uninspected);
	sipcid_outputs_close(&r.outputs);
out:
	sipcid_pipeline_free(r.pl);
	sipcid_settings_free(settings);
	return status;
}
