/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Refreshing the lists of [lists] that name a URL: a GET every `refresh`
 * with libsoup 3 on the main loop (never the packet thread), conditional on
 * the last copy's ETag and Last-Modified, under an I/O timeout, an overall
 * deadline and a size cap. A good download replaces the copy in the state
 * directory atomically (the rules watcher then loads it); anything else
 * (an error status, a hang, a timeout, too big, not a list of numbers)
 * keeps the old copy and logs a warning saying why. */
#ifndef SIPCID_RULES_LIST_FETCH_H
#define SIPCID_RULES_LIST_FETCH_H

#include "rules_settings.h"

#include <glib.h>

enum sipcid_rules_list_fetch_result {
	SIPCID_RULES_LIST_FETCHED,        /* a new copy was written */
	SIPCID_RULES_LIST_NOT_MODIFIED,   /* 304: the copy is current */
	SIPCID_RULES_LIST_FETCH_FAILED,   /* the old copy stays */
};

typedef void (*sipcid_rules_list_fetched_fn)(const struct sipcid_rules_list_source *src,
                                             enum sipcid_rules_list_fetch_result result,
                                             void *user_data);

struct sipcid_rules_list_fetch;

/* Schedules every URL list of `s` (copied): a list whose copy is missing or
 * older than `refresh` is fetched at once, the others when they are due.
 * NULL when no list names a URL. Runs on the thread-default main context. */
struct sipcid_rules_list_fetch *sipcid_rules_list_fetch_new(const struct sipcid_rules_settings *s,
                                                            const struct sipcid_number_plan *plan,
                                                            sipcid_rules_list_fetched_fn done,
                                                            void *user_data);
/* Fetches list `name` now (unless a fetch of it is under way); false when no
 * URL list has that name. */
bool sipcid_rules_list_fetch_now(struct sipcid_rules_list_fetch *f, const char *name);
/* Cancels what is under way; no callback runs after this returns. */
void sipcid_rules_list_fetch_free(struct sipcid_rules_list_fetch *f);

#endif
