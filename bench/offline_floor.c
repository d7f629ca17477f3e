/* SPDX-License-Identifier: GPL-2.0-or-later */
/* offline_floor: the least work any reader meeting issue 2 must do on the
 * benchmark's capture, for bench/offline_bench.sh.
 *
 *   offline_floor CAPTURE CALLS
 *
 * It reads every packet with libpcap (the capture library) and hands
 * the From value of the first CALLS initial INVITEs (To without a tag) to
 * libosip2's osip_from_parse (the SIP library), and nothing else: no
 * P-Asserted-Identity or Remote-Party-ID, no Privacy, no retransmission
 * table, no text cleaning, no number plan, no output. Its CPU time is a floor
 * under sipcidd's, so tshark's time over it is the highest ratio any such
 * reader could reach against tshark on this capture.
 *
 * Only what gen_invites writes is framed (Ethernet, IPv4 or IPv6, UDP); it
 * prints "packets=P invites=I tried=T parsed=K" (T values handed to libosip2,
 * K of them accepted) so the script can check that it saw the calls it was
 * told of. */
#include <pcap/pcap.h>

#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VALUE_MAX = 2048 };

/* The UDP payload of an Ethernet frame, or NULL. */
static const char *udp_payload(const unsigned char *f, size_t caplen, size_t *len)
{
	if (caplen < 14)
		return NULL;
	unsigned type = (unsigned)f[12] << 8 | f[13];
	size_t ip = 14, l4;
	if (type == 0x0800 && caplen >= ip + 20 && f[ip + 9] == 17)
		l4 = ip + (size_t)(f[ip] & 0x0f) * 4;
	else if (type == 0x86dd && caplen >= ip + 40 && f[ip + 6] == 17)
		l4 = ip + 40;
	else
		return NULL;
	if (caplen < l4 + 8)
		return NULL;
	*len = caplen - l4 - 8;
	return (const char *)f + l4 + 8;
}

/* The value of header `name` ("\r\nFrom:"), up to its line end. */
static const char *header(const char *m, size_t len, const char *name, size_t *vlen)
{
	const char *h = memmem(m, len, name, strlen(name));
	if (!h)
		return NULL;
	h += strlen(name);
	const char *end = memmem(h, len - (size_t)(h - m), "\r\n", 2);
	if (!end)
		return NULL;
	*vlen = (size_t)(end - h);
	return h;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: offline_floor CAPTURE CALLS\n");
		return 2;
	}
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "offline_floor: %s\n", err);
		return 1;
	}
	long calls = strtol(argv[2], NULL, 10);
	parser_init();
	struct pcap_pkthdr *h;
	const unsigned char *d;
	long packets = 0, invites = 0, tried = 0, parsed = 0;
	static char value[VALUE_MAX + 1];
	while (pcap_next_ex(p, &h, &d) == 1) {
		packets++;
		size_t len;
		const char *m = udp_payload(d, h->caplen, &len);
		if (!m || len < 7 || memcmp(m, "INVITE ", 7) != 0)
			continue;
		invites++;
		size_t to_len, from_len;
		const char *to = header(m, len, "\r\nTo:", &to_len);
		if (!to)
			to = header(m, len, "\r\nt:", &to_len);  /* compact form */
		const char *from = header(m, len, "\r\nFrom:", &from_len);
		if (!from)
			from = header(m, len, "\r\nf:", &from_len);
		if (tried >= calls || !to || !from || memmem(to, to_len, "tag=", 4))
			continue;
		if (from_len > VALUE_MAX)
			from_len = VALUE_MAX;
		memcpy(value, from, from_len);
		value[from_len] = '\0';
		tried++;
		osip_from_t *f;
		if (osip_from_init(&f) != 0)
			return 1;
		if (osip_from_parse(f, value) == 0)
			parsed++;
		osip_from_free(f);
	}
	pcap_close(p);
	printf("packets=%ld invites=%ld tried=%ld parsed=%ld\n", packets, invites, tried, parsed);
	return 0;
}
