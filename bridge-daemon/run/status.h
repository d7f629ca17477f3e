/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What `sipcidd --status` prints: the daemon's counters and the kernel's. */
#ifndef SIPCID_STATUS_H
#define SIPCID_STATUS_H

#include "bypass_count.h"
#include "capture_nflog.h"
#include "capture_nfq.h"
#include "nfq_proc.h"
#include "pipeline.h"
#include "recorder.h"
#include "webhook.h"

#include <glib.h>

struct sipcid_status {
	uint16_t queue_num;
	int64_t started_us, now_us;
	struct sipcid_nfq_stats nfq;
	struct sipcid_pipeline_stats pipeline;
	bool have_proc;              /* false: the kernel lists no process on the queue */
	const char *proc_error;      /* set: the kernel's file could not be opened, and why */
	struct sipcid_nfq_proc proc;
	/* Fail-open bypasses of a full queue, from the nfacct object on the
	 * NFQUEUE rules (bypass_count.h). bypass_watch.h fills these and the
	 * kernel's fields above. */
	const char *nfacct_name;
	enum sipcid_bypass_state {
		SIPCID_BYPASS_COUNTED,
		SIPCID_BYPASS_NO_OBJECT,          /* there is no such object now */
		SIPCID_BYPASS_NO_OBJECT_AT_BIND,  /* made after sipcidd bound the queue */
		SIPCID_BYPASS_NO_RULES,           /* no rule counts into it */
		SIPCID_BYPASS_BEHIND,             /* behind the queue: made again since bind? */
		SIPCID_BYPASS_READ_ERROR,         /* bypass_errno says why */
	} bypass_state;
	int bypass_errno;
	uint32_t nfacct_rules;       /* rules that count into the object */
	struct sipcid_bypass_count bypass;
};

/* One "key: value" line per counter; keys are stable (tests and scripts read them). */
void sipcid_status_format(GString *out, const struct sipcid_status *st);

/* The stall guard's lines, from sipcid-guard's state file at `path` (NULL:
 * the default, guard_state.h): whether it runs, whether the line is open
 * now, how often and how long it opened it. `queue` is sipcidd's, to say
 * when the guard watches another; `now_ms` the wall clock (Unix ms). */
void sipcid_status_format_guard(GString *out, const char *path, uint16_t queue, int64_t now_ms);

/* The recorder's lines: its counters (NULL: recording is off) and those of
 * the NFLOG group it hears RTP on (NULL: none; `why` says why, e.g. "off"). */
void sipcid_status_format_recording(GString *out, const struct sipcid_recorder_stats *rec,
                                    uint16_t group, const struct sipcid_nflog_stats *nflog,
                                    const char *why);

/* One webhook's counters, keys webhook.NAME.sent: and so on (webhook.h). */
void sipcid_status_format_webhook(GString *out, const char *name,
                                  const struct sipcid_webhook_stats *st);

#endif
