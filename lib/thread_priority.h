/* SPDX-License-Identifier: GPL-2.0-or-later */
/* When the CPU is short, the packet thread goes first.
 *
 * Every other thread of sipcidd (the main loop with its announcements, the
 * call log writer) runs at a lower scheduling priority. Falling behind there
 * costs a late popup, or an event dropped and counted; falling behind on the
 * packet path lets packets through uninspected (fail-open), and with them
 * calls a rule would have blocked. On an idle box the difference is nil. */
#ifndef SIPCID_THREAD_PRIORITY_H
#define SIPCID_THREAD_PRIORITY_H

enum { SIPCID_OUTPUT_NICE = 10 };  /* added to the packet thread's nice value */

/* Lowers the calling thread's priority by SIPCID_OUTPUT_NICE, once (a second
 * call from the same thread changes nothing). Threads it creates afterwards
 * inherit the lower priority. `who` names the thread in the one message
 * logged if the system refuses. */
void sipcid_thread_yield_to_packets(const char *who);

#endif
