/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line parsing for sipcid-notify. */
#include "notify_options.h"

#include "phonenumber.h"
#include "wire.h"

#include <string.h>

bool notify_options_parse(int *argc, char ***argv, struct notify_options *o, GError **error)
{
	*o = (struct notify_options){
		.port = SIPCID_WIRE_PORT,
		.max_skew_s = 300,
		.exec_max = 4,
		.exec_timeout_s = 60,
	};
	gboolean print = FALSE, json = FALSE, no_popup = FALSE, verbose = FALSE, version = FALSE;
	g_autofree char *country = NULL;
	GOptionEntry entries[] = {
		{ "port", 'p', 0, G_OPTION_ARG_INT, &o->port,
		  "UDP port to listen on (default 7651)", "N" },
		{ "group", 'g', 0, G_OPTION_ARG_STRING, &o->group,
		  "Also listen to this multicast group (IPv4 or IPv6)", "ADDR" },
		{ "key-file", 'k', 0, G_OPTION_ARG_FILENAME, &o->key_file,
		  "Accept only datagrams signed with the key in FILE (sipcidd's [notify] auth_key_file)",
		  "FILE" },
		{ "max-skew", 0, 0, G_OPTION_ARG_INT, &o->max_skew_s,
		  "With --key-file: accept datagrams sent at most this many seconds off our clock "
		  "(default 300)", "SECONDS" },
		{ "print", 0, 0, G_OPTION_ARG_NONE, &print,
		  "Print one line per call on stdout instead of showing popups", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "With --print: one JSON object per line, with sipcidd's event keys", NULL },
		{ "exec", 'e', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->exec,
		  "Run PROGRAM for every call and state change, with the call in SIPCID_* "
		  "environment variables (no shell; repeat for several programs)", "PROGRAM" },
		{ "exec-max", 0, 0, G_OPTION_ARG_INT, &o->exec_max,
		  "Programs from --exec running at once (default 4; more wait)", "N" },
		{ "exec-timeout", 0, 0, G_OPTION_ARG_INT, &o->exec_timeout_s,
		  "Stop an --exec program still running after this many seconds (default 60)",
		  "SECONDS" },
		{ "no-popup", 0, 0, G_OPTION_ARG_NONE, &no_popup,
		  "Show no popups (with --exec on a machine without a desktop)", NULL },
		{ "country", 'c', 0, G_OPTION_ARG_STRING, &country,
		  "Show numbers of this country (ISO 3166 code, such as GB) in national format, "
		  "others in international (default: the locale's territory; without one, every "
		  "number in international format)", "CC" },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		  "Also log duplicate and replayed datagrams", NULL },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		G_OPTION_ENTRY_NULL
	};
	GOptionContext *ctx = g_option_context_new(NULL);
	g_option_context_set_summary(ctx,
		"Shows a popup for each call sipcidd announces on the LAN (UDP port 7651).");
	g_option_context_add_main_entries(ctx, entries, NULL);
	bool ok = g_option_context_parse(ctx, argc, argv, error);
	g_option_context_free(ctx);
	if (!ok)
		return false;
	o->print = print || json;
	o->json = json;
	o->no_popup = no_popup || o->print;
	o->verbose = verbose;
	o->version = version;
	if (*argc > 1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
		            "unexpected argument \"%s\" (an --exec program takes no arguments: "
		            "write a small script)", (*argv)[1]);
		return false;
	}
	if (o->port < 0 || o->port > 65535) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--port %d: expected a port number from 1 to 65535", o->port);
		return false;
	}
	if (o->max_skew_s < 1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--max-skew %d: expected a number of seconds, at least 1", o->max_skew_s);
		return false;
	}
	if (o->exec_max < 1 || o->exec_max > 64) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--exec-max %d: expected 1 to 64 programs at once", o->exec_max);
		return false;
	}
	if (o->exec_timeout_s < 1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--exec-timeout %d: expected a number of seconds, at least 1",
		            o->exec_timeout_s);
		return false;
	}
	if (country && !sipcid_phonenumber_country_known(country, o->country)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--country %s: expected a country's ISO 3166 code, such as GB or US",
		            country);
		return false;
	}
	if (!country)
		notify_options_locale_country(o->country);
	for (char **p = o->exec; p && *p; p++) {
		if (!g_file_test(*p, G_FILE_TEST_IS_EXECUTABLE) || g_file_test(*p, G_FILE_TEST_IS_DIR)) {
			char *found = g_find_program_in_path(*p);
			if (!found) {
				g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				            "--exec %s: no such executable program", *p);
				return false;
			}
			g_free(*p);
			*p = found;
		}
	}
	return true;
}

void notify_options_clear(struct notify_options *o)
{
	g_free(o->group);
	g_free(o->key_file);
	g_strfreev(o->exec);
	*o = (struct notify_options){ 0 };
}

void notify_options_locale_country(char *out)
{
	out[0] = '\0';
	const char *locale = NULL;
	static const char *const vars[] = { "LC_ALL", "LC_TELEPHONE", "LANG" };
	for (size_t i = 0; i < G_N_ELEMENTS(vars) && !locale; i++) {
		const char *v = g_getenv(vars[i]);
		if (v && *v)
			locale = v;
	}
	/* language[_territory][.codeset][@modifier] */
	const char *under = locale ? strchr(locale, '_') : NULL;
	if (!under || strlen(under + 1) < 2 || (under[3] && !strchr(".@", under[3])))
		return;
	char territory[3] = { under[1], under[2], '\0' };
	if (!sipcid_phonenumber_country_known(territory, out))
		out[0] = '\0';
}
