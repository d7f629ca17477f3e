/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rewrites an Ethernet capture as Linux cooked (v1 or v2) or raw IP, so the
 * tests can check every link type sipcidd reads against the same packets.
 * usage: relink sll|sll2|raw IN OUT */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *in = pcap_open_offline(argv[2], err);
	if (!in || pcap_datalink(in) != DLT_EN10MB) {
		fprintf(stderr, "relink: %s: not an Ethernet capture\n", argv[2]);
		return 1;
	}
	int lt = !strcmp(argv[1], "sll") ? DLT_LINUX_SLL : !strcmp(argv[1], "sll2") ? DLT_LINUX_SLL2 : DLT_RAW;
	pcap_t *dead = pcap_open_dead(lt, 65535);
	pcap_dumper_t *out = pcap_dump_open(dead, argv[3]);
	if (!out)
		return 1;
	struct pcap_pkthdr *h;
	const u_char *d;
	while (pcap_next_ex(in, &h, &d) == 1) {
		if (h->caplen < 14)
			continue;
		unsigned char buf[70000];
		size_t hl = lt == DLT_LINUX_SLL ? 16 : lt == DLT_LINUX_SLL2 ? 20 : 0;
		memset(buf, 0, hl);
		if (lt == DLT_LINUX_SLL) {
			buf[1] = 0;            /* packet type: to us */
			buf[3] = 1;            /* ARPHRD_ETHER */
			buf[5] = 6;            /* address length */
			memcpy(buf + 6, d + 6, 6);
			memcpy(buf + 14, d + 12, 2);  /* protocol */
		} else if (lt == DLT_LINUX_SLL2) {
			memcpy(buf, d + 12, 2);       /* protocol */
			buf[7] = 2;                   /* interface index */
			buf[9] = 1;                   /* ARPHRD_ETHER */
			buf[11] = 6;
			memcpy(buf + 12, d + 6, 6);
		}
		size_t n = h->caplen - 14;
		memcpy(buf + hl, d + 14, n);
		struct pcap_pkthdr oh = *h;
		oh.caplen = oh.len = (bpf_u_int32)(hl + n);
		pcap_dump((u_char *)out, &oh, buf);
	}
	pcap_dump_close(out);
	pcap_close(dead);
	pcap_close(in);
	return 0;
}
