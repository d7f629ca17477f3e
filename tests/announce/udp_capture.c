/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test helper: receives UDP datagrams and prints each as one line of hex.
 *   udp_capture ADDRESS PORT COUNT TIMEOUT_S [READY_FILE]
 * Binds ADDRESS:PORT (IPv4 or IPv6), prints up to COUNT datagrams, exits 0
 * when COUNT arrived and 1 when TIMEOUT_S passed first. READY_FILE is created
 * once the socket is bound, so a test can start the sender without sleeping. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: udp_capture ADDRESS PORT COUNT TIMEOUT_S [READY_FILE]\n");
		return 2;
	}
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t sl;
	int port = atoi(argv[2]);
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, argv[1], &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		sl = sizeof *v4;
	} else if (inet_pton(AF_INET6, argv[1], &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		sl = sizeof *v6;
	} else {
		fprintf(stderr, "udp_capture: bad address %s\n", argv[1]);
		return 2;
	}
	int fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		perror("udp_capture: bind");
		return 2;
	}
	if (argc > 5) {
		FILE *f = fopen(argv[5], "w");
		if (f)
			fclose(f);
	}
	int count = atoi(argv[3]);
	time_t deadline = time(NULL) + atoi(argv[4]);
	for (int got = 0; got < count;) {
		int left = (int)(deadline - time(NULL));
		if (left <= 0)
			return 1;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, left * 1000) <= 0)
			continue;
		unsigned char buf[65536];
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0)
			continue;
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
		printf("\n");
		fflush(stdout);
		got++;
	}
	return 0;
}
