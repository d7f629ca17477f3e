/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Giving up root once live mode holds what needed it.
 *
 * Started as root (by hand, or by an init system without User=), sipcidd
 * opens the NFQUEUE socket, the control socket, the announce sockets and the
 * call log, then becomes an unprivileged user that keeps one capability,
 * CAP_NET_ADMIN: the kernel checks it on every nfnetlink message, verdicts
 * included, not only when the queue is bound (sipcidd(8), SECURITY).
 *
 * Capabilities belong to threads: call this on the thread that later starts
 * the packet thread, before starting it. Threads that exist already follow the
 * uid change (glibc applies setresuid to every thread) and lose every
 * capability, which they do not need; but the bounding set and no_new_privs
 * are per thread and not broadcast, so sipcid_privdrop_prepare() sets them
 * before the first thread starts, and every thread inherits them. */
#ifndef SIPCID_PRIVDROP_H
#define SIPCID_PRIVDROP_H

#include "settings.h"

#include <glib.h>

/* Before any thread starts (the call log's writer, the recorder's worker,
 * GLib's own): when sipcid_privdrop will become user (NULL: the default)
 * later, limits the bounding set to CAP_NET_ADMIN and sets no_new_privs on
 * this thread now, so that every thread started afterwards inherits both.
 * Root keeps its capabilities until sipcid_privdrop. Returns false with
 * error set if the bounding set cannot be limited. */
bool sipcid_privdrop_prepare(const char *user, GError **error);

/* The account sipcidd uses when the configuration names none. */
#define SIPCID_DEFAULT_USER "sipcid"

enum sipcid_privdrop_result {
	SIPCID_PRIVDROP_FAILED,      /* error set: the daemon must not go on */
	SIPCID_PRIVDROP_DONE,        /* now the user, with CAP_NET_ADMIN only */
	SIPCID_PRIVDROP_NOT_ROOT,    /* not started as root (systemd User=): nothing to do */
	SIPCID_PRIVDROP_STAYED_ROOT, /* user = root, or no user given and no SIPCID_DEFAULT_USER */
};

struct sipcid_privdrop_request {
	/* NULL: SIPCID_DEFAULT_USER if that account exists, else stay root
	 * with a warning. A name given here must exist. */
	const char *user;
	/* NULL-terminated. Files and directories sipcidd goes on writing to as
	 * the user (its state directory, the call log's files, its runtime
	 * directory): each one that exists and root owns is given to the user.
	 * Symbolic links are left alone. */
	const char *const *hand_over;
	/* NULL-terminated. Directories the user must be able to create files
	 * in but which are not sipcid's to give away: a warning names each one
	 * the user cannot write. */
	const char *const *must_write;
};

enum sipcid_privdrop_result sipcid_privdrop(const struct sipcid_privdrop_request *req,
                                            GError **error);

/* CAP_NET_RAW was needed only to open the packet socket that answers
 * blocked calls (verdict/frame.h): the calling thread gives it up, and the
 * threads it starts afterwards never have it. For a sipcidd started without
 * root (systemd's User= with AmbientCapabilities), where sipcid_privdrop has
 * nothing to do. */
void sipcid_privdrop_forget_raw(void);

/* What live mode goes on writing to as the user, with settings s and its
 * control socket at control_path (NULL: SIPCID_CONTROL_DEFAULT_PATH; "": none).
 * Handed over: the state directory; with [log], the call log and its -wal
 * and -shm files; with [record], a recordings directory inside the state
 * directory; the default control socket's directory, so the socket can be
 * removed on exit. Must be writable: the call log's directory, the
 * recordings directory. */
struct sipcid_privdrop_paths {
	GPtrArray *hand_over;    /* char *, NULL-terminated: for the request */
	GPtrArray *must_write;
};
void sipcid_privdrop_paths_for(struct sipcid_privdrop_paths *out, const struct sipcid_settings *s,
                               const char *control_path);
void sipcid_privdrop_paths_clear(struct sipcid_privdrop_paths *p);

/* sipcid_privdrop for live mode: the user is [datapath] user, the paths are
 * sipcid_privdrop_paths_for's. */
enum sipcid_privdrop_result sipcid_privdrop_live(const struct sipcid_settings *s,
                                                 const char *control_path, GError **error);

#endif
