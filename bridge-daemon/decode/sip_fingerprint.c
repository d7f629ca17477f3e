/* SPDX-License-Identifier: GPL-2.0-or-later */
/* FNV-1a over the identity headers' values, without their white space. */
#include "sip_fingerprint.h"

#include <glib.h>

enum { FIELD_MARK = 0x1f };
static const uint64_t fnv_offset = 0xcbf29ce484222325ull, fnv_prime = 0x100000001b3ull;

static uint64_t mix(uint64_t h, uint8_t byte)
{
	return (h ^ byte) * fnv_prime;
}

static uint64_t add_span(uint64_t h, struct sip_span v)
{
	for (size_t i = 0; i < v.len; i++) {
		char c = v.p[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			h = mix(h, (uint8_t)c);
	}
	/* A separator, so that moving bytes from one value to the next changes
	 * the fingerprint. */
	return mix(h, FIELD_MARK);
}

/* One header's values, marked with which header they came from. */
static uint64_t add_values(uint64_t h, uint8_t which, const struct sip_span *v, int n, int max)
{
	h = mix(h, which);
	for (int i = 0; i < MIN(n, max); i++)
		h = add_span(h, v[i]);
	/* How many there were counts too: a third From is a change. */
	h = mix(h, (uint8_t)MIN(n, 255));
	return h;
}

uint64_t sipcid_sip_fingerprint_of(const struct sipcid_sip_scan *s)
{
	uint64_t h = fnv_offset;
	h = add_values(h, 'f', s->from_all, s->n_from, SIP_SCAN_MAX_VALUES);
	/* To is not the caller: a provider forking one call to two lines of
	 * the adapter sends it twice with the same From and another To. Only a
	 * repeated To (a malformed message) changes the fingerprint. */
	h = mix(h, 't');
	h = mix(h, (uint8_t)MIN(s->n_to, 255));
	h = add_values(h, 'a', s->pai, s->n_pai, SIP_SCAN_MAX_VALUES);
	h = add_values(h, 'p', s->ppi, s->n_ppi, SIP_SCAN_MAX_VALUES);
	h = add_values(h, 'r', s->rpid, s->n_rpid, SIP_SCAN_MAX_VALUES);
	h = add_values(h, 'v', s->privacy, s->n_privacy, SIP_SCAN_MAX_VALUES);
	/* STIR/SHAKEN: a verdict on the caller, which rules may read. */
	h = add_values(h, 'y', s->identity, s->n_identity, SIP_SCAN_MAX_VALUES);
	h = add_values(h, 'i', s->attest_indicator, s->n_attest_indicator, SIP_SCAN_MAX_VALUES);
	return h;
}
