/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's counters behind `sipcidd --status`: the queue's line in
 * nfnetlink_queue and the nfacct object on the NFQUEUE rules, read in the
 * order bypass_count.h needs and turned into the bypass count or the reason
 * there is none.
 *
 * Threads: made on the thread that binds the queue, right after the bind and
 * while it is still root (only root may open the kernel's queue file); read
 * and freed on the main loop. Never the packet thread: the object is read
 * with a netlink request (nfacct_reader.h). */
#ifndef SIPCID_BYPASS_WATCH_H
#define SIPCID_BYPASS_WATCH_H

#include "status.h"

#include <stdint.h>

struct sipcid_bypass_watch;

/* Opens the queue's file and takes the counters the count starts from.
 * Never fails: what cannot be read is logged once and shown by --status. */
struct sipcid_bypass_watch *sipcid_bypass_watch_new(uint16_t queue);
void sipcid_bypass_watch_free(struct sipcid_bypass_watch *w);

/* Fills st's kernel and bypass fields (have_proc, proc, proc_error,
 * nfacct_name, nfacct_rules, bypass_state, bypass_errno, bypass). st->nfq
 * must be read first: the packet thread's counters, then the object, then
 * the queue's line. The strings st points to live as long as w. */
void sipcid_bypass_watch_sample(struct sipcid_bypass_watch *w, struct sipcid_status *st);

#endif
