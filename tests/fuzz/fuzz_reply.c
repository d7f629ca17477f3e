/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the answer to a blocked INVITE
 * (bridge-daemon/verdict/sip_reply.h): any bytes as the request; the
 * response, when there is one, must be well formed: its status line, header
 * lines of printable text each ending CRLF, one From, To (with a tag),
 * Call-ID and CSeq, Content-Length 0, the empty line, nothing after; never a
 * byte written past the buffer (ASan). The seeds are the caller-ID seeds.
 *
 * Built only with -Dfuzz=true and clang; tests/fuzz/run-fuzz.sh runs it. */
#include "sip_reply.h"
#include "sip_scan.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t key[SIPCID_SIP_REPLY_KEY_LEN] = "fuzz-reply-key!!";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[SIPCID_SIP_REPLY_MAX];
	size_t n = sipcid_sip_reply_build((const char *)data, size, 603, key, out, sizeof out);
	if (!n)
		return 0;
	static const char status[] = "SIP/2.0 603 Decline\r\n";
	if (n > sizeof out || n < sizeof status + 3 || memcmp(out, status, sizeof status - 1) ||
	    memcmp(out + n - 4, "\r\n\r\n", 4))
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c == '\r') {
			if (i + 1 >= n || out[i + 1] != '\n')
				abort();
			i++;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f || c == '\n') {
			abort();
		}
	}
	struct sipcid_sip_scan s;
	if (!sipcid_sip_scan(out, n, &s) || s.is_request || s.status != 603 || s.n_from != 1 ||
	    s.n_to != 1 || s.n_call_id != 1 || s.n_cseq != 1 || !s.to_tag || s.content_length != 0 ||
	    s.headers_end != n)
		abort();
	return 0;
}
