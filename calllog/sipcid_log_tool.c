/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-log: list, search and export the call log sipcidd writes. See sipcid-log(1). */
#include "calllog_export.h"
#include "calllog_line_events.h"
#include "calllog_query.h"
#include "calllog_schema.h"
#include "calllog_settings.h"
#include "config.h"
#include "control_client.h"
#include "log.h"
#include "state_dir.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_CONFIG "/etc/sipcid/sipcid.conf"

enum format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON };

struct printer {
	enum format format;
	GString *buf;
	long rows;
};

static void print_row(void *ctx, const struct sipcid_calllog_row *r)
{
	struct printer *p = ctx;
	g_string_truncate(p->buf, 0);
	if (p->format == FORMAT_CSV)
		sipcid_calllog_csv_row(p->buf, r);
	else if (p->format == FORMAT_JSON)
		sipcid_calllog_json_row(p->buf, r);
	else
		sipcid_calllog_text_row(p->buf, r);
	fwrite(p->buf->str, 1, p->buf->len, stdout);
	p->rows++;
}

static void print_line_event(void *ctx, const struct sipcid_line_event *ev)
{
	struct printer *p = ctx;
	g_string_truncate(p->buf, 0);
	if (p->format == FORMAT_JSON)
		sipcid_line_event_json(p->buf, ev);
	else
		sipcid_line_event_line(p->buf, ev);
	g_string_append_c(p->buf, '\n');
	fwrite(p->buf->str, 1, p->buf->len, stdout);
	p->rows++;
}

/* --database wins; then [log] database of the configuration file. */
static char *database_path(const char *database, const char *config, GError **error)
{
	if (database)
		return g_strdup(database);
	bool explicit_config = config != NULL;
	if (!config)
		config = DEFAULT_CONFIG;
	if (!explicit_config && !g_file_test(config, G_FILE_TEST_EXISTS)) {
		char path[4096];
		sipcid_state_path("calls.db", path, sizeof path);
		return g_strdup(path);
	}
	struct sipcid_config *cfg = sipcid_config_load(config, error);
	if (!cfg)
		return NULL;
	struct sipcid_calllog_settings s;
	bool ok = sipcid_calllog_settings_load(cfg, &s, error);
	sipcid_config_free(cfg);
	return ok ? g_strdup(s.database) : NULL;
}

