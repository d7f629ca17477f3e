/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The two ways a call is printed: one JSON object per line (the keys every
 * sipcid program shares, see docs/events.md) and one readable line. */
#ifndef SIPCID_EVENT_FORMAT_H
#define SIPCID_EVENT_FORMAT_H

#include "call.h"

#include <glib.h>

/* Appends one JSON object (no newline). */
void sipcid_event_json(GString *out, const struct sipcid_call *call);
/* Appends one readable line (no newline). */
void sipcid_event_line(GString *out, const struct sipcid_call *call);
/* Appends an ISO 8601 UTC time with milliseconds, e.g. 2026-11-21T22:54:43.123Z. */
void sipcid_event_format_time(GString *out, int64_t time_us);
/* Appends s as a JSON string literal, or null when s is empty and empty_is_null. */
void sipcid_event_json_string(GString *out, const char *s, bool empty_is_null);

#endif
