/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gen_invites: writes a pcap of N distinct initial SIP INVITEs for the offline
 * benchmark (bench/offline_bench.sh).
 *
 * The capture looks like a busy provider trunk rather than N copies of one
 * message, so that parsers cannot win on branch prediction or caches alone:
 * every INVITE has its own Call-ID, tags and branch, the caller is drawn from
 * varied display names (ASCII, quoted with escapes, unquoted tokens, UTF-8),
 * numbers (NANP 10 and 1+10 digits, E.164, 011 international, tel: URIs with
 * visual separators) and identity headers (P-Asserted-Identity,
 * Remote-Party-ID with privacy, Privacy: id, the anonymous forms of
 * docs/callerid.md), and a few Diversion headers. Between them come the
 * packets a real trunk carries that must NOT count as new calls: provisional
 * responses, retransmitted INVITEs and in-dialog re-INVITEs (To with a tag).
 * One packet in ten is IPv6.
 *
 * It prints one line "invites=N packets=P" so the script knows how many calls
 * sipcidd must report. Output is deterministic for a given --seed. */
#include <pcap/pcap.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PAYLOAD_MAX = 4096, FRAME_MAX = PAYLOAD_MAX + 14 + 40 + 8 };

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: fast, good enough, reproducible across machines */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned pick(unsigned n) { return (unsigned)(rng() % n); }
static bool chance(unsigned percent) { return pick(100) < percent; }

static const char *const first_names[] = {
	"John", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda",
	"William", "Elizabeth", "Ahmed", "Fatima", "Wei", "Mei", "José", "María",
	"François", "Zoë", "Łukasz", "Søren", "Björn", "Ngozi", "Dmitri", "Ayşe",
	"Nguyễn", "Sinéad", "Ravi", "Priya", "Yuki", "Олег", "Θάνος", "محمد",
};
static const char *const last_names[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Müller", "O'Brien", "Nowak", "Kowalski", "Lefèvre", "Dvořák",
	"Tanaka", "Chen", "Okafor", "Ivanov", "Papadopoulos", "Haddad", "Øster", "Núñez",
};
static const char *const businesses[] = {
	"ACME PLUMBING", "WIRELESS CALLER", "TOLL FREE CALL", "CITY OF SPRINGFIELD",
	"DR SMITH OFFICE", "PHARMACY", "SCHOOL DISTRICT", "V9059440262", "DUQM Quarry offic",
};
/* The anonymous forms of docs/callerid.md: display, user, host. */
static const char *const anonymous_forms[][3] = {
	{"Anonymous", "anonymous", "anonymous.invalid"},
	{"Restricted", "restricted", "provider.example"},
	{"Private", "anonymous", "provider.example"},
	{"Withheld", "withheld", "provider.example"},
	{"Unavailable", "unavailable", "hostportion"},
	{"Unknown", "unknown", "provider.example"},
	{"Out of area", "", "provider.example"},
	{"", "unavailable", "hostportion"},
};
static const char *const user_agents[] = {
	"Linksys/PAP2T-3.1.15(LS)", "Cisco/SPA112-1.4.1(SR5)", "Grandstream HT801 1.0.43.11",
	"OBIHAI/OBi202-3.2.2.5921", "FreeSWITCH-mod_sofia/1.10.9-release~64bit",
	"Asterisk PBX 18.16.0", "Sonus SBC", "Acme Packet SBC",
};

struct caller {
	char display[160];  /* as it goes on the wire, quotes and escapes included */
	char number[64];    /* the wire user part or tel number */
	bool tel;           /* tel: URI rather than sip: */
	const char *host;
};

static int appendf(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int appendf(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len) {
		fprintf(stderr, "gen_invites: message too long (internal error)\n");
		exit(1);
	}
	*len += (size_t)n;
	return n;
}