/* sipcid-log record CALL-ID on|off: asks the running sipcidd. */
static int record_call(const char *socket, const char *call_id, const char *onoff)
{
	if (strcmp(onoff, "on") && strcmp(onoff, "off")) {
		sipcid_log_warnx("record: expected on or off after the Call-ID, not '%s'", onoff);
		return 2;
	}
	if (!*call_id || strpbrk(call_id, " \t\r\n")) {
		sipcid_log_warnx("record: '%s' is not a Call-ID (sipcid-log --json shows them)", call_id);
		return 2;
	}
	g_autofree char *cmd = g_strdup_printf("record %s %s", call_id, onoff);
	GError *err = NULL;
	g_autoptr(GString) reply = g_string_new(NULL);
	if (!sipcid_control_client_request(socket, cmd, reply, &err)) {
		sipcid_log_warnx("record: %s", err->message);
		g_error_free(err);
		return 1;
	}
	/* The daemon answers "ok: ..." or "error: ...": errors go to stderr. */
	bool ok = g_str_has_prefix(reply->str, "ok:");
	fputs(ok ? reply->str + 4 : g_str_has_prefix(reply->str, "error: ") ? reply->str + 7
	                                                                     : reply->str,
	      ok ? stdout : stderr);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	sipcid_log_init("sipcid-log");
	g_autofree char *database = NULL, *config = NULL, *number = NULL, *name = NULL;
	g_autofree char *since = NULL, *until = NULL, *direction = NULL, *verstat = NULL;
	g_autofree char *state = NULL, *socket = NULL;
	gboolean csv = FALSE, json = FALSE, line_events = FALSE;
	int limit = -1;
	GOptionEntry entries[] = {
		{ "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
		  "Read this call log (default: [log] database of the configuration)", "FILE" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "Configuration file (default: " DEFAULT_CONFIG ")", "FILE" },
		{ "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
		  "Show at most N calls (list: 20; export: all; 0: all)", "N" },
		{ "number", 0, 0, G_OPTION_ARG_STRING, &number, "Calls whose number contains TEXT",
		  "TEXT" },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name,
		  "Calls whose name or alias contains TEXT (any letter case)", "TEXT" },
		{ "direction", 0, 0, G_OPTION_ARG_STRING, &direction,
		  "Only incoming calls, or only the phone's own outgoing calls", "incoming|outgoing" },
		{ "verstat", 0, 0, G_OPTION_ARG_STRING, &verstat,
		  "Calls whose STIR/SHAKEN verification was this (none: not known)",
		  "passed|failed|no-validation|none" },
		{ "state", 0, 0, G_OPTION_ARG_STRING, &state,
		  "Only calls that ended so: blocked (a rule turned them away), missed, answered, "
		  "ended or ringing", "STATE" },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since, "Calls from DATE on (YYYY-MM-DD[ HH:MM])",
		  "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &until,
		  "Calls up to DATE (a bare date includes that whole day)", "DATE" },
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV (RFC 4180)", NULL },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON object per line", NULL },
		{ "line-events", 'L', 0, G_OPTION_ARG_NONE, &line_events,
		  "Show the line going down and up, and voicemail counts, instead of calls", NULL },
		{ "control-socket", 0, 0, G_OPTION_ARG_FILENAME, &socket,
		  "record: sipcidd's control socket (default: " SIPCID_CONTROL_DEFAULT_PATH ")", "PATH" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *oc = g_option_context_new("[list|export|record CALL-ID on|off] - the sipcid call log");
	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(
		oc, "Examples:\n"
		    "  sipcid-log                          the 20 most recent calls\n"
		    "  sipcid-log --number 555 --since 2026-01-01\n"
		    "  sipcid-log --state blocked          the calls the rules turned away\n"
		    "  sipcid-log export --csv > calls.csv  every call, oldest first\n"
		    "  sipcid-log --line-events             when the line went down, voicemail\n"
		    "  sipcid-log record CALL-ID on         record a call in progress from now on\n");
	GError *err = NULL;
	if (!g_option_context_parse(oc, &argc, &argv, &err)) {
		sipcid_log_gerror(NULL, err);
		g_error_free(err);
		g_option_context_free(oc);
		return 2;
	}
	g_option_context_free(oc);
	if (argc >= 2 && !strcmp(argv[1], "record")) {
		if (argc != 4) {
			sipcid_log_warnx("expected record CALL-ID on|off");
			return 2;
		}
		return record_call(socket, argv[2], argv[3]);
	}
	bool export = false;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "list") && strcmp(argv[1], "export"))) {
		sipcid_log_warnx("expected 'list', 'export' or 'record', not '%s'", argv[1]);
		return 2;
	}
	if (argc == 2)
		export = !strcmp(argv[1], "export");
	if (line_events && csv) {
		sipcid_log_warnx("--line-events prints text or --json, not CSV");
		return 2;
	}
	if (csv && json) {
		sipcid_log_warnx("choose one of --csv and --json");
		return 2;
	}
	if (limit < -1) {
		sipcid_log_warnx("--limit expects a number of calls, 0 or more");
		return 2;
	}
	struct sipcid_calllog_filter f = { 0 };
	f.number = number;
	f.name = name;
	enum sipcid_direction dir;
	if (direction && !sipcid_call_direction_parse(direction, &dir)) {
		fprintf(stderr, "sipcid-log: --direction expects incoming or outgoing, not '%s'\n",
		        direction);
		return 2;
	}
	f.direction = direction ? sipcid_call_direction_name(dir) : NULL;
	enum sipcid_verstat vs;
	if (verstat && !sipcid_call_verstat_parse(verstat, &vs)) {
		sipcid_log_warnx("--verstat expects passed, failed, no-validation or none, not '%s'",
		                 verstat);
		return 2;
	}
	/* the writer stores none as an empty text */
	f.verstat = !verstat ? NULL : vs ? sipcid_call_verstat_name(vs) : "";
	enum sipcid_state st;
	if (state && !sipcid_call_state_parse(state, &st)) {
		sipcid_log_warnx("--state expects blocked, missed, answered, ended or ringing, not "
		                 "'%s'", state);
		return 2;
	}
	f.state = state ? sipcid_call_state_name(st) : NULL;
	f.limit = limit >= 0 ? limit : export ? 0 : 20;
	f.newest_first = !export;
	if ((since && !sipcid_calllog_parse_date(since, false, &f.since_us)) ||
	    (until && !sipcid_calllog_parse_date(until, true, &f.until_us))) {
		sipcid_log_warnx("expected a date like 2026-11-21 or 2026-11-21 22:54, not '%s'",
		                 since && !f.since_us ? since : until);
		return 2;
	}
	g_autofree char *path = database_path(database, config, &err);
	sqlite3 *db = path ? sipcid_calllog_open_read(path, &err) : NULL;
	if (!db) {
		sipcid_log_gerror(NULL, err);
		g_error_free(err);
		return 1;
	}
	struct printer p = { export && !json ? FORMAT_CSV : FORMAT_TEXT, g_string_new(NULL), 0 };
	if (csv)
		p.format = FORMAT_CSV;
	if (json)
		p.format = FORMAT_JSON;
	if (line_events) {
		bool done = sipcid_calllog_line_events(db, &f, print_line_event, &p, &err);
		sqlite3_close(db);
		g_string_free(p.buf, TRUE);
		if (!done) {
			sipcid_log_gerror(path, err);
			g_error_free(err);
			return 1;
		}
		if (p.format == FORMAT_TEXT && p.rows == 0)
			sipcid_log_info("no line events match");
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (p.format == FORMAT_CSV) {
		sipcid_calllog_csv_header(p.buf);
		fwrite(p.buf->str, 1, p.buf->len, stdout);
	}
	bool ok = sipcid_calllog_query(db, &f, print_row, &p, &err);
	sqlite3_close(db);
	g_string_free(p.buf, TRUE);
	if (!ok) {
		sipcid_log_gerror(path, err);
		g_error_free(err);
		return 1;
	}
	if (p.format == FORMAT_TEXT && p.rows == 0)
		sipcid_log_info("no calls match");
	return fflush(stdout) == 0 ? 0 : 1;
}
