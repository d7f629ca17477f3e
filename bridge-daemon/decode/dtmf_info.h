/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key a SIP INFO carries: bodies of type application/dtmf-relay
 * ("Signal=5\r\nDuration=160\r\n") and application/dtmf ("5"), which many
 * ATAs and providers send instead of RFC 4733 events in the RTP.
 *
 * Runs on the packet path: reads the message in place, no allocation, and
 * bounded work (header lines up to headers_end, the body up to
 * SIPCID_DTMF_INFO_MAX_BODY bytes). */
#ifndef SIPCID_DTMF_INFO_H
#define SIPCID_DTMF_INFO_H

#include <stdbool.h>
#include <stddef.h>

enum { SIPCID_DTMF_INFO_MAX_BODY = 512 };

/* The media type of a Content-Type (or compact "c") header among the
 * first headers_end bytes of msg, when it is one of the two DTMF types. */
enum sipcid_dtmf_info_type {
	SIPCID_DTMF_INFO_NONE = 0,
	SIPCID_DTMF_INFO_RELAY,   /* application/dtmf-relay */
	SIPCID_DTMF_INFO_PLAIN,   /* application/dtmf */
};
enum sipcid_dtmf_info_type sipcid_dtmf_info_type(const char *msg, size_t headers_end);

/* The key in a body of that type: '0'-'9', '*', '#', 'A'-'D' (the event
 * codes 10 and 11 of some senders mean * and #), or 0 for none. */
char sipcid_dtmf_info_body(enum sipcid_dtmf_info_type type, const char *body, size_t len);

/* Both: the key an INFO message carries, or 0. body_len is what follows
 * the headers (already bounded by Content-Length). */
char sipcid_dtmf_info_digit(const char *msg, size_t headers_end, size_t body_len);

#endif
