/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the line_events table back (the line going up or down, voicemail
 * counts: lib/line_event.h) for `sipcid-log --line-events`. */
#ifndef SIPCID_CALLLOG_LINE_EVENTS_H
#define SIPCID_CALLLOG_LINE_EVENTS_H

#include "calllog_query.h"
#include "line_event.h"

#include <glib.h>
#include <sqlite3.h>
#include <stdbool.h>

typedef void (*sipcid_calllog_line_event_fn)(void *ctx, const struct sipcid_line_event *ev);

/* Calls fn for each event the filter's since, until, limit and order
 * select (its other fields are about calls). False with a readable error. */
bool sipcid_calllog_line_events(sqlite3 *db, const struct sipcid_calllog_filter *f,
                                sipcid_calllog_line_event_fn fn, void *ctx, GError **error);

#endif
