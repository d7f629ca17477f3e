/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The same-length rewrites of SIP over TCP (decode/tcp_rewrite.h) on any
 * bytes: the first two bytes choose where the segment starts in the message
 * (from), the rest is the message. The segment is a buffer of exactly its
 * own bytes, so ASan sees any write outside it; a rewrite must keep the
 * length, change nothing before `from`, and name only spans inside it. */
#include "tcp_rewrite.h"

#include <stdlib.h>
#include <string.h>

static void check(const struct sipcid_tcp_rewrite *done, size_t from, size_t len)
{
	for (unsigned i = 0; i < done->n; i++)
		if (done->span[i].at < from || done->span[i].at + done->span[i].len > len)
			abort();
}

static size_t headers_end(const char *m, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (!memcmp(m + i, "\r\n\r\n", 4))
			return i + 4;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const char *msg = (const char *)data + 2;
	size_t len = size - 2;
	size_t from = ((size_t)data[0] << 8 | data[1]) % (len + 1);
	size_t he = headers_end(msg, len);
	uint8_t *seg = malloc(len - from ? len - from : 1);
	struct sipcid_tcp_rewrite done;
	for (int kind = 0; kind < 3; kind++) {
		memcpy(seg, msg + from, len - from);
		bool ok = kind == 0 ? sipcid_tcp_rewrite_invite(msg, len, he, from, seg, &done)
		        : kind == 1 ? sipcid_tcp_rewrite_response(msg, len, he, from, 603, "Decline", seg, &done)
		                    : sipcid_tcp_rewrite_stray(msg, len, he, from, seg, &done);
		if (ok)
			check(&done, from, len);
		else if (memcmp(seg, msg + from, len - from) != 0)
			abort();  /* said no, yet changed bytes */
	}
	free(seg);
	return 0;
}
