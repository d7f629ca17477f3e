/* Assembling and feeding a run's outputs. */
#include "outputs.h"

#include "announce.h"
#include "output_print.h"
#include "output_suggestions.h"
#include "webhook.h"

bool sipcid_outputs_open(struct sipcid_outputs *o, const struct sipcid_settings *s,
                         struct sipcid_pipeline *pl, const struct sipcid_outputs_options *opts,
                         GError **error)
{
	*o = (struct sipcid_outputs){ .list = g_ptr_array_new() };
	if (opts->print)
		g_ptr_array_add(o->list, sipcid_output_print_new(opts->json, opts->live));
	if (opts->announce) {
		GPtrArray *ann = sipcid_announce_open(&s->notify, error);
		if (!ann)
			goto fail;
		for (guint i = 0; i < ann->len; i++)
			g_ptr_array_add(o->list, g_ptr_array_index(ann, i));
		g_ptr_array_free(ann, TRUE);
	}
	if (opts->archive) {
		if (!sipcid_output_archive_open(s, pl, &o->archive, error))
			goto fail;
		sipcid_output_archive_add_outputs(&o->archive, o->list);
	}
	o->webhooks = g_ptr_array_new();
	sipcid_webhook_open(s->webhooks, !opts->live, o->webhooks);
	for (guint i = 0; i < o->webhooks->len; i++)
		g_ptr_array_add(o->list, g_ptr_array_index(o->webhooks, i));
	if (s->rules_files.suggestions_path) {
		o->suggestions = sipcid_output_suggestions_new(s->rules_files.suggestions_path, s->rules);
		g_ptr_array_add(o->list, o->suggestions);
	}
	return true;
fail:
	sipcid_outputs_close(o);
	return false;
}

void sipcid_outputs_emit(struct sipcid_outputs *o, const struct sipcid_call *call)
{
	for (guint i = 0; i < o->list->len; i++) {
		struct sipcid_output *out = g_ptr_array_index(o->list, i);
		out->emit(out->ctx, call);
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
