/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The frame decoder never reads past the frame: each frame is put at the very
 * end of a readable page with an unreadable page after it, so one byte read
 * too far is a crash in any build, not only under ASan (issue 14, finding 7:
 * ERSPAN III with the O flag read 20 bytes past a 36-byte frame). */
#include "capture_pcap.h"

#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int n, fails;

static void check(const char *what, int ok)
{
	n++;
	if (!ok)
		fails++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n, what);
}

static uint8_t *page_end;  /* one past the last readable byte */

/* A copy of frame[0..len) that ends where the readable memory ends. */
static const uint8_t *at_edge(const uint8_t *frame, size_t len)
{
	memcpy(page_end - len, frame, len);
	return page_end - len;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* IPv4 + GRE + an ERSPAN III header with the O flag, and no more. */
static size_t erspan3_frame(uint8_t *f, size_t extra)
{
	memset(f, 0, 64);
	size_t len = 20 + 4 + 12 + extra;
	f[0] = 0x45;
	put16(f + 2, (unsigned)len);
	f[8] = 64;
	f[9] = 47;
	put16(f + 20 + 2, 0x22eb);
	f[24] = 0x20;
	f[24 + 11] = 0x01;  /* O: an 8-byte platform subheader follows */
	return len;
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *mem = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || mprotect(mem + pg, pg, PROT_NONE) != 0) {
		printf("Bail out! cannot map a guard page\n");
		return 1;
	}
	page_end = mem + pg;
	uint8_t f[64];
	struct sipcid_packet pkt;

	for (size_t extra = 0; extra <= 8; extra += 4) {
		size_t len = erspan3_frame(f, extra);
		memset(&pkt, 0, sizeof pkt);
		char what[96];
		snprintf(what, sizeof what, "ERSPAN III, O flag, frame ends %zu bytes into the subheader",
		         extra);
		check(what, !sipcid_pcap_frame_decode(DLT_RAW, at_edge(f, len), len, &pkt));
	}

	/* IPv6 whose extension-header chain runs to the frame's last byte. */
	uint8_t v6[40 + 8 * 12];
	memset(v6, 0, sizeof v6);
	v6[0] = 0x60;
	put16(v6 + 4, 8 * 12);
	v6[6] = 60;
	for (int i = 0; i < 12; i++)
		v6[40 + 8 * i] = 60;  /* Destination Options, always another one */
	memset(&pkt, 0, sizeof pkt);
	check("IPv6 extension chain ending at the frame's end: refused without reading past it",
	      !sipcid_packet_parse_ip(at_edge(v6, sizeof v6), sizeof v6, &pkt));

	munmap(mem, 2 * pg);
	printf("1..%d\n", n);
	return fails > 0;
}
