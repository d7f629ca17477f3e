/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sip_load: SIP traffic for bench/datapath_bench.sh.
 *   sip_load send DST PORT RATE SECONDS [mix|invites] [FIRST_CALL]
 *       sends the SIP mix (per call: INVITE, 100, 180, 200, ACK, BYE, OPTIONS,
 *       REGISTER) or INVITEs only, each call with its own Call-ID, at RATE
 *       packets/s for SECONDS; every message carries its send time. Prints
 *       "sent N calls C pps ACHIEVED".
 *   sip_load sink PORT SECONDS
 *       counts what arrives until 1 s of silence (or SECONDS) and prints
 *       "received N p50_us X p99_us Y invite_p50_us X invite_p99_us Y"
 *       (one-way latency; sender and sink share the host's clock). */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BURST = 16, MSG_MAX = 1500 };

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *const kinds[] = { "INVITE", "100", "180", "200", "ACK", "BYE", "OPTIONS", "REGISTER" };

static int build(char *out, long seq, long call, int kind, int64_t t)
{
	static const char sdp[] = "v=0\r\no=- 1 1 IN IP4 10.77.0.1\r\ns=-\r\nc=IN IP4 10.77.0.1\r\n"
	                          "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
	const char *k = kinds[kind];
	char start[128];
	if (k[0] >= '0' && k[0] <= '9')
		snprintf(start, sizeof start, "SIP/2.0 %s %s", k, k[0] == '1' ? (k[1] == '8' ? "Ringing" : "Trying") : "OK");
	else
		snprintf(start, sizeof start, "%s sip:bob@10.77.0.2 SIP/2.0", k);
	const char *method = kind <= 3 ? "INVITE" : k;
	const char *body = kind == 0 ? sdp : "";
	return snprintf(out, MSG_MAX,
	                "%s\r\nVia: SIP/2.0/UDP 10.77.0.1:5060;branch=z9hG4bK%ld\r\n"
	                "From: \"Bench Caller %ld\" <sip:+1555%07ld@10.77.0.1>;tag=a%ld\r\n"
	                "To: <sip:bob@10.77.0.2>%s\r\nCall-ID: bench-%ld@lab\r\nCSeq: %d %s\r\n"
	                "Max-Forwards: 70\r\nX-Bench: %ld %lld\r\n%sContent-Length: %zu\r\n\r\n%s",
	                start, seq, call, call % 10000000, call, kind >= 1 && kind <= 5 ? ";tag=b" : "",
	                call, kind == 5 ? 2 : 1, method, seq, (long long)t,
	                kind == 0 ? "Content-Type: application/sdp\r\n" : "", strlen(body), body);
}

static int do_send(int argc, char **argv)
{
	if (argc < 6)
		return 2;
	double rate = atof(argv[4]), seconds = atof(argv[5]);
	int invites = argc > 6 && !strcmp(argv[6], "invites");
	long call = argc > 7 ? atol(argv[7]) : 0;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	if (getaddrinfo(argv[2], argv[3], &hints, &ai)) {
		fprintf(stderr, "sip_load: bad address %s\n", argv[2]);
		return 1;
	}
	int fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	static char bufs[BURST][MSG_MAX];
	struct mmsghdr msgs[BURST];
	struct iovec iov[BURST];
	long total = (long)(rate * seconds), seq = 0, sent = 0;
	int kind = 0;
	/* Bursts only where the rate needs them, so latency runs send evenly. */
	int burst = rate < 20000 ? 1 : BURST;
	int64_t start = now_ns(), gap = (int64_t)(1e9 * burst / rate);
	while (seq < total) {
		int n = 0;
		int64_t t = now_ns();
		for (; n < burst && seq < total; n++, seq++) {
			int len = build(bufs[n], seq, call, invites ? 0 : kind, t);
			if (invites || ++kind == 8) {
				kind = 0;
				call++;
			}
			iov[n] = (struct iovec){ bufs[n], (size_t)len };
			msgs[n] = (struct mmsghdr){ .msg_hdr = { .msg_name = ai->ai_addr, .msg_namelen = ai->ai_addrlen,
			                                         .msg_iov = &iov[n], .msg_iovlen = 1 } };
		}
		int r = sendmmsg(fd, msgs, (unsigned)n, 0);
		if (r > 0)
			sent += r;
		int64_t next = start + (seq / burst) * gap;
		struct timespec ts = { next / 1000000000, next % 1000000000 };
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (now_ns() - start > (int64_t)(seconds * 3e9) + 2000000000)
			break;  /* far behind the schedule: stop, the run is bounded */
	}
	printf("sent %ld calls %ld pps %.0f\n", sent, call, sent / ((now_ns() - start) / 1e9));
	return 0;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int do_sink(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	double seconds = atof(argv[3]);
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	int zero = 0, buf = 32 << 20;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)atoi(argv[2])) };
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		perror("sip_load sink: bind");
		return 1;
	}
	struct timeval tv = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	fprintf(stderr, "sink ready\n");
	size_t cap = 1 << 20, n = 0, ni = 0;
	int64_t *lat = malloc(cap * sizeof *lat), *inv = malloc(cap * sizeof *inv);
	int64_t end = now_ns() + (int64_t)(seconds * 1e9);
	char m[MSG_MAX + 1];
	long received = 0;
	while (now_ns() < end) {
		ssize_t len = recv(fd, m, MSG_MAX, 0);
		if (len < 0) {
			if (received)
				break;  /* a second of silence after traffic: done */
			continue;
		}
		int64_t t = now_ns();
		m[len] = '\0';
		received++;
		char *x = strstr(m, "X-Bench: ");
		long long sent_t;
		long s;
		if (x && sscanf(x, "X-Bench: %ld %lld", &s, &sent_t) == 2 && n < cap) {
			lat[n++] = t - sent_t;
			if (!strncmp(m, "INVITE ", 7))
				inv[ni++] = t - sent_t;
		}
	}
	qsort(lat, n, sizeof *lat, cmp64);
	qsort(inv, ni, sizeof *inv, cmp64);
	printf("received %ld p50_us %.1f p99_us %.1f invite_p50_us %.1f invite_p99_us %.1f\n", received,
	       n ? lat[n / 2] / 1e3 : 0.0, n ? lat[n * 99 / 100] / 1e3 : 0.0,
	       ni ? inv[ni / 2] / 1e3 : 0.0, ni ? inv[ni * 99 / 100] / 1e3 : 0.0);
	free(lat);
	free(inv);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;
	if (argc > 1 && !strcmp(argv[1], "send"))
		rc = do_send(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "sink"))
		rc = do_sink(argc, argv);
	if (rc == 2)
		fprintf(stderr, "usage: sip_load send DST PORT RATE SECONDS [mix|invites] [FIRST_CALL]\n"
		                "       sip_load sink PORT SECONDS\n");
	return rc;
}
