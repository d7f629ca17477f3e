/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nfq_bare: the baseline NFQUEUE consumer for bench/datapath_bench.sh. It
 * accepts everything and does no SIP work, with the same technique as
 * sipcidd (recvmmsg batches, one batch verdict per batch, 8192-entry queue,
 * 32 MiB buffer, fail-open), so the difference to sipcidd is the SIP work.
 *   nfq_bare QUEUE        (runs until SIGTERM/SIGINT; SIGUSR1 prints the count) */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

enum { BATCH = 32, SLOT = 0x10000 + 4096 };  /* keeps every slot 4-byte aligned */

static volatile sig_atomic_t stop, report;
static void on_signal(int sig) { (void)sig; stop = 1; }
static void on_usr1(int sig) { (void)sig; report = 1; }

static int config(struct mnl_socket *nl, uint16_t queue, int what, uint32_t value)
{
	_Alignas(8) char buf[512];
	struct nlmsghdr *nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, queue);
	if (what == 0)
		nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, (uint8_t)value);
	else if (what == 1)
		nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
	else if (what == 2)
		nfq_nlmsg_cfg_put_qmaxlen(nlh, value);
	else {
		mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(value));
		mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(value));
	}
	return mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	uint16_t queue = argc > 1 ? (uint16_t)atoi(argv[1]) : 0;
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct sigaction su = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &su, NULL);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nfq_bare: netlink");
		return 1;
	}
	int fd = mnl_socket_get_fd(nl);
	int rcvbuf = 32 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
	struct timeval tv = { .tv_usec = 200000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (config(nl, queue, 0, NFQNL_CFG_CMD_BIND) || config(nl, queue, 1, 0) ||
	    config(nl, queue, 2, 8192) || config(nl, queue, 3, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO)) {
		perror("nfq_bare: configuring the queue");
		return 1;
	}
	static _Alignas(8) char slots[BATCH][SLOT];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long long packets = 0;
	while (!stop) {
		if (report) {
			/* SIGUSR1: the count so far, for the benchmark's loss check */
			printf("packets %llu\n", packets);
			fflush(stdout);
			report = 0;
		}
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ slots[i], SLOT };
			msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;  /* timeout, EINTR, ENOBUFS, or the ACKs of the setup */
		uint32_t last = 0;
		bool any = false;
		for (int i = 0; i < n; i++) {
			int len = (int)msgs[i].msg_len;
			for (struct nlmsghdr *nlh = (struct nlmsghdr *)slots[i]; mnl_nlmsg_ok(nlh, len);
			     nlh = mnl_nlmsg_next(nlh, &len)) {
				struct nlattr *attr[NFQA_MAX + 1] = { 0 };
				if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR])
					continue;
				struct nfqnl_msg_packet_hdr *ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
				last = ntohl(ph->packet_id);
				any = true;
				packets++;
			}
		}
		if (any) {
			_Alignas(8) char buf[128];
			struct nlmsghdr *nlh = nfq_nlmsg_put(buf, NFQNL_MSG_VERDICT_BATCH, queue);
			nfq_nlmsg_verdict_put(nlh, (int)last, NF_ACCEPT);
			mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
		}
	}
	config(nl, queue, 0, NFQNL_CFG_CMD_UNBIND);
	mnl_socket_close(nl);
	fprintf(stderr, "nfq_bare: %llu packets\n", packets);
	return 0;
}
