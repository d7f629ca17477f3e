/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inside of a number list, shared by its index and its parser. */
#ifndef SIPCID_RULES_LIST_PRIVATE_H
#define SIPCID_RULES_LIST_PRIVATE_H

#include "rules_list.h"

struct sipcid_rules_list {
	gint refcount;
	char name[SIPCID_RULES_LIST_NAME_MAX];
	uint64_t *keys;     /* ascending, distinct */
	size_t n;
	/* A directory over the keys' range, so that a lookup reads one entry of
	 * it and searches a few keys rather than 20 levels of a binary search
	 * (cache misses on the packet thread): keys[dir[b] .. dir[b+1]) are those
	 * with (key - keys[0]) >> shift == b. */
	uint32_t *dir;
	unsigned shift;
	uint64_t n_buckets;
	unsigned skipped;   /* lines that were not numbers */
	bool ftc;           /* read as the FTC's complaint CSV */
};

struct sipcid_rules_list *rules_list_new(const char *name);
/* Sorts, de-duplicates and keeps the packed numbers of a GArray of uint64_t (consumed). */
void rules_list_take_keys(struct sipcid_rules_list *l, GArray *keys);

#endif
