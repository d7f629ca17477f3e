/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-guard's decision: when to open the line around a stalled sipcidd,
 * and when to close it again (docs/datapath.md, "The stall guard").
 *
 * Pure: it is fed samples of the kernel's view of the queue
 * (/proc/net/netfilter/nfnetlink_queue) with the time they were taken, and
 * answers what to do. It does no I/O and keeps no clock of its own, so it is
 * tested with made-up samples (tests/unit/test_guard.c).
 *
 * Packets that left the queue (got a verdict) = id_sequence - queue_total.
 * A consumer that takes packets moves that number; one that is stopped or
 * stuck leaves it still while packets wait. */
#ifndef SIPCID_GUARD_H
#define SIPCID_GUARD_H

#include <stdbool.h>
#include <stdint.h>

/* What the kernel said at `now_ms` (any monotonic clock, in ms). */
struct sipcid_guard_sample {
	int64_t now_ms;
	bool bound;             /* a process is bound to the queue */
	uint32_t portid;        /* its netlink port: a new one means a new sipcidd */
	uint32_t waiting;       /* queue_total: packets waiting for a verdict */
	uint32_t id_sequence;   /* the last packet id handed out */
};

enum sipcid_guard_action {
	SIPCID_GUARD_KEEP,      /* nothing changes */
	SIPCID_GUARD_OPEN,      /* put the bypass in: SIP passes without sipcidd */
	SIPCID_GUARD_CLOSE,     /* take it out: sipcidd inspects again */
};

/* How often and how long the line was open, for `sipcidd --status`. */
struct sipcid_guard_counts {
	uint64_t opens;
	int64_t open_ms_total;  /* closed periods only; add the current one */
	int64_t longest_ms;
};

struct sipcid_guard {
	int64_t stall_ms;       /* packets wait this long with none leaving: open */
	bool open;
	int64_t opened_ms;      /* when, while open */
	struct sipcid_guard_counts counts;

	/* The consumer as last seen. */
	bool have_base;
	uint32_t portid;
	uint32_t left;          /* packets that had left the queue */
	int64_t progress_ms;    /* the last sample with an empty queue or a packet leaving */
};

void sipcid_guard_init(struct sipcid_guard *g, int64_t stall_ms);

/* One sample in, one action out. Samples come in time order. */
enum sipcid_guard_action sipcid_guard_feed(struct sipcid_guard *g,
                                           const struct sipcid_guard_sample *s);

/* The counts with the current opening, if any, counted up to `now_ms`. */
struct sipcid_guard_counts sipcid_guard_counts_at(const struct sipcid_guard *g, int64_t now_ms);

#endif