static void random_number(char *out, size_t size)
{
	unsigned npa = 201 + pick(789), nxx = 200 + pick(799), line = pick(10000);
	switch (pick(10)) {
	case 0: case 1: case 2: case 3: /* 10-digit NANP */
		snprintf(out, size, "%03u%03u%04u", npa, nxx, line);
		break;
	case 4: case 5: /* 1 + 10 digits */
		snprintf(out, size, "1%03u%03u%04u", npa, nxx, line);
		break;
	case 6: case 7: /* E.164 */
		snprintf(out, size, "+1%03u%03u%04u", npa, nxx, line);
		break;
	case 8: /* international from a NANP line */
		snprintf(out, size, "011%u%09u", 30 + pick(60), (unsigned)(rng() % 1000000000u));
		break;
	default: /* European E.164 */
		snprintf(out, size, "+%u%09u", 30 + pick(20), (unsigned)(rng() % 1000000000u));
		break;
	}
}

static void random_caller(struct caller *c)
{
	c->tel = false;
	c->host = chance(50) ? "sip.provider.example" : "198.51.100.7";
	random_number(c->number, sizeof c->number);
	unsigned kind = pick(100);
	if (kind < 40) {
		snprintf(c->display, sizeof c->display, "\"%s %s\"", first_names[pick(32)],
		         last_names[pick(24)]);
	} else if (kind < 48) { /* Sipura-style unquoted tokens */
		snprintf(c->display, sizeof c->display, "%s %s", first_names[pick(10)],
		         last_names[pick(10)]);
	} else if (kind < 52) { /* quoted-string with escapes */
		snprintf(c->display, sizeof c->display, "\"%s \\\"%s\\\" %s\"", first_names[pick(32)],
		         first_names[pick(32)], last_names[pick(24)]);
	} else if (kind < 62) {
		snprintf(c->display, sizeof c->display, "\"%s\"", businesses[pick(9)]);
	} else if (kind < 72) { /* display is the number itself (FreeSWITCH) */
		char number[sizeof c->number];
		memcpy(number, c->number, sizeof number);
		snprintf(c->display, sizeof c->display, "\"%s\"", number);
	} else if (kind < 85) {
		c->display[0] = '\0';
	} else if (kind < 92) { /* tel: URI with visual separators */
		unsigned npa = 201 + pick(789), nxx = 200 + pick(799), line = pick(10000);
		snprintf(c->number, sizeof c->number, "+1-%03u-%03u-%04u", npa, nxx, line);
		snprintf(c->display, sizeof c->display, "\"%s %s\"", first_names[pick(32)],
		         last_names[pick(24)]);
		c->tel = true;
	} else {
		const char *const *a = anonymous_forms[pick(8)];
		if (a[0][0])
			snprintf(c->display, sizeof c->display, "\"%s\"", a[0]);
		else
			c->display[0] = '\0';
		snprintf(c->number, sizeof c->number, "%s", a[1]);
		c->host = a[2];
	}
}

static void write_uri(char *buf, size_t size, size_t *len, const struct caller *c)
{
	if (c->tel)
		appendf(buf, size, len, "<tel:%s>", c->number);
	else if (c->number[0])
		appendf(buf, size, len, "<sip:%s@%s;user=phone>", c->number, c->host);
	else
		appendf(buf, size, len, "<sip:%s>", c->host);
}

struct call {
	uint64_t id;
	char call_id[96];
	char from_tag[24];
	char branch[40];
	unsigned cseq;
	bool v6;
	uint32_t src4, dst4;
	uint8_t src6[16], dst6[16];
	char home[16];
};

