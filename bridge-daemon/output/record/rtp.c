/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RTP header parsing. */
#include "rtp.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool sipcid_rtp_parse(const uint8_t *data, size_t len, struct sipcid_rtp *out)
{
	if (len < 12 || (data[0] >> 6) != 2)
		return false;
	unsigned pt = data[1] & 0x7f;
	if (pt >= 72 && pt <= 76) /* RTCP sharing the port */
		return false;
	size_t off = 12 + 4u * (data[0] & 0x0f);
	if (off > len)
		return false;
	if (data[0] & 0x10) { /* header extension: 4 bytes, then length in words */
		if (off + 4 > len)
			return false;
		size_t words = (size_t)data[off + 2] << 8 | data[off + 3];
		off += 4 + 4 * words;
		if (off > len)
			return false;
	}
	size_t end = len;
	if (data[0] & 0x20) { /* padding: the last byte counts it */
		size_t pad = data[len - 1];
		if (pad == 0 || pad > end - off)
			return false;
		end -= pad;
	}
	out->payload_type = (uint8_t)pt;
	out->marker = (data[1] & 0x80) != 0;
	out->seq = (uint16_t)(data[2] << 8 | data[3]);
	out->timestamp = be32(data + 4);
	out->ssrc = be32(data + 8);
	out->payload = data + off;
	out->payload_len = end - off;
	return true;
}
