/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Recording file names: "2026-11-21_225443_+15551234567" from the call's
 * local start time and the caller. Safe as one path component whatever the
 * caller sent: only ASCII letters, digits, '+', '-' and '_', never empty,
 * never starting with '.', at most SIPCID_RECORD_NAME_MAX bytes. */
#ifndef SIPCID_RECORD_NAME_H
#define SIPCID_RECORD_NAME_H

#include <stddef.h>
#include <stdint.h>

enum { SIPCID_RECORD_NAME_MAX = 80 };

/* out must hold SIPCID_RECORD_NAME_MAX + 1 bytes. number, then name, then
 * "unknown" names the caller. */
void sipcid_record_name(int64_t time_us, const char *number, const char *name, char *out);

#endif
