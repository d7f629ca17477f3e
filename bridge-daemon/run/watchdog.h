/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd's service notifications, for live mode: READY=1 once the queue is
 * bound, WATCHDOG=1 while the packet thread makes progress, STOPPING=1.
 *
 * The plain notify-socket protocol of sd_notify(3): one datagram with
 * "KEY=value" lines to the AF_UNIX socket in $NOTIFY_SOCKET (a leading '@'
 * names an abstract socket). Without $NOTIFY_SOCKET (not under systemd,
 * or Type= is not notify) every call does nothing.
 *
 * The watchdog proves the packet path, not the main loop alone: the packet
 * thread bumps a heartbeat every time round its loop (it wakes at least
 * every receive timeout, 250 ms, with or without packets), and the main
 * loop sends WATCHDOG=1 only when the heartbeat moved since its last look.
 * A stuck packet thread, or a stuck main loop, stops the pings and systemd
 * restarts sipcidd after WatchdogSec=. Main loop only, except
 * sipcid_watchdog_beat(), which is for the packet thread. */
#ifndef SIPCID_WATCHDOG_H
#define SIPCID_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

struct sipcid_watchdog {
	int fd;                  /* -1: no notify socket */
	char path[108];          /* sun_path; abstract when it starts with '\0' */
	unsigned path_len;
	int64_t interval_us;     /* $WATCHDOG_USEC, 0: systemd does not watch */
	int heartbeat;           /* atomic: the packet thread's loop count */
	int seen;                /* the heartbeat at the main loop's last look */
};

/* Reads the environment and opens the socket. */
void sipcid_watchdog_open(struct sipcid_watchdog *w);
/* Sends one notification ("READY=1", "STOPPING=1"...). */
void sipcid_watchdog_notify(struct sipcid_watchdog *w, const char *message);
/* How often the main loop should look (half of WatchdogSec=, as systemd
 * advises), in ms; 0 when systemd does not watch. */
unsigned sipcid_watchdog_check_every_ms(const struct sipcid_watchdog *w);
/* Packet thread: one more time round the loop. */
void sipcid_watchdog_beat(struct sipcid_watchdog *w);
/* Main loop: sends WATCHDOG=1 if the packet thread went round since the
 * last look. */
void sipcid_watchdog_check(struct sipcid_watchdog *w);
void sipcid_watchdog_close(struct sipcid_watchdog *w);

#endif
