/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-rules block-last [OUTCOME], allow-last and rename-last NAME: the
 * caller who just rang, from the call log, into the rule file or the
 * phonebook (rules_edit.h writes them atomically, checked first); sipcidd's
 * file watch reloads them. See sipcid-rules(1). */
#include "calllog_query.h"
#include "calllog_schema.h"
#include "log.h"
#include "rules_edit.h"
#include "sipcid_rules_tool.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_CONFIG SIPCID_RULES_TOOL_DEFAULT_CONFIG

static void keep_last(void *ctx, const struct sipcid_calllog_row *row)
{
	struct sipcid_calllog_row *last = ctx;
	*last = *row;
}

/* The most recent incoming call in the log; false with the reason logged. */
static bool last_caller(const char *path, struct sipcid_calllog_row *last)
{
	GError *error = NULL;
	sqlite3 *db = sipcid_calllog_open_read(path, &error);
	if (!db) {
		sipcid_log_gerror(NULL, error);
		g_error_free(error);
		return false;
	}
	struct sipcid_calllog_filter f = { .direction = "incoming", .limit = 1,
		                           .newest_first = true };
	last->id = 0;
	bool ok = sipcid_calllog_query(db, &f, keep_last, last, &error);
	sqlite3_close(db);
	if (!ok) {
		sipcid_log_gerror(path, error);
		g_error_free(error);
		return false;
	}
	if (last->id == 0) {
		sipcid_log_warnx("%s: no incoming call in the call log yet; nothing to act on", path);
		return false;
	}
	return true;
}

static void local_time(char *out, size_t size, int64_t us, const char *format)
{
	g_autoptr(GDateTime) t = g_date_time_new_from_unix_local(us / G_USEC_PER_SEC);
	g_autofree char *s = t ? g_date_time_format(t, format) : NULL;
	g_strlcpy(out, s ? s : "?", size);
}

/* A caller the rules and phonebook can name: one who sent a number. */
static bool has_number(const struct sipcid_call *c, const char *verb)
{
	if (c->number[0] && c->presentation == SIPCID_PRES_ALLOWED &&
	    g_ascii_strcasecmp(c->number, "anonymous"))
		return true;
	sipcid_log_warnx("%s; there is nothing to %s (a rule such as 'block number anonymous' "
	                 "covers every such caller: sipcid-rules(5))",
	                 c->presentation == SIPCID_PRES_UNAVAILABLE
	                         ? "the network did not send the last caller's number"
	                         : "the last caller withheld their number",
	                 verb);
	return false;
}

/* The caller c, into the rule file or the phonebook. */
static int act_on(struct sipcid_rules_tool_change *ch, const struct sipcid_rules_tool_config *tc,
                  const struct sipcid_call *c)
{
	const char *verb = !ch->action ? "name" : strcmp(ch->action, "allow") ? "block" : "allow";
	if (!has_number(c, verb))
		return SIPCID_RULES_EXIT_PROBLEM;
	char when[32];
	local_time(when, sizeof when, c->time_us, "%Y-%m-%d %H:%M:%S");
	g_autofree char *about = g_strdup_printf("the call of %s from %s", when, c->number);
	ch->about = about;
	int rc = sipcid_rules_tool_change(ch, tc, c->number);
	ch->about = NULL;
	return rc;
}

static int act(struct sipcid_rules_tool_change *ch, const struct sipcid_rules_tool_config *tc,
               const char *database)
{
	/* A row holds a 4 KiB recording path: off the stack. */
	g_autofree struct sipcid_calllog_row *last = g_new0(struct sipcid_calllog_row, 1);
	if (!last_caller(database ? database : tc->log.database, last))
		return SIPCID_RULES_EXIT_PROBLEM;
	return act_on(ch, tc, &last->call);
}

int sipcid_rules_last_command(int argc, char **argv)
{
	g_autofree char *config = NULL, *database = NULL, *rules = NULL, *phonebook = NULL;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "sipcid.conf: its number plan, [rules] files and [log] database (default "
		  DEFAULT_CONFIG " when it exists)", "FILE" },
		{ "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
		  "the call log (default: [log] database)", "FILE" },
		{ "rules", 'r', 0, G_OPTION_ARG_FILENAME, &rules,
		  "the rule file to change (default: [rules] rules)", "FILE" },
		{ "phonebook", 'p', 0, G_OPTION_ARG_FILENAME, &phonebook,
		  "the phonebook to change (default: [rules] phonebook)", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	struct sipcid_rules_tool_change ch = { .command = argv[0] };
	bool rename = !strcmp(ch.command, "rename-last");
	bool block = !strcmp(ch.command, "block-last");
	g_autoptr(GOptionContext) ctx = g_option_context_new(
		rename  ? "NAME - name the last caller in the phonebook"
		: block ? "[busy|decline|gone|drop] - block the last caller"
		        : "- let the last caller ring, whatever the later rules say");
	int rc;
	if (!sipcid_rules_tool_parse(ctx, entries, &argc, &argv, &rc))
		return rc;
	if (rename) {
		if (argc != 2 || !argv[1][0])
			return sipcid_rules_tool_usage_error(ctx, "%s", "expected the name to give the "
			                                                "last caller, in quotes if it "
			                                                "has spaces");
		ch.name = argv[1];
	} else if (block) {
		if (argc > 2)
			return sipcid_rules_tool_usage_error(ctx, "unexpected argument '%s'", argv[2]);
		ch.action = sipcid_rules_tool_block_action(argc == 2 ? argv[1] : NULL);
		if (!ch.action)
			return sipcid_rules_tool_usage_error(ctx, "expected an outcome (busy, decline, "
			                                          "gone or drop), not '%s'", argv[1]);
	} else {
		if (argc > 1)
			return sipcid_rules_tool_usage_error(ctx, "unexpected argument '%s'", argv[1]);
		ch.action = "allow";
	}
	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load_default(&config, &tc, false))
		return SIPCID_RULES_EXIT_PROBLEM;
	ch.rules_path = rules ? rules : tc.settings.rules_path;
	ch.phonebook_path = phonebook ? phonebook : tc.settings.phonebook_path;
	rc = act(&ch, &tc, database);
	sipcid_rules_settings_clear(&tc.settings);
	return rc;
}
