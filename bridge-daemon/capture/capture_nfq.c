/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NFQUEUE capture: see capture_nfq.h and docs/datapath.md. */
#include "capture_nfq.h"

#include "log.h"
#include "nfnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <string.h>
#include <sys/socket.h>

G_DEFINE_QUARK(sipcid-nfq-error-quark, sipcid_nfq_error)

/* Room for a whole 64 KiB packet plus the netlink attributes around it, so
 * nothing the kernel copies is ever cut. */
enum { SLOT_SIZE = 0x10000 + 4096,  /* a multiple of 4: netlink headers must stay aligned */
        VERDICT_MSG_MAX = 64, CONFIG_MSG_MAX = 512, CONFIG_ANSWER_MS = 3000 };

struct sipcid_nfq {
	struct sipcid_nfnl nl;
	uint32_t catchall_seq;   /* the drain's accept-everything verdict */
	uint16_t queue_num;
	int batch;
	bool bound;

	sipcid_nfq_handler handler;
	void *ctx;

	uint8_t *slots;
	int64_t batch_time;     /* when the datagrams being handled were read */
	struct mmsghdr msgs[SIPCID_NFQ_BATCH_MAX];
	struct iovec iov[SIPCID_NFQ_BATCH_MAX];

	/* Verdicts of the batch being handled, sent in one go. */
	_Alignas(8) char vbuf[2 * SIPCID_NFQ_BATCH_MAX * VERDICT_MSG_MAX + 2 * VERDICT_MSG_MAX];
	size_t vlen;
	uint32_t accept_upto;   /* highest id to accept in the pending batch verdict */
	bool accept_pending;

	struct sipcid_nfnl_gaps ids;

	struct sipcid_nfq_stats c;    /* owned by the packet thread */
	struct sipcid_nfq_stats pub;  /* copy for other threads, stored atomically per batch */
};

static void publish_stats(struct sipcid_nfq *q)
{
	const uint64_t *src = &q->c.packets;
	uint64_t *dst = &q->pub.packets;
	size_t n = offsetof(struct sipcid_nfq_stats, fail_open) / sizeof(uint64_t);
	for (size_t i = 0; i < n; i++)
		__atomic_store_n(&dst[i], src[i], __ATOMIC_RELAXED);
}

