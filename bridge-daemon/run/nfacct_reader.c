/* nfacct counter reader (see nfacct_reader.h). */
#include "nfacct_reader.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_acct.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct answer {
	const char *name;
	struct sipcid_nfacct acct;
	bool found;
};

static int on_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	if (mnl_attr_type_valid(attr, NFACCT_MAX) < 0)
		return MNL_CB_OK;  /* an attribute newer than these headers */
	if (type == NFACCT_PKTS && mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_OK;
	if (type == NFACCT_USE && mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	if (type == NFACCT_NAME && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int on_message(const struct nlmsghdr *nlh, void *data)
{
	struct answer *a = data;
	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_ACCT ||
	    NFNL_MSG_TYPE(nlh->nlmsg_type) != NFNL_MSG_ACCT_NEW)
		return MNL_CB_OK;
	const struct nlattr *tb[NFACCT_MAX + 1] = { 0 };
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), on_attr, tb) < 0)
		return MNL_CB_OK;
	if (!tb[NFACCT_NAME] || !tb[NFACCT_PKTS] ||
	    strcmp(mnl_attr_get_str(tb[NFACCT_NAME]), a->name) != 0)
		return MNL_CB_OK;
	a->acct.packets = be64toh(mnl_attr_get_u64(tb[NFACCT_PKTS]));
	/* The object holds one reference to itself; each rule one more. */
	uint32_t use = tb[NFACCT_USE] ? ntohl(mnl_attr_get_u32(tb[NFACCT_USE])) : 0;
	a->acct.rules = use > 0 ? use - 1 : 0;
	a->found = true;
	return MNL_CB_OK;
}

static int ask(struct mnl_socket *nl, const char *name, struct sipcid_nfacct *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_ACCT << 8) | NFNL_MSG_ACCT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	uint32_t seq = (uint32_t)time(NULL);
	nlh->nlmsg_seq = seq;
	struct nfgenmsg *nfg = mnl_nlmsg_put_extra_header(nlh, sizeof *nfg);
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_strz(nlh, NFACCT_NAME, name);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	uint32_t portid = mnl_socket_get_portid(nl);
	struct answer a = { .name = name };
	int ret;
	do {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno;
		/* An error answer (no such object, no permission) sets errno. */
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, on_message, &a);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return errno ? errno : EPROTO;
	if (!a.found)
		return ENOENT;
	*out = a.acct;
	return 0;
}

int sipcid_nfacct_read(const char *name, struct sipcid_nfacct *out)
{
	if (!name || !*name || strlen(name) >= SIPCID_NFACCT_NAME_SIZE)
		return EINVAL;
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl)
		return errno;
	int err = 0;
	/* The main loop must never hang on the kernel. */
	struct timeval tv = { .tv_sec = 1 };
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		err = errno;
	else
		err = ask(nl, name, out);
	mnl_socket_close(nl);
	return err;
}
