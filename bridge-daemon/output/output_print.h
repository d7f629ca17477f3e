/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The print output: one line per call record on stdout, JSON or readable. */
#ifndef SIPCID_OUTPUT_PRINT_H
#define SIPCID_OUTPUT_PRINT_H

#include "output.h"

#include <stdbool.h>

/* flush_each: write each line at once (live mode, where a person or a pipe
 * waits for every call); otherwise stdout's own buffering (a replay). */
struct sipcid_output *sipcid_output_print_new(bool json, bool flush_each);

#endif
