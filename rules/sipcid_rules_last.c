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

#define DEFAULT_CONFIG "/etc/sipcid/sipcid.conf"

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

struct last_args {
	const char *command;   /* block-last, allow-last, rename-last */
	const char *action;    /* the rule's words: "block", "reject busy", "allow"; NULL: rename */
	const char *name;      /* rename-last */
};

/* Writes the rule or phonebook entry for the last caller c. */
static int act_on(const struct last_args *a, const struct sipcid_rules_tool_config *tc,
                  const struct sipcid_call *c, const char *rules_path,
                  const char *phonebook_path)
{
	const char *verb = !a->action ? "name" : strcmp(a->action, "allow") ? "block" : "allow";
	if (!has_number(c, verb))
		return SIPCID_RULES_EXIT_PROBLEM;
	if (a->action && strcmp(a->action, "allow") &&
	    sipcid_number_is_emergency(&tc->plan, c->number)) {
		sipcid_log_warnx("the last caller, %s, is an emergency number: sipcid never blocks "
		                 "it", c->number);
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	const char *path = a->action ? rules_path : phonebook_path;
	if (!path) {
		sipcid_log_warnx("no %s is configured ([rules] %s is empty)",
		                 a->action ? "rule file" : "phonebook",
		                 a->action ? "rules" : "phonebook");
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	char now[32], when[32];
	local_time(now, sizeof now, g_get_real_time(), "%Y-%m-%d %H:%M");
	local_time(when, sizeof when, c->time_us, "%Y-%m-%d %H:%M:%S");
	/* Only the checked number and fixed words go into the comment: the
	 * caller's name is the network's text. */
	g_autofree char *comment = g_strdup_printf("%s: sipcid-rules %s, the call of %s from %s",
	                                           now, a->command, when, c->number);
	GError *error = NULL;
	g_autofree char *rule = NULL;
	bool ok;
	if (a->action) {
		rule = sipcid_rules_edit_number_rule(a->action, c->number, &error);
		ok = rule && sipcid_rules_edit_add(path, rule, comment, &tc->plan, &error);
	} else {
		ok = sipcid_rules_edit_phonebook_set(path, c->number, a->name, comment, &tc->plan,
		                                     &error);
	}
	if (!ok) {
		sipcid_log_gerror(NULL, error);
		g_error_free(error);
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	/* The result is output: what changed, in the words of the file. */
	if (rule)
		printf("%s: added '%s' (the call of %s); sipcidd reloads the file by itself\n", path,
		       rule, when);
	else
		printf("%s: %s is now named \"%s\" (the call of %s); sipcidd reloads the file by "
		       "itself\n", path, c->number, a->name, when);
	return SIPCID_RULES_EXIT_OK;
}

static int act(const struct last_args *a, const struct sipcid_rules_tool_config *tc,
               const char *database, const char *rules_path, const char *phonebook_path)
{
	/* A row holds a 4 KiB recording path: off the stack. */
	g_autofree struct sipcid_calllog_row *last = g_new0(struct sipcid_calllog_row, 1);
	if (!last_caller(database ? database : tc->log.database, last))
		return SIPCID_RULES_EXIT_PROBLEM;
	return act_on(a, tc, &last->call, rules_path, phonebook_path);
}

/* block-last's OUTCOME: the rule's action words. */
static const char *block_action(const char *outcome)
{
	if (!outcome)
		return "block";
	if (!strcmp(outcome, "busy"))
		return "reject busy";
	if (!strcmp(outcome, "decline"))
		return "reject decline";
	if (!strcmp(outcome, "gone"))
		return "reject gone";
	if (!strcmp(outcome, "drop"))
		return "drop";
	return NULL;
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
	struct last_args a = { .command = argv[0] };
	bool rename = !strcmp(a.command, "rename-last");
	bool block = !strcmp(a.command, "block-last");
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
		a.name = argv[1];
	} else if (block) {
		if (argc > 2)
			return sipcid_rules_tool_usage_error(ctx, "unexpected argument '%s'", argv[2]);
		a.action = block_action(argc == 2 ? argv[1] : NULL);
		if (!a.action)
			return sipcid_rules_tool_usage_error(ctx, "expected an outcome (busy, decline, "
			                                          "gone or drop), not '%s'", argv[1]);
	} else {
		if (argc > 1)
			return sipcid_rules_tool_usage_error(ctx, "unexpected argument '%s'", argv[1]);
		a.action = "allow";
	}
	if (!config && g_file_test(DEFAULT_CONFIG, G_FILE_TEST_EXISTS))
		config = g_strdup(DEFAULT_CONFIG);
	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load(config, &tc))
		return SIPCID_RULES_EXIT_PROBLEM;
	rc = act(&a, &tc, database, rules ? rules : tc.settings.rules_path,
	             phonebook ? phonebook : tc.settings.phonebook_path);
	sipcid_rules_settings_clear(&tc.settings);
	return rc;
}
