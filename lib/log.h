/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging: how every sipcid program tells its user what went wrong.
 *
 * Shaped like OpenBSD's log.h. main() calls sipcid_log_init() once, before
 * it starts any thread; from then on any thread may call the rest. Each
 * message goes to stderr as "PROGNAME: message\n" in one write(2), so
 * messages from different threads never interleave. Under systemd, when
 * JOURNAL_STREAM names our stderr, each line starts with its syslog priority
 * (<3> fatal, <4> warning, <6> info, <7> debug) and journalctl shows levels.
 * A message of several lines is written as several prefixed lines, so the
 * journal keeps each at its level. Control characters in a message (hostile
 * text can end up in one) are written as '?'.
 *
 * sipcid_log_init() also routes GLib's own logging (g_warning and friends,
 * from GLib, GIO, or any library that logs through GLib) here: such a line
 * shows its log domain after the program name. Their debug and info lines
 * follow G_MESSAGES_DEBUG, as with GLib's default writer.
 *
 * Logging costs a lock, a format and a system call: never per packet.
 * A tool's results on stdout and its --help text are output, not logging. */
#ifndef SIPCID_LOG_H
#define SIPCID_LOG_H

#include <glib.h>
#include <stdbool.h>

/* Names the program in every line (the basename of argv[0] until then),
 * turns debug lines on if SIPCID_DEBUG is set (to anything but "" or "0"),
 * and installs the GLib log writer. Call once, from main(). */
void sipcid_log_init(const char *progname);

/* Debug lines on or off, for a program's --verbose. */
void sipcid_log_set_verbose(bool on);

/* "message: strerror(errno)"; errno is the caller's, and is left as it was. */
void sipcid_log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void sipcid_log_warnx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void sipcid_log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Nothing unless verbose or SIPCID_DEBUG. */
void sipcid_log_debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* "prefix: error's message" as a warning; without prefix, the message alone. */
void sipcid_log_gerror(const char *prefix, const GError *error);

/* Print and exit(1). Only for main()-level code: a module reports its errors
 * to its caller (GError) and leaves the decision to stop to main(). */
G_NORETURN void sipcid_log_fatal(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
G_NORETURN void sipcid_log_fatalx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* For tests: every message (its syslog priority, and its text without the
 * prefixes) also goes to fn, on the thread that logs it, outside the lock.
 * Set it before threads start; NULL removes it. */
typedef void sipcid_log_tap_fn(int priority, const char *message, void *data);
void sipcid_log_set_tap(sipcid_log_tap_fn *fn, void *data);

#endif
