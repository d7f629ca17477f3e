/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Allocation counting for benchmarks (alloc_count.h): malloc, calloc and
 * realloc defined here reach libc's through dlsym(RTLD_NEXT); dlsym itself
 * may calloc before that is known, which a small static arena serves. */
#include "alloc_count.h"

#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_COUNT_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_COUNT_OFF 1
#endif
#endif

#ifdef ALLOC_COUNT_OFF
bool alloc_count_available(void)
{
	return false;
}

unsigned long alloc_count(void)
{
	return 0;
}
#else
#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

static atomic_ulong count;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static _Alignas(16) char boot[4096];
static size_t boot_used;

static bool in_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

static void resolve(void)
{
	static atomic_int state;  /* 0 not yet, 1 resolving, 2 done */
	int expected = 0;
	if (atomic_load(&state) == 2)
		return;
	if (!atomic_compare_exchange_strong(&state, &expected, 1))
		return;  /* dlsym's own calloc lands in boot */
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	atomic_store(&state, 2);
}

static void *boot_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (boot_used + n > sizeof boot)
		return NULL;
	void *p = boot + boot_used;
	boot_used += n;
	return p;
}

void *malloc(size_t n)
{
	resolve();
	if (!real_malloc)
		return boot_alloc(n);
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return real_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	resolve();
	if (!real_calloc)
		return boot_alloc(a * b);  /* static memory is zeroed */
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return real_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	resolve();
	if (in_boot(p)) {
		void *q = malloc(n);
		size_t room = (size_t)(boot + sizeof boot - (char *)p);
		if (q)
			memcpy(q, p, n < room ? n : room);
		return q;
	}
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return real_realloc(p, n);
}

void free(void *p)
{
	if (!p || in_boot(p))
		return;
	resolve();
	real_free(p);
}

bool alloc_count_available(void)
{
	return true;
}

unsigned long alloc_count(void)
{
	return atomic_load_explicit(&count, memory_order_relaxed);
}
#endif
