/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NFLOG capture: see capture_nflog.h and docs/datapath.md. */
#include "capture_nflog.h"
#include "nfnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <sys/socket.h>

G_DEFINE_QUARK(sipcid-nflog-error-quark, sipcid_nflog_error)

/* With --nflog-threshold 1 each datagram holds one copy of at most the copy
 * range; the kernel may still batch up to its buffer size (a few KiB by
 * default). 64 KiB holds either. */
enum { BUF_SIZE = 0x10000, CONFIG_MSG_MAX = 256, CONFIG_ANSWER_MS = 3000 };

struct sipcid_nflog {
	struct sipcid_nfnl nl;
	uint16_t group;
	bool bound;
	sipcid_nflog_handler handler;
	void *ctx;
	int64_t recv_time;           /* when the datagram being handled was read */
	struct sipcid_nfnl_gaps seqs;
	struct sipcid_nflog_stats c;
	_Alignas(8) uint8_t buf[BUF_SIZE];
};

/* ---- packets ---- */

static int keep_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);
	if (mnl_attr_type_valid(a, NFULA_MAX) < 0)
		return MNL_CB_OK;  /* newer than this build: not ours to read */
	switch (type) {
	case NFULA_IFINDEX_INDEV:
	case NFULA_IFINDEX_PHYSINDEV:
	case NFULA_SEQ:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_OK;
		break;
	case NFULA_TIMESTAMP:
		if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC, sizeof(struct nfulnl_msg_packet_timestamp)) < 0)
			return MNL_CB_OK;
		break;
	default:
		break;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

static void handle_packet(struct sipcid_nflog *l, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFULA_MAX + 1] = { 0 };
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), keep_attr, tb) < 0)
		return;  /* a malformed attribute list: the ones before it were kept */
	if (tb[NFULA_SEQ])
		l->c.lost += sipcid_nfnl_gaps_note(&l->seqs, ntohl(mnl_attr_get_u32(tb[NFULA_SEQ])));
	l->c.packets++;
	if (!tb[NFULA_PAYLOAD]) {
		l->c.undecoded++;
		return;
	}
	const uint8_t *data = mnl_attr_get_payload(tb[NFULA_PAYLOAD]);
	size_t len = mnl_attr_get_payload_len(tb[NFULA_PAYLOAD]);
	l->c.bytes += len;
	struct sipcid_packet pkt;
	/* A copy cut by the copy range fails the IP length check here. */
	if (!sipcid_packet_parse_ip(data, len, &pkt)) {
		l->c.undecoded++;
		return;
	}
	pkt.time_us = sipcid_nfnl_timestamp_us(tb[NFULA_TIMESTAMP], l->recv_time);
	pkt.ingress_ifindex = sipcid_nfnl_ifindex(tb[NFULA_IFINDEX_PHYSINDEV], tb[NFULA_IFINDEX_INDEV]);
	l->handler(l->ctx, &pkt);
}

static bool is_packet_msg(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET) &&
	       nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(struct nfgenmsg));
}

static void handle_message(void *ctx, const struct nlmsghdr *nlh)
{
	if (is_packet_msg(nlh))
		handle_packet(ctx, nlh);
}

/* Walks one datagram just read (a sipcid_nfnl_datagram_fn). */
static int handle_datagram(void *ctx, void *buf, size_t len, bool truncated, uint32_t want_seq)
{
	struct sipcid_nflog *l = ctx;
	if (truncated)
		l->c.truncated++;  /* the whole messages at its start are still good */
	l->recv_time = g_get_real_time();
	return sipcid_nfnl_walk(buf, len, want_seq, handle_message, l);
}

int sipcid_nflog_receive(struct sipcid_nflog *l, GError **error)
{
	uint64_t before = l->c.packets;
	for (int i = 0; i < SIPCID_NFLOG_BATCH_MAX; i++) {
		ssize_t n = recv(l->nl.fd, l->buf, sizeof l->buf, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				/* Copies were lost; the packets themselves passed. */
				l->c.enobufs++;
				continue;
			}
			g_set_error(error, SIPCID_NFLOG_ERROR, errno, "reading NFLOG group %u: %s", l->group,
			            g_strerror(errno));
			return -1;
		}
		handle_datagram(l, l->buf, MIN((size_t)n, sizeof l->buf), (size_t)n > sizeof l->buf, 0);
	}
	return (int)(l->c.packets - before);
}

