/* NFQUEUE capture: see capture_nfq.h and docs/datapath.md. */
#include "capture_nfq.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

G_DEFINE_QUARK(sipcid-nfq-error-quark, sipcid_nfq_error)

/* Room for a whole 64 KiB packet plus the netlink attributes around it, so
 * nothing the kernel copies is ever cut. */
enum { SLOT_SIZE = 0x10000 + 4096,  /* a multiple of 4: netlink headers must stay aligned */
        VERDICT_MSG_MAX = 64, CONFIG_MSG_MAX = 512 };

struct sipcid_nfq {
	struct mnl_socket *nl;
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint32_t catchall_seq;   /* the drain's accept-everything verdict */
	uint16_t queue_num;
	int batch;
	bool bound;

	sipcid_nfq_handler handler;
	void *ctx;

	uint8_t *slots;
	struct mmsghdr msgs[SIPCID_NFQ_BATCH_MAX];
	struct iovec iov[SIPCID_NFQ_BATCH_MAX];

	/* Verdicts of the batch being handled, sent in one go. */
	_Alignas(8) char vbuf[2 * SIPCID_NFQ_BATCH_MAX * VERDICT_MSG_MAX + 2 * VERDICT_MSG_MAX];
	size_t vlen;
	uint32_t accept_upto;   /* highest id to accept in the pending batch verdict */
	bool accept_pending;

	uint32_t last_id;
	bool have_last_id;

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

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
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
		if (mnl_socket_sendto(q->nl, q->vbuf, q->vlen) >= 0) {
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

static void note_id(struct sipcid_nfq *q, uint32_t id)
{
	if (q->have_last_id) {
		uint32_t gap = id - q->last_id - 1;
		if (gap < (1u << 30))
			q->c.id_gaps += gap;
	}
	q->last_id = id;
	q->have_last_id = true;
}

static void handle_packet(struct sipcid_nfq *q, const struct nlmsghdr *nlh, int64_t batch_time)
{
	struct nlattr *attr[NFQA_MAX + 1] = { 0 };
	nfq_nlmsg_parse(nlh, attr);  /* keeps the attributes that are whole */
	if (!attr[NFQA_PACKET_HDR] ||
	    mnl_attr_get_payload_len(attr[NFQA_PACKET_HDR]) < sizeof(struct nfqnl_msg_packet_hdr))
		return;  /* no id to answer; a later batch verdict covers it */
	const struct nfqnl_msg_packet_hdr *ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	uint32_t id = ntohl(ph->packet_id);
	q->c.packets++;
	note_id(q, id);

	enum sipcid_verdict v = SIPCID_VERDICT_ACCEPT;
	struct sipcid_packet pkt;
	const uint8_t *data = attr[NFQA_PAYLOAD] ? mnl_attr_get_payload(attr[NFQA_PAYLOAD]) : NULL;
	size_t len = attr[NFQA_PAYLOAD] ? mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]) : 0;
	bool truncated = attr[NFQA_CAP_LEN] && attr_be32(attr[NFQA_CAP_LEN]) > len;

