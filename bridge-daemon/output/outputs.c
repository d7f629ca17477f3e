/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Assembling and feeding a run's outputs. */
#include "outputs.h"

#include "announce.h"
#include "ncid.h"
#include "mqtt.h"
#include "output_print.h"
#include "output_rate.h"
#include "output_suggestions.h"
#include "output_watch.h"
#include "webhook.h"

static void set_paused(void *pl, bool paused)
{
	sipcid_pipeline_set_paused(pl, paused);
}

static bool paused(void *pl)
{
	return sipcid_pipeline_paused(pl);
}

static bool open_mqtt(GPtrArray *notify, const struct sipcid_settings *s,
                      struct sipcid_pipeline *pl, GError **error)
{
	struct sipcid_mqtt_control control = {
		.set_paused = pl ? set_paused : NULL,
		.paused = pl ? paused : NULL,
		.ctx = pl,
		.rules_path = s->rules_files.rules_path,
		.plan = &s->numbers,
	};
	struct sipcid_output *out = sipcid_mqtt_open(&s->mqtt, &control, error);
	if (out)
		g_ptr_array_add(notify, out);
	return out != NULL;
}

static gboolean notify_tick(gpointer gate)
{
	sipcid_output_rate_tick(gate, g_get_real_time());
	return G_SOURCE_CONTINUE;
}

bool sipcid_outputs_open(struct sipcid_outputs *o, const struct sipcid_settings *s,
                         struct sipcid_pipeline *pl, const struct sipcid_outputs_options *opts,
                         GError **error)
{
	*o = (struct sipcid_outputs){ .list = g_ptr_array_new() };
	g_strlcpy(o->box, s->mqtt.box, sizeof o->box);
	o->numbers = s->numbers;
	/* now, not at the first call's event */
	sipcid_phonenumber_prepare();
	if (opts->print)
		g_ptr_array_add(o->list, sipcid_output_print_new(opts->json, opts->live));
	/* Not behind the rate limit: the live page shows every call. */
	if (opts->serve) {
		o->watch = sipcid_output_watch_new();
		g_ptr_array_add(o->list, o->watch);
	}
	/* Everything that tells people about calls goes behind one rate limit:
	 * a flood of calls must not become a flood of popups on every desktop,
	 * MQTT messages, NCID lines and phone pushes (output_rate.h). The call
	 * log and the printed events keep every call. */
	GPtrArray *notify = g_ptr_array_new();
	if (opts->announce) {
		GPtrArray *ann = sipcid_announce_open(&s->notify, error);
		if (!ann)
			goto fail_notify;
		for (guint i = 0; i < ann->len; i++)
			g_ptr_array_add(notify, g_ptr_array_index(ann, i));
		g_ptr_array_free(ann, TRUE);
	}
	if (opts->serve && s->ncid.enabled) {
		struct sipcid_output *ncid = sipcid_ncid_open(&s->ncid, &s->log, error);
		if (!ncid)
			goto fail_notify;
		g_ptr_array_add(notify, ncid);
	}
	o->webhooks = g_ptr_array_new();
	sipcid_webhook_open(s->webhooks, !opts->live, o->webhooks);
	for (guint i = 0; i < o->webhooks->len; i++)
		g_ptr_array_add(notify, g_ptr_array_index(o->webhooks, i));
	if (s->mqtt.host && !open_mqtt(notify, s, pl, error))
		goto fail_notify;
	if (notify->len > 0) {
		const struct sipcid_output_rate_limits limits = {
			(unsigned)s->notify.flood_burst, (unsigned)s->notify.flood_per_minute
		};
		o->notify_gate = sipcid_output_rate_new("notify", notify, &limits);
		g_ptr_array_add(o->list, o->notify_gate);
		/* A summary due after the flood stopped goes out within a second. */
		if (opts->live)
			o->notify_tick = g_timeout_add_seconds(1, notify_tick, o->notify_gate);
	} else {
		g_ptr_array_free(notify, TRUE);
	}
	if (opts->archive) {
		if (!sipcid_output_archive_open(s, pl, &o->archive, error))
			goto fail;
		sipcid_output_archive_add_outputs(&o->archive, o->list);
	}
	if (s->rules_files.suggestions_path) {
		o->suggestions = sipcid_output_suggestions_new(s->rules_files.suggestions_path, s->rules);
		g_ptr_array_add(o->list, o->suggestions);
	}
	return true;
fail_notify:
	/* Not behind a gate yet: close what was opened. */
	for (guint i = 0; i < notify->len; i++) {
		struct sipcid_output *out = g_ptr_array_index(notify, i);
		if (out->close)
			out->close(out->ctx);
	}
	g_ptr_array_free(notify, TRUE);
fail:
	sipcid_outputs_close(o);
	return false;
}

void sipcid_outputs_emit(struct sipcid_outputs *o, const struct sipcid_call *call)
{
	/* Where the call is, for every output (docs/events.md "box and line"):
	 * the line is the household's own number: the one called, or for an
	 * outgoing call the one calling out. */
	struct sipcid_call c = *call;
	g_strlcpy(c.box, o->box, sizeof c.box);
	g_strlcpy(c.line, c.direction == SIPCID_DIR_OUTGOING ? c.number : c.called,
	          sizeof c.line);
	/* What the number is (libphonenumber allocates: here on the main loop,
	 * not on the packet path; docs/hacking.md). */
	sipcid_number_describe_call(&o->numbers, &c);
	for (guint i = 0; i < o->list->len; i++) {
		struct sipcid_output *out = g_ptr_array_index(o->list, i);
		out->emit(out->ctx, &c);
	}
}

void sipcid_outputs_emit_line(struct sipcid_outputs *o, const struct sipcid_line_event *ev)
{
	struct sipcid_line_event e = *ev;
	g_strlcpy(e.box, o->box, sizeof e.box);
	for (guint i = 0; i < o->list->len; i++) {
		struct sipcid_output *out = g_ptr_array_index(o->list, i);
		if (out->emit_line)
			out->emit_line(out->ctx, &e);
	}
}

void sipcid_outputs_set_rules(struct sipcid_outputs *o, struct sipcid_rules *rules)
{
	if (o->suggestions)
		sipcid_output_suggestions_set_rules(o->suggestions, rules);
}

void sipcid_outputs_close(struct sipcid_outputs *o)
{
	if (!o->list)
		return;
	if (o->notify_tick)
		g_source_remove(o->notify_tick);
	o->notify_tick = 0;
	/* In order: the recorder reports its last files to the log before the
	 * log closes (see output_archive.h). */
	for (guint i = 0; i < o->list->len; i++) {
		struct sipcid_output *out = g_ptr_array_index(o->list, i);
		if (out->close)
			out->close(out->ctx);
	}
	g_ptr_array_free(o->list, TRUE);
	o->list = NULL;
	if (o->webhooks)
		g_ptr_array_free(o->webhooks, TRUE);
	o->webhooks = NULL;
}
