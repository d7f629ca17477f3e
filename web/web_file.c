/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "web_file.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

bool sipcid_web_file_replace(const char *path, const void *data, size_t len, uid_t uid, gid_t gid,
                             GError **error)
{
	g_autofree char *tmp = g_strconcat(path, ".new", NULL);
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot write %s: %s", tmp,
		            g_strerror(errno));
		return false;
	}
	bool ok = write(fd, data, len) == (ssize_t)len;
	if (ok && geteuid() == 0 && (uid != (uid_t)-1 || gid != (gid_t)-1))
		ok = fchown(fd, uid, gid) == 0;
	ok = ok && fchmod(fd, 0640) == 0 && fsync(fd) == 0;
	int saved = errno;
	ok = close(fd) == 0 && ok;
	if (ok && rename(tmp, path) != 0) {
		saved = errno;
		ok = false;
	}
	if (!ok) {
		unlink(tmp);
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved), "cannot write %s: %s",
		            path, g_strerror(saved));
	}
	return ok;
}
