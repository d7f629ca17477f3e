/* Offline mode: capture file -> pipeline -> outputs, in one thread. */
#include "offline.h"

#include "capture_pcap.h"
#include "output_print.h"
#include "output_suggestions.h"
#include "pipeline.h"
#include "settings.h"
#include "store.h"

#include <stdio.h>

struct replay {
	struct sipcid_pipeline *pl;
	GPtrArray *outputs;
	int64_t last_expire_us;
	struct sipcid_store store;
	bool storing;
};

static void drain(struct replay *r)
{
	struct sipcid_call call;
	while (sipcid_pipeline_next_event(r->pl, &call))
		for (guint i = 0; i < r->outputs->len; i++) {
			struct sipcid_output *o = g_ptr_array_index(r->outputs, i);
			o->emit(o->ctx, &call);
		}
}

static void on_packet(void *ctx, const struct sipcid_packet *pkt)
{
	struct replay *r = ctx;
	sipcid_pipeline_handle(r->pl, pkt);
	if (r->storing)  /* the RTP of recorded calls is in the capture too */
		sipcid_recorder_packet(r->store.recorder, pkt);
	/* Age calls by capture time, so a long capture behaves as it did live. */
	if (pkt->time_us - r->last_expire_us > G_USEC_PER_SEC) {
		sipcid_pipeline_expire(r->pl, pkt->time_us);
		if (r->storing)
			sipcid_recorder_tick(r->store.recorder, pkt->time_us);
		r->last_expire_us = pkt->time_us;
	}
	drain(r);
}

int sipcid_offline_run(const struct sipcid_options *opts)
{
	GError *err = NULL;
	struct sipcid_settings_overrides ov = { opts->rules_path, opts->phonebook_path };
	struct sipcid_settings *settings = sipcid_settings_load_with(opts->config_path, &ov, &err);
	if (!settings) {
		fprintf(stderr, "sipcidd: %s\n", err->message);
		g_error_free(err);
		return 2;
	}
	struct replay r = { 0 };
	r.pl = sipcid_pipeline_new(settings);
	r.outputs = g_ptr_array_new();
	g_ptr_array_add(r.outputs, sipcid_output_print_new(opts->json));
	if (settings->rules_files.suggestions_path)
		g_ptr_array_add(r.outputs, sipcid_output_suggestions_new(
			settings->rules_files.suggestions_path, settings->rules));
	/* Replaying under a configuration file stores the calls (log and
	 * recordings) as live mode would; without one, --read only prints. */
	if (opts->config_path) {
		if (!sipcid_store_open(settings, r.pl, &r.store, &err)) {
			fprintf(stderr, "sipcidd: %s\n", err->message);
			g_error_free(err);
			g_ptr_array_free(r.outputs, TRUE);
			sipcid_pipeline_free(r.pl);
			sipcid_settings_free(settings);
			return 2;
		}
		sipcid_store_add_outputs(&r.store, r.outputs);
		r.storing = true;
	}

	uint64_t frames = 0;
	int status = 0;
	if (!sipcid_pcap_read(opts->read_path, on_packet, &r, &frames, &err)) {
		fprintf(stderr, "sipcidd: %s\n", err->message);
		g_error_free(err);
		status = 1;
	}
	drain(&r);
	for (guint i = 0; i < r.outputs->len; i++) {
		struct sipcid_output *o = g_ptr_array_index(r.outputs, i);
		o->close(o->ctx);
	}
	g_ptr_array_free(r.outputs, TRUE);
	sipcid_pipeline_free(r.pl);
	sipcid_settings_free(settings);
	return status;
}
