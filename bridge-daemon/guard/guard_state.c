/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-guard's state file (see guard_state.h): "key=value" lines. */
#include "guard_state.h"

#include "state_dir.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

void sipcid_guard_state_path(char *out, size_t out_size)
{
	sipcid_state_path(SIPCID_GUARD_STATE_NAME, out, out_size);
}

bool sipcid_guard_state_write(const char *path, const struct sipcid_guard_state *st,
                              GError **error)
{
	g_autofree char *text = g_strdup_printf(
		"pid=%ld\nqueue=%" PRIu32 "\nopen=%d\nopened-at-ms=%" PRId64 "\nopens=%" PRIu64
		"\nopen-ms-total=%" PRId64 "\nlongest-ms=%" PRId64 "\n",
		(long)st->pid, st->queue, st->open ? 1 : 0, st->opened_at_ms, st->opens,
		st->open_ms_total, st->longest_ms);
	/* Mode 0644: sipcidd reads it as its own user. */
	return g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/* Parses one unsigned decimal value; false unless the whole text is one. */
static bool number(const char *text, uint64_t max, uint64_t *out)
{
	if (!g_ascii_isdigit(*text))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

bool sipcid_guard_state_read(const char *path, struct sipcid_guard_state *st, GError **error)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, error))
		return false;
	struct sipcid_guard_state s = { 0 };
	unsigned seen = 0;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		if (!**l)
			continue;
		char *eq = strchr(*l, '=');
		uint64_t v;
		if (!eq || !number(eq + 1, INT64_MAX, &v)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			            "%s:%td: expected key=number", path, l - lines + 1);
			return false;
		}
		*eq = '\0';
		if (g_str_equal(*l, "pid") && v <= INT32_MAX)
			s.pid = (pid_t)v, seen |= 1;
		else if (g_str_equal(*l, "queue") && v <= UINT16_MAX)
			s.queue = (uint32_t)v, seen |= 2;
		else if (g_str_equal(*l, "open") && v <= 1)
			s.open = v, seen |= 4;
		else if (g_str_equal(*l, "opened-at-ms"))
			s.opened_at_ms = (int64_t)v;
		else if (g_str_equal(*l, "opens"))
			s.opens = v, seen |= 8;
		else if (g_str_equal(*l, "open-ms-total"))
			s.open_ms_total = (int64_t)v;
		else if (g_str_equal(*l, "longest-ms"))
			s.longest_ms = (int64_t)v;
		/* Other keys: a newer guard's; ignored. */
	}
	if (seen != 15) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%s: not a sipcid-guard state file (pid, queue, open or opens missing)", path);
		return false;
	}
	*st = s;
	return true;
}
