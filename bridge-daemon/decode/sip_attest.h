/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STIR/SHAKEN as the carrier passes it on to the line (docs/callerid.md,
 * "STIR/SHAKEN"): the verstat parameter of an identity URI, the
 * P-Attestation-Indicator header, and the attest claim of an Identity
 * header's PASSporT (RFC 8224, RFC 8588). The signature is not verified.
 *
 * These run on the packet path: no allocation, fixed buffers, every loop
 * bounded by its input. What they read is hostile; anything ambiguous (two
 * different values, a claim that appears twice, bytes that are not what the
 * format allows) reads as "not known" rather than as a guess. Trust is the
 * caller's business: read these only from the provider. */
#ifndef SIPCID_SIP_ATTEST_H
#define SIPCID_SIP_ATTEST_H

#include "call.h"
#include "sip_scan.h"

enum {
	/* The longest PASSporT payload read, decoded. SHAKEN payloads are
	 * 150-300 bytes; one with a Rich Call Data jCard can be larger. */
	SIPCID_SIP_ATTEST_PAYLOAD_MAX = 2048,
	SIPCID_SIP_ATTEST_JSON_DEPTH = 8,
};

/* The verstat of one identity header value, in the user part
 * (sip:+1212...;verstat=TN-Validation-Passed@host) or as a URI parameter.
 * NONE when absent, unknown, or given twice with different values. A vendor
 * suffix -A, -B or -C sets *attest (else *attest is left alone). */
enum sipcid_verstat sipcid_sip_attest_verstat(struct sip_span value, char *attest);

/* A P-Attestation-Indicator value: 'A', 'B' or 'C', else 0. */
char sipcid_sip_attest_indicator(struct sip_span value);

/* The attest claim of an Identity header value (a compact JWS
 * header.payload.signature, then ;info=...;ppt=...): 'A', 'B' or 'C', else 0. */
char sipcid_sip_attest_identity(struct sip_span value);

/* The attest member of a PASSporT's JSON payload, for tests and fuzzing. */
char sipcid_sip_attest_json(const char *json, size_t len);

#endif
