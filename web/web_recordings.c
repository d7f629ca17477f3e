/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The recordings directory for the web console (see web_recordings.h). */
#include "web_recordings.h"

#include "calllog_query.h"
#include "event_format.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A recording's name: record_name.h's characters, "-N" when the name was
 * taken, and the recorder's two endings. NAME_MAX keeps it one component. */
bool sipcid_web_recordings_name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > 255 || name[0] == '.' || name[0] == '-')
		return false;
	if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_.") != len)
		return false;
	return g_str_has_suffix(name, ".wav") || g_str_has_suffix(name, ".pcap");
}

/* Opens name in dirfd without following a link, as a regular file: -1 with
 * errno ENOENT for anything that is not a recording there. */
static int open_recording(int dirfd, const char *name, struct stat *st)
{
	if (!sipcid_web_recordings_name_ok(name)) {
		errno = ENOENT;
		return -1;
	}
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ELOOP)   /* a symbolic link: not one of ours */
			errno = ENOENT;
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	return fd;
}

char *sipcid_web_recordings_name_of(int dirfd, const char *path)
{
	g_autofree char *name = g_path_get_basename(path);
	struct stat st;
	if (!sipcid_web_recordings_name_ok(name) ||
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	return g_steal_pointer(&name);
}

static uint32_t le32(const guint8 *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool sipcid_web_recordings_wav_seconds(const guint8 *head, size_t len, uint64_t file_size,
                                       double *seconds)
{
	if (len < 12 || memcmp(head, "RIFF", 4) || memcmp(head + 8, "WAVE", 4))
		return false;
	uint32_t byte_rate = 0;
	/* Chunks of 8 header bytes and an even-padded body; every step moves on. */
	for (size_t at = 12; at + 8 <= len;) {
		uint32_t size = le32(head + at + 4);
		if (!memcmp(head + at, "fmt ", 4)) {
			if (size < 16 || at + 8 + 12 > len)
				return false;
			byte_rate = le32(head + at + 8 + 8);
		} else if (!memcmp(head + at, "data", 4)) {
			if (byte_rate == 0)
				return false;
			uint64_t start = at + 8;
			uint64_t there = file_size > start ? file_size - start : 0;
			*seconds = (double)(size < there ? size : there) / byte_rate;
			return true;
		}
		uint64_t next = (uint64_t)at + 8 + size + (size & 1);
		if (next > len)
			return false;
		at = (size_t)next;
	}
	return false;
}

struct recording {
	char *name;
	int64_t mtime_us;
	uint64_t bytes;
	double seconds;    /* < 0: not known */
};

static void recording_free(gpointer p)
{
	struct recording *r = p;
	g_free(r->name);
	g_free(r);
}

static gint newest_first(gconstpointer a, gconstpointer b)
{
	const struct recording *x = *(struct recording *const *)a, *y = *(struct recording *const *)b;
	if (x->mtime_us != y->mtime_us)
		return x->mtime_us > y->mtime_us ? -1 : 1;
	return strcmp(y->name, x->name);
}

/* The recordings' calls, by file name: one pass over the call log's rows
 * that have a recording. */
struct calls_by_name {
	GHashTable *json;  /* name -> the call as JSON */
};

static void add_call(void *ctx, const struct sipcid_calllog_row *r)
{
	struct calls_by_name *c = ctx;
	char *name = g_path_get_basename(r->recording);
	GString *j = g_string_new(NULL);
	sipcid_event_json(j, &r->call);
	g_string_truncate(j, j->len - 1);
	g_string_append_printf(j, ",\"id\":%" G_GINT64_FORMAT ",\"recording\":", r->id);
	sipcid_event_json_string(j, name, true);
	g_string_append_c(j, '}');
	/* Oldest first: a name used again (a file deleted, then a new call with
	 * the same second and caller) ends with its newest call. */
	g_hash_table_replace(c->json, name, g_string_free(j, FALSE));
}

static void set_errno_error(GError **error, int err, const char *fmt, const char *what)
{
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(err), fmt, what, g_strerror(err));
}

bool sipcid_web_recordings_list_json(const char *dir, long budget_mb, sqlite3 *db, GString *out,
                                     GError **error)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		set_errno_error(error, errno, "%s: cannot read the recordings: %s", dir);
		return false;
	}
	DIR *d = fdopendir(dup(dirfd));
	if (!d) {
		set_errno_error(error, errno, "%s: cannot read the recordings: %s", dir);
		close(dirfd);
		return false;
	}
	GPtrArray *list = g_ptr_array_new_with_free_func(recording_free);
	uint64_t used = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		/* The recorder's files being written count against the budget too. */
		used += (uint64_t)st.st_size;
		if (!sipcid_web_recordings_name_ok(e->d_name))
			continue;
		struct recording *r = g_new0(struct recording, 1);
		r->name = g_strdup(e->d_name);
		r->bytes = (uint64_t)st.st_size;
		r->mtime_us = (int64_t)st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
		r->seconds = -1;
		if (g_str_has_suffix(r->name, ".wav")) {
			struct stat fst;
			int fd = open_recording(dirfd, r->name, &fst);
			guint8 head[512];
			ssize_t n = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
			if (n > 0 && !sipcid_web_recordings_wav_seconds(head, (size_t)n,
			                                                (uint64_t)fst.st_size, &r->seconds))
				r->seconds = -1;
			if (fd >= 0)
				close(fd);
		}
		g_ptr_array_add(list, r);
	}
	closedir(d);
	close(dirfd);
	g_ptr_array_sort(list, newest_first);

	struct calls_by_name calls = { g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free) };
	if (db && list->len) {
		struct sipcid_calllog_filter f = { .with_recording = true };
		GError *qerr = NULL;
		/* Without the calls the list is still worth showing. */
		if (!sipcid_calllog_query(db, &f, add_call, &calls, &qerr))
			g_clear_error(&qerr);
	}

	g_string_append(out, "{\"recordings\":[");
	for (guint i = 0; i < list->len; i++) {
		const struct recording *r = list->pdata[i];
		if (i)
			g_string_append_c(out, ',');
		g_string_append(out, "{\"name\":");
		sipcid_event_json_string(out, r->name, false);
		g_string_append_printf(out, ",\"bytes\":%" G_GUINT64_FORMAT ",\"time\":\"", r->bytes);
		sipcid_event_format_time(out, r->mtime_us);
		g_string_append(out, "\",\"seconds\":");
		if (r->seconds >= 0)
			g_string_append_printf(out, "%.3f", r->seconds);
		else
			g_string_append(out, "null");
		g_string_append(out, ",\"call\":");
		const char *call = g_hash_table_lookup(calls.json, r->name);
		g_string_append(out, call ? call : "null");
		g_string_append_c(out, '}');
	}
	g_string_append_printf(out, "],\"used_bytes\":%" G_GUINT64_FORMAT ",\"budget_bytes\":", used);
	if (budget_mb > 0)
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, (uint64_t)budget_mb * 1024 * 1024);
	else
		g_string_append(out, "null");
	g_string_append_c(out, '}');
	g_hash_table_unref(calls.json);
	g_ptr_array_unref(list);
	return true;
}

