/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fail-open bypasses of a full queue (see bypass_count.h). */
#include "bypass_count.h"

/* Packets the kernel gave an id since bind. id_sequence is 32 bits and wraps
 * (at 10 000 packets/s, in five days); the packet thread's 64-bit count of
 * the ids it read is at most a queue's worth behind the kernel, so the
 * kernel's count is the value congruent to id_sequence - base, modulo 2^32,
 * nearest to it. */
static uint64_t queued_since_bind(const struct sipcid_bypass_base *base,
                                  const struct sipcid_bypass_sample *now)
{
	if (!now->have_queue_line)
		return now->ids_read;
	uint32_t since_bind = now->id_sequence - base->id_sequence;
	int32_t ahead = (int32_t)(since_bind - (uint32_t)now->ids_read);
	if (ahead < 0 && (uint64_t)-(int64_t)ahead > now->ids_read)
		return 0;
	return now->ids_read + (uint64_t)(int64_t)ahead;
}

bool sipcid_bypass_count(const struct sipcid_bypass_base *base,
                         const struct sipcid_bypass_sample *now, struct sipcid_bypass_count *out)
{
	*out = (struct sipcid_bypass_count){ 0 };
	if (now->matched < base->matched)
		return false;
	out->matched = now->matched - base->matched;
	out->queued = queued_since_bind(base, now);
	if (now->have_queue_line)
		out->dropped = (uint32_t)(now->queue_dropped - base->queue_dropped);
	uint64_t passed = out->queued + out->dropped;
	if (passed > out->matched + SIPCID_BYPASS_SLACK)
		return false;
	/* Negative only by packets in flight between the reads. */
	out->bypassed = out->matched > passed ? out->matched - passed : 0;
	return true;
}
