/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a party wants its audio: the c= and first usable m=audio lines of an
 * SDP offer or answer (RFC 4566), with the payload types it lists.
 *
 * Runs on the packet path: no allocation, and bounded work on hostile input
 * (only the first SIPCID_SDP_MAX_BYTES and SIPCID_SDP_MAX_LINES are read;
 * bad ports, addresses and payload types are skipped, never trusted). */
#ifndef SIPCID_SDP_H
#define SIPCID_SDP_H

#include "packet.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIPCID_SDP_MAX_BYTES = 16384,
	SIPCID_SDP_MAX_LINES = 256,
	SIPCID_SDP_MAX_PT = 16,
};

enum sipcid_codec {
	SIPCID_CODEC_OTHER = 0,   /* anything we can't decode: the call is kept as pcap */
	SIPCID_CODEC_PCMU,
	SIPCID_CODEC_PCMA,
	SIPCID_CODEC_EVENT,       /* telephone-event (DTMF): not audio */
	SIPCID_CODEC_CN,          /* comfort noise: silence */
};

struct sipcid_sdp {
	bool has_audio;                 /* an m=audio with a port and an address was found */
	struct sipcid_endpoint audio;   /* where this party receives RTP */
	int n_pt;
	uint8_t pt[SIPCID_SDP_MAX_PT];
	uint8_t codec[SIPCID_SDP_MAX_PT];  /* enum sipcid_codec */
};

/* False when the body is not SDP or offers no usable audio. */
bool sipcid_sdp_parse(const char *body, size_t len, struct sipcid_sdp *out);

/* The codec a payload type means in this SDP (static types when not listed). */
enum sipcid_codec sipcid_sdp_codec(const struct sipcid_sdp *sdp, uint8_t pt);

#endif