GBytes *sipcid_web_recordings_open(const char *dir, const char *name, const char **content_type,
                                   GError **error)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		set_errno_error(error, errno, "%s: cannot read the recordings: %s", dir);
		return NULL;
	}
	struct stat st;
	int fd = open_recording(dirfd, name, &st);
	int err = errno;
	close(dirfd);
	if (fd < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(err), "no such recording");
		return NULL;
	}
	GBytes *bytes;
	if (st.st_size == 0) {
		bytes = g_bytes_new(NULL, 0);
	} else {
		/* Mapped, not read: a long call is many megabytes, and a player asks
		 * for ranges of it. */
		GMappedFile *m = g_mapped_file_new_from_fd(fd, FALSE, error);
		if (!m) {
			close(fd);
			g_prefix_error(error, "%s: ", name);
			return NULL;
		}
		bytes = g_mapped_file_get_bytes(m);
		g_mapped_file_unref(m);
	}
	close(fd);
	*content_type = g_str_has_suffix(name, ".wav") ? "audio/wav"
	                                                 : "application/vnd.tcpdump.pcap";
	return bytes;
}

bool sipcid_web_recordings_delete(const char *dir, const char *name, GError **error)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		set_errno_error(error, errno, "%s: cannot read the recordings: %s", dir);
		return false;
	}
	struct stat st;
	int fd = open_recording(dirfd, name, &st);
	bool ok = false;
	if (fd < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "no such recording");
	} else {
		close(fd);
		/* The name is checked to be a plain file of this directory above;
		 * unlinkat removes the name itself, never what a link points to. */
		ok = unlinkat(dirfd, name, 0) == 0;
		if (!ok)
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			            "cannot delete the recording %s: %s", name, g_strerror(errno));
	}
	close(dirfd);
	return ok;
}
