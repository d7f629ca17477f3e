/* The recordings' disk budget: how much the recordings directory may hold
 * ([record] max-total-mb), and a floor of free space on its file system
 * (SIPCID_RECORD_BUDGET_MIN_FREE_PERCENT) below which nothing is recorded.
 *
 * What the directory holds is measured by a scan (at start, then once a
 * minute, so files the user deletes give room back) plus what was captured
 * since. A capture is counted twice: converting it makes a WAV about 1.5
 * times its size before the capture is removed. The free space is asked of
 * the file system at most once a second (of the caller's clock: capture
 * time with --read). Recorder thread only. */
#ifndef SIPCID_RECORD_BUDGET_H
#define SIPCID_RECORD_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

enum { SIPCID_RECORD_BUDGET_MIN_FREE_PERCENT = 5 };

struct sipcid_record_budget {
	const char *directory;   /* not owned */
	uint64_t max_total;      /* bytes */
	uint64_t on_disk;        /* at the last scan */
	uint64_t captured;       /* bytes captured since */
	int64_t scanned_us, checked_us;
	bool checked;
	bool low_space;          /* under the free-space floor at the last check */
	unsigned free_percent;   /* at the last check */
};

void sipcid_record_budget_init(struct sipcid_record_budget *b, const char *directory,
                               uint64_t max_total);
/* Looks at the disk again if it is time by now_us. Returns true when
 * low_space changed. */
bool sipcid_record_budget_check(struct sipcid_record_budget *b, int64_t now_us);
/* Whether bytes more may be captured within max-total-mb. */
bool sipcid_record_budget_allows(const struct sipcid_record_budget *b, uint64_t bytes);
void sipcid_record_budget_add(struct sipcid_record_budget *b, uint64_t bytes);
/* What the directory holds by this count (bytes). */
uint64_t sipcid_record_budget_used(const struct sipcid_record_budget *b);

#endif