void sipcid_nfq_get_stats(const struct sipcid_nfq *q, struct sipcid_nfq_stats *out)
{
	const uint64_t *src = &q->pub.packets;
	uint64_t *dst = &out->packets;
	size_t n = offsetof(struct sipcid_nfq_stats, fail_open) / sizeof(uint64_t);
	for (size_t i = 0; i < n; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	out->fail_open = q->c.fail_open;  /* set once before the packet thread starts */
	out->gso = q->c.gso;
}

uint16_t sipcid_nfq_queue_num(const struct sipcid_nfq *q)
{
	return q->queue_num;
}

/* ---- verdicts ---- */

static void put_verdict(struct sipcid_nfq *q, int type, uint32_t id, int verdict)
{
	struct nlmsghdr *nlh = nfq_nlmsg_put(q->vbuf + q->vlen, type, q->queue_num);
	nfq_nlmsg_verdict_put(nlh, (int)id, verdict);
	q->vlen += nlh->nlmsg_len;
}

static void flush_accepts(struct sipcid_nfq *q)
{
	if (!q->accept_pending)
		return;
	put_verdict(q, NFQNL_MSG_VERDICT_BATCH, q->accept_upto, NF_ACCEPT);
	q->accept_pending = false;
}

static void send_verdicts(struct sipcid_nfq *q)
{
	flush_accepts(q);
	if (q->vlen == 0)
		return;
	/* A failed send leaves packets queued; the next batch verdict covers the
	 * ACCEPTs, so only count it. */
	for (int attempt = 0; attempt < 2; attempt++) {
		if (mnl_socket_sendto(q->nl.sock, q->vbuf, q->vlen) >= 0) {
			q->c.verdict_sends++;
			break;
		}
		if (errno != EINTR && errno != EAGAIN && errno != ENOBUFS) {
			q->c.send_errors++;
			break;
		}
		if (attempt == 1)
			q->c.send_errors++;
	}
	q->vlen = 0;
}

static void record_verdict(struct sipcid_nfq *q, uint32_t id, enum sipcid_verdict v)
{
	if (v == SIPCID_VERDICT_DROP) {
		/* A batch verdict covers every id up to its own: the ACCEPTs below
		 * this packet go first, then its DROP alone. */
		flush_accepts(q);
		put_verdict(q, NFQNL_MSG_VERDICT, id, NF_DROP);
		q->c.dropped++;
	} else {
		q->accept_upto = id;
		q->accept_pending = true;
		q->c.accepted++;
	}
	if (q->vlen > sizeof q->vbuf - 2 * VERDICT_MSG_MAX)
		send_verdicts(q);
}

/* ---- packets ---- */

static uint32_t attr_be32(struct nlattr *a)
{
	return ntohl(mnl_attr_get_u32(a));
}

static void handle_packet(struct sipcid_nfq *q, const struct nlmsghdr *nlh)
{
	struct nlattr *attr[NFQA_MAX + 1] = { 0 };
	nfq_nlmsg_parse(nlh, attr);  /* keeps the attributes that are whole */
	if (!attr[NFQA_PACKET_HDR] ||
	    mnl_attr_get_payload_len(attr[NFQA_PACKET_HDR]) < sizeof(struct nfqnl_msg_packet_hdr))
		return;  /* no id to answer; a later batch verdict covers it */
	const struct nfqnl_msg_packet_hdr *ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	uint32_t id = ntohl(ph->packet_id);
	q->c.packets++;
	q->c.id_gaps += sipcid_nfnl_gaps_note(&q->ids, id);

	enum sipcid_verdict v = SIPCID_VERDICT_ACCEPT;
	struct sipcid_packet pkt;
	const uint8_t *data = attr[NFQA_PAYLOAD] ? mnl_attr_get_payload(attr[NFQA_PAYLOAD]) : NULL;
	size_t len = attr[NFQA_PAYLOAD] ? mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]) : 0;
	bool truncated = attr[NFQA_CAP_LEN] && attr_be32(attr[NFQA_CAP_LEN]) > len;

	if (data && !truncated && sipcid_packet_parse_ip(data, len, &pkt)) {
		pkt.time_us = sipcid_nfnl_timestamp_us(attr[NFQA_TIMESTAMP], q->batch_time);
		pkt.ingress_ifindex = sipcid_nfnl_ifindex(attr[NFQA_IFINDEX_PHYSINDEV], attr[NFQA_IFINDEX_INDEV]);
		/* Who sent the frame: a reply to a blocked INVITE goes back to it. */
		if (attr[NFQA_HWADDR] &&
		    mnl_attr_get_payload_len(attr[NFQA_HWADDR]) >= sizeof(struct nfqnl_msg_packet_hw)) {
			const struct nfqnl_msg_packet_hw *hw = mnl_attr_get_payload(attr[NFQA_HWADDR]);
			if (ntohs(hw->hw_addrlen) == 6) {
				memcpy(pkt.src_mac, hw->hw_addr, 6);
				pkt.has_src_mac = true;
			}
		}
		v = q->handler(q->ctx, &pkt);
	} else {
		q->c.undecoded++;
		q->c.truncated += truncated;
	}
	record_verdict(q, id, v);
}

static bool is_packet_msg(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET);
}

static void handle_message(void *ctx, const struct nlmsghdr *nlh)
{
	struct sipcid_nfq *q = ctx;
	int err;
	if (is_packet_msg(nlh))
		handle_packet(q, nlh);
	else if (sipcid_nfnl_get_error(nlh, &err) && err &&
	         !(nlh->nlmsg_seq == q->catchall_seq && err == ENOENT))
		q->c.send_errors++;
}

/* Walks one datagram read at q->batch_time (a sipcid_nfnl_datagram_fn). */
static int handle_datagram(void *ctx, void *buf, size_t len, bool truncated, uint32_t want_seq)
{
	struct sipcid_nfq *q = ctx;
	struct nlmsghdr *nlh = buf;
	if (truncated && len >= sizeof *nlh && nlh->nlmsg_len > len)
		nlh->nlmsg_len = (uint32_t)len;  /* parse what arrived; the id comes first */
	return sipcid_nfnl_walk(buf, len, want_seq, handle_message, q);
}

