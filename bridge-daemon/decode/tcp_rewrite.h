/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turning a blocked call away over SIP-over-TCP by changing bytes in place,
 * never the length: inserting or removing bytes would shift the sequence
 * numbers of the rest of the connection, which a bridge cannot fix up.
 *
 * The INVITE is changed so that the ATA itself rejects it before alerting:
 * one header line it does not need becomes `Require: sipcid-blocked`, and a
 * UAS MUST answer an unknown option tag with 420 Bad Extension (RFC 3261
 * §8.2.2.3). When the segment that completes the INVITE holds only SDP, the
 * SDP is made unacceptable instead (488, or an error). The ATA's rejection
 * is then changed on its way to the provider into the chosen final response
 * (486, 603, 404), or, for a silent drop, into a stray response that matches
 * no transaction and no call, which the provider discards.
 *
 * Only msg[from..len) can still be changed: earlier bytes were in segments
 * that already passed. out[i] is msg[from + i] in the packet; out may be NULL
 * to ask whether the change can be made without making it. docs/datapath.md,
 * "Blocking and TCP". Pure functions, no allocation. */
#ifndef SIPCID_TCP_REWRITE_H
#define SIPCID_TCP_REWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIPCID_TCP_REWRITE_TAG "sipcid-blocked"

enum { SIPCID_TCP_REWRITE_SPANS = 8 };

/* The bytes a rewrite changed, in message offsets. */
struct sipcid_tcp_rewrite {
	struct { size_t at, len; } span[SIPCID_TCP_REWRITE_SPANS];
	unsigned n;
};

/* The INVITE msg[0..len), its headers ending at headers_end. */
bool sipcid_tcp_rewrite_invite(const char *msg, size_t len, size_t headers_end, size_t from,
                               uint8_t *out, struct sipcid_tcp_rewrite *done);

/* The ATA's final response msg[0..len) becomes `code reason`: the status
 * line (the reason cut or padded with spaces) and, when it carries our tag,
 * its Unsupported line. Needs the status line in the segment (from == 0). */
bool sipcid_tcp_rewrite_response(const char *msg, size_t len, size_t headers_end, size_t from,
                                 int code, const char *reason, uint8_t *out,
                                 struct sipcid_tcp_rewrite *done);

/* The response becomes a stray: its CSeq method turns to X's, so it
 * matches no client transaction (RFC 3261 §17.1.3) here or upstream, and its
 * Call-ID's letters and digits each move on by one, so it matches no call
 * either. The provider discards it and hears nothing, as after a drop over
 * UDP (its Timer B ends the call). Needs the headers in the segment
 * (from == 0). Turning the bytes into CRLF keep-alives (RFC 3261 §7.5) was
 * measured to desynchronise SIPp's framing of the next message. */
bool sipcid_tcp_rewrite_stray(const char *msg, size_t len, size_t headers_end, size_t from,
                              uint8_t *out, struct sipcid_tcp_rewrite *done);

#endif
