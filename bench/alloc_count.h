/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Counts the calls to malloc, calloc and realloc in this process (C++'s
 * operator new goes through malloc too), by standing in front of libc's.
 * For benchmarks only; not built under the sanitizers, which have their own. */
#ifndef SIPCID_BENCH_ALLOC_COUNT_H
#define SIPCID_BENCH_ALLOC_COUNT_H

#include <stdbool.h>

/* false when counting is not built in (sanitizer builds) */
bool alloc_count_available(void);
unsigned long alloc_count(void);

#endif