static void new_call(struct call *k, uint64_t id)
{
	memset(k, 0, sizeof *k);
	k->id = id;
	uint64_t a = rng(), b = rng();
	switch (pick(4)) {
	case 0:
		snprintf(k->call_id, sizeof k->call_id, "%08" PRIx64 "-%04x-%04x-%04x-%012" PRIx64,
		         id ^ (a >> 32), (unsigned)(a & 0xffff), (unsigned)((a >> 16) & 0xffff),
		         (unsigned)(b & 0xffff), b >> 16);
		break;
	case 1:
		snprintf(k->call_id, sizeof k->call_id, "%" PRIx64 "-%" PRIu64 "@10.0.%u.%u", a, id,
		         pick(256), pick(256));
		break;
	case 2:
		snprintf(k->call_id, sizeof k->call_id, "SD%07" PRIu64 "-%010" PRIu64 "-%u", id,
		         (uint64_t)(a % 10000000000ULL), pick(100000));
		break;
	default:
		snprintf(k->call_id, sizeof k->call_id, "%016" PRIx64 "%08" PRIx64 "%" PRIx64, a,
		         b & 0xffffffff, id);
		break;
	}
	snprintf(k->from_tag, sizeof k->from_tag, "%" PRIx64 "o0", b);
	snprintf(k->branch, sizeof k->branch, "z9hG4bK%" PRIx64 "%" PRIx64, rng(), id);
	k->cseq = 1 + pick(30000);
	k->v6 = chance(10);
	k->src4 = htonl(0xC6336400u | (1 + pick(250)));        /* 198.51.100.x: provider */
	k->dst4 = htonl(0xC0A80100u | (2 + pick(250)));        /* 192.168.1.x: ATA */
	static const uint8_t prov6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x51};
	static const uint8_t lan6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
	memcpy(k->src6, prov6, 16);
	memcpy(k->dst6, lan6, 16);
	k->src6[15] = (uint8_t)(1 + pick(250));
	k->dst6[15] = (uint8_t)(2 + pick(250));
	snprintf(k->home, sizeof k->home, "1%03u555%04u", 201 + pick(789), pick(10000));
}

