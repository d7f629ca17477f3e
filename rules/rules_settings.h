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
 * a file the configuration names must exist. An empty value turns it off.
 *
 * And the [lists] group, the number lists rules name with `list NAME`
 * (rules_list.h):
 *
 *   [lists]
 *   spam = spam.txt                  # a file: one number a line, or FTC CSV
 *   ftc = https://example.org/x.csv  # fetched every `refresh`, kept in the state directory
 *   refresh = 6h                     # how often URL lists are fetched (s, m, h or d)
 *   timeout = 30s                    # connect and read timeout of a fetch
 *   max-size = 64M                   # the largest download (K, M or G)
 */
#ifndef SIPCID_RULES_SETTINGS_H
#define SIPCID_RULES_SETTINGS_H

#include "rules.h"

#include <glib.h>
#include <stdbool.h>

#define SIPCID_RULES_DEFAULT_PATH "/etc/sipcid/rules"
#define SIPCID_PHONEBOOK_DEFAULT_PATH "/etc/sipcid/phonebook"

/* One list of [lists]. */
struct sipcid_rules_list_source {
	char *name;
	char *path;   /* the file read: the one named, or the downloaded copy in the state directory */
	char *url;    /* NULL: a file */
};

enum {
	SIPCID_RULES_LIST_REFRESH_S = 6 * 3600,
	SIPCID_RULES_LIST_TIMEOUT_S = 30,
};
#define SIPCID_RULES_LIST_MAX_BYTES ((guint64)64 << 20)

struct sipcid_rules_settings {
	char *rules_path;          /* NULL: off */
	bool rules_required;       /* named in the configuration: missing is an error */
	char *phonebook_path;      /* NULL: off */
	bool phonebook_required;
	bool record_default;
	char *suggestions_path;    /* NULL: off */
	enum sipcid_outcome block_outcome;  /* never NONE */
	struct sipcid_rules_list_source *lists;
	unsigned n_lists;
	unsigned list_refresh_s, list_timeout_s;
	guint64 list_max_bytes;
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
 * empty, with their block-outcome, and the lists. What sipcidd calls at
 * start, on SIGHUP and when a file changes. */
struct sipcid_rules *sipcid_rules_load_settings(const struct sipcid_rules_settings *s,
                                                const struct sipcid_number_plan *plan,
                                                GError **error);
/* The same with lists already loaded (sipcid_rules_settings_load_lists). */
struct sipcid_rules *sipcid_rules_load_settings_with(const struct sipcid_rules_settings *s,
                                                     const struct sipcid_number_plan *plan,
                                                     GHashTable *lists, GError **error);
/* Loads one list of the settings. A URL list not downloaded yet is empty. */
struct sipcid_rules_list *sipcid_rules_settings_load_list(const struct sipcid_rules_list_source *src,
                                                          const struct sipcid_number_plan *plan,
                                                          GError **error);
/* Loads every list (rules_list.h's name -> list table); NULL with an error
 * naming the list when a file cannot be read. */
GHashTable *sipcid_rules_settings_load_lists(const struct sipcid_rules_settings *s,
                                             const struct sipcid_number_plan *plan,
                                             GError **error);

#endif
