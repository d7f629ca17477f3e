/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd notifications and the packet-thread watchdog (see watchdog.h). */
#include "watchdog.h"

#include "log.h"

#include <errno.h>
#include <glib.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

void sipcid_watchdog_open(struct sipcid_watchdog *w)
{
	memset(w, 0, sizeof *w);
	w->fd = -1;
	const char *sock = getenv("NOTIFY_SOCKET");
	size_t len = sock ? strlen(sock) : 0;
	if (len < 2 || len > sizeof w->path || (sock[0] != '/' && sock[0] != '@'))
		return;
	memcpy(w->path, sock, len);
	if (w->path[0] == '@')
		w->path[0] = '\0';
	w->path_len = (unsigned)len;
	w->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (w->fd < 0) {
		sipcid_log_warn("cannot tell systemd how sipcidd is: socket");
		return;
	}
	/* $WATCHDOG_PID names the process systemd watches; another one (a
	 * child that inherited the variables) must not ping for it. */
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	if (usec && (!pid || strtol(pid, NULL, 10) == (long)getpid()))
		w->interval_us = g_ascii_strtoll(usec, NULL, 10);
	if (w->interval_us < 0)
		w->interval_us = 0;
}

void sipcid_watchdog_notify(struct sipcid_watchdog *w, const char *message)
{
	if (w->fd < 0)
		return;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	memcpy(addr.sun_path, w->path, w->path_len);
	socklen_t addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + w->path_len);
	if (sendto(w->fd, message, strlen(message), MSG_NOSIGNAL, (struct sockaddr *)&addr,
	           addr_len) < 0)
		sipcid_log_warn("cannot tell systemd %s", message);
}

unsigned sipcid_watchdog_check_every_ms(const struct sipcid_watchdog *w)
{
	if (w->fd < 0 || w->interval_us <= 0)
		return 0;
	int64_t ms = w->interval_us / 2000;
	return ms < 1 ? 1 : ms > G_MAXUINT ? G_MAXUINT : (unsigned)ms;
}

void sipcid_watchdog_beat(struct sipcid_watchdog *w)
{
	g_atomic_int_inc(&w->heartbeat);
}

void sipcid_watchdog_check(struct sipcid_watchdog *w)
{
	int now = g_atomic_int_get(&w->heartbeat);
	if (now == w->seen)
		return;  /* the packet thread is stuck: no ping, systemd restarts us */
	w->seen = now;
	sipcid_watchdog_notify(w, "WATCHDOG=1");
}

void sipcid_watchdog_close(struct sipcid_watchdog *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}
