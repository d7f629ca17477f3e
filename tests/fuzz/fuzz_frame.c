/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the capture stage's frame decoder,
 * sipcid_pcap_frame_decode(), then the SIP decode stage on whatever payload it
 * finds: the path every captured byte takes in `sipcidd --read`.
 *
 * The first input byte picks the link type; the rest is the frame. A decoded
 * packet's payload must lie inside the frame, which is checked explicitly
 * because a payload pointer computed from a bad header length would
 * otherwise only be caught when something reads it. Built only with
 * -Dfuzz=true and clang; tests/fuzz/run-fuzz.sh runs it. */
#include "callerid.h"
#include "capture_pcap.h"

#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sipcid_number_plan plan;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	sipcid_callerid_init();
	sipcid_number_plan_default(&plan);
	return 0;
}

/* The link types `sipcidd --read` accepts, and one it must refuse. */
static const int linktypes[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP,
	DLT_IEEE802_11,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int lt = linktypes[data[0] % (sizeof linktypes / sizeof linktypes[0])];
	/* An exactly-sized copy of the frame alone, so ASan sees reads past it. */
	size_t len = size - 1;
	uint8_t *frame = malloc(len ? len : 1);
	if (!frame)
		return 0;
	memcpy(frame, data + 1, len);
	struct sipcid_packet pkt;
	memset(&pkt, 0, sizeof pkt);
	if (sipcid_pcap_frame_decode(lt, frame, len, &pkt)) {
		if (pkt.payload_len > len || (pkt.payload_len && (pkt.payload < frame ||
		                                                  pkt.payload + pkt.payload_len > frame + len)))
			abort();
		if (pkt.transport != SIPCID_TRANSPORT_UDP && pkt.transport != SIPCID_TRANSPORT_TCP)
			abort();
		struct sipcid_call c;
		struct sipcid_extract_info info;
		sipcid_callerid_extract(&plan, (const char *)pkt.payload, pkt.payload_len, true, &c, &info);
	}
	free(frame);
	return 0;
}
