/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SIP decode stage: turns one SIP message into a caller-ID record.
 *
 * Identity is taken in the trust order of docs/callerid.md: P-Asserted-Identity
 * and Remote-Party-ID (only when the source is trusted, see trust.h), then From,
 * then P-Preferred-Identity as a last resort. libosip2 parses the message; when
 * it rejects one whose caller is still readable, a careful line scanner
 * (sip_scan.h) reads it instead. */
#ifndef SIPCID_CALLERID_H
#define SIPCID_CALLERID_H

#include "call.h"
#include "number.h"

#include <stdbool.h>
#include <stddef.h>

enum sipcid_extract_result {
	SIPCID_EXTRACT_OK = 0,        /* an initial INVITE: out is filled */
	SIPCID_EXTRACT_NOT_INVITE,    /* another request or a response */
	SIPCID_EXTRACT_IN_DIALOG,     /* an INVITE whose To has a tag (re-INVITE) */
	SIPCID_EXTRACT_UNREADABLE,    /* not SIP, or no caller could be read */
};

struct sipcid_extract_info {
	bool used_fallback;           /* libosip2 rejected it; the scanner read it */
};

/* Reads msg[0..len) (need not be NUL-terminated). `identity_trusted` says
 * whether PAI/RPID from this source may be believed, and with them STIR/SHAKEN
 * (sip_attest.h). Fills out->call_id, number, number_raw, name, presentation,
 * source, called, via, verstat and attest; leaves the other fields alone. Never reads outside msg and never keeps a pointer to it. */
enum sipcid_extract_result sipcid_callerid_extract(const struct sipcid_number_plan *plan,
                                                   const char *msg, size_t len,
                                                   bool identity_trusted, struct sipcid_call *out,
                                                   struct sipcid_extract_info *info);

/* The same, for a message the caller has already scanned (the packet path
 * scans every message once to classify it). */
struct sipcid_sip_scan;
enum sipcid_extract_result sipcid_callerid_extract_scanned(const struct sipcid_number_plan *plan,
                                                           const struct sipcid_sip_scan *scan,
                                                           bool identity_trusted,
                                                           struct sipcid_call *out,
                                                           struct sipcid_extract_info *info);

/* libosip2 must be initialised once per process before extraction; this also
 * silences its trace output, which it would otherwise print to stdout. */
void sipcid_callerid_init(void);

#endif
