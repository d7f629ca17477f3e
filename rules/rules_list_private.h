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
	unsigned skipped;   /* lines that were not numbers */
	bool ftc;           /* read as the FTC's complaint CSV */
};

struct sipcid_rules_list *rules_list_new(const char *name);
/* Sorts, de-duplicates and keeps the packed numbers of a GArray of uint64_t (consumed). */
void rules_list_take_keys(struct sipcid_rules_list *l, GArray *keys);

#endif