/* One recvmmsg. Returns packets handled, 0 when none came, -1 on a fatal error. */
static int receive_batch(struct sipcid_nfq *q, int flags, GError **error)
{
	for (int i = 0; i < q->batch; i++) {
		q->iov[i].iov_base = q->slots + (size_t)i * SLOT_SIZE;
		q->iov[i].iov_len = SLOT_SIZE;
		memset(&q->msgs[i].msg_hdr, 0, sizeof q->msgs[i].msg_hdr);
		q->msgs[i].msg_hdr.msg_iov = &q->iov[i];
		q->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	int n = recvmmsg(q->nl.fd, q->msgs, (unsigned)q->batch, flags, NULL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		if (errno == ENOBUFS) {
			/* The socket overflowed; with fail-open the kernel let those
			 * packets through. The queue keeps working. */
			q->c.enobufs++;
			publish_stats(q);
			return 0;
		}
		g_set_error(error, SIPCID_NFQ_ERROR, 0, "reading NFQUEUE queue %u: %s",
		            q->queue_num, g_strerror(errno));
		return -1;
	}
	uint64_t before = q->c.packets;
	q->batch_time = g_get_real_time();
	for (int i = 0; i < n; i++)
		handle_datagram(q, q->iov[i].iov_base, MIN(q->msgs[i].msg_len, (unsigned)SLOT_SIZE),
		                q->msgs[i].msg_hdr.msg_flags & MSG_TRUNC, 0);
	send_verdicts(q);
	if (n > 0)
		q->c.batches++;
	publish_stats(q);
	return (int)(q->c.packets - before);
}

int sipcid_nfq_receive(struct sipcid_nfq *q, GError **error)
{
	return receive_batch(q, MSG_WAITFORONE, error);
}

/* ---- configuration ---- */

static struct nlmsghdr *config_msg(struct sipcid_nfq *q, char *buf)
{
	return nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, q->queue_num);
}

/* Packets read while a configuration request waits get their verdicts as usual. */
static int handle_config_datagram(void *ctx, void *buf, size_t len, bool truncated, uint32_t want_seq)
{
	struct sipcid_nfq *q = ctx;
	q->batch_time = g_get_real_time();
	int answer = handle_datagram(q, buf, len, truncated, want_seq);
	send_verdicts(q);
	return answer;
}

/* Sends a configuration message and waits for its answer. Returns 0 or an errno. */
static int config_request(struct sipcid_nfq *q, struct nlmsghdr *nlh)
{
	const struct sipcid_nfnl_reader r = {
		.buf = q->slots, .size = SLOT_SIZE, .on_datagram = handle_config_datagram, .ctx = q,
		.enobufs = &q->c.enobufs,
	};
	return sipcid_nfnl_request(&q->nl, nlh, CONFIG_ANSWER_MS, &r);
}

static int set_flags(struct sipcid_nfq *q, uint32_t flags)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(q, buf);
	/* Both flags in one pair: when the attribute appears twice the kernel
	 * keeps only the last (measured: fail-open silently lost). */
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(flags));
	return config_request(q, nlh);
}

static int set_maxlen(struct sipcid_nfq *q, uint32_t maxlen)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(q, buf);
	nfq_nlmsg_cfg_put_qmaxlen(nlh, maxlen);
	return config_request(q, nlh);
}

static int set_copy_packet(struct sipcid_nfq *q)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(q, buf);
	nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
	return config_request(q, nlh);
}

static int send_cmd(struct sipcid_nfq *q, uint8_t cmd)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(q, buf);
	nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, cmd);
	return config_request(q, nlh);
}

