/* NFLOG capture: see capture_nflog.h and docs/datapath.md. */
#include "capture_nflog.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

G_DEFINE_QUARK(sipcid-nflog-error-quark, sipcid_nflog_error)

/* With --nflog-threshold 1 each datagram holds one copy of at most the copy
 * range; the kernel may still batch up to its buffer size (a few KiB by
 * default). 64 KiB holds either. */
enum { BUF_SIZE = 0x10000, CONFIG_MSG_MAX = 256 };

struct sipcid_nflog {
	struct mnl_socket *nl;
	int fd;
	uint16_t group;
	uint32_t seq;
	bool bound;
	sipcid_nflog_handler handler;
	void *ctx;
	uint32_t last_seq;
	bool have_seq;
	struct sipcid_nflog_stats c;
	_Alignas(8) uint8_t buf[BUF_SIZE];
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

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

static void note_seq(struct sipcid_nflog *l, uint32_t seq)
{
	if (l->have_seq) {
		uint32_t gap = seq - l->last_seq - 1;
		if (gap < (1u << 30))
			l->c.lost += gap;
	}
	l->last_seq = seq;
	l->have_seq = true;
}

static bool handle_packet(struct sipcid_nflog *l, const struct nlmsghdr *nlh, int64_t recv_time)
{
	const struct nlattr *tb[NFULA_MAX + 1] = { 0 };
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), keep_attr, tb) < 0)
		return false;  /* a malformed attribute list: the ones before it were kept */
	if (tb[NFULA_SEQ])
		note_seq(l, ntohl(mnl_attr_get_u32(tb[NFULA_SEQ])));
	l->c.packets++;
	if (!tb[NFULA_PAYLOAD]) {
		l->c.undecoded++;
		return true;
	}
	const uint8_t *data = mnl_attr_get_payload(tb[NFULA_PAYLOAD]);
	size_t len = mnl_attr_get_payload_len(tb[NFULA_PAYLOAD]);
	l->c.bytes += len;
	struct sipcid_packet pkt;
	/* A copy cut by the copy range fails the IP length check here. */
	if (!sipcid_packet_parse_ip(data, len, &pkt)) {
		l->c.undecoded++;
		return true;
	}
	pkt.time_us = recv_time;
	if (tb[NFULA_TIMESTAMP]) {
		/* Netlink attributes are 4-byte aligned; the struct wants 8. */
		struct nfulnl_msg_packet_timestamp ts;
		memcpy(&ts, mnl_attr_get_payload(tb[NFULA_TIMESTAMP]), sizeof ts);
		int64_t t = (int64_t)be64toh(ts.sec) * 1000000 + (int64_t)be64toh(ts.usec);
		if (t > 0)
			pkt.time_us = t;
	}
	if (tb[NFULA_IFINDEX_PHYSINDEV])
		pkt.ingress_ifindex = ntohl(mnl_attr_get_u32(tb[NFULA_IFINDEX_PHYSINDEV]));
	else if (tb[NFULA_IFINDEX_INDEV])
		pkt.ingress_ifindex = ntohl(mnl_attr_get_u32(tb[NFULA_IFINDEX_INDEV]));
	else
		pkt.ingress_ifindex = 0;
	l->handler(l->ctx, &pkt);
	return true;
}

static bool is_packet_msg(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET) &&
	       nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(struct nfgenmsg));
}

/* Walks one datagram. Returns the errno of an error message answering
 * `want_seq` (0 for success), or -1 when none was found. */
static int handle_datagram(struct sipcid_nflog *l, size_t len, uint32_t want_seq)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)l->buf;
	int left = (int)MIN(len, (size_t)BUF_SIZE);
	int answer = -1;
	int64_t t = now_us();
	while (mnl_nlmsg_ok(nlh, left)) {
		if (is_packet_msg(nlh)) {
			handle_packet(l, nlh, t);
		} else if (nlh->nlmsg_type == NLMSG_ERROR &&
		           nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(struct nlmsgerr))) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			if (want_seq && nlh->nlmsg_seq == want_seq)
				answer = -e->error;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return answer;
}

