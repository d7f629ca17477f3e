/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the files of the sipcid-rules program share: its configuration and
 * exit codes. sipcid_rules_tool.c has check and test; sipcid_rules_last.c
 * the commands that act on the last caller. */
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

/* Loads path (NULL: the defaults); logs the error and returns false when
 * the file is wrong. Clear the settings with sipcid_rules_settings_clear. */
bool sipcid_rules_tool_config_load(const char *path, struct sipcid_rules_tool_config *tc);

/* Adds the entries to ctx and parses the command line; on a mistake logs it,
 * prints the help, and returns false with *rc the usage exit code. */
bool sipcid_rules_tool_parse(GOptionContext *ctx, const GOptionEntry *entries, int *argc,
                             char ***argv, int *rc);

/* Logs the message and prints the command's help; returns the usage exit code. */
int sipcid_rules_tool_usage_error(GOptionContext *ctx, const char *fmt, const char *arg);

/* sipcid-rules block-last|allow-last|rename-last: argv[0] is the command. */
int sipcid_rules_last_command(int argc, char **argv);

#endif
