/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-rules block-number NUMBER [OUTCOME], allow-number NUMBER,
 * name-number NUMBER NAME and unname-number NUMBER: a number given, into the
 * rule file or the phonebook (sipcid-web's buttons run these), and the
 * change itself, which block-last and the others share. See sipcid-rules(1). */
#include "log.h"
#include "rules_edit.h"
#include "sipcid_rules_tool.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_CONFIG SIPCID_RULES_TOOL_DEFAULT_CONFIG

const char *sipcid_rules_tool_block_action(const char *outcome)
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

static int refuse(const struct sipcid_rules_tool_change *ch, const char *message)
{
	sipcid_log_warnx("%s", message);
	if (ch->json)
		sipcid_rules_tool_json_refusal(message);
	return SIPCID_RULES_EXIT_PROBLEM;
}

/* What changed, in the words of the file: a line of text, or of JSON. */
static void report(const struct sipcid_rules_tool_change *ch, const char *path,
                   const char *number, const char *rule)
{
	if (ch->json) {
		g_autoptr(GString) out = g_string_new("{\"ok\":true,\"path\":");
		sipcid_rules_tool_json_string(out, path);
		g_string_append(out, ",\"number\":");
		sipcid_rules_tool_json_string(out, number);
		if (rule) {
			g_string_append(out, ",\"rule\":");
			sipcid_rules_tool_json_string(out, rule);
		} else if (ch->name) {
			g_string_append(out, ",\"name\":");
			sipcid_rules_tool_json_string(out, ch->name);
		}
		g_string_append(out, "}\n");
		fputs(out->str, stdout);
		return;
	}
	g_autofree char *about = ch->about ? g_strdup_printf(" (%s)", ch->about) : g_strdup("");
	if (rule)
		printf("%s: added '%s'%s; sipcidd reloads the file by itself\n", path, rule, about);
	else if (ch->name)
		printf("%s: %s is now named \"%s\"%s; sipcidd reloads the file by itself\n", path,
		       number, ch->name, about);
	else
		printf("%s: %s is no longer in the phonebook; sipcidd reloads the file by itself\n",
		       path, number);
}

int sipcid_rules_tool_change(const struct sipcid_rules_tool_change *ch,
                             const struct sipcid_rules_tool_config *tc, const char *number)
{
	if (ch->action && strcmp(ch->action, "allow") &&
	    sipcid_number_is_emergency(&tc->plan, number)) {
		g_autofree char *m = g_strdup_printf("%s is an emergency number: sipcid never blocks "
		                                     "it", number);
		return refuse(ch, m);
	}
	const char *path = ch->action ? ch->rules_path : ch->phonebook_path;
	if (!path) {
		g_autofree char *m = g_strdup_printf("no %s is configured ([rules] %s is empty)",
		                                     ch->action ? "rule file" : "phonebook",
		                                     ch->action ? "rules" : "phonebook");
		return refuse(ch, m);
	}
	g_autoptr(GDateTime) t = g_date_time_new_now_local();
	g_autofree char *now = g_date_time_format(t, "%Y-%m-%d %H:%M");
	/* Only the checked number and fixed words go into the comment: a
	 * caller's name is the network's text. */
	g_autofree char *comment = g_strdup_printf("%s: sipcid-rules %s, %s", now, ch->command,
	                                           ch->about ? ch->about : number);
	GError *error = NULL;
	g_autofree char *rule = NULL;
	bool ok;
	if (ch->action) {
		rule = sipcid_rules_edit_number_rule(ch->action, number, &error);
		/* checked with the lists, as sipcidd will load the file */
		bool lists_ok = true;
		g_autoptr(GHashTable) lists = rule ? sipcid_rules_tool_load_lists(tc, false, &lists_ok)
		                                   : NULL;
		ok = rule && sipcid_rules_edit_add_with(path, rule, comment, &tc->plan, lists, &error);
	} else if (ch->name) {
		ok = sipcid_rules_edit_phonebook_set(path, number, ch->name, comment, &tc->plan,
		                                     &error);
	} else {
		ok = sipcid_rules_edit_phonebook_delete(path, number, comment, &tc->plan, &error);
	}
	if (!ok) {
		int rc = refuse(ch, error->message);
		g_error_free(error);
		return rc;
	}
	report(ch, path, number, rule);
	return SIPCID_RULES_EXIT_OK;
}

/* The number as the rules and the phonebook hold it; NULL, with the reason
 * given, for a withheld caller or text that is not a phone number. */
static char *normalised(const struct sipcid_rules_tool_change *ch,
                        const struct sipcid_rules_tool_config *tc, const char *given)
{
	g_autofree char *raw = g_strstrip(g_strdup(given));
	char number[SIPCID_NUMBER_MAX];
	GError *error = NULL;
	if (!raw[0] || !g_ascii_strcasecmp(raw, "anonymous")) {
		/* the refusal in the words block-last uses */
		g_free(sipcid_rules_edit_number_rule("block", raw, &error));
	} else if (strlen(raw) >= sizeof number ||
	           !sipcid_number_normalise(&tc->plan, raw, number, sizeof number)) {
		g_set_error(&error, SIPCID_RULES_ERROR, 0, "'%s' is not a phone number (expected "
		            "digits, optionally with a leading + and separators such as - or spaces)",
		            raw);
	} else {
		return g_strdup(number);
	}
	refuse(ch, error->message);
	g_error_free(error);
	return NULL;
}

int sipcid_rules_number_command(int argc, char **argv)
{
	g_autofree char *config = NULL, *rules = NULL, *phonebook = NULL;
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "sipcid.conf: its number plan, [rules] files and [lists] (default "
		  DEFAULT_CONFIG " when it exists)", "FILE" },
		{ "rules", 'r', 0, G_OPTION_ARG_FILENAME, &rules,
		  "the rule file to change (default: [rules] rules)", "FILE" },
		{ "phonebook", 'p', 0, G_OPTION_ARG_FILENAME, &phonebook,
		  "the phonebook to change (default: [rules] phonebook)", "FILE" },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json,
		  "say what changed, or why not, as one JSON line", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	struct sipcid_rules_tool_change ch = { .command = argv[0] };
	bool block = !strcmp(ch.command, "block-number");
	bool allow = !strcmp(ch.command, "allow-number");
	bool name = !strcmp(ch.command, "name-number");
	g_autoptr(GOptionContext) ctx = g_option_context_new(
		block   ? "NUMBER [busy|decline|gone|drop] - block a number"
		: allow ? "NUMBER - let a number ring, whatever the later rules say"
		: name  ? "NUMBER NAME - name a number in the phonebook"
		        : "NUMBER - remove a number from the phonebook");
	int rc;
	if (!sipcid_rules_tool_parse(ctx, entries, &argc, &argv, &rc))
		return rc;
	ch.json = json;
	int want = name ? 3 : 2;
	if (argc < 2)
		return sipcid_rules_tool_usage_error(ctx, "%s", "expected the NUMBER (\"\" for none)");
	if (argc > want + block)
		return sipcid_rules_tool_usage_error(ctx, "unexpected argument '%s'", argv[want + block]);
	if (name) {
		if (argc != 3 || !argv[2][0])
			return sipcid_rules_tool_usage_error(ctx, "%s", "expected the NAME after the "
			                                                "number, in quotes if it has spaces");
		ch.name = argv[2];
	} else if (block) {
		ch.action = sipcid_rules_tool_block_action(argc == 3 ? argv[2] : NULL);
		if (!ch.action)
			return sipcid_rules_tool_usage_error(ctx, "expected an outcome (busy, decline, "
			                                          "gone or drop), not '%s'", argv[2]);
	} else if (allow) {
		ch.action = "allow";
	}
	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load_default(&config, &tc, json))
		return SIPCID_RULES_EXIT_PROBLEM;
	ch.rules_path = rules ? rules : tc.settings.rules_path;
	ch.phonebook_path = phonebook ? phonebook : tc.settings.phonebook_path;
	g_autofree char *number = normalised(&ch, &tc, argv[1]);
	rc = number ? sipcid_rules_tool_change(&ch, &tc, number) : SIPCID_RULES_EXIT_PROBLEM;
	sipcid_rules_settings_clear(&tc.settings);
	return rc;
}
