/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Changing the user's rule file and phonebook from sipcid itself: "block the
 * last caller" (the MQTT button; sipcid-rules block-last, allow-last and
 * rename-last; the web console later).
 *
 * A file is rewritten atomically (a temporary file, fsync, rename), so the
 * rule-file watch (rules_watch.h) and a reader never see half a file, and a
 * crash leaves the old file or the new one. The new text is parsed before it
 * replaces the old: an edit never leaves a file that sipcidd refuses, and a
 * refused edit changes nothing. Runs on any thread; it does blocking I/O, so
 * never on the packet path. */
#ifndef SIPCID_RULES_EDIT_H
#define SIPCID_RULES_EDIT_H

#include "number.h"

#include <glib.h>
#include <stdbool.h>

/* The rule that applies `action` ("block", "reject busy", "allow", ...) to
 * exactly this caller's number ("ACTION number N").
 * NULL, with the reason in *error, when the number is empty (withheld or
 * unavailable: there is nothing to block by), is the keyword anonymous (which
 * as a pattern means every withheld caller), or holds characters the rule
 * grammar would read as a pattern, a quote or a comment. */
char *sipcid_rules_edit_number_rule(const char *action, const char *number, GError **error);
/* The same with action "block". */
char *sipcid_rules_edit_block_rule(const char *number, GError **error);

/* Puts `rule` (one line, without newline) into the rule file at `path`,
 * under a comment line "# COMMENT" (also one line), before the file's first
 * rule and the comment lines right above it: the first rule that matches
 * decides, so a rule added at the end would lose to any earlier allow. A missing file is created (mode 0644);
 * an existing file keeps its mode. `plan` normalises numbers as sipcidd
 * does, to check the result. */
bool sipcid_rules_edit_add(const char *path, const char *rule, const char *comment,
                           const struct sipcid_number_plan *plan, GError **error);
/* The same, checking the result with the number lists its rules may name
 * (rules_list.h's name -> list table, as sipcidd loads them; NULL: none, and
 * a file with `list NAME` conditions then does not load). */
bool sipcid_rules_edit_add_with(const char *path, const char *rule, const char *comment,
                                const struct sipcid_number_plan *plan, GHashTable *lists,
                                GError **error);

/* Names `number` `name` in the phonebook at `path`, under a comment line
 * "# COMMENT". An entry for the same number (as `plan` normalises it) is
 * replaced where it stands, its old line kept as a comment; otherwise the
 * entry is appended. The name is one line of text (quoted as the phonebook
 * needs); the number follows sipcid_rules_edit_number_rule's limits. */
bool sipcid_rules_edit_phonebook_set(const char *path, const char *number, const char *name,
                                     const char *comment,
                                     const struct sipcid_number_plan *plan, GError **error);

/* Removes `number`'s entry (as `plan` normalises it) from the phonebook at
 * `path`, its old line kept as a comment "# COMMENT (was: LINE)". An error
 * when there is no such entry. */
bool sipcid_rules_edit_phonebook_delete(const char *path, const char *number,
                                        const char *comment,
                                        const struct sipcid_number_plan *plan, GError **error);

/* Appends the phonebook line NUMBER "NAME" (the name's quotes and
 * backslashes escaped) to out. */
void sipcid_rules_edit_append_entry(GString *out, const char *number, const char *name);

/* Loads `text` as sipcidd would (a phonebook, or a rule file), and only
 * then replaces the file at `path` with it atomically and durably (a
 * temporary file beside it, fsync, rename), keeping the file's mode, and
 * when run as root its owner and group (a missing file is created 0644). */
bool sipcid_rules_edit_write_checked(const char *path, bool phonebook, const char *text,
                                     const struct sipcid_number_plan *plan, GError **error);
bool sipcid_rules_edit_write_checked_with(const char *path, bool phonebook, const char *text,
                                          const struct sipcid_number_plan *plan,
                                          GHashTable *lists, GError **error);
/* Only the check: whether `text` loads as sipcidd would load the file at
 * `path` (its errors name `path`, with the lines of `text`). */
bool sipcid_rules_edit_check(const char *path, bool phonebook, const char *text,
                             const struct sipcid_number_plan *plan, GHashTable *lists,
                             GError **error);

#endif
