/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A number list's index: sorted packed numbers, and its lifetime. */
#include "rules_list_private.h"

#include <string.h>

bool sipcid_rules_list_key(const char *number, uint64_t *key)
{
	const char *p = number;
	bool plus = *p == '+';
	if (plus)
		p++;
	uint64_t value = 0;
	unsigned digits = 0;
	for (; *p; p++, digits++) {
		if (!g_ascii_isdigit(*p) || digits == SIPCID_RULES_LIST_DIGITS_MAX)
			return false;
		value = value * 10 + (uint64_t)(*p - '0');
	}
	if (!digits)
		return false;
	/* The '+' and the count keep "+44…" apart from "44…" and "0123" from "123". */
	*key = (uint64_t)plus << 63 | (uint64_t)digits << 58 | value;
	return true;
}

struct sipcid_rules_list *rules_list_new(const char *name)
{
	struct sipcid_rules_list *l = g_new0(struct sipcid_rules_list, 1);
	l->refcount = 1;
	g_strlcpy(l->name, name, sizeof l->name);
	return l;
}

struct sipcid_rules_list *sipcid_rules_list_new_empty(const char *name)
{
	return rules_list_new(name);
}

struct sipcid_rules_list *sipcid_rules_list_ref(struct sipcid_rules_list *l)
{
	g_atomic_int_inc(&l->refcount);
	return l;
}

void sipcid_rules_list_unref(struct sipcid_rules_list *l)
{
	if (!l || !g_atomic_int_dec_and_test(&l->refcount))
		return;
	g_free(l->keys);
	g_free(l->dir);
	g_free(l);
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* About four keys a bucket when they spread evenly over their range. */
static void build_directory(struct sipcid_rules_list *l)
{
	if (l->n == 0)
		return;
	uint64_t span = l->keys[l->n - 1] - l->keys[0];
	uint64_t want = MAX(l->n / 4, 1);
	unsigned shift = 0;
	while (shift < 63 && (span >> shift) >= want)
		shift++;
	l->shift = shift;
	l->n_buckets = (span >> shift) + 1;
	l->dir = g_new(uint32_t, l->n_buckets + 1);
	size_t i = 0;
	for (uint64_t b = 0; b <= l->n_buckets; b++) {
		while (i < l->n && ((l->keys[i] - l->keys[0]) >> shift) < b)
			i++;
		l->dir[b] = (uint32_t)i;
	}
}

void rules_list_take_keys(struct sipcid_rules_list *l, GArray *keys)
{
	g_array_sort(keys, key_cmp);
	uint64_t *k = (uint64_t *)(void *)keys->data;
	size_t n = 0;
	for (size_t i = 0; i < keys->len; i++)
		if (n == 0 || k[n - 1] != k[i])
			k[n++] = k[i];
	l->n = n;
	/* A copy of the right size: the array's growth and the duplicates go
	 * back to the system rather than stay in the heap. */
	l->keys = g_memdup2(k, MAX(n, 1) * sizeof *k);
	g_array_free(keys, TRUE);
	build_directory(l);
}

bool sipcid_rules_list_contains_key(const struct sipcid_rules_list *l, uint64_t key)
{
	if (!l || l->n == 0 || key < l->keys[0] || key > l->keys[l->n - 1])
		return false;
	uint64_t b = (key - l->keys[0]) >> l->shift;
	size_t lo = l->dir[b], hi = l->dir[b + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->keys[lo] == key;
}

bool sipcid_rules_list_contains(const struct sipcid_rules_list *l, const char *number)
{
	uint64_t key;
	return sipcid_rules_list_key(number, &key) && sipcid_rules_list_contains_key(l, key);
}

const char *sipcid_rules_list_name(const struct sipcid_rules_list *l)
{
	return l->name;
}

size_t sipcid_rules_list_count(const struct sipcid_rules_list *l)
{
	return l ? l->n : 0;
}

size_t sipcid_rules_list_bytes(const struct sipcid_rules_list *l)
{
	return l ? sizeof *l + MAX(l->n, 1) * sizeof *l->keys +
	           (l->dir ? (l->n_buckets + 1) * sizeof *l->dir : 0) : 0;
}

unsigned sipcid_rules_list_skipped(const struct sipcid_rules_list *l)
{
	return l ? l->skipped : 0;
}

bool sipcid_rules_list_is_ftc(const struct sipcid_rules_list *l)
{
	return l && l->ftc;
}

GHashTable *sipcid_rules_lists_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                             (GDestroyNotify)sipcid_rules_list_unref);
}

void sipcid_rules_lists_put(GHashTable *lists, struct sipcid_rules_list *l)
{
	g_hash_table_replace(lists, g_strdup(l->name), sipcid_rules_list_ref(l));
}
