/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the files of the sipcid-rules program share: its configuration and
 * exit codes. sipcid_rules_tool.c has check and test; sipcid_rules_last.c
 * the commands that act on the last caller; sipcid_rules_number.c those on
 * a number given (and the change both make); sipcid_rules_save.c save,
 * check of a text and list-phonebook, for sipcid-web; sipcid_rules_import.c
 * import. */
#ifndef SIPCID_RULES_TOOL_H
#define SIPCID_RULES_TOOL_H

#include "calllog_settings.h"
#include "number.h"
#include "rules_settings.h"

#include <glib.h>
#include <stdbool.h>

enum { SIPCID_RULES_EXIT_OK = 0, SIPCID_RULES_EXIT_PROBLEM = 1, SIPCID_RULES_EXIT_USAGE = 2 };

/* What the commands read from --config: the number plan, [rules] and [log]. */
struct sipcid_rules_tool_config {
	struct sipcid_number_plan plan;
	struct sipcid_rules_settings settings;
	struct sipcid_calllog_settings log;
	bool from_file;
};

/* The configuration the commands that change files read when --config is
 * not given and it exists. */
#define SIPCID_RULES_TOOL_DEFAULT_CONFIG "/etc/sipcid/sipcid.conf"

/* Loads path (NULL: the defaults); logs the error and returns false when
 * the file is wrong. Clear the settings with sipcid_rules_settings_clear. */
bool sipcid_rules_tool_config_load(const char *path, struct sipcid_rules_tool_config *tc);
/* The same with *config NULL meaning SIPCID_RULES_TOOL_DEFAULT_CONFIG when it
 * exists (set in *config); with `json`, a failure also prints the one JSON
 * refusal line. */
bool sipcid_rules_tool_config_load_default(char **config, struct sipcid_rules_tool_config *tc,
                                           bool json);

/* Adds the entries to ctx and parses the command line; on a mistake logs it,
 * prints the help, and returns false with *rc the usage exit code. */
bool sipcid_rules_tool_parse(GOptionContext *ctx, const GOptionEntry *entries, int *argc,
                             char ***argv, int *rc);

/* Logs the message and prints the command's help; returns the usage exit code. */
int sipcid_rules_tool_usage_error(GOptionContext *ctx, const char *fmt, const char *arg);

/* The lists of [lists] (rules_list.h's table), each as sipcidd loads it,
 * saying how each went when `report` (check). A list that cannot be read is
 * there empty, so the rules naming it still load; *ok turns false. */
GHashTable *sipcid_rules_tool_load_lists(const struct sipcid_rules_tool_config *tc, bool report,
                                         bool *ok);

/* Appends s to out as a JSON string (invalid UTF-8 replaced: file text and
 * names are anyone's bytes). */
void sipcid_rules_tool_json_string(GString *out, const char *s);
/* Prints {"ok":false,"error":MESSAGE} as the one line of --json output. */
void sipcid_rules_tool_json_refusal(const char *message);

/* One change to a number: a rule for it, or its phonebook entry. */
struct sipcid_rules_tool_change {
	const char *command;   /* the subcommand, for the dated comment */
	const char *action;    /* the rule's words: "block", "reject busy", "allow"; NULL: phonebook */
	const char *name;      /* with action NULL: the name to give; NULL: remove the entry */
	const char *about;     /* what the change is about, for the comment and the report
	                        * ("the call of 2026-...") or NULL */
	const char *rules_path, *phonebook_path;
	bool json;             /* report as one JSON line ({"ok":...}) */
};
/* Makes the change for `number` (normalised), which block-last and the
 * number commands share: refuses an emergency number for a block, writes
 * the file atomically after checking it loads, and reports. Returns the
 * exit code. */
int sipcid_rules_tool_change(const struct sipcid_rules_tool_change *ch,
                             const struct sipcid_rules_tool_config *tc, const char *number);
/* block-last's and block-number's OUTCOME: the rule's action words (NULL
 * outcome: "block"); NULL when the outcome is unknown. */
const char *sipcid_rules_tool_block_action(const char *outcome);

/* sipcid-rules block-last|allow-last|rename-last: argv[0] is the command. */
int sipcid_rules_last_command(int argc, char **argv);
/* sipcid-rules import (sipcid_rules_import.c). */
int sipcid_rules_import_command(int argc, char **argv);
/* sipcid-rules block-number|allow-number|name-number|unname-number
 * (sipcid_rules_number.c). */
int sipcid_rules_number_command(int argc, char **argv);
/* sipcid-rules save rules|phonebook, check --json of a text on stdin
 * (sipcid_rules_save.c). */
int sipcid_rules_save_command(int argc, char **argv);
/* The --json answer of check and save: {"ok":true} or {"ok":false,
 * "errors":[{"line","column","message"}...]} from a load error naming `name`. */
void sipcid_rules_tool_json_check(const char *name, const GError *error);
/* All of standard input as a string (up to 64 MiB, no NUL byte); NULL with
 * the reason logged. */
char *sipcid_rules_tool_read_stdin(void);
/* check --json of one file, or "-" for the text on stdin. */
int sipcid_rules_tool_check_json(const struct sipcid_rules_tool_config *tc, const char *path,
                                 bool phonebook);
/* sipcid-rules list-phonebook (sipcid_rules_save.c). */
int sipcid_rules_list_phonebook_command(int argc, char **argv);

#endif
