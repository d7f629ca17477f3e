/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The [rules] group of sipcid.conf (see sipcid-rules(5)):
 *
 *   [rules]
 *   rules = /etc/sipcid/rules           # the rule file
 *   phonebook = /etc/sipcid/phonebook   # NUMBER NAME lines
 *   record-default = false              # record calls no rule decides
 *   suggestions =                       # file collecting unknown numbers; empty: off
 *   block-outcome = decline             # what "block" does: busy, decline, gone or drop
 *
 * A file left at its default path may be missing (no rules, no phonebook);
 * a file the configuration names must exist. An empty value turns it off. */
#ifndef SIPCID_RULES_SETTINGS_H
#define SIPCID_RULES_SETTINGS_H

#include "rules.h"

#include <glib.h>
#include <stdbool.h>

#define SIPCID_RULES_DEFAULT_PATH "/etc/sipcid/rules"
#define SIPCID_PHONEBOOK_DEFAULT_PATH "/etc/sipcid/phonebook"

struct sipcid_rules_settings {
	char *rules_path;          /* NULL: off */
	bool rules_required;       /* named in the configuration: missing is an error */
	char *phonebook_path;      /* NULL: off */
	bool phonebook_required;
	bool record_default;
	char *suggestions_path;    /* NULL: off */
	enum sipcid_outcome block_outcome;  /* never NONE */
};

struct sipcid_config;

/* Fills s from cfg's [rules] group over the defaults. Relative paths are
 * taken from the configuration file's directory. Errors name FILE:LINE. */
bool sipcid_rules_settings_load(const struct sipcid_config *cfg,
                                struct sipcid_rules_settings *s, GError **error);
void sipcid_rules_settings_defaults(struct sipcid_rules_settings *s);
void sipcid_rules_settings_copy(struct sipcid_rules_settings *dst,
                                const struct sipcid_rules_settings *src);
void sipcid_rules_settings_clear(struct sipcid_rules_settings *s);

/* Loads the files the settings name, a missing optional file counting as
 * empty, with their block-outcome. What sipcidd calls at start, on SIGHUP
 * and when a file changes. */
struct sipcid_rules *sipcid_rules_load_settings(const struct sipcid_rules_settings *s,
                                                const struct sipcid_number_plan *plan,
                                                GError **error);

#endif
