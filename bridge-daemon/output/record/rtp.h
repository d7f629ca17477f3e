/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fixed RTP header (RFC 3550 section 5.1), read from hostile bytes. */
#ifndef SIPCID_RTP_H
#define SIPCID_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sipcid_rtp {
	uint8_t payload_type;
	bool marker;
	uint16_t seq;
	uint32_t timestamp;
	uint32_t ssrc;
	const uint8_t *payload;   /* after CSRCs and extension, before padding */
	size_t payload_len;
};

/* False for anything that is not RTP version 2 with a consistent length, and
 * for RTCP (payload types 72-76 with the marker bit, RFC 5761). */
bool sipcid_rtp_parse(const uint8_t *data, size_t len, struct sipcid_rtp *out);

#endif
