/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A rate limit in front of a group of outputs (the LAN announcements, the
 * NCID server, webhooks and MQTT): a flood of calls gives a bounded number of
 * notifications, then one summary a minute ("37 more calls blocked in the
 * last minute") for as long as it lasts.
 *
 * A token bucket counts new calls (SIPCID_EVENT_CALL): `burst` may pass at
 * once, then `per_minute` a minute. A call that passed goes on passing its
 * updates (answered, ended), so a popup never stays stuck at "ringing"; a
 * call held back stays held back. Held-back calls are counted, and a minute
 * after the first of them the group gets one summary record: kind
 * SIPCID_EVENT_CALL, state missed, call ID "sipcid-summary-<µs>", number
 * empty, the words in `name`, action block when every held-back call was
 * blocked. The call log is not behind this: it keeps every row.
 *
 * Time is the calls' own (time_us): live that is the wall clock, with --read
 * the capture's, so a replay is limited as the live run was. A summary still
 * due when the flood stops goes out on sipcid_output_rate_tick() (live: once
 * a second) or at close. Main loop thread only, like every output. */
#ifndef SIPCID_OUTPUT_RATE_H
#define SIPCID_OUTPUT_RATE_H

#include "output.h"

#include <glib.h>
#include <stdint.h>

struct sipcid_output_rate_limits {
	unsigned burst;        /* new calls that may pass at once */
	unsigned per_minute;   /* ...and then per minute */
};

enum {
	/* Calls that passed, remembered so that their updates pass too. More
	 * than a minute's worth: an older call's late update is held back. */
	SIPCID_OUTPUT_RATE_REMEMBER = 64,
};

/* One output that feeds every output of group (struct sipcid_output *,
 * taken over: the gate's close closes them) within limits. */
struct sipcid_output *sipcid_output_rate_new(const char *name, GPtrArray *group,
                                             const struct sipcid_output_rate_limits *limits);
/* Sends a summary that has come due by now_us (µs since the epoch). */
void sipcid_output_rate_tick(struct sipcid_output *gate, int64_t now_us);

#endif
