/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A compact fingerprint of the identity an INVITE presents: its From values
 * (the From tag with them), P-Asserted-Identity, P-Preferred-Identity,
 * Remote-Party-ID and Privacy, and how many To headers it has. Two INVITEs with the same fingerprint show the
 * phone the same caller, so the second may reuse the first's decision; any
 * other difference is judged again (docs/callerid.md, "Judging").
 *
 * Linear white space is left out (a folded or retabbed copy is the same
 * identity); everything else, letter case included, counts. */
#ifndef SIPCID_SIP_FINGERPRINT_H
#define SIPCID_SIP_FINGERPRINT_H

#include "sip_scan.h"

#include <stdint.h>

/* Reads only the scan's spans: no allocation, for the packet path. */
uint64_t sipcid_sip_fingerprint_of(const struct sipcid_sip_scan *scan);

#endif
