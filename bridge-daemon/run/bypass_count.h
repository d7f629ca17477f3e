/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Packets that fail-open let past a full NFQUEUE queue.
 *
 * The kernel counts them nowhere: when the queue is full and the queue has
 * NFQA_CFG_F_FAIL_OPEN, the packet is accepted before it gets a packet id.
 * What it does count: an nfacct object on the NFQUEUE rules counts every
 * packet sent toward the queue (sipcid-firewall puts one there), and the
 * queue's id_sequence counts every packet that got an id. The difference,
 * less the packets dropped because the queue was full without fail-open, is
 * the bypass count. Both counters keep counting from before sipcidd bound
 * the queue, so both are taken relative to their values at bind. */
#ifndef SIPCID_BYPASS_COUNT_H
#define SIPCID_BYPASS_COUNT_H

#include <stdbool.h>
#include <stdint.h>

/* Read right after the bind: the queue's line first, then the object. */
struct sipcid_bypass_base {
	uint32_t id_sequence;    /* 0 for a fresh queue instance */
	uint32_t queue_dropped;
	uint64_t matched;        /* the nfacct object's packets */
};

/* Read later, in this order: the packet thread's counters, the object, then
 * the queue's line. A packet is matched before it gets its id, so packets
 * handled between the two reads can only be missing from the count; only one
 * that is between the rule and its id during both reads is counted wrongly. */
struct sipcid_bypass_sample {
	/* Ids the packet thread has seen, gaps included (packets + id_gaps):
	 * 64 bits, so it tells how often the 32-bit id_sequence wrapped. */
	uint64_t ids_read;
	uint64_t matched;
	bool have_queue_line;    /* false: only ids_read is known (packets waiting
	                          * in the queue then count as bypassed) */
	uint32_t id_sequence;
	uint32_t queue_dropped;
};

struct sipcid_bypass_count {
	uint64_t matched;        /* packets the rules sent toward the queue since bind */
	uint64_t queued;         /* of those, packets the kernel gave an id */
	uint64_t dropped;        /* queue full without fail-open: dropped, not bypassed */
	uint64_t bypassed;       /* matched - queued - dropped, 0 if that is negative */
};

/* More packets queued than matched by this much is not a matter of packets
 * in flight between the reads (a few at most): the counter cannot be trusted. */
enum { SIPCID_BYPASS_SLACK = 64 };

/* False when the object's counter is behind the queue: it went below its
 * value at bind, or the queue took more than SIPCID_BYPASS_SLACK packets
 * beyond it. Then the object was made again since bind (sipcid-firewall down
 * and up), or some NFQUEUE rules do not count into it. */
bool sipcid_bypass_count(const struct sipcid_bypass_base *base,
                         const struct sipcid_bypass_sample *now, struct sipcid_bypass_count *out);

#endif