static void configure_flags(struct sipcid_nfq *q)
{
	int err = set_flags(q, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO);
	if (err == 0) {
		q->c.fail_open = q->c.gso = true;
		return;
	}
	sipcid_log_warnx("NFQUEUE queue %u: the kernel refused fail-open and GSO together (%s); trying fail-open alone",
	          q->queue_num, g_strerror(err));
	err = set_flags(q, NFQA_CFG_F_FAIL_OPEN);
	if (err == 0) {
		q->c.fail_open = true;
		return;
	}
	sipcid_log_warnx("NFQUEUE queue %u: this kernel has no fail-open (%s): if sipcidd falls behind, "
	          "packets wait or are dropped", q->queue_num, g_strerror(err));
}

static void fail(GError **error, const struct sipcid_nfq *q, int err, const char *doing)
{
	char object[32];
	g_snprintf(object, sizeof object, "NFQUEUE queue %u", q->queue_num);
	sipcid_nfnl_set_error(error, SIPCID_NFQ_ERROR, err, doing, object, "is another sipcidd running?");
}

struct sipcid_nfq *sipcid_nfq_open(const struct sipcid_nfq_options *opts, sipcid_nfq_handler handler,
                                   void *ctx, GError **error)
{
	struct sipcid_nfq *q = g_new0(struct sipcid_nfq, 1);
	q->queue_num = opts->queue_num;
	q->handler = handler;
	q->ctx = ctx;
	q->batch = opts->batch > 0 ? MIN(opts->batch, SIPCID_NFQ_BATCH_MAX) : 32;
	q->slots = g_malloc((size_t)q->batch * SLOT_SIZE);

	const char *doing;
	int err = sipcid_nfnl_open(&q->nl, opts->timeout_ms > 0 ? opts->timeout_ms : 250, &doing);
	if (err) {
		fail(error, q, err, doing);
		goto err;
	}
	sipcid_nfnl_set_rcvbuf(&q->nl, opts->rcvbuf_bytes > 0 ? opts->rcvbuf_bytes : SIPCID_NFQ_DEFAULT_RCVBUF,
	                       "NFQUEUE");

	err = send_cmd(q, NFQNL_CFG_CMD_BIND);
	if (err) {
		fail(error, q, err, "binding");
		goto err;
	}
	q->bound = true;

	err = set_copy_packet(q);
	if (err) {
		fail(error, q, err, "asking for whole packets from");
		goto err;
	}
	uint32_t maxlen = opts->queue_maxlen ? opts->queue_maxlen : SIPCID_NFQ_DEFAULT_MAXLEN;
	err = set_maxlen(q, maxlen);
	if (err)
		sipcid_log_warnx("NFQUEUE queue %u: could not set the queue length to %u (%s)", q->queue_num,
		          maxlen, g_strerror(err));
	configure_flags(q);
	publish_stats(q);
	return q;
err:
	sipcid_nfq_close(q);
	return NULL;
}

/* ---- shutdown ---- */

void sipcid_nfq_drain(struct sipcid_nfq *q)
{
	if (!q->bound)
		return;
	/* With fail-open, a queue length of 0 lets every new packet pass the
	 * kernel unseen, so the queue only empties from here on. */
	bool closed = q->c.fail_open && set_maxlen(q, 0) == 0;
	int64_t deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < deadline) {
		if (receive_batch(q, MSG_DONTWAIT, NULL) <= 0)
			break;
	}
	if (closed && q->ids.seen) {
		/* Packets whose messages were lost to a full socket are still
		 * queued; accept every id at or below last + 2^31 (serial order). */
		size_t at = q->vlen;
		put_verdict(q, NFQNL_MSG_VERDICT_BATCH, q->ids.last + 0x7fffffffu, NF_ACCEPT);
		/* The kernel answers ENOENT when nothing was left: not an error. */
		((struct nlmsghdr *)(q->vbuf + at))->nlmsg_seq = q->catchall_seq = sipcid_nfnl_next_seq(&q->nl);
		send_verdicts(q);
	}
	send_cmd(q, NFQNL_CFG_CMD_UNBIND);
	q->bound = false;
	publish_stats(q);
}

void sipcid_nfq_close(struct sipcid_nfq *q)
{
	if (!q)
		return;
	if (q->bound) {
		send_verdicts(q);
		send_cmd(q, NFQNL_CFG_CMD_UNBIND);
	}
	sipcid_nfnl_close(&q->nl);
	g_free(q->slots);
	g_free(q);
}
