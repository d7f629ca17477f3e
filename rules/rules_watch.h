/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reloading the rules when their files change, and on demand (SIGHUP).
 *
 * A reload builds a whole new ruleset; only when both files load cleanly is
 * it handed to `loaded`, so the daemon swaps it in atomically. A broken file
 * keeps the previous rules: the error goes to `failed`, or is logged (log.h)
 * when `failed` is NULL. Change events are debounced, because editors write
 * a file in several steps. Runs on the thread-default main context of the
 * thread that creates the watcher. */
#ifndef SIPCID_RULES_WATCH_H
#define SIPCID_RULES_WATCH_H

#include "rules.h"
#include "rules_settings.h"

#include <glib.h>

/* `rules` is borrowed: take a reference (sipcid_rules_ref) to keep it. */
typedef void (*sipcid_rules_loaded_fn)(struct sipcid_rules *rules, void *user_data);
typedef void (*sipcid_rules_failed_fn)(const GError *error, void *user_data);

enum { SIPCID_RULES_WATCH_DELAY_MS = 300 };

struct sipcid_rules_watch;

/* Watches the files `settings` names (copied). Never fails: a file whose
 * directory can't be watched is still reloaded on SIGHUP. */
struct sipcid_rules_watch *sipcid_rules_watch_new(const struct sipcid_rules_settings *settings,
                                                  const struct sipcid_number_plan *plan,
                                                  sipcid_rules_loaded_fn loaded,
                                                  sipcid_rules_failed_fn failed,
                                                  void *user_data);
/* Stops watching; no callback runs after this returns. */
void sipcid_rules_watch_free(struct sipcid_rules_watch *w);

/* The quiet time after the last change event before reloading. */
void sipcid_rules_watch_set_delay(struct sipcid_rules_watch *w, unsigned delay_ms);

/* Reloads now (SIGHUP); true when the new rules were handed to `loaded`. */
bool sipcid_rules_watch_reload(struct sipcid_rules_watch *w);

#endif