static size_t build_invite(char *buf, size_t size, const struct call *k, const struct caller *c,
                           bool reinvite)
{
	char body[768];
	size_t blen = 0;
	unsigned sess = (unsigned)(k->id * 7919u + 1000000u);
	unsigned port = 10000 + 2 * pick(10000);
	if (k->v6)
		appendf(body, sizeof body, &blen,
		        "v=0\r\no=- %u %u IN IP6 2001:db8::51:%x\r\ns=-\r\nc=IN IP6 2001:db8::51:%x\r\n",
		        sess, sess, k->src6[15], k->src6[15]);
	else
		appendf(body, sizeof body, &blen,
		        "v=0\r\no=- %u %u IN IP4 198.51.100.%u\r\ns=-\r\nc=IN IP4 198.51.100.%u\r\n",
		        sess, sess, ntohl(k->src4) & 0xff, ntohl(k->src4) & 0xff);
	appendf(body, sizeof body, &blen,
	        "t=0 0\r\nm=audio %u RTP/AVP 0 8 18 101\r\na=rtpmap:0 PCMU/8000\r\n"
	        "a=rtpmap:8 PCMA/8000\r\na=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\n"
	        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"
	        "a=sendrecv\r\n",
	        port);

	char host[64];
	if (k->v6)
		snprintf(host, sizeof host, "[2001:db8::51:%x]", k->src6[15]);
	else
		snprintf(host, sizeof host, "198.51.100.%u", ntohl(k->src4) & 0xff);
	char ata[64];
	if (k->v6)
		snprintf(ata, sizeof ata, "[2001:db8:0:1::%x]", k->dst6[15]);
	else
		snprintf(ata, sizeof ata, "192.168.1.%u", ntohl(k->dst4) & 0xff);

	/* A few senders use compact header names (RFC 3261 §7.3.3). */
	bool compact = (k->id % 17) == 3;
	size_t len = 0;
	appendf(buf, size, &len, "INVITE sip:%s@%s:5060 SIP/2.0\r\n", k->home, ata);
	appendf(buf, size, &len, "%s: SIP/2.0/UDP %s:5060;branch=%s%s\r\n", compact ? "v" : "Via",
	        host, k->branch, reinvite ? "r" : "");
	appendf(buf, size, &len, "Max-Forwards: %u\r\n", 60 + pick(10));
	appendf(buf, size, &len, "%s: ", compact ? "f" : "From");
	if (c->display[0])
		appendf(buf, size, &len, "%s ", c->display);
	write_uri(buf, size, &len, c);
	appendf(buf, size, &len, ";tag=%s\r\n", k->from_tag);
	appendf(buf, size, &len, "%s: <sip:%s@%s>", compact ? "t" : "To", k->home, ata);
	if (reinvite)
		appendf(buf, size, &len, ";tag=as%08" PRIx64, k->id * 2654435761u);
	appendf(buf, size, &len, "\r\n%s: %s\r\n", compact ? "i" : "Call-ID", k->call_id);
	appendf(buf, size, &len, "CSeq: %u INVITE\r\n", k->cseq + (reinvite ? 1 : 0));
	appendf(buf, size, &len, "%s: <sip:%s@%s:5060>\r\n", compact ? "m" : "Contact",
	        c->number[0] && !c->tel ? c->number : "gw", host);

	unsigned idh = pick(100);
	if (idh < 30) { /* P-Asserted-Identity, sometimes sip + tel */
		appendf(buf, size, &len, "P-Asserted-Identity: %s%s", c->display,
		        c->display[0] ? " " : "");
		write_uri(buf, size, &len, c);
		if (!c->tel && c->number[0] && c->number[0] != 'a' && chance(30))
			appendf(buf, size, &len, ", <tel:%s>", c->number);
		appendf(buf, size, &len, "\r\n");
	} else if (idh < 45) { /* Remote-Party-ID with its privacy parameter */
		static const char *const priv[] = {"off", "off", "off", "full", "name", "uri"};
		appendf(buf, size, &len, "Remote-Party-ID: %s%s", c->display, c->display[0] ? " " : "");
		write_uri(buf, size, &len, c);
		appendf(buf, size, &len, ";party=calling;screen=%s;privacy=%s\r\n",
		        chance(50) ? "yes" : "no", priv[pick(6)]);
	}
	if (chance(5))
		appendf(buf, size, &len, "Privacy: id;critical\r\n");
	else if (idh < 30 && chance(40))
		appendf(buf, size, &len, "Privacy: none\r\n");
	if (chance(3))
		appendf(buf, size, &len,
		        "Diversion: <sip:%s@sip.provider.example>;reason=unconditional;counter=1\r\n",
		        k->home);
	appendf(buf, size, &len, "User-Agent: %s\r\n", user_agents[pick(8)]);
	appendf(buf, size, &len,
	        "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REFER, NOTIFY\r\n"
	        "Supported: replaces, timer\r\n"
	        "%s: application/sdp\r\n%s: %zu\r\n\r\n",
	        compact ? "c" : "Content-Type", compact ? "l" : "Content-Length", blen);
	if (len + blen >= size) {
		fprintf(stderr, "gen_invites: message too long (internal error)\n");
		exit(1);
	}
	memcpy(buf + len, body, blen);
	return len + blen;
}

