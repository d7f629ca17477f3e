/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared netfilter netlink plumbing: see nfnl.h. */
#include "nfnl.h"

#include "log.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>
#include <sys/socket.h>

int sipcid_nfnl_open(struct sipcid_nfnl *s, int timeout_ms, const char **doing)
{
	const char *step = "opening a netlink socket for";
	s->seq = 0;
	s->sock = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!s->sock)
		goto fail;
	s->fd = mnl_socket_get_fd(s->sock);
	step = "binding a netlink socket for";
	if (mnl_socket_bind(s->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* Without it a kernel that never answers would hang the reader. */
	step = "setting a read timeout on a netlink socket for";
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0)
		goto fail;
	return 0;
fail:;
	int err = errno;
	sipcid_nfnl_close(s);
	if (doing)
		*doing = step;
	return err;
}

void sipcid_nfnl_close(struct sipcid_nfnl *s)
{
	if (s->sock)
		mnl_socket_close(s->sock);
	s->sock = NULL;
	s->fd = -1;
}

void sipcid_nfnl_set_rcvbuf(struct sipcid_nfnl *s, int bytes, const char *who)
{
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) == 0)
		return;
	int err = errno;
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) == 0)
		sipcid_log_warnx("%s: could not force a %d-byte receive buffer (%s); "
		                 "using what net.core.rmem_max allows", who, bytes, g_strerror(err));
}

void sipcid_nfnl_set_error(GError **error, GQuark domain, int err, const char *doing,
                           const char *object, const char *busy_hint)
{
	if (err == EPERM)
		g_set_error(error, domain, err,
		            "%s %s: permission denied (sipcidd needs root or CAP_NET_ADMIN)", doing, object);
	else if (err == EBUSY)
		g_set_error(error, domain, err, "%s %s: another process is bound to it (%s)", doing, object,
		            busy_hint);
	else
		g_set_error(error, domain, err, "%s %s: %s", doing, object, g_strerror(err));
}

struct nlmsghdr *sipcid_nfnl_put_header(void *buf, uint8_t subsys, uint8_t type, uint8_t family,
                                        uint16_t res_id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)((subsys << 8) | type);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return nlh;
}

uint32_t sipcid_nfnl_next_seq(struct sipcid_nfnl *s)
{
	if (++s->seq == 0)
		s->seq = 1;
	return s->seq;
}

/* ---- reading datagrams ---- */

bool sipcid_nfnl_get_error(const struct nlmsghdr *nlh, int *err)
{
	if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nlmsgerr)))
		return false;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	*err = -e->error;
	return true;
}

int sipcid_nfnl_walk(const void *buf, size_t len, uint32_t want_seq, sipcid_nfnl_message_fn on_message,
                     void *ctx)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)MIN(len, (size_t)G_MAXINT);
	int answer = -1;
	while (mnl_nlmsg_ok(nlh, left)) {
		int err;
		if (want_seq && nlh->nlmsg_seq == want_seq && sipcid_nfnl_get_error(nlh, &err))
			answer = err;
		else
			on_message(ctx, nlh);
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return answer;
}

int sipcid_nfnl_request(struct sipcid_nfnl *s, struct nlmsghdr *nlh, int timeout_ms,
                        const struct sipcid_nfnl_reader *r)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	uint32_t seq = nlh->nlmsg_seq = sipcid_nfnl_next_seq(s);
	if (mnl_socket_sendto(s->sock, nlh, nlh->nlmsg_len) < 0)
		return errno;
	int64_t deadline = g_get_monotonic_time() + (int64_t)timeout_ms * 1000;
	while (g_get_monotonic_time() < deadline) {
		ssize_t n = recv(s->fd, r->buf, r->size, MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENOBUFS) {
				if (r->enobufs)
					(*r->enobufs)++;
				continue;
			}
			return errno;
		}
		int answer = r->on_datagram(r->ctx, r->buf, MIN((size_t)n, r->size), (size_t)n > r->size, seq);
		if (answer >= 0)
			return answer;
	}
	return ETIMEDOUT;
}

/* ---- what packet messages carry ---- */

int64_t sipcid_nfnl_timestamp_us(const struct nlattr *ts, int64_t otherwise)
{
	uint64_t be[2];  /* sec, usec */
	if (!ts || mnl_attr_get_payload_len(ts) < sizeof be)
		return otherwise;
	/* Netlink attributes are 4-byte aligned; the numbers want 8. */
	memcpy(be, mnl_attr_get_payload(ts), sizeof be);
	uint64_t sec = be64toh(be[0]), usec = be64toh(be[1]);
	if (sec > (uint64_t)INT64_MAX / 1000000 - 1 || usec >= 1000000)
		return otherwise;  /* not a time: do not let it overflow */
	int64_t t = (int64_t)sec * 1000000 + (int64_t)usec;
	return t > 0 ? t : otherwise;
}

static bool get_be32(const struct nlattr *a, uint32_t *out)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof *out)
		return false;
	*out = ntohl(mnl_attr_get_u32(a));
	return true;
}

uint32_t sipcid_nfnl_ifindex(const struct nlattr *physindev, const struct nlattr *indev)
{
	uint32_t ifindex = 0;
	if (!get_be32(physindev, &ifindex))
		get_be32(indev, &ifindex);
	return ifindex;
}

uint32_t sipcid_nfnl_gaps_note(struct sipcid_nfnl_gaps *g, uint32_t n)
{
	uint32_t gap = n - g->last - 1;  /* unsigned: wraps with the series */
	bool counted = g->seen && gap < (1u << 30);
	g->last = n;
	g->seen = true;
	return counted ? gap : 0;
}
