/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netlink plumbing NFQUEUE, NFLOG and nfacct share
 * (bridge-daemon/capture/nfnl.h), where it needs no kernel: the gap counter
 * of packet ids and sequence numbers, the decoding of timestamp and
 * in-interface attributes as the kernel lays them out, walking a datagram
 * for the answer to a request, request headers and error words. */
#include "nfnl.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <glib.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <string.h>
#include <sys/socket.h>

/* ---- gap counter ---- */

static void test_gaps_in_order(void)
{
	struct sipcid_nfnl_gaps g = { 0 };
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 5), ==, 0);  /* the first says nothing */
	g_assert_true(g.seen);
	g_assert_cmpuint(g.last, ==, 5);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 6), ==, 0);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 10), ==, 3);  /* 7, 8, 9 never came */
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 11), ==, 0);
	g_assert_cmpuint(g.last, ==, 11);
}

static void test_gaps_wrap(void)
{
	struct sipcid_nfnl_gaps g = { 0 };
	sipcid_nfnl_gaps_note(&g, 0xfffffffeu);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 0xffffffffu), ==, 0);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 0), ==, 0);  /* 2^32-1 is followed by 0 */
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 1), ==, 0);

	g = (struct sipcid_nfnl_gaps){ 0 };
	sipcid_nfnl_gaps_note(&g, 0xfffffffdu);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 2), ==, 4);  /* fffffffe, ffffffff, 0, 1 */
	g_assert_cmpuint(g.last, ==, 2);
}

/* A step back, a repeat or a huge jump is the kernel starting over (a new
 * queue instance), not messages lost; counting goes on from there. */
static void test_gaps_restart(void)
{
	struct sipcid_nfnl_gaps g = { 0 };
	sipcid_nfnl_gaps_note(&g, 1000);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 1000), ==, 0);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 3), ==, 0);
	g_assert_cmpuint(g.last, ==, 3);
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 5), ==, 1);

	/* The bound: a gap of 2^30-1 counts, one of 2^30 is a restart. */
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 5 + (1u << 30)), ==, (1u << 30) - 1);
	uint32_t last = g.last;
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, last + (1u << 30) + 1), ==, 0);
	/* Across the wrap too. */
	g = (struct sipcid_nfnl_gaps){ .last = 0xfffffff0u, .seen = true };
	g_assert_cmpuint(sipcid_nfnl_gaps_note(&g, 0xfffffff0u + (1u << 30) + 1), ==, 0);
}

/* ---- attributes ---- */

/* An attribute at a 4-byte but not 8-byte aligned address, as netlink lays
 * them out, with `len` bytes of payload. */
static struct nlattr *put_attr(uint8_t *buf, uint16_t type, const void *payload, uint16_t len)
{
	g_assert_cmpuint((uintptr_t)buf % 8, ==, 0);
	struct nlattr *a = (struct nlattr *)(buf + 8);
	g_assert_cmpuint((uintptr_t)mnl_attr_get_payload(a) % 8, ==, 4);
	a->nla_type = type;
	a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + len);
	memcpy(mnl_attr_get_payload(a), payload, len);
	return a;
}

static struct nlattr *put_timestamp(uint8_t *buf, uint64_t sec, uint64_t usec)
{
	struct nfqnl_msg_packet_timestamp ts = { .sec = htobe64(sec), .usec = htobe64(usec) };
	return put_attr(buf, NFQA_TIMESTAMP, &ts, sizeof ts);
}

static void test_timestamp(void)
{
	_Alignas(8) uint8_t buf[64];
	const int64_t otherwise = 42;
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_timestamp(buf, 1700000000, 123456), otherwise), ==,
	                INT64_C(1700000000123456));
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_timestamp(buf, 0, 1), otherwise), ==, 1);

	/* NFLOG lays its timestamp out the same way. */
	struct nfulnl_msg_packet_timestamp lts = { .sec = htobe64(2), .usec = htobe64(999999) };
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_attr(buf, NFULA_TIMESTAMP, &lts, sizeof lts), otherwise),
	                ==, 2999999);
}

static void test_timestamp_otherwise(void)
{
	_Alignas(8) uint8_t buf[64];
	const int64_t otherwise = 1234567;
	g_assert_cmpint(sipcid_nfnl_timestamp_us(NULL, otherwise), ==, otherwise);
	/* The kernel sends none before the packet got one: zero. */
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_timestamp(buf, 0, 0), otherwise), ==, otherwise);
	/* Too short: seconds only. */
	uint64_t sec = htobe64(1700000000);
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_attr(buf, NFQA_TIMESTAMP, &sec, sizeof sec), otherwise),
	                ==, otherwise);
	/* Not a time: would overflow, or microseconds that are a second or more. */
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_timestamp(buf, UINT64_MAX, 0), otherwise), ==, otherwise);
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_timestamp(buf, (uint64_t)INT64_MAX / 1000000, 0), otherwise),
	                ==, otherwise);
	g_assert_cmpint(sipcid_nfnl_timestamp_us(put_timestamp(buf, 5, 1000000), otherwise), ==, otherwise);
}

