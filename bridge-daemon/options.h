/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcidd's command line (see sipcidd(8)). */
#ifndef SIPCID_OPTIONS_H
#define SIPCID_OPTIONS_H

#include <glib.h>
#include <stdbool.h>

enum sipcid_mode {
	SIPCID_MODE_LIVE,
	SIPCID_MODE_READ,
	SIPCID_MODE_CHECK,
	SIPCID_MODE_STATUS,
	SIPCID_MODE_VERSION,
	SIPCID_MODE_DISCOVER,    /* sipcid-firewall discover's reader (run/discover.h) */
};

struct sipcid_options {
	enum sipcid_mode mode;
	char *config_path;
	char *read_path;
	char *rules_path;
	char *phonebook_path;
	char *control_path;       /* NULL: the default under /run/sipcid */
	int queue;                /* -1: from the configuration */
	int discover_seconds;     /* --discover: how long to watch; -1: not discovering */
	int nflog_group;          /* --discover: the NFLOG group of the copies */
	bool json;
	bool no_notify;
	bool announce;            /* --read: announce to the defaults too (offline.c) */
};

/* Parses argv; on error logs usage advice and returns false. */
bool sipcid_options_parse(int argc, char **argv, struct sipcid_options *opts);
void sipcid_options_clear(struct sipcid_options *opts);

/* Loads the configuration the options name (with --rules/--phonebook on top);
 * on failure logs why and returns NULL. */
struct sipcid_settings;
struct sipcid_settings *sipcid_options_load_settings(const struct sipcid_options *opts);

#endif
