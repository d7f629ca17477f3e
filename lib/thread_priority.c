/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-thread nice values (see thread_priority.h). */
#include "thread_priority.h"

#include "log.h"

#include <errno.h>
#include <glib.h>
#include <sys/resource.h>
#include <unistd.h>

void sipcid_thread_yield_to_packets(const char *who)
{
	static _Thread_local gboolean lowered;
	if (lowered)
		return;
	lowered = TRUE;
	/* On Linux, PRIO_PROCESS with a thread id sets that thread alone. */
	pid_t tid = gettid();
	errno = 0;
	int now = getpriority(PRIO_PROCESS, (id_t)tid);
	if (now == -1 && errno != 0)
		now = 0;
	if (setpriority(PRIO_PROCESS, (id_t)tid, now + SIPCID_OUTPUT_NICE) != 0)
		sipcid_log_info("could not lower the priority of the %s thread (%s): under CPU overload "
		                "it competes with the packet path", who, g_strerror(errno));
}
