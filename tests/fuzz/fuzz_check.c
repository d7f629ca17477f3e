/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz_check.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sipcid_fuzz_check_text(const char *field, const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);
	if (!nul) {
		fprintf(stderr, "fuzz: %s is not NUL-terminated\n", field);
		abort();
	}
	if (!g_utf8_validate(s, nul - s, NULL)) {
		fprintf(stderr, "fuzz: %s is not valid UTF-8\n", field);
		abort();
	}
	for (const char *p = s; p < nul; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069)) {
			fprintf(stderr, "fuzz: %s contains U+%04X\n", field, c);
			abort();
		}
	}
}