static void test_ifindex(void)
{
	_Alignas(8) uint8_t pbuf[64], ibuf[64];
	uint32_t br_port = htonl(7), bridge = htonl(3);
	const struct nlattr *phys = put_attr(pbuf, NFQA_IFINDEX_PHYSINDEV, &br_port, sizeof br_port);
	const struct nlattr *in = put_attr(ibuf, NFQA_IFINDEX_INDEV, &bridge, sizeof bridge);
	g_assert_cmpuint(sipcid_nfnl_ifindex(phys, in), ==, 7);  /* the bridge port, not the bridge */
	g_assert_cmpuint(sipcid_nfnl_ifindex(NULL, in), ==, 3);
	g_assert_cmpuint(sipcid_nfnl_ifindex(NULL, NULL), ==, 0);
	uint16_t half = 7;
	phys = put_attr(pbuf, NFULA_IFINDEX_PHYSINDEV, &half, sizeof half);
	g_assert_cmpuint(sipcid_nfnl_ifindex(phys, in), ==, 3);  /* too short: not read */
	g_assert_cmpuint(sipcid_nfnl_ifindex(phys, NULL), ==, 0);
}

/* ---- datagrams ---- */

static size_t put_msg(uint8_t *at, uint16_t type, uint32_t seq, size_t payload)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = seq;
	memset(mnl_nlmsg_put_extra_header(nlh, payload), 0xa5, payload);
	return nlh->nlmsg_len;
}

static size_t put_error(uint8_t *at, uint32_t seq, int err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof *e);
	e->error = -err;
	return nlh->nlmsg_len;
}

struct seen {
	int n;
	uint16_t type[8];
	uint32_t seq[8];
};

static void on_message(void *ctx, const struct nlmsghdr *nlh)
{
	struct seen *s = ctx;
	g_assert_cmpint(s->n, <, 8);
	s->type[s->n] = nlh->nlmsg_type;
	s->seq[s->n] = nlh->nlmsg_seq;
	s->n++;
}

enum { PACKET = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET };

/* A packet, an error answering another request, the awaited answer, a packet. */
static size_t put_datagram(uint8_t *buf, int answer)
{
	size_t len = put_msg(buf, PACKET, 0, 40);
	len += put_error(buf + len, 7, EBUSY);
	len += put_error(buf + len, 9, answer);
	len += put_msg(buf + len, PACKET, 0, 12);
	return len;
}

static void test_walk_answer(void)
{
	_Alignas(8) uint8_t buf[512];
	size_t len = put_datagram(buf, 0);
	struct seen s = { 0 };
	g_assert_cmpint(sipcid_nfnl_walk(buf, len, 9, on_message, &s), ==, 0);  /* acknowledged */
	g_assert_cmpint(s.n, ==, 3);  /* everything else, in order */
	g_assert_cmpuint(s.type[0], ==, PACKET);
	g_assert_cmpuint(s.type[1], ==, NLMSG_ERROR);
	g_assert_cmpuint(s.seq[1], ==, 7);
	g_assert_cmpuint(s.type[2], ==, PACKET);

	len = put_datagram(buf, EPERM);
	s = (struct seen){ 0 };
	g_assert_cmpint(sipcid_nfnl_walk(buf, len, 9, on_message, &s), ==, EPERM);
	g_assert_cmpint(s.n, ==, 3);

	s = (struct seen){ 0 };
	g_assert_cmpint(sipcid_nfnl_walk(buf, len, 7, on_message, &s), ==, EBUSY);
	g_assert_cmpint(s.n, ==, 3);
	g_assert_cmpuint(s.seq[1], ==, 9);
}

static void test_walk_no_answer(void)
{
	_Alignas(8) uint8_t buf[512];
	size_t len = put_datagram(buf, 0);
	struct seen s = { 0 };
	/* 0 awaits nothing: even errors of seq 0 are just messages. */
	g_assert_cmpint(sipcid_nfnl_walk(buf, len, 0, on_message, &s), ==, -1);
	g_assert_cmpint(s.n, ==, 4);
	s = (struct seen){ 0 };
	g_assert_cmpint(sipcid_nfnl_walk(buf, len, 8, on_message, &s), ==, -1);
	g_assert_cmpint(s.n, ==, 4);

	/* An error message too short for its error is not an answer. */
	len = put_msg(buf, NLMSG_ERROR, 9, 0);
	s = (struct seen){ 0 };
	g_assert_cmpint(sipcid_nfnl_walk(buf, len, 9, on_message, &s), ==, -1);
	g_assert_cmpint(s.n, ==, 1);
	int err = 12345;
	g_assert_false(sipcid_nfnl_get_error((const struct nlmsghdr *)buf, &err));
	g_assert_cmpint(err, ==, 12345);
}