int sipcid_nflog_receive(struct sipcid_nflog *l, GError **error)
{
	uint64_t before = l->c.packets;
	for (int i = 0; i < SIPCID_NFLOG_BATCH_MAX; i++) {
		ssize_t n = recv(l->fd, l->buf, sizeof l->buf, MSG_DONTWAIT | MSG_TRUNC);
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
		if ((size_t)n > sizeof l->buf) {
			l->c.truncated++;
			n = sizeof l->buf;  /* the whole messages at its start are still good */
		}
		handle_datagram(l, (size_t)n, 0);
	}
	return (int)(l->c.packets - before);
}

/* ---- configuration ---- */

static struct nlmsghdr *config_msg(struct sipcid_nflog *l, char *buf, uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++l->seq;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(l->group);
	return nlh;
}

/* Sends a configuration message and waits (bounded) for its answer. Copies
 * that arrive meanwhile are handled as usual. Returns 0 or an errno. */
static int config_request(struct sipcid_nflog *l, struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(l->nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	uint32_t seq = nlh->nlmsg_seq;
	int64_t deadline = g_get_monotonic_time() + 3 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < deadline) {
		ssize_t n = recv(l->fd, l->buf, sizeof l->buf, MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENOBUFS) {
				l->c.enobufs++;
				continue;
			}
			return errno;
		}
		int answer = handle_datagram(l, MIN((size_t)n, sizeof l->buf), seq);
		if (answer >= 0)
			return answer;
	}
	return ETIMEDOUT;
}

static int send_cmd(struct sipcid_nflog *l, uint8_t cmd)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(l, buf, AF_UNSPEC);
	struct nfulnl_msg_config_cmd c = { .command = cmd };
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof c, &c);
	return config_request(l, nlh);
}

static int set_mode(struct sipcid_nflog *l, uint32_t range)
{
	_Alignas(8) char buf[CONFIG_MSG_MAX];
	struct nlmsghdr *nlh = config_msg(l, buf, AF_UNSPEC);
	struct nfulnl_msg_config_mode m = { .copy_range = htonl(range), .copy_mode = NFULNL_COPY_PACKET };
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof m, &m);
	/* Sequence numbers let us count the copies the kernel could not deliver. */
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	return config_request(l, nlh);
}

static void set_rcvbuf(struct sipcid_nflog *l, int bytes)
{
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) == 0)
		return;
	int err = errno;
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) == 0)
		g_warning("NFLOG: could not force a %d-byte receive buffer (%s); "
		          "using what net.core.rmem_max allows", bytes, g_strerror(err));
}

static bool fail(GError **error, struct sipcid_nflog *l, int err, const char *what)
{
	if (err == EPERM)
		g_set_error(error, SIPCID_NFLOG_ERROR, err,
		            "%s NFLOG group %u: permission denied (sipcidd needs root or CAP_NET_ADMIN)",
		            what, l->group);
	else if (err == EBUSY)
		g_set_error(error, SIPCID_NFLOG_ERROR, err,
		            "%s NFLOG group %u: another process is bound to it (another sipcidd, or "
		            "ulogd? choose another [record] nflog-group and sipcid-firewall --nflog-group)",
		            what, l->group);
	else
		g_set_error(error, SIPCID_NFLOG_ERROR, err, "%s NFLOG group %u: %s", what, l->group,
		            g_strerror(err));
	return false;
}

struct sipcid_nflog *sipcid_nflog_open(const struct sipcid_nflog_options *opts,
                                       sipcid_nflog_handler handler, void *ctx, GError **error)
{
	struct sipcid_nflog *l = g_new0(struct sipcid_nflog, 1);
	l->group = opts->group;
	l->handler = handler;
	l->ctx = ctx;
	l->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!l->nl) {
		fail(error, l, errno, "opening a netlink socket for");
		goto err;
	}
	if (mnl_socket_bind(l->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fail(error, l, errno, "binding a netlink socket for");
		goto err;
	}
	l->fd = mnl_socket_get_fd(l->nl);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 250000 };
	setsockopt(l->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	set_rcvbuf(l, opts->rcvbuf_bytes > 0 ? opts->rcvbuf_bytes : SIPCID_NFLOG_DEFAULT_RCVBUF);

	int err = send_cmd(l, NFULNL_CFG_CMD_BIND);
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
	return l->fd;
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
	if (l->nl)
		mnl_socket_close(l->nl);
	g_free(l);
}
