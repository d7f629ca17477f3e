/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Replacing a small private file of sipcid-web's (the password hash, the
 * certificate and its key) atomically and durably. */
#ifndef SIPCID_WEB_FILE_H
#define SIPCID_WEB_FILE_H

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/* Writes data to PATH.new (created afresh: never a file or link someone
 * else left there), mode 0640, owned by uid:gid when run as root ((uid_t)-1
 * or (gid_t)-1 keeps that part), fsync, and renames it over path. On error
 * nothing is left behind and the error names the file. */
bool sipcid_web_file_replace(const char *path, const void *data, size_t len, uid_t uid, gid_t gid,
                             GError **error);

#endif
