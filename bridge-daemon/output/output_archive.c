/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Wiring the call log and the recorder. */
#include "output_archive.h"

#include "calllog_writer.h"

static void on_recording(void *ctx, const char *call_id, const char *path)
{
	struct sipcid_output_archive *st = ctx;
	if (st->log)
		sipcid_calllog_set_recording(st->log, call_id, path);
}

static void on_media(void *ctx, const struct sipcid_packet *pkt, const char *call_id,
                     bool is_request, const char *body, size_t len)
{
	sipcid_recorder_sdp(ctx, pkt, call_id, is_request, body, len);
}

static void on_key(void *ctx, const struct sipcid_packet *pkt, const char *call_id, char key)
{
	sipcid_recorder_key(ctx, pkt, call_id, key);
}

bool sipcid_output_archive_open(const struct sipcid_settings *s, struct sipcid_pipeline *pl,
                       struct sipcid_output_archive *st, GError **error)
{
	st->log = NULL;
	if (s->log.enabled && !(st->log = sipcid_calllog_new(&s->log, error)))
		return false;
	st->recorder = NULL;
	if (!s->record.enabled)
		return true;
	st->recorder = sipcid_recorder_new(&s->record);
	sipcid_recorder_set_done(st->recorder, on_recording, st);
	sipcid_pipeline_set_media_hook(pl, on_media, st->recorder);
	sipcid_pipeline_set_dtmf_hook(pl, on_key, st->recorder, s->record.on_demand);
	return true;
}

void sipcid_output_archive_add_outputs(struct sipcid_output_archive *st, GPtrArray *outputs)
{
	if (st->recorder)
		g_ptr_array_add(outputs, sipcid_recorder_output(st->recorder));
	if (st->log)
		g_ptr_array_add(outputs, st->log);
}
