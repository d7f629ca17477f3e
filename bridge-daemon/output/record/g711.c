/* SPDX-License-Identifier: GPL-2.0-or-later */
/* G.711 expansion, written from the segment description in the
 * recommendation: each code is a sign bit, a 3-bit segment (exponent) and a
 * 4-bit step within the segment. Segment boundaries double; the decoded value
 * is the middle of the step's interval. µ-law codes are sent inverted (all
 * bits), A-law codes with the even bits inverted (XOR 0x55). */
#include "g711.h"

int16_t sipcid_g711_ulaw_to_pcm(uint8_t code)
{
	unsigned c = (uint8_t)~code;
	unsigned segment = (c >> 4) & 7, step = c & 15;
	/* µ-law works on a 14-bit scale biased by 33 (0x21); in the 16-bit scale
	 * used here that is 132 (0x84): a segment s step k decodes to
	 * ((2k + 33) << s) * 4 - 132 = (((k << 3) + 132) << s) - 132. */
	int magnitude = (int)(((step << 3) + 0x84) << segment) - 0x84;
	return (int16_t)((c & 0x80) ? -magnitude : magnitude);
}

int16_t sipcid_g711_alaw_to_pcm(uint8_t code)
{
	unsigned c = code ^ 0x55u;
	unsigned segment = (c >> 4) & 7, step = c & 15;
	/* A-law on a 13-bit scale, x16 here: segments 0 and 1 share one step
	 * size, and each later segment doubles it. Segment 0 step k is the centre
	 * of its interval, 16k + 8; segment s >= 1 adds the segment's base, 256,
	 * and doubles s - 1 times. */
	int magnitude = (int)(step << 4) + 8;
	if (segment > 0)
		magnitude = (magnitude + 0x100) << (segment - 1);
	/* In A-law a set sign bit (after the XOR) means positive. */
	return (int16_t)((c & 0x80) ? magnitude : -magnitude);
}

void sipcid_g711_decode(const uint8_t *in, size_t n, int16_t *out, int alaw)
{
	/* Tables built once; a call decodes millions of samples. */
	static int16_t ulaw[256], alawt[256];
	static int ready;
	if (!ready) {
		for (int i = 0; i < 256; i++) {
			ulaw[i] = sipcid_g711_ulaw_to_pcm((uint8_t)i);
			alawt[i] = sipcid_g711_alaw_to_pcm((uint8_t)i);
		}
		ready = 1;
	}
	const int16_t *t = alaw ? alawt : ulaw;
	for (size_t i = 0; i < n; i++)
		out[i] = t[in[i]];
}
