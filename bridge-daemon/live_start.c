/* Live mode's setup from the command line and configuration (see live_start.h). */
#include "live_start.h"

#include "live.h"
#include "outputs.h"
#include "rules_watch.h"

#include <stdio.h>

struct live_run {
	struct sipcid_pipeline *pl;
	struct sipcid_outputs outputs;
	struct sipcid_rules_watch *watch;
};

/* The rule file or phonebook changed and loaded cleanly: later calls use it. */
static void on_rules_loaded(struct sipcid_rules *rules, void *ctx)
{
	struct live_run *run = ctx;
	sipcid_pipeline_set_rules(run->pl, rules);
	sipcid_outputs_set_rules(&run->outputs, rules);
	g_message("rules reloaded: %u rules, %u phonebook entries", sipcid_rules_count(rules),
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

int sipcid_live_main(const struct sipcid_options *opts)
{
	GError *err = NULL;
	struct sipcid_settings *settings = sipcid_options_load_settings(opts);
	if (!settings)
		return 2;
	/* SIGHUP reloads with the same command-line overrides. */
	struct sipcid_settings_overrides ov = { opts->rules_path, opts->phonebook_path };
	struct live_run run = { 0 };
	run.pl = sipcid_pipeline_new(settings);
	/* Events also go to stdout, one line each (JSON with --json), like --read. */
	struct sipcid_outputs_options oo = {
		.print = true, .json = opts->json, .live = true, .announce = !opts->no_notify,
		.store = true,
	};
	if (!sipcid_outputs_open(&run.outputs, settings, run.pl, &oo, &err)) {
		fprintf(stderr, "sipcidd: %s\n", err->message);
		g_error_free(err);
		sipcid_pipeline_free(run.pl);
		sipcid_settings_free(settings);
		return 2;
	}
	watch_rules(&run, settings);
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
		.pipeline = run.pl,
		.outputs = (struct sipcid_output **)run.outputs.list->pdata,
		.n_outputs = run.outputs.list->len,
		.reloaded = on_reloaded,
		.reload_ctx = &run,
	};
	int status = sipcid_live_run(&live);
	sipcid_rules_watch_free(run.watch);
	sipcid_outputs_close(&run.outputs);
	sipcid_pipeline_free(run.pl);
	return status;
}
