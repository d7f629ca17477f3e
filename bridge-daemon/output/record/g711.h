/* SPDX-License-Identifier: GPL-2.0-or-later */
/* G.711 µ-law and A-law to 16-bit linear PCM (ITU-T G.711, tables 1a/2a). */
#ifndef SIPCID_G711_H
#define SIPCID_G711_H

#include <stddef.h>
#include <stdint.h>

int16_t sipcid_g711_ulaw_to_pcm(uint8_t code);
int16_t sipcid_g711_alaw_to_pcm(uint8_t code);
/* Decodes n codes into n samples. alaw: true for A-law, false for µ-law. */
void sipcid_g711_decode(const uint8_t *in, size_t n, int16_t *out, int alaw);

#endif
