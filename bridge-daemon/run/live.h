/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live mode: sipcidd inline on the bridge.
 *
 * A packet thread blocks in recvmmsg on the NFQUEUE queue, runs every packet
 * through the pipeline and gives the kernel its verdicts. The main thread runs
 * the GLib main loop: it drains the pipeline's event queue into the outputs,
 * serves the control socket (sipcidd --status) and handles signals:
 *   SIGTERM, SIGINT  stop: every packet read gets its verdict, then outputs close;
 *   SIGHUP           reload the configuration file (a broken file changes nothing). */
#ifndef SIPCID_LIVE_H
#define SIPCID_LIVE_H

#include "capture_nfq.h"
#include "outputs.h"
#include "pipeline.h"
#include "settings.h"

struct sipcid_live_options {
	/* Loaded by the caller; live mode owns it from here on and frees it
	 * (and every reloaded successor) before returning. */
	struct sipcid_settings *settings;
	/* Reloaded on SIGHUP; NULL: SIGHUP only logs that there is nothing to reload. */
	const char *config_path;
	const struct sipcid_settings_overrides *overrides;  /* kept across reloads; may be NULL */
	struct sipcid_nfq_options nfq;    /* queue number, length, receive buffer */
	/* NULL: SIPCID_CONTROL_DEFAULT_PATH; "": no control socket. */
	const char *control_path;
	/* The packet path, made by the caller from `settings`; still the
	 * caller's to free after this returns. */
	struct sipcid_pipeline *pipeline;
	/* Fed on the main loop. They stay open: the caller closes them after
	 * this returns, when every event has been delivered. */
	struct sipcid_outputs *outputs;
	/* Called on the main loop after a successful reload, before the
	 * pipeline switches to the new settings, so outputs can follow them.
	 * The old settings are freed right after: an output that points into
	 * them must switch here. */
	void (*reloaded)(void *ctx, const struct sipcid_settings *settings);
	void *reload_ctx;
	/* For the "no SIP seen" warning (sip_silence.h): the bridge whose ports
	 * tell that traffic crosses, and the firewall's SIP ports; NULL: br0
	 * and 5060. */
	const char *bridge;
	const char *sip_ports;
	/* Appends more lines to `sipcidd --status` (on the main loop); may be NULL. */
	void (*status_more)(void *ctx, GString *out);
	void *status_ctx;
};

/* Runs until SIGTERM/SIGINT or a fatal capture error. Returns the process
 * exit status (0, or 1 with the reason logged to stderr). */
int sipcid_live_run(const struct sipcid_live_options *opts);

#endif
