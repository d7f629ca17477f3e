/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line parsing with GOption. */
#include "options.h"

#include "log.h"
#include "settings.h"

bool sipcid_options_parse(int argc, char **argv, struct sipcid_options *o)
{
	gboolean json = FALSE, no_notify = FALSE, announce = FALSE, check = FALSE, status = FALSE,
	         version = FALSE;
	int queue = -1;
	*o = (struct sipcid_options){ .queue = -1, .discover_seconds = -1,
	                              .nflog_group = -1 };
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config_path,
		  "Read the configuration from FILE (default: built-in defaults)", "FILE" },
		{ "read", 'r', 0, G_OPTION_ARG_FILENAME, &o->read_path,
		  "Replay a pcap/pcapng capture instead of running live", "FILE" },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON object per line per call",
		  NULL },
		{ "rules", 0, 0, G_OPTION_ARG_FILENAME, &o->rules_path,
		  "Use this rule file instead of the configured one", "FILE" },
		{ "phonebook", 0, 0, G_OPTION_ARG_FILENAME, &o->phonebook_path,
		  "Use this phonebook instead of the configured one", "FILE" },
		{ "queue", 'q', 0, G_OPTION_ARG_INT, &queue, "NFQUEUE number (overrides the configuration)",
		  "N" },
		{ "no-notify", 0, 0, G_OPTION_ARG_NONE, &no_notify,
		  "Do not announce calls on the network", NULL },
		{ "announce", 0, 0, G_OPTION_ARG_NONE, &announce,
		  "With --read: announce the calls as live mode would (default: only to "
		  "destinations the configuration names)", NULL },
		{ "check", 0, 0, G_OPTION_ARG_NONE, &check,
		  "Check the configuration, rule file and phonebook, then exit", NULL },
		{ "status", 0, 0, G_OPTION_ARG_NONE, &status, "Print the running daemon's counters",
		  NULL },
		{ "control-socket", 0, 0, G_OPTION_ARG_FILENAME, &o->control_path,
		  "Serve (or, with --status, ask) the control socket at PATH", "PATH" },
		{ "discover", 0, 0, G_OPTION_ARG_INT, &o->discover_seconds,
		  "Read copies from --nflog-group for up to N seconds and say where SIP runs "
		  "(what sipcid-firewall discover runs)", "N" },
		{ "nflog-group", 0, 0, G_OPTION_ARG_INT, &o->nflog_group,
		  "With --discover: the NFLOG group the copies come to", "N" },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
		{ 0 },
	};
	GOptionContext *ctx = g_option_context_new("- caller ID and call blocking on a SIP bridge");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx,
		"Examples:\n"
		"  sipcidd --config /etc/sipcid/sipcid.conf        run on the bridge\n"
		"  sipcidd --read calls.pcap --json                list the calls in a capture\n"
		"  sipcidd --check --config /etc/sipcid/sipcid.conf  check a configuration\n"
		"  sipcidd --status                                show the running daemon's counters\n");
	GError *err = NULL;
	bool ok = g_option_context_parse(ctx, &argc, &argv, &err);
	if (!ok) {
		sipcid_log_warnx("%s\nTry 'sipcidd --help'.", err->message);
		g_error_free(err);
	} else if (argc > 1) {
		sipcid_log_warnx("unexpected argument '%s'\nTry 'sipcidd --help'.", argv[1]);
		ok = false;
	} else if (announce && no_notify) {
		sipcid_log_warnx("--announce and --no-notify contradict each other");
		ok = false;
	} else if (check && (o->read_path || status)) {
		sipcid_log_warnx("--check runs alone: without --read or --status");
		ok = false;
	} else if (o->discover_seconds != -1 &&
	           (o->discover_seconds < 1 || o->discover_seconds > 86400 || o->nflog_group < 0 ||
	            o->nflog_group > 65535 || check || status || o->read_path)) {
		sipcid_log_warnx("--discover takes a number of seconds from 1 to 86400 and "
		                 "--nflog-group N (0 to 65535), and runs alone");
		ok = false;
	} else if (o->nflog_group != -1 && o->discover_seconds == -1) {
		sipcid_log_warnx("--nflog-group goes with --discover");
		ok = false;
	} else if (queue < -1 || queue > 65535) {
		sipcid_log_warnx("--queue takes a number from 0 to 65535");
		ok = false;
	}
	g_option_context_free(ctx);
	o->json = json;
	o->no_notify = no_notify;
	o->announce = announce;
	o->queue = queue;
	o->mode = version ? SIPCID_MODE_VERSION
	        : o->discover_seconds != -1 ? SIPCID_MODE_DISCOVER
	        : status  ? SIPCID_MODE_STATUS
	        : check   ? SIPCID_MODE_CHECK
	        : o->read_path ? SIPCID_MODE_READ
	                       : SIPCID_MODE_LIVE;
	return ok;
}

void sipcid_options_clear(struct sipcid_options *o)
{
	g_free(o->config_path);
	g_free(o->read_path);
	g_free(o->rules_path);
	g_free(o->phonebook_path);
	g_free(o->control_path);
}

struct sipcid_settings *sipcid_options_load_settings(const struct sipcid_options *o)
{
	GError *err = NULL;
	struct sipcid_settings_overrides ov = { o->rules_path, o->phonebook_path };
	struct sipcid_settings *s = sipcid_settings_load_with(o->config_path, &ov, &err);
	if (!s) {
		sipcid_log_gerror(NULL, err);
		g_error_free(err);
	}
	return s;
}