static size_t build_response(char *buf, size_t size, const struct call *k,
                             const struct caller *c, unsigned code)
{
	const char *reason = code == 100 ? "Trying" : code == 180 ? "Ringing" : "Session Progress";
	char ata[64], host[64];
	if (k->v6) {
		snprintf(host, sizeof host, "[2001:db8::51:%x]", k->src6[15]);
		snprintf(ata, sizeof ata, "[2001:db8:0:1::%x]", k->dst6[15]);
	} else {
		snprintf(host, sizeof host, "198.51.100.%u", ntohl(k->src4) & 0xff);
		snprintf(ata, sizeof ata, "192.168.1.%u", ntohl(k->dst4) & 0xff);
	}
	size_t len = 0;
	appendf(buf, size, &len, "SIP/2.0 %u %s\r\n", code, reason);
	appendf(buf, size, &len, "Via: SIP/2.0/UDP %s:5060;branch=%s\r\n", host, k->branch);
	appendf(buf, size, &len, "From: %s%s", c->display, c->display[0] ? " " : "");
	write_uri(buf, size, &len, c);
	appendf(buf, size, &len, ";tag=%s\r\n", k->from_tag);
	appendf(buf, size, &len, "To: <sip:%s@%s>", k->home, ata);
	if (code != 100)
		appendf(buf, size, &len, ";tag=as%08" PRIx64, k->id * 2654435761u);
	appendf(buf, size, &len, "\r\nCall-ID: %s\r\nCSeq: %u INVITE\r\n", k->call_id, k->cseq);
	if (code != 100)
		appendf(buf, size, &len, "Contact: <sip:%s@%s:5060>\r\n", k->home, ata);
	appendf(buf, size, &len, "User-Agent: Linksys/PAP2T-3.1.15(LS)\r\nContent-Length: 0\r\n\r\n");
	return len;
}

static uint16_t ones_sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t ones_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* Frames the payload as Ethernet/IPv4-or-IPv6/UDP, provider -> ATA when
 * `to_ata`, with correct checksums so no tool discards or flags the packets. */
static size_t frame(uint8_t *out, const struct call *k, bool to_ata, const char *payload,
                    size_t plen)
{
	static const uint8_t mac_ata[6] = {0x00, 0x0e, 0x08, 0x12, 0x34, 0x56};
	static const uint8_t mac_gw[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
	memcpy(out, to_ata ? mac_ata : mac_gw, 6);
	memcpy(out + 6, to_ata ? mac_gw : mac_ata, 6);
	put16(out + 12, k->v6 ? 0x86dd : 0x0800);
	uint8_t *ip = out + 14, *udp;
	size_t udplen = 8 + plen;
	uint32_t pseudo;
	if (k->v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)udplen);
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, to_ata ? k->src6 : k->dst6, 16);
		memcpy(ip + 24, to_ata ? k->dst6 : k->src6, 16);
		udp = ip + 40;
		pseudo = ones_sum(ip + 8, 32, 0) + (uint32_t)udplen + 17;
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + udplen));
		put16(ip + 4, (uint16_t)k->id);
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, to_ata ? &k->src4 : &k->dst4, 4);
		memcpy(ip + 16, to_ata ? &k->dst4 : &k->src4, 4);
		put16(ip + 10, (uint16_t)~ones_sum_fold(ones_sum(ip, 20, 0)));
		udp = ip + 20;
		pseudo = ones_sum(ip + 12, 8, 0) + (uint32_t)udplen + 17;
	}
	put16(udp, 5060);
	put16(udp + 2, 5060);
	put16(udp + 4, (uint16_t)udplen);
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, plen);
	uint16_t sum = (uint16_t)~ones_sum_fold(ones_sum(udp, udplen, pseudo));
	put16(udp + 6, sum ? sum : 0xffff);
	return (size_t)(udp + udplen - out);
}

struct writer {
	pcap_dumper_t *dump;
	int64_t t_us;
	uint64_t packets;
};

