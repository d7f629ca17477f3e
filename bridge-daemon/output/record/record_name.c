/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building safe recording file names. */
#include "record_name.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static size_t caller_part(const char *s, char *out, size_t room)
{
	size_t n = 0;
	bool last_sub = false;
	for (const unsigned char *p = (const unsigned char *)s; *p && n < room; p++) {
		bool keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		            (*p >= '0' && *p <= '9') || *p == '+' || *p == '-';
		if (keep) {
			out[n++] = (char)*p;
			last_sub = false;
		} else if (!last_sub && n > 0) { /* one '_' for a run of anything else */
			out[n++] = '_';
			last_sub = true;
		}
	}
	while (n > 0 && out[n - 1] == '_')
		n--;
	out[n] = '\0';
	return n;
}

void sipcid_record_name(int64_t time_us, const char *number, const char *name, char *out)
{
	time_t secs = (time_t)(time_us / 1000000);
	struct tm tm;
	if (!localtime_r(&secs, &tm))
		memset(&tm, 0, sizeof tm);
	size_t n = strftime(out, SIPCID_RECORD_NAME_MAX + 1, "%Y-%m-%d_%H%M%S_", &tm);
	if (n == 0)
		n = (size_t)snprintf(out, SIPCID_RECORD_NAME_MAX + 1, "call_");
	size_t room = SIPCID_RECORD_NAME_MAX - n;
	if (!(number && caller_part(number, out + n, room)) && !(name && caller_part(name, out + n, room)))
		caller_part("unknown", out + n, room);
}
