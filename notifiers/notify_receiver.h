/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From datagram to sinks: decode (lib/wire.h, which checks the signature
 * and replay window when a key is set), drop duplicates (call_dedupe.h),
 * then hand the call to every sink in order. Rejected datagrams are logged
 * at most once per status every few seconds, so a flood cannot fill the
 * journal. */
#ifndef SIPCID_NOTIFY_RECEIVER_H
#define SIPCID_NOTIFY_RECEIVER_H

#include "call_dedupe.h"
#include "notify_sink.h"
#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct notify_receiver;

/* Takes wire and dedupe. verbose: also log duplicates and replays, which a
 * daemon announcing to several destinations produces all the time. */
struct notify_receiver *notify_receiver_new(struct sipcid_wire_listener *wire,
                                            struct notify_call_dedupe *dedupe, bool verbose);
/* Numbers the sender did not format are written for reading here, national
 * format for those of country (an ISO code; "" for none), international
 * for the others, before any sink sees the call. */
void notify_receiver_set_country(struct notify_receiver *r, const char *country);
/* Takes the sink; sinks run in the order they were added. */
void notify_receiver_add_sink(struct notify_receiver *r, struct notify_sink *sink);
/* One datagram from `from` (an address for messages). */
void notify_receiver_datagram(struct notify_receiver *r, const uint8_t *buf, size_t len,
                              const char *from, int64_t now_us);
void notify_receiver_free(struct notify_receiver *r);

#endif