	if (data && !truncated && sipcid_packet_parse_ip(data, len, &pkt)) {
		pkt.time_us = batch_time;
		if (attr[NFQA_TIMESTAMP] &&
		    mnl_attr_get_payload_len(attr[NFQA_TIMESTAMP]) >= sizeof(struct nfqnl_msg_packet_timestamp)) {
			/* Netlink attributes are 4-byte aligned; the struct wants 8. */
			struct nfqnl_msg_packet_timestamp ts;
			memcpy(&ts, mnl_attr_get_payload(attr[NFQA_TIMESTAMP]), sizeof ts);
			int64_t t = (int64_t)be64toh(ts.sec) * 1000000 + (int64_t)be64toh(ts.usec);
			if (t > 0)
				pkt.time_us = t;
		}
		if (attr[NFQA_IFINDEX_PHYSINDEV])
			pkt.ingress_ifindex = attr_be32(attr[NFQA_IFINDEX_PHYSINDEV]);
		else if (attr[NFQA_IFINDEX_INDEV])
			pkt.ingress_ifindex = attr_be32(attr[NFQA_IFINDEX_INDEV]);
		else
			pkt.ingress_ifindex = 0;
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

/* Walks one datagram. Returns the errno of an error message answering
 * `want_seq` (0 for success), or -1 when none was found. */
static int handle_datagram(struct sipcid_nfq *q, void *buf, size_t len, bool truncated,
                           int64_t batch_time, uint32_t want_seq)
{
	struct nlmsghdr *nlh = buf;
	int answer = -1;
	int left = (int)MIN(len, (size_t)SLOT_SIZE);
	if (truncated && left >= (int)sizeof *nlh && nlh->nlmsg_len > (uint32_t)left)
		nlh->nlmsg_len = (uint32_t)left;  /* parse what arrived; the id comes first */
	while (mnl_nlmsg_ok(nlh, left)) {
		if (is_packet_msg(nlh)) {
			handle_packet(q, nlh, batch_time);
		} else if (nlh->nlmsg_type == NLMSG_ERROR &&
		           nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(struct nlmsgerr))) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			if (want_seq && nlh->nlmsg_seq == want_seq)
				answer = -e->error;
			else if (e->error && !(nlh->nlmsg_seq == q->catchall_seq && e->error == -ENOENT))
				q->c.send_errors++;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return answer;
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
	int n = recvmmsg(q->fd, q->msgs, (unsigned)q->batch, flags, NULL);
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
	int64_t t = now_us();
	for (int i = 0; i < n; i++)
		handle_datagram(q, q->iov[i].iov_base, q->msgs[i].msg_len,
		                q->msgs[i].msg_hdr.msg_flags & MSG_TRUNC, t, 0);
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
	struct nlmsghdr *nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, q->queue_num);
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++q->seq;
	return nlh;
}

/* Sends a configuration message and waits for its answer. Packets that
 * arrive meanwhile get their verdicts as usual. Returns 0 or an errno. */
static int config_request(struct sipcid_nfq *q, struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(q->nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	uint32_t seq = nlh->nlmsg_seq;
	/* The answer queues up behind every packet already in the socket (up
	 * to the whole queue): bound the wait by time, not by count. */
	int64_t deadline = g_get_monotonic_time() + 3 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < deadline) {
		ssize_t n = recv(q->fd, q->slots, SLOT_SIZE, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENOBUFS) {
				q->c.enobufs++;
				continue;
			}
			return errno;
		}
		int answer = handle_datagram(q, q->slots, (size_t)n, false, now_us(), seq);
		send_verdicts(q);
		if (answer >= 0)
			return answer;
	}
	return ETIMEDOUT;
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
	g_warning("NFQUEUE queue %u: the kernel refused fail-open and GSO together (%s); trying fail-open alone",
	          q->queue_num, g_strerror(err));
	err = set_flags(q, NFQA_CFG_F_FAIL_OPEN);
	if (err == 0) {
		q->c.fail_open = true;
		return;
	}
	g_warning("NFQUEUE queue %u: this kernel has no fail-open (%s): if sipcidd falls behind, "
	          "packets wait or are dropped", q->queue_num, g_strerror(err));
}

static void set_rcvbuf(struct sipcid_nfq *q, int bytes)
{
	if (setsockopt(q->fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) == 0)
		return;
	int err = errno;
	if (setsockopt(q->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) == 0)
		g_warning("NFQUEUE: could not force a %d-byte receive buffer (%s); "
		          "using what net.core.rmem_max allows", bytes, g_strerror(err));
}

static bool fail(GError **error, struct sipcid_nfq *q, int err, const char *what)
{
	if (err == EPERM)
		g_set_error(error, SIPCID_NFQ_ERROR, err,
		            "%s NFQUEUE queue %u: permission denied (sipcidd needs root or CAP_NET_ADMIN)",
		            what, q->queue_num);
	else if (err == EBUSY)
		g_set_error(error, SIPCID_NFQ_ERROR, err,
		            "%s NFQUEUE queue %u: another process is bound to it (is another sipcidd running?)",
		            what, q->queue_num);
	else
		g_set_error(error, SIPCID_NFQ_ERROR, err, "%s NFQUEUE queue %u: %s", what, q->queue_num,
		            g_strerror(err));
	return false;
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

	q->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!q->nl) {
		fail(error, q, errno, "opening a netlink socket for");
		goto err;
	}
	if (mnl_socket_bind(q->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fail(error, q, errno, "binding a netlink socket for");
		goto err;
	}
	q->fd = mnl_socket_get_fd(q->nl);
	q->portid = mnl_socket_get_portid(q->nl);
	int timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 250;
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
	setsockopt(q->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	set_rcvbuf(q, opts->rcvbuf_bytes > 0 ? opts->rcvbuf_bytes : SIPCID_NFQ_DEFAULT_RCVBUF);

	int err = send_cmd(q, NFQNL_CFG_CMD_BIND);
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
		g_warning("NFQUEUE queue %u: could not set the queue length to %u (%s)", q->queue_num,
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
	if (closed && q->have_last_id) {
		/* Packets whose messages were lost to a full socket are still
		 * queued; accept every id at or below last + 2^31 (serial order). */
		size_t at = q->vlen;
		put_verdict(q, NFQNL_MSG_VERDICT_BATCH, q->last_id + 0x7fffffffu, NF_ACCEPT);
		/* The kernel answers ENOENT when nothing was left: not an error. */
		((struct nlmsghdr *)(q->vbuf + at))->nlmsg_seq = q->catchall_seq = ++q->seq;
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
	if (q->nl)
		mnl_socket_close(q->nl);
	g_free(q->slots);
	g_free(q);
}
