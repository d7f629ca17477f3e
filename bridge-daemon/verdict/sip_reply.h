/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The final response sipcidd sends, as the ATA, to an INVITE the rules
 * blocked (RFC 3261 §8.2.6): the status line of the outcome, every Via in
 * order, From, Call-ID and CSeq copied, To copied with a tag added, and
 * Content-Length: 0. Nothing else of the INVITE is copied.
 *
 * Every copied header is hostile: a header with a control character (a bare
 * CR, NUL, ESC...) or longer than SIPCID_SIP_REPLY_HEADER_MAX, a missing
 * From, To, Call-ID, CSeq or Via, or a response that would not fit the
 * buffer makes the builder refuse (the INVITE is then dropped in silence).
 * Folded header lines are unfolded to one line. Pure, no allocation: the
 * packet thread builds into its own buffer. */
#ifndef SIPCID_SIP_REPLY_H
#define SIPCID_SIP_REPLY_H

#include "call.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIPCID_SIP_REPLY_MAX = 2048,        /* a response that fits one Ethernet frame with room */
	SIPCID_SIP_REPLY_HEADER_MAX = 1024, /* one copied header value */
	SIPCID_SIP_REPLY_KEY_LEN = 16,
};

/* The status code an outcome answers with: 486, 603, 404; 0 for DROP and NONE. */
int sipcid_sip_reply_status(enum sipcid_outcome outcome);
/* The reason phrase sipcidd sends with one of those (or 200); NULL for others. */
const char *sipcid_sip_reply_reason(int status);

/* Builds the response with `status` (any of the above, or 200 for a CANCEL)
 * to the request msg[0..len) into out[0..size). The To tag is a keyed hash
 * of the Call-ID (key: SIPCID_SIP_REPLY_KEY_LEN random bytes a run keeps),
 * so a retransmission gets the same tag and an outsider cannot predict it.
 * Returns the response's length, or 0 when it refuses (see above). */
size_t sipcid_sip_reply_build(const char *msg, size_t len, int status, const uint8_t *key,
                              char *out, size_t size);

#endif
