/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nfacct counter reader (see nfacct_reader.h). */
#include "nfacct_reader.h"
#include "nfnl.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_acct.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

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

static void on_message(void *ctx, const struct nlmsghdr *nlh)
{
	struct answer *a = ctx;
	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_ACCT ||
	    NFNL_MSG_TYPE(nlh->nlmsg_type) != NFNL_MSG_ACCT_NEW)
		return;
	const struct nlattr *tb[NFACCT_MAX + 1] = { 0 };
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), on_attr, tb) < 0)
		return;
	if (!tb[NFACCT_NAME] || !tb[NFACCT_PKTS] ||
	    strcmp(mnl_attr_get_str(tb[NFACCT_NAME]), a->name) != 0)
		return;
	a->acct.packets = be64toh(mnl_attr_get_u64(tb[NFACCT_PKTS]));
	/* The object holds one reference to itself; each rule one more. */
	uint32_t use = tb[NFACCT_USE] ? ntohl(mnl_attr_get_u32(tb[NFACCT_USE])) : 0;
	a->acct.rules = use > 0 ? use - 1 : 0;
	a->found = true;
}

/* The object comes in one datagram, the acknowledgement (or the error: no
 * such object, no permission) in the next. */
static int on_datagram(void *ctx, void *buf, size_t len, bool truncated, uint32_t want_seq)
{
	(void)truncated;  /* the object is smaller than the buffer */
	return sipcid_nfnl_walk(buf, len, want_seq, on_message, ctx);
}

int sipcid_nfacct_read(const char *name, struct sipcid_nfacct *out)
{
	if (!name || !*name || strlen(name) >= SIPCID_NFACCT_NAME_SIZE)
		return EINVAL;
	/* The main loop must never hang on the kernel. */
	enum { TIMEOUT_MS = 1000 };
	struct sipcid_nfnl nl;
	int err = sipcid_nfnl_open(&nl, TIMEOUT_MS, NULL);
	if (err)
		return err;
	_Alignas(8) char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = sipcid_nfnl_put_header(buf, NFNL_SUBSYS_ACCT, NFNL_MSG_ACCT_GET, AF_UNSPEC, 0);
	mnl_attr_put_strz(nlh, NFACCT_NAME, name);
	struct answer a = { .name = name };
	/* The request was sent before the first read: buf can hold the answers. */
	const struct sipcid_nfnl_reader r = { .buf = buf, .size = sizeof buf, .on_datagram = on_datagram,
	                                      .ctx = &a };
	err = sipcid_nfnl_request(&nl, nlh, TIMEOUT_MS, &r);
	sipcid_nfnl_close(&nl);
	if (err)
		return err;
	if (!a.found)
		return ENOENT;
	*out = a.acct;
	return 0;
}
