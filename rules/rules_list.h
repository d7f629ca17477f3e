/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Number lists: the `[lists]` of sipcid.conf (spam lists, the FTC's
 * Do-Not-Call complaint data, a household's own lists), which rules name with
 * `block list NAME` or `allow list NAME` (sipcid-rules(5)).
 *
 * A list is loaded off the packet thread into an immutable, reference-counted
 * index: every number normalised as calls are, packed into 64 bits (a '+'
 * flag, the digit count, the digits' value), sorted and de-duplicated. A
 * million numbers take 8 MB, and a lookup is a binary search with no
 * allocation, so the packet thread may ask while the main loop loads the next
 * version of the list; a ruleset holds a reference to each list its rules
 * name, and a reload swaps the whole ruleset (rules_watch.h).
 *
 * A list is data, not rules: a line that is not a phone number is skipped
 * with a warning naming FILE:LINE, and the rest of the list is used. A file
 * that cannot be read is an error. */
#ifndef SIPCID_RULES_LIST_H
#define SIPCID_RULES_LIST_H

#include "number.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
	SIPCID_RULES_LIST_NAME_MAX = 32,        /* bytes of a list's name, with the NUL */
	SIPCID_RULES_LIST_LINE_MAX = 4096,      /* bytes of a line (a CSV record) that is read */
	SIPCID_RULES_LIST_DIGITS_MAX = 17,      /* digits a packed number holds (E.164: 15) */
	SIPCID_RULES_LIST_WARNINGS_SHOWN = 10,  /* bad lines named before "and N more" */
};
#define SIPCID_RULES_LIST_FILE_MAX ((gsize)512 << 20)  /* bytes of a list file */

struct sipcid_rules_list;

/* Packs a normalised number ("+15551234567", "911") into its key; false for
 * anything else (text, too many digits, empty). No allocation. */
bool sipcid_rules_list_key(const char *number, uint64_t *key);

/* Parses a list's text: one number a line (# comments, blank lines), or the
 * FTC's complaint CSV, told by its header row naming Company_Phone_Number
 * (whose 10-digit numbers are North American: +1 is put in front). `path`
 * names the source in warnings. Never fails: bad lines are skipped, counted
 * and, the first few, logged. The result has one reference. */
struct sipcid_rules_list *sipcid_rules_list_parse(const char *name, const char *path,
                                                  const char *text, size_t len,
                                                  const struct sipcid_number_plan *plan);
/* Reads and parses a file; NULL with an error when it cannot be read. */
struct sipcid_rules_list *sipcid_rules_list_load(const char *name, const char *path,
                                                 const struct sipcid_number_plan *plan,
                                                 GError **error);
/* The same list, empty: a list fetched from a URL before its first download. */
struct sipcid_rules_list *sipcid_rules_list_new_empty(const char *name);

struct sipcid_rules_list *sipcid_rules_list_ref(struct sipcid_rules_list *l);
void sipcid_rules_list_unref(struct sipcid_rules_list *l);
typedef struct sipcid_rules_list sipcid_rules_list;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sipcid_rules_list, sipcid_rules_list_unref)

/* Is the normalised number on the list? The packet path calls this: no I/O,
 * no allocation, O(log n). l may be NULL (an empty list). */
bool sipcid_rules_list_contains(const struct sipcid_rules_list *l, const char *number);
bool sipcid_rules_list_contains_key(const struct sipcid_rules_list *l, uint64_t key);

const char *sipcid_rules_list_name(const struct sipcid_rules_list *l);
size_t sipcid_rules_list_count(const struct sipcid_rules_list *l);     /* distinct numbers */
unsigned sipcid_rules_list_skipped(const struct sipcid_rules_list *l); /* bad lines */
size_t sipcid_rules_list_bytes(const struct sipcid_rules_list *l);     /* memory it holds */
bool sipcid_rules_list_is_ftc(const struct sipcid_rules_list *l);      /* read as FTC CSV */

/* A list set: list name -> struct sipcid_rules_list (one reference each), what
 * a rule file's `list NAME` conditions are resolved against. */
GHashTable *sipcid_rules_lists_new(void);
/* Adds (or replaces) l under its name, taking a reference. */
void sipcid_rules_lists_put(GHashTable *lists, struct sipcid_rules_list *l);

#endif
