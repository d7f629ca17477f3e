/* Counting the recordings directory and its file system's free space. */
#include "record_budget.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/statvfs.h>

#define CHECK_US ((int64_t)G_USEC_PER_SEC)
#define SCAN_US ((int64_t)60 * G_USEC_PER_SEC)

static uint64_t scan(const char *directory)
{
	GDir *d = g_dir_open(directory, 0, NULL);
	if (!d)
		return 0; /* not created yet: empty */
	uint64_t total = 0;
	for (const char *name; (name = g_dir_read_name(d));) {
		g_autofree char *path = g_build_filename(directory, name, NULL);
		GStatBuf st;
		if (g_lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
	}
	g_dir_close(d);
	return total;
}

/* Percent free for unprivileged writers, of the directory's file system or,
 * before it exists, of its nearest existing parent's. */
static unsigned free_percent(const char *directory)
{
	g_autofree char *p = g_strdup(directory);
	struct statvfs sv;
	while (statvfs(p, &sv) != 0) {
		char *parent = g_path_get_dirname(p);
		bool top = g_strcmp0(parent, p) == 0;
		g_free(p);
		p = parent;
		if (top)
			return 100; /* nothing to measure: do not stop recording for it */
	}
	if (sv.f_blocks == 0)
		return 100;
	return (unsigned)((uint64_t)sv.f_bavail * 100 / sv.f_blocks);
}

void sipcid_record_budget_init(struct sipcid_record_budget *b, const char *directory,
                               uint64_t max_total)
{
	*b = (struct sipcid_record_budget){ .directory = directory, .max_total = max_total };
}

bool sipcid_record_budget_check(struct sipcid_record_budget *b, int64_t now_us)
{
	bool first = !b->checked;
	if (!first && now_us - b->checked_us < CHECK_US && now_us >= b->checked_us)
		return false;
	if (first || now_us - b->scanned_us >= SCAN_US || now_us < b->scanned_us) {
		b->on_disk = scan(b->directory);
		b->captured = 0;
		b->scanned_us = now_us;
	}
	b->checked = true;
	b->checked_us = now_us;
	b->free_percent = free_percent(b->directory);
	bool low = b->free_percent < SIPCID_RECORD_BUDGET_MIN_FREE_PERCENT;
	bool changed = low != b->low_space;
	b->low_space = low;
	return changed;
}

uint64_t sipcid_record_budget_used(const struct sipcid_record_budget *b)
{
	return b->on_disk + 2 * b->captured;
}

bool sipcid_record_budget_allows(const struct sipcid_record_budget *b, uint64_t bytes)
{
	return !b->low_space && sipcid_record_budget_used(b) + 2 * bytes <= b->max_total;
}

void sipcid_record_budget_add(struct sipcid_record_budget *b, uint64_t bytes)
{
	b->captured += bytes;
}