/* ---- configuration ---- */

static struct nlmsghdr *config_msg(struct sipcid_nflog *l, char *buf)
{
	return sipcid_nfnl_put_header(buf, NFNL_SUBSYS_ULOG, NFULNL_MSG_CONFIG, AF_UNSPEC, l->group);
}

/* Sends a configuration message and waits for its answer; copies that
 * arrive meanwhile are handled as usual. Returns 0 or an errno. */
static int config_request(struct sipcid_nflog *l, struct nlmsghdr *nlh)
{
	const struct sipcid_nfnl_reader r = {
		.buf = l->buf, .size = sizeof l->buf, .on_datagram = handle_datagram, .ctx = l,
		.enobufs = &l->c.enobufs,
	};
	return sipcid_nfnl_request(&l->nl, nlh, CONFIG_ANSWER_MS, &r);
}

static int send_cmd(struct sipcid_nflog *l, uint8_t cmd)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(l, buf);
	struct nfulnl_msg_config_cmd c = { .command = cmd };
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof c, &c);
	return config_request(l, nlh);
}

static int set_mode(struct sipcid_nflog *l, uint32_t range)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(l, buf);
	struct nfulnl_msg_config_mode m = { .copy_range = htonl(range), .copy_mode = NFULNL_COPY_PACKET };
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof m, &m);
	/* Sequence numbers let us count the copies the kernel could not deliver. */
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	return config_request(l, nlh);
}

static void fail(GError **error, const struct sipcid_nflog *l, int err, const char *doing)
{
	char object[32];
	g_snprintf(object, sizeof object, "NFLOG group %u", l->group);
	sipcid_nfnl_set_error(error, SIPCID_NFLOG_ERROR, err, doing, object,
	                      "another sipcidd, or ulogd? choose another [record] nflog-group and "
	                      "sipcid-firewall --nflog-group");
}

struct sipcid_nflog *sipcid_nflog_open(const struct sipcid_nflog_options *opts,
                                       sipcid_nflog_handler handler, void *ctx, GError **error)
{
	struct sipcid_nflog *l = g_new0(struct sipcid_nflog, 1);
	l->group = opts->group;
	l->handler = handler;
	l->ctx = ctx;
	/* sipcid_nflog_receive never waits; the timeout bounds each read while
	 * a configuration request waits for its answer. */
	const char *doing;
	int err = sipcid_nfnl_open(&l->nl, 250, &doing);
	if (err) {
		fail(error, l, err, doing);
		goto err;
	}
	sipcid_nfnl_set_rcvbuf(&l->nl, opts->rcvbuf_bytes > 0 ? opts->rcvbuf_bytes : SIPCID_NFLOG_DEFAULT_RCVBUF,
	                       "NFLOG");

	err = send_cmd(l, NFULNL_CFG_CMD_BIND);
	if (err) {
		fail(error, l, err, "binding");
		goto err;
	}
	l->bound = true;
	err = set_mode(l, opts->copy_range ? opts->copy_range : SIPCID_NFLOG_DEFAULT_RANGE);
	if (err) {
		fail(error, l, err, "asking for packet copies from");
		goto err;
	}
	return l;
err:
	sipcid_nflog_close(l);
	return NULL;
}

int sipcid_nflog_fd(const struct sipcid_nflog *l)
{
	return l->nl.fd;
}

uint16_t sipcid_nflog_group(const struct sipcid_nflog *l)
{
	return l->group;
}

void sipcid_nflog_get_stats(const struct sipcid_nflog *l, struct sipcid_nflog_stats *out)
{
	*out = l->c;
}

static void ignore_packet(void *ctx, const struct sipcid_packet *pkt)
{
	(void)ctx;
	(void)pkt;
}

void sipcid_nflog_close(struct sipcid_nflog *l)
{
	if (!l)
		return;
	/* Copies read while waiting for the unbind's answer go nowhere: the
	 * handler's owner may be closing too. */
	l->handler = ignore_packet;
	if (l->bound)
		send_cmd(l, NFULNL_CFG_CMD_UNBIND);
	sipcid_nfnl_close(&l->nl);
	g_free(l);
}
