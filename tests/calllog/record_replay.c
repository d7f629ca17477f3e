/* Replays a capture through the real pipeline, call log and recorder, with
 * every call marked `record` — what `sipcidd --read FILE -c CONF` does once
 * the rules stage marks calls (this harness stands in for the rules: it
 * provides sipcid_settings_decide itself, so the archive's settings.o is
 * not linked).
 * usage: record_replay CAPTURE RECORD_DIR DB [all|none] */
#include "capture_pcap.h"
#include "config.h"
#include "pipeline.h"
#include "settings.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

static bool record_all;

void sipcid_settings_decide(const struct sipcid_settings *s, struct sipcid_call *call)
{
	(void)s;
	call->action = SIPCID_ACTION_ALLOW;
	call->record = record_all;
	call->alias[0] = call->rule[0] = '\0';
	if (record_all)
		g_strlcpy(call->rule, "record_replay:1", sizeof call->rule);
}

struct replay {
	struct sipcid_pipeline *pl;
	GPtrArray *outputs;
	struct sipcid_store store;
	int64_t last_tick;
};

static void drain(struct replay *r)
{
	struct sipcid_call call;
	while (sipcid_pipeline_next_event(r->pl, &call))
		for (guint i = 0; i < r->outputs->len; i++) {
			struct sipcid_output *o = r->outputs->pdata[i];
			o->emit(o->ctx, &call);
		}
}

static void on_packet(void *ctx, const struct sipcid_packet *pkt)
{
	struct replay *r = ctx;
	sipcid_pipeline_handle(r->pl, pkt);
	sipcid_recorder_packet(r->store.recorder, pkt);
	if (pkt->time_us - r->last_tick > G_USEC_PER_SEC) {
		sipcid_recorder_tick(r->store.recorder, pkt->time_us);
		r->last_tick = pkt->time_us;
	}
	drain(r);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: record_replay CAPTURE RECORD_DIR DB all|none\n");
		return 2;
	}
	record_all = !strcmp(argv[4], "all");
	g_autofree char *conf = g_strdup_printf("[record]\ndirectory = %s\n[log]\ndatabase = %s\n",
	                                        argv[2], argv[3]);
	GError *err = NULL;
	struct sipcid_config *cfg = sipcid_config_load_data("replay.conf", conf, &err);
	struct sipcid_settings s = { 0 };
	s.table_size = 4096;
	sipcid_trust_default(&s.trust);
	if (!cfg || !sipcid_number_plan_load(cfg, &s.numbers, &err) ||
	    !sipcid_calllog_settings_load(cfg, &s.log, &err) ||
	    !sipcid_record_settings_load(cfg, &s.record, &err)) {
		fprintf(stderr, "%s\n", err->message);
		return 2;
	}
	sipcid_config_free(cfg);
	struct replay r = { 0 };
	r.pl = sipcid_pipeline_new(&s);
	r.outputs = g_ptr_array_new();
	if (!sipcid_store_open(&s, r.pl, &r.store, &err)) {
		fprintf(stderr, "%s\n", err->message);
		return 2;
	}
	sipcid_store_add_outputs(&r.store, r.outputs);
	uint64_t frames = 0;
	int status = 0;
	if (!sipcid_pcap_read(argv[1], on_packet, &r, &frames, &err)) {
		fprintf(stderr, "%s\n", err->message);
		status = 1;
	}
	drain(&r);
	struct sipcid_recorder_stats st;
	sipcid_recorder_get_stats(r.store.recorder, &st);
	for (guint i = 0; i < r.outputs->len; i++) {
		struct sipcid_output *o = r.outputs->pdata[i];
		o->close(o->ctx);
	}
	printf("rtp_packets=%" G_GUINT64_FORMAT "\n", st.packets);
	g_ptr_array_free(r.outputs, TRUE);
	sipcid_pipeline_free(r.pl);
	return status;
}
