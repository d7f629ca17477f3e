/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reads the packet counter of a named nfacct object (the kernel's
 * nfnetlink_acct, per network namespace), the object that iptables'
 * `-m nfacct --nfacct-name NAME` counts into. One netlink request and its
 * answer: for the main loop, never the packet thread. Needs CAP_NET_ADMIN,
 * which sipcidd keeps after it gives up root. */
#ifndef SIPCID_NFACCT_READER_H
#define SIPCID_NFACCT_READER_H

#include <stdint.h>

/* The object sipcid-firewall makes for queue N: "sipcid-queueN". */
#define SIPCID_NFACCT_NAME_FORMAT "sipcid-queue%u"
enum { SIPCID_NFACCT_NAME_SIZE = 32 };  /* NFACCT_NAME_MAX, with its NUL */

struct sipcid_nfacct {
	uint64_t packets;
	uint32_t rules;   /* how many rules count into it (iptables -m nfacct) */
};

/* 0 with *out set, or an errno: ENOENT when there is no such object,
 * EPERM without CAP_NET_ADMIN, ETIMEDOUT when the kernel did not answer
 * within a second, another errno when the kernel has no nfnetlink_acct. */
int sipcid_nfacct_read(const char *name, struct sipcid_nfacct *out);

#endif