static void emit(struct writer *w, const struct call *k, bool to_ata, const char *payload,
                 size_t plen)
{
	uint8_t pkt[FRAME_MAX];
	size_t n = frame(pkt, k, to_ata, payload, plen);
	struct pcap_pkthdr h = {
		.ts = {.tv_sec = w->t_us / 1000000, .tv_usec = w->t_us % 1000000},
		.caplen = (bpf_u_int32)n,
		.len = (bpf_u_int32)n,
	};
	pcap_dump((u_char *)w->dump, &h, pkt);
	w->packets++;
	w->t_us += 200 + pick(1800);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: gen_invites -n COUNT -o FILE.pcap [--seed N]\n"
	           "Writes COUNT distinct initial INVITEs, mixed with responses,\n"
	           "retransmissions and re-INVITEs, and prints \"invites=COUNT packets=P\".\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"count", required_argument, NULL, 'n'},
		{"output", required_argument, NULL, 'o'},
		{"seed", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	unsigned long long count = 0;
	const char *path = NULL;
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (int c; (c = getopt_long(argc, argv, "n:o:s:h", opts, NULL)) != -1;) {
		char *end;
		switch (c) {
		case 'n':
			errno = 0;
			count = strtoull(optarg, &end, 10);
			if (errno || *end || count == 0 || count > 100000000ULL) {
				fprintf(stderr, "gen_invites: -n expects a count from 1 to 100000000, not \"%s\"\n",
				        optarg);
				return 2;
			}
			break;
		case 'o': path = optarg; break;
		case 's':
			rng_state ^= strtoull(optarg, NULL, 0) * 0xD1B54A32D192ED03ULL;
			if (!rng_state)
				rng_state = 1;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!count || !path || optind != argc) {
		usage(stderr);
		return 2;
	}

	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!dead) {
		fprintf(stderr, "gen_invites: libpcap could not start\n");
		return 1;
	}
	struct writer w = {.t_us = 1735689600LL * 1000000}; /* 2025-01-01T00:00:00Z */
	w.dump = pcap_dump_open(dead, path);
	if (!w.dump) {
		fprintf(stderr, "gen_invites: cannot write %s: %s\n", path, pcap_geterr(dead));
		return 1;
	}

	/* A handful of recent calls, so retransmissions and re-INVITEs refer
	 * back to calls already announced, as on a real trunk. */
	enum { RECENT = 64 };
	static struct call recent[RECENT];
	static struct caller recent_caller[RECENT];
	static char recent_msg[RECENT][PAYLOAD_MAX];
	static size_t recent_len[RECENT];
	/* The random state each recent INVITE was built from: its re-INVITE is
	 * built from it again, so it carries the same identity headers, as a
	 * UA's re-INVITE does (sipcidd judges an INVITE with another identity
	 * under a known Call-ID as a new call: docs/callerid.md, "Judging"). */
	static uint64_t recent_rng[RECENT];
	static char msg[PAYLOAD_MAX];
	for (unsigned long long i = 0; i < count; i++) {
		struct call *k = &recent[i % RECENT];
		struct caller *c = &recent_caller[i % RECENT];
		new_call(k, i + 1);
		random_caller(c);
		recent_rng[i % RECENT] = rng_state;
		size_t n = build_invite(recent_msg[i % RECENT], PAYLOAD_MAX, k, c, false);
		recent_len[i % RECENT] = n;
		emit(&w, k, true, recent_msg[i % RECENT], n);
		if (chance(30)) {
			n = build_response(msg, sizeof msg, k, c, 100);
			emit(&w, k, false, msg, n);
		}
		if (chance(20)) {
			n = build_response(msg, sizeof msg, k, c, chance(80) ? 180 : 183);
			emit(&w, k, false, msg, n);
		}
		if (i >= RECENT) {
			unsigned back = 1 + pick(RECENT - 1);
			unsigned slot = (unsigned)((i - back) % RECENT);
			const struct call *old = &recent[slot];
			const struct caller *oc = &recent_caller[slot];
			if (chance(5)) /* retransmission: the same bytes as the first INVITE */
				emit(&w, old, true, recent_msg[slot], recent_len[slot]);
			if (chance(1)) { /* in-dialog re-INVITE: To has a tag */
				uint64_t now = rng_state;
				rng_state = recent_rng[slot];
				n = build_invite(msg, sizeof msg, old, oc, true);
				rng_state = now;
				emit(&w, old, true, msg, n);
			}
		}
	}
	if (pcap_dump_flush(w.dump) != 0) {
		fprintf(stderr, "gen_invites: cannot write %s: %s\n", path, strerror(errno));
		return 1;
	}
	pcap_dump_close(w.dump);
	pcap_close(dead);
	printf("invites=%llu packets=%" PRIu64 "\n", count, w.packets);
	return 0;
}
