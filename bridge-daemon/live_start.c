/* Live mode's setup from the command line (see live_start.h). */
#include "live_start.h"

#include "live.h"
#include "output_print.h"

#include <stdio.h>

int sipcid_live_main(const struct sipcid_options *opts)
{
	GError *err = NULL;
	struct sipcid_settings_overrides ov = { opts->rules_path, opts->phonebook_path };
	struct sipcid_settings *settings = sipcid_settings_load_with(opts->config_path, &ov, &err);
	if (!settings) {
		fprintf(stderr, "sipcidd: %s\n", err->message);
		g_error_free(err);
		return 2;
	}
	/* Events go to stdout, one line each (JSON with --json), like --read. */
	struct sipcid_output *outputs[] = { sipcid_output_print_new(opts->json) };
	struct sipcid_live_options live = {
		.settings = settings,
		.config_path = opts->config_path,
		.overrides = &ov,
		.nfq = { .queue_num = (uint16_t)(opts->queue >= 0 ? opts->queue : 0) },
		.control_path = opts->control_path,
		.outputs = outputs,
		.n_outputs = G_N_ELEMENTS(outputs),
	};
	return sipcid_live_run(&live);
}