static void test_walk_cut(void)
{
	_Alignas(8) uint8_t buf[512];
	size_t len = put_datagram(buf, 0);
	size_t first = mnl_nlmsg_size(40);
	struct seen s = { 0 };
	/* Cut inside the second message: only the first is whole. */
	g_assert_cmpint(sipcid_nfnl_walk(buf, first + 10, 9, on_message, &s), ==, -1);
	g_assert_cmpint(s.n, ==, 1);
	/* Cut inside the last packet: the answer was whole. */
	s = (struct seen){ 0 };
	g_assert_cmpint(sipcid_nfnl_walk(buf, len - 4, 9, on_message, &s), ==, 0);
	g_assert_cmpint(s.n, ==, 2);
	/* Nothing, or less than a header. */
	s = (struct seen){ 0 };
	g_assert_cmpint(sipcid_nfnl_walk(buf, 0, 9, on_message, &s), ==, -1);
	g_assert_cmpint(sipcid_nfnl_walk(buf, 15, 9, on_message, &s), ==, -1);
	g_assert_cmpint(s.n, ==, 0);
	/* A header that claims more than the datagram holds. */
	((struct nlmsghdr *)buf)->nlmsg_len = 4000;
	g_assert_cmpint(sipcid_nfnl_walk(buf, len, 9, on_message, &s), ==, -1);
	g_assert_cmpint(s.n, ==, 0);
}

/* ---- requests ---- */

static void test_put_header(void)
{
	_Alignas(8) uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = sipcid_nfnl_put_header(buf, NFNL_SUBSYS_ULOG, NFULNL_MSG_CONFIG, AF_INET, 0x1e44);
	g_assert_true((void *)nlh == (void *)buf);
	g_assert_cmpuint(nlh->nlmsg_type, ==, 0x0401);  /* NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_CONFIG */
	g_assert_cmpuint(nlh->nlmsg_flags, ==, NLM_F_REQUEST);
	g_assert_cmpuint(nlh->nlmsg_len, ==, mnl_nlmsg_size(sizeof(struct nfgenmsg)));
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	g_assert_cmpuint(g->nfgen_family, ==, AF_INET);
	g_assert_cmpuint(g->version, ==, NFNETLINK_V0);
	g_assert_cmpuint(buf[sizeof *nlh + 2], ==, 0x1e);  /* res_id, big-endian */
	g_assert_cmpuint(buf[sizeof *nlh + 3], ==, 0x44);
}

static void test_next_seq(void)
{
	struct sipcid_nfnl s = { .seq = 0 };
	g_assert_cmpuint(sipcid_nfnl_next_seq(&s), ==, 1);
	g_assert_cmpuint(sipcid_nfnl_next_seq(&s), ==, 2);
	s.seq = UINT32_MAX;
	g_assert_cmpuint(sipcid_nfnl_next_seq(&s), ==, 1);  /* 0 would mean "no request" */
}

static void test_error_words(void)
{
	GQuark q = g_quark_from_static_string("test-nfnl");
	GError *e = NULL;
	sipcid_nfnl_set_error(&e, q, EPERM, "binding", "NFQUEUE queue 3", "is another sipcidd running?");
	g_assert_error(e, q, EPERM);
	g_assert_cmpstr(e->message, ==,
	                "binding NFQUEUE queue 3: permission denied (sipcidd needs root or CAP_NET_ADMIN)");
	g_clear_error(&e);
	sipcid_nfnl_set_error(&e, q, EBUSY, "binding", "NFQUEUE queue 3", "is another sipcidd running?");
	g_assert_cmpstr(e->message, ==,
	                "binding NFQUEUE queue 3: another process is bound to it (is another sipcidd running?)");
	g_clear_error(&e);
	sipcid_nfnl_set_error(&e, q, EPROTONOSUPPORT, "opening a netlink socket for", "NFLOG group 7", "x");
	g_assert_error(e, q, EPROTONOSUPPORT);
	g_autofree char *want = g_strdup_printf("opening a netlink socket for NFLOG group 7: %s",
	                                        g_strerror(EPROTONOSUPPORT));
	g_assert_cmpstr(e->message, ==, want);
	g_clear_error(&e);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/nfnl/gaps/in-order", test_gaps_in_order);
	g_test_add_func("/nfnl/gaps/wrap", test_gaps_wrap);
	g_test_add_func("/nfnl/gaps/restart", test_gaps_restart);
	g_test_add_func("/nfnl/timestamp", test_timestamp);
	g_test_add_func("/nfnl/timestamp/otherwise", test_timestamp_otherwise);
	g_test_add_func("/nfnl/ifindex", test_ifindex);
	g_test_add_func("/nfnl/walk/answer", test_walk_answer);
	g_test_add_func("/nfnl/walk/no-answer", test_walk_no_answer);
	g_test_add_func("/nfnl/walk/cut", test_walk_cut);
	g_test_add_func("/nfnl/put-header", test_put_header);
	g_test_add_func("/nfnl/next-seq", test_next_seq);
	g_test_add_func("/nfnl/error-words", test_error_words);
	return g_test_run();
}
