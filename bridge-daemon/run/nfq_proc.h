/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's own counters of an NFQUEUE queue, from
 * /proc/net/netfilter/nfnetlink_queue (one line per bound queue, in the
 * reader's network namespace). */
#ifndef SIPCID_NFQ_PROC_H
#define SIPCID_NFQ_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* /proc/net is a link to /proc/self/net; the link itself is hidden under
 * systemd's ProcSubset=pid, which sipcidd.service sets. */
#define SIPCID_NFQ_PROC_PATH "/proc/self/net/netfilter/nfnetlink_queue"

struct sipcid_nfq_proc {
	uint32_t queue_num;
	uint32_t peer_portid;   /* the bound process's netlink port */
	uint32_t queue_total;   /* packets waiting for a verdict now */
	uint32_t copy_mode, copy_range;
	uint64_t queue_dropped; /* dropped because the queue was full (never with fail-open) */
	uint64_t user_dropped;  /* dropped because the socket was full (never with fail-open) */
	uint32_t id_sequence;   /* the last packet id handed out: packets queued since bind */
};

/* Parses one line of the file. False when it is not a well-formed line. */
bool sipcid_nfq_proc_parse_line(const char *line, struct sipcid_nfq_proc *out);
/* Reads the line of `queue` from `path` (NULL: SIPCID_NFQ_PROC_PATH). False
 * when the file cannot be read or no process is bound to the queue. */
bool sipcid_nfq_proc_read(const char *path, uint32_t queue, struct sipcid_nfq_proc *out);
/* The same from the file opened once, read again from its start (through
 * its descriptor, never stdio's buffer). The kernel lets only root open it
 * (mode 0440): sipcidd opens it before it gives up root. */
bool sipcid_nfq_proc_reread(FILE *f, uint32_t queue, struct sipcid_nfq_proc *out);

#endif
