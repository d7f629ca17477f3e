/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Changing the user's rule file from sipcid itself: "block the last caller"
 * (the MQTT button today; sipcid-rules block-last and the web console later).
 *
 * The file is rewritten atomically (a temporary file, fsync, rename), so the
 * rule-file watch (rules_watch.h) and a reader never see half a file, and a
 * crash leaves the old file or the new one. The new text is parsed before it
 * replaces the old: an edit never leaves a file that sipcidd refuses. Runs on
 * any thread; it does blocking I/O, so never on the packet path. */
#ifndef SIPCID_RULES_EDIT_H
#define SIPCID_RULES_EDIT_H

#include "number.h"

#include <glib.h>
#include <stdbool.h>

/* The rule that blocks exactly this caller's number ("block number N").
 * NULL, with the reason in *error, when the number is empty (withheld or
 * unavailable: there is nothing to block by) or holds characters the rule
 * grammar would read as a pattern, a quote or a comment. */
char *sipcid_rules_edit_block_rule(const char *number, GError **error);

/* Puts `rule` (one line, without newline) into the rule file at `path`,
 * under a comment line "# COMMENT" (also one line), before the file's first
 * rule and the comment lines right above it: the first rule that matches
 * decides, so a rule added at the end would lose to any earlier allow. A missing file is created (mode 0644);
 * an existing file keeps its mode. `plan` normalises numbers as sipcidd
 * does, to check the result. */
bool sipcid_rules_edit_add(const char *path, const char *rule, const char *comment,
                           const struct sipcid_number_plan *plan, GError **error);

/* Replaces the file at `path` with `text` atomically and durably (a
 * temporary file beside it, fsync, rename): a reader or a crash sees the old
 * file or the new one. A missing file is created (mode 0644); an existing
 * file keeps its mode. Checking that the text loads is the caller's job. */
bool sipcid_rules_edit_write(const char *path, const char *text, GError **error);

#endif
