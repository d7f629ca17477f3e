/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-notify's command line (see sipcid-notify(1)). */
#ifndef SIPCID_NOTIFY_OPTIONS_H
#define SIPCID_NOTIFY_OPTIONS_H

#include "call.h"

#include <glib.h>
#include <stdbool.h>

struct notify_options {
	int port;             /* 0..65535; 0 picks a free port */
	char *group;          /* multicast group or NULL */
	char *key_file;       /* NULL: accept unsigned datagrams */
	int max_skew_s;       /* signed datagrams: accepted clock difference */
	bool print;
	bool json;            /* implies print */
	bool no_popup;        /* also implied by print */
	char **exec;          /* NULL-terminated, or NULL */
	int exec_max;         /* hook programs running at once */
	int exec_timeout_s;
	bool verbose;
	bool version;
	/* Numbers of this country (ISO code) are shown in national format,
	 * others in international: from --country, else the locale's
	 * territory; "" for none (every number international). */
	char country[SIPCID_COUNTRY_MAX];
};

/* Parses argv; errors are written for the user and name the option. */
bool notify_options_parse(int *argc, char ***argv, struct notify_options *o, GError **error);
void notify_options_clear(struct notify_options *o);

/* The territory of the locale the environment names for telephone numbers
 * (LC_ALL, LC_TELEPHONE, LANG: "en_GB.UTF-8" gives "GB"), when
 * libphonenumber knows it; "" otherwise ("C", "POSIX", no territory).
 * out: SIPCID_COUNTRY_MAX bytes. */
void notify_options_locale_country(char *out);

#endif
