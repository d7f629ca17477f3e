/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writes a raw-IP pcap holding one large UDP INVITE split into IP fragments
 * that arrive out of order, once over IPv4 and once over IPv6. The
 * P-Asserted-Identity header sits after 2 kB of padding headers, so only a
 * reassembled datagram shows the asserted caller.
 * usage: make_fragments OUT.pcap */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

static void put16(unsigned char *p, unsigned v) { p[0] = v >> 8; p[1] = v & 0xff; }

static void dump(pcap_dumper_t *d, const unsigned char *pkt, size_t len, long t)
{
	struct pcap_pkthdr h = { .ts = { 1700000000, t }, .caplen = len, .len = len };
	pcap_dump((unsigned char *)d, &h, pkt);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	static char sip[6000];
	int n = snprintf(sip, sizeof sip,
	         "INVITE sip:+15550001111@192.0.2.10 SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKfrag\r\n"
	         "From: \"Frag Sender\" <sip:+15551112222@198.51.100.7>;tag=f\r\n"
	         "To: <sip:+15550001111@192.0.2.10>\r\nCall-ID: frag-%s@198.51.100.7\r\nCSeq: 1 INVITE\r\n", "v4");
	int call_id_at = (int)(strstr(sip, "frag-v4") - sip);
	for (int i = 0; i < 40; i++)
		n += snprintf(sip + n, sizeof sip - n, "X-Padding-%02d: %s\r\n", i,
		              "................................................");
	n += snprintf(sip + n, sizeof sip - n,
	              "P-Asserted-Identity: \"Asserted Name\" <sip:+15553334444@198.51.100.7>\r\n"
	              "Content-Length: 0\r\n\r\n");
	pcap_t *dead = pcap_open_dead(DLT_RAW, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, argv[1]);
	if (!d)
		return 1;
	static unsigned char udp[6100], pkt[1600];
	for (int v = 4; v <= 6; v += 2) {
		memcpy(sip + call_id_at, v == 4 ? "frag-v4" : "frag-v6", 7);
		size_t ulen = 8 + n;
		put16(udp, 5060); put16(udp + 2, 5060); put16(udp + 4, ulen); put16(udp + 6, 0);
		memcpy(udp + 8, sip, n);
		const size_t chunk = 1400;  /* a multiple of 8 */
		size_t nfrag = (ulen + chunk - 1) / chunk;
		for (size_t k = nfrag; k-- > 0;) {  /* last fragment first */
			size_t off = k * chunk, len = ulen - off < chunk ? ulen - off : chunk;
			int more = k + 1 < nfrag;
			size_t hl;
			memset(pkt, 0, sizeof pkt);
			if (v == 4) {
				hl = 20;
				pkt[0] = 0x45; put16(pkt + 2, hl + len); put16(pkt + 4, 0x1234);
				put16(pkt + 6, (more ? 0x2000 : 0) | (off / 8)); pkt[8] = 64; pkt[9] = 17;
				memcpy(pkt + 12, (unsigned char[]){ 198, 51, 100, 7 }, 4);
				memcpy(pkt + 16, (unsigned char[]){ 192, 0, 2, 10 }, 4);
			} else {
				hl = 48;
				pkt[0] = 0x60; put16(pkt + 4, 8 + len); pkt[6] = 44; pkt[7] = 64;
				pkt[8] = 0x20; pkt[9] = 0x01; pkt[10] = 0x0d; pkt[11] = 0xb8; pkt[23] = 7;
				pkt[24] = 0x20; pkt[25] = 0x01; pkt[26] = 0x0d; pkt[27] = 0xb8; pkt[39] = 10;
				pkt[40] = 17; put16(pkt + 42, off | (more ? 1 : 0));
				pkt[44] = 0; pkt[45] = 0; pkt[46] = 0x56; pkt[47] = 0x78;
			}
			memcpy(pkt + hl, udp + off, len);
			dump(d, pkt, hl + len, (long)(v * 1000 + k));
		}
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}
