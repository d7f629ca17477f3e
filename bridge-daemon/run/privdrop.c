/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Becoming an unprivileged user that keeps CAP_NET_ADMIN (see privdrop.h). */
#include "privdrop.h"

#include "log.h"

#include <cap-ng.h>
#include <errno.h>
#include <gio/gio.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

struct account {
	char *name;
	uid_t uid;
	gid_t gid;
};

/* 0: found; ENOENT: no such account; another errno: the lookup failed. */
static int look_up(const char *name, struct account *a)
{
	long size = sysconf(_SC_GETPW_R_SIZE_MAX);
	char *buf = g_malloc(size > 0 ? (size_t)size : 16384);
	struct passwd pw, *found = NULL;
	int err = getpwnam_r(name, &pw, buf, size > 0 ? (size_t)size : 16384, &found);
	if (err == 0 && !found)
		err = ENOENT;
	if (err == 0) {
		a->name = g_strdup(pw.pw_name);
		a->uid = pw.pw_uid;
		a->gid = pw.pw_gid;
	}
	g_free(buf);
	return err;
}

static void hand_over(const char *path, const struct account *a)
{
	struct stat st;
	if (lstat(path, &st) != 0 || S_ISLNK(st.st_mode) || st.st_uid != 0)
		return;
	if (lchown(path, a->uid, a->gid) != 0)
		sipcid_log_warnx("cannot give %s to user %s: %s; sipcidd may fail to write there", path,
		          a->name, g_strerror(errno));
}

/* Whether the account may create files in dir, by its mode bits (ACLs are
 * not considered). A directory that does not exist yet is judged by its
 * nearest existing parent, where it will be created. */
static bool can_write(const char *dir, const struct account *a)
{
	g_autofree char *p = g_strdup(dir);
	struct stat st;
	while (stat(p, &st) != 0) {
		char *parent = g_path_get_dirname(p);
		bool top = strcmp(parent, p) == 0;
		g_free(p);
		p = parent;
		if (top)
			return false;
	}
	if (st.st_uid == a->uid)
		return (st.st_mode & S_IWUSR) && (st.st_mode & S_IXUSR);
	int n = 64;
	gid_t groups[64];
	bool in_group = st.st_gid == a->gid;
	if (!in_group && getgrouplist(a->name, a->gid, groups, &n) >= 0) {
		for (int i = 0; i < n && !in_group; i++)
			in_group = groups[i] == st.st_gid;
	}
	if (in_group)
		return (st.st_mode & S_IWGRP) && (st.st_mode & S_IXGRP);
	return (st.st_mode & S_IWOTH) && (st.st_mode & S_IXOTH);
}

/* The bounding set reduced to CAP_NET_ADMIN, on the calling thread. Root
 * keeps its effective capabilities: the bounding set only limits what a
 * later execve or capability change can gain. */
static bool limit_bounds(GError **error)
{
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
	                 CAP_NET_ADMIN) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "cannot prepare the capability set (libcap-ng)");
		return false;
	}
	/* The bounding set first, while this thread still has CAP_SETPCAP. */
	if (capng_apply(CAPNG_SELECT_BOUNDS) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "cannot limit the capability bounding set to CAP_NET_ADMIN: %s",
		            g_strerror(errno));
		return false;
	}
	return true;
}

/* sipcidd never runs another program; nothing it could start may gain
 * privileges either. */
static void set_no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		sipcid_log_warnx("cannot set no_new_privs: %s", g_strerror(errno));
}

static bool change_id(const struct account *a, GError **error)
{
	if (!limit_bounds(error))
		return false;
	/* Supplementary groups are the user's own, so that adding sipcid to a
	 * group (to write recordings to a shared directory, say) works. */
	int rc = capng_change_id((int)a->uid, (int)a->gid,
	                         CAPNG_INIT_SUPP_GRP | CAPNG_CLEAR_AMBIENT);
	if (rc != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "cannot become user %s (libcap-ng error %d: %s)", a->name, rc,
		            g_strerror(errno));
		return false;
	}
	set_no_new_privs();
	/* Trust, but verify: root must be gone for good. */
	uid_t ruid, euid, suid;
	if (getresuid(&ruid, &euid, &suid) != 0 || ruid != a->uid || euid != a->uid ||
	    suid != a->uid || setuid(0) == 0 || setgid(0) == 0 ||
	    capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_ADMIN) != 1 ||
	    capng_have_capability(CAPNG_EFFECTIVE, CAP_SETUID) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "changing to user %s left the wrong identity or capabilities", a->name);
		return false;
	}
	return true;
}

enum sipcid_privdrop_result sipcid_privdrop(const struct sipcid_privdrop_request *req,
                                            GError **error)
{
	if (geteuid() != 0)
		return SIPCID_PRIVDROP_NOT_ROOT;
	const char *name = req->user ? req->user : SIPCID_DEFAULT_USER;
	struct account a = { 0 };
	int err = look_up(name, &a);
	if (err == ENOENT && !req->user) {
		sipcid_log_warnx("running as root: there is no user '%s' to run as (create it with "
		          "'systemd-sysusers', or set [datapath] user; user = root keeps root "
		          "without this warning)", SIPCID_DEFAULT_USER);
		return SIPCID_PRIVDROP_STAYED_ROOT;
	}
	if (err == ENOENT) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            "[datapath] user: there is no user named '%s' on this system", name);
		return SIPCID_PRIVDROP_FAILED;
	}
	if (err != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "[datapath] user: looking up user '%s': %s", name, g_strerror(err));
		return SIPCID_PRIVDROP_FAILED;
	}
	enum sipcid_privdrop_result result = SIPCID_PRIVDROP_STAYED_ROOT;
	if (a.uid == 0)
		goto out;
	for (const char *const *p = req->hand_over; p && *p; p++)
		hand_over(*p, &a);
	for (const char *const *p = req->must_write; p && *p; p++) {
		if (!can_write(*p, &a))
			sipcid_log_warnx("user %s cannot write to %s: sipcidd will fail to save files there "
			          "(give the directory to that user, or change the configuration)",
			          a.name, *p);
	}
	if (!change_id(&a, error)) {
		result = SIPCID_PRIVDROP_FAILED;
		goto out;
	}
	sipcid_log_info("running as user %s (uid %u, gid %u) with CAP_NET_ADMIN only", a.name,
	          (unsigned)a.uid, (unsigned)a.gid);
	result = SIPCID_PRIVDROP_DONE;
out:
	g_free(a.name);
	return result;
}

bool sipcid_privdrop_prepare(const char *user, GError **error)
{
	if (geteuid() != 0)
		return true;
	struct account a = { 0 };
	/* A missing or unreadable account is sipcid_privdrop's to report (or to
	 * accept, for the default user): nothing will be dropped then. */
	if (look_up(user ? user : SIPCID_DEFAULT_USER, &a) != 0)
		return true;
	bool ok = true;
	if (a.uid != 0 && (ok = limit_bounds(error)))
		set_no_new_privs();
	g_free(a.name);
	return ok;
}

void sipcid_privdrop_forget_raw(void)
{
	if (capng_get_caps_process() != 0 || capng_have_capability(CAPNG_PERMITTED, CAP_NET_RAW) != 1)
		return;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_NET_RAW, 0, 0);
	if (capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE,
	                 CAP_NET_RAW) != 0 || capng_apply(CAPNG_SELECT_CAPS) != 0)
		sipcid_log_warnx("cannot give up CAP_NET_RAW: %s", g_strerror(errno));
}
