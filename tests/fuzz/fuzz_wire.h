/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What fuzz_wire and the program that makes its seeds (fuzz_wire_seeds)
 * must agree on: the key the signed seeds carry and the clock they were sent
 * at, so the listener's freshness check accepts them. */
#ifndef SIPCID_FUZZ_WIRE_H
#define SIPCID_FUZZ_WIRE_H

#include "wire.h"

#include <string.h>

#define SIPCID_FUZZ_WIRE_KEY "sipcid fuzz key, not a secret"
#define SIPCID_FUZZ_WIRE_NOW INT64_C(1780000000000000) /* µs */
#define SIPCID_FUZZ_WIRE_SKEW (INT64_C(30) * G_USEC_PER_SEC)

static inline struct sipcid_wire_key sipcid_fuzz_wire_key(void)
{
	struct sipcid_wire_key k;
	memset(&k, 0, sizeof k);
	k.len = sizeof SIPCID_FUZZ_WIRE_KEY - 1;
	memcpy(k.bytes, SIPCID_FUZZ_WIRE_KEY, k.len);
	return k;
}

#endif
