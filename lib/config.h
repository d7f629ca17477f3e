/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The configuration file (GKeyFile syntax, see sipcid.conf(5)).
 *
 * This module only reads the file and answers typed questions about it. Each
 * stage owns its own group and its own settings struct, and loads them with
 * the getters below, so an error always names the file and line of the bad
 * value. Unknown groups and keys are errors too: a typo must not silently
 * fall back to a default. */
#ifndef SIPCID_CONFIG_H
#define SIPCID_CONFIG_H

#include <glib.h>
#include <stdbool.h>

#define SIPCID_CONFIG_ERROR (sipcid_config_error_quark())
GQuark sipcid_config_error_quark(void);

struct sipcid_config;

/* path NULL gives an empty configuration: every stage uses its defaults. */
struct sipcid_config *sipcid_config_load(const char *path, GError **error);
/* For tests and tools: parse text as if it came from `name`. */
struct sipcid_config *sipcid_config_load_data(const char *name, const char *text, GError **error);
void sipcid_config_free(struct sipcid_config *cfg);

const char *sipcid_config_path(const struct sipcid_config *cfg);  /* "(defaults)" without a file */

/* Rejects keys of `group` not in the NULL-terminated `known` list. */
bool sipcid_config_check_keys(const struct sipcid_config *cfg, const char *group,
                              const char *const *known, GError **error);
/* Rejects groups not in the NULL-terminated list. An entry "WORD *" also
 * accepts every group "WORD NAME" (like [webhook ntfy]). */
bool sipcid_config_check_groups(const struct sipcid_config *cfg, const char *const *known,
                                GError **error);

/* The groups in the file, in its order; and the keys of one group (NULL
 * when there is no such group). Free with g_strfreev. */
char **sipcid_config_groups(const struct sipcid_config *cfg);
char **sipcid_config_keys(const struct sipcid_config *cfg, const char *group);

bool sipcid_config_has(const struct sipcid_config *cfg, const char *group, const char *key);
/* Each getter leaves *out unchanged when the key is absent and returns true. */
bool sipcid_config_string(const struct sipcid_config *cfg, const char *group, const char *key,
                          char **out, GError **error);
/* A comma- or semicolon-separated list; entries are trimmed, empty entries dropped. */
bool sipcid_config_list(const struct sipcid_config *cfg, const char *group, const char *key,
                        char ***out, GError **error);
bool sipcid_config_bool(const struct sipcid_config *cfg, const char *group, const char *key,
                        bool *out, GError **error);
bool sipcid_config_int(const struct sipcid_config *cfg, const char *group, const char *key,
                       long min, long max, long *out, GError **error);
/* The value must be one of the NULL-terminated `choices`; *out is its index. */
bool sipcid_config_choice(const struct sipcid_config *cfg, const char *group, const char *key,
                          const char *const *choices, int *out, GError **error);

/* Sets an error that names FILE:LINE of group/key: "FILE:LINE: [group] key: message". */
void sipcid_config_set_error(const struct sipcid_config *cfg, GError **error, const char *group,
                             const char *key, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

#endif
