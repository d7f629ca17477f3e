/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bypass count's base and its state from one --status to the next (see
 * bypass_watch.h; the arithmetic is bypass_count.c's). */
#include "bypass_watch.h"

#include "log.h"
#include "nfacct_reader.h"
#include "nfq_proc.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>

struct sipcid_bypass_watch {
	uint16_t queue;
	FILE *proc;              /* the kernel's queue counters, opened while root */
	int proc_errno;          /* why `proc` could not be opened */
	char nfacct_name[SIPCID_NFACCT_NAME_SIZE];  /* counts what the rules send to the queue */
	struct sipcid_bypass_base base;             /* the counters at bind */
	int base_errno;          /* why the object could not be read at bind; 0: it was */
	uint64_t last_matched;   /* the object's count at the last sample */
	bool lost;               /* the count went back since: the object was made again */
};

/* The queue's line, then the object (bypass_count.h says why in that order). */
static void take_base(struct sipcid_bypass_watch *w)
{
	struct sipcid_nfq_proc p;
	if (w->proc && sipcid_nfq_proc_reread(w->proc, w->queue, &p)) {
		w->base.id_sequence = p.id_sequence;
		w->base.queue_dropped = (uint32_t)p.queue_dropped;
	}
	struct sipcid_nfacct acct = { 0 };
	w->base_errno = sipcid_nfacct_read(w->nfacct_name, &acct);
	w->base.matched = acct.packets;
	if (w->base_errno == ENOENT)
		sipcid_log_info("no nfacct object %s: --status cannot count the packets that pass a "
		                "full queue (`sipcid-firewall up` makes it)", w->nfacct_name);
	else if (w->base_errno)
		sipcid_log_info("reading nfacct object %s: %s; --status cannot count the packets that "
		                "pass a full queue", w->nfacct_name, g_strerror(w->base_errno));
}

struct sipcid_bypass_watch *sipcid_bypass_watch_new(uint16_t queue)
{
	struct sipcid_bypass_watch *w = g_new0(struct sipcid_bypass_watch, 1);
	w->queue = queue;
	w->proc = fopen(SIPCID_NFQ_PROC_PATH, "re");
	w->proc_errno = errno;
	g_snprintf(w->nfacct_name, sizeof w->nfacct_name, SIPCID_NFACCT_NAME_FORMAT, queue);
	take_base(w);
	return w;
}

void sipcid_bypass_watch_free(struct sipcid_bypass_watch *w)
{
	if (!w)
		return;
	if (w->proc)
		fclose(w->proc);
	g_free(w);
}

static void count(struct sipcid_bypass_watch *w, struct sipcid_status *st, int nfacct_errno,
                  const struct sipcid_nfacct *acct)
{
	st->nfacct_name = w->nfacct_name;
	st->nfacct_rules = acct->rules;
	struct sipcid_bypass_sample now = {
		.ids_read = st->nfq.packets + st->nfq.id_gaps,
		.matched = acct->packets,
		.have_queue_line = st->have_proc,
		.id_sequence = st->proc.id_sequence,
		.queue_dropped = (uint32_t)st->proc.queue_dropped,
	};
	if (nfacct_errno == ENOENT) {
		st->bypass_state = SIPCID_BYPASS_NO_OBJECT;
	} else if (nfacct_errno || w->base_errno) {
		if (w->base_errno == ENOENT && !nfacct_errno) {
			st->bypass_state = SIPCID_BYPASS_NO_OBJECT_AT_BIND;
		} else {
			st->bypass_state = SIPCID_BYPASS_READ_ERROR;
			st->bypass_errno = nfacct_errno ? nfacct_errno : w->base_errno;
		}
	} else if (acct->rules == 0) {
		st->bypass_state = SIPCID_BYPASS_NO_RULES;
	} else if (w->lost || acct->packets < w->last_matched ||
	           !sipcid_bypass_count(&w->base, &now, &st->bypass)) {
		/* Once behind, for good: a count made again can catch up with
		 * the queue, but what it missed stays missed. */
		w->lost = true;
		st->bypass_state = SIPCID_BYPASS_BEHIND;
	} else {
		w->last_matched = acct->packets;
		st->bypass_state = SIPCID_BYPASS_COUNTED;
	}
}

void sipcid_bypass_watch_sample(struct sipcid_bypass_watch *w, struct sipcid_status *st)
{
	struct sipcid_nfacct acct = { 0 };
	int nfacct_errno = sipcid_nfacct_read(w->nfacct_name, &acct);
	if (w->proc)
		st->have_proc = sipcid_nfq_proc_reread(w->proc, w->queue, &st->proc);
	else
		st->proc_error = g_strerror(w->proc_errno);
	count(w, st, nfacct_errno, &acct);
}
