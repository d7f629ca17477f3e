/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the STIR/SHAKEN readers (bridge-daemon/decode/
 * sip_attest.c): the verstat parameter, P-Attestation-Indicator, the
 * Identity header and the PASSporT's JSON, on hostile bytes. The input's
 * first byte picks the reader; the rest is its input, in a buffer of exactly
 * its size so ASan sees any read past it. Besides "no crash", the readers
 * may only answer what they document: a level A, B or C or nothing, and a
 * known verstat. The JSON reader gets the bytes directly, so the fuzzer
 * need not find base64url to reach it.
 *
 * Built only with -Dfuzz=true and clang; tests/fuzz/run-fuzz.sh runs it. */
#include "sip_attest.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_level(char level)
{
	if (level != 0 && level != 'A' && level != 'B' && level != 'C')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned mode = data[0] % 4;
	size_t n = size - 1;
	char *copy = malloc(n ? n : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, n);
	struct sip_span v = { copy, n };
	switch (mode) {
	case 0: {
		char level = 0;
		enum sipcid_verstat s = sipcid_sip_attest_verstat(v, &level);
		if (s > SIPCID_VERSTAT_NO_VALIDATION)
			abort();
		check_level(level);
		/* a level comes only with a verstat */
		if (level && s == SIPCID_VERSTAT_NONE)
			abort();
		break;
	}
	case 1: check_level(sipcid_sip_attest_indicator(v)); break;
	case 2: check_level(sipcid_sip_attest_identity(v)); break;
	default: check_level(sipcid_sip_attest_json(copy, n)); break;
	}
	free(copy);
	return 0;
}
