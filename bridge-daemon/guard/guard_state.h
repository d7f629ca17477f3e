/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-guard's state file: whether the line is open now, how often and
 * how long the guard opened it. sipcid-guard writes it (atomically, on
 * start, on every opening and closing, and on exit); `sipcidd --status`
 * reads it. It lives in the state directory (state_dir.h: $STATE_DIRECTORY,
 * else /var/lib/sipcid), so the counts outlive a restarted sipcidd, which
 * is what a watchdog restart after a stall is. */
#ifndef SIPCID_GUARD_STATE_H
#define SIPCID_GUARD_STATE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SIPCID_GUARD_STATE_NAME "guard.state"

struct sipcid_guard_state {
	pid_t pid;               /* the guard; 0: it exited */
	uint32_t queue;          /* the NFQUEUE queue it watches */
	bool open;               /* the bypass is in now */
	int64_t opened_at_ms;    /* wall clock (Unix ms), while open */
	uint64_t opens;          /* times it opened the line */
	int64_t open_ms_total;   /* time it was open, closed periods only */
	int64_t longest_ms;      /* the longest closed period */
};

/* The file's path in the state directory. */
void sipcid_guard_state_path(char *out, size_t out_size);

/* Writes `st` to `path` through a temporary file and a rename. */
bool sipcid_guard_state_write(const char *path, const struct sipcid_guard_state *st,
                              GError **error);
/* Reads it back. False with *error when it cannot be read or is not one. */
bool sipcid_guard_state_read(const char *path, struct sipcid_guard_state *st, GError **error);

#endif
