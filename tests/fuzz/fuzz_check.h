/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks the fuzz targets share: the promises lib/call.h makes about every
 * string of a struct sipcid_call. A broken promise aborts, which libFuzzer
 * reports as a crash with the input saved. */
#ifndef SIPCID_FUZZ_CHECK_H
#define SIPCID_FUZZ_CHECK_H

#include <stddef.h>

/* s (a buffer of size bytes, named field in the message) is NUL-terminated
 * inside it, valid UTF-8, and free of control characters and bidirectional
 * overrides. */
void sipcid_fuzz_check_text(const char *field, const char *s, size_t size);

#endif
