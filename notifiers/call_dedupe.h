/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One popup per call: the daemon may announce the same event to several
 * destinations (broadcast and unicast), and UDP may reorder them. This table
 * admits each (call id, state) once and never lets a call step back to an
 * earlier state. It is bounded: the least recently seen call is forgotten
 * first, and any call after forget_after_us. */
#ifndef SIPCID_CALL_DEDUPE_H
#define SIPCID_CALL_DEDUPE_H

#include "call.h"
#include "popup.h"

#include <stdint.h>

struct notify_call_dedupe;

struct notify_call_dedupe *notify_call_dedupe_new(unsigned max_calls, int64_t forget_after_us);
void notify_call_dedupe_free(struct notify_call_dedupe *d);

/* The call's popup slot when c is news (a new call, or a later state of a
 * known one); NULL when it is a duplicate or arrives after a later state. */
struct notify_popup_slot *notify_call_dedupe_admit(struct notify_call_dedupe *d,
                                                   const struct sipcid_call *c, int64_t now_us);
unsigned notify_call_dedupe_size(const struct notify_call_dedupe *d);

#endif
