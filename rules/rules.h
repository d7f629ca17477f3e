/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule engine: the user's rule file and phonebook, loaded once per
 * (re)load into an immutable, reference-counted ruleset, and a decision per
 * new call. See sipcid-rules(5) for the file formats.
 *
 * Threading: a loaded ruleset never changes, so any number of threads may
 * call sipcid_rules_decide() on it at once. The daemon swaps rulesets by
 * taking a reference to the new one and dropping its reference to the old
 * one; a decision already made stays in its call record. */
#ifndef SIPCID_RULES_H
#define SIPCID_RULES_H

#include "call.h"
#include "number.h"

#include <glib.h>
#include <stdbool.h>

#define SIPCID_RULES_ERROR (sipcid_rules_error_quark())
GQuark sipcid_rules_error_quark(void);

enum sipcid_rules_error_code {
	SIPCID_RULES_ERROR_READ,    /* the file could not be read */
	SIPCID_RULES_ERROR_SYNTAX,  /* the message lists every FILE:LINE:COLUMN problem, one a line */
};

struct sipcid_rules;

/* Loads both files; either path may be NULL (no rules, or no phonebook).
 * Every number in them is normalised with `plan`, the same policy the SIP
 * decode stage applies to calls. A file with any error is rejected whole, and
 * the error lists the problems found (the first several when there are many).
 * The result has one reference. */
struct sipcid_rules *sipcid_rules_load(const char *rules_path, const char *phonebook_path,
                                       const struct sipcid_number_plan *plan, GError **error);
/* Both from text, as if read from the files named; for tests and tools. */
struct sipcid_rules *sipcid_rules_load_data(const char *rules_name, const char *rules_text,
                                            const char *phonebook_name,
                                            const char *phonebook_text,
                                            const struct sipcid_number_plan *plan,
                                            GError **error);

/* The same, with the number lists that `list NAME` conditions may name
 * (rules_list.h: name -> list; NULL: none). The ruleset keeps a reference to
 * each list its rules name, not to the table. */
struct sipcid_rules *sipcid_rules_load_with(const char *rules_path, const char *phonebook_path,
                                            const struct sipcid_number_plan *plan,
                                            GHashTable *lists, GError **error);
struct sipcid_rules *sipcid_rules_load_data_with(const char *rules_name, const char *rules_text,
                                                 const char *phonebook_name,
                                                 const char *phonebook_text,
                                                 const struct sipcid_number_plan *plan,
                                                 GHashTable *lists, GError **error);

struct sipcid_rules *sipcid_rules_ref(struct sipcid_rules *r);
void sipcid_rules_unref(struct sipcid_rules *r);
typedef struct sipcid_rules sipcid_rules;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sipcid_rules, sipcid_rules_unref)

/* Decides a new call (the packet path calls this: it does no I/O and does
 * not allocate). Reads call->number, name, called, via, presentation,
 * direction and origin; writes call->alias (the phonebook's name for the
 * other end: the number, or for an outgoing call the number called), action,
 * outcome (how a block is carried out; NONE when allowed), record and rule ("FILE:LINE" of the deciding rule, or empty when no rule
 * matched: the call is allowed and record = record_default), and sets
 * call->emergency when either number is an emergency number.
 * Outgoing calls see only rules with "direction outgoing", and no rule blocks
 * an outgoing or emergency call. r may be NULL: no rules and no phonebook. */
void sipcid_rules_decide(const struct sipcid_rules *r, bool record_default,
                         struct sipcid_call *call);
/* What else the decision tells the daemon's counters. */
struct sipcid_rules_verdict {
	bool emergency_override;   /* a block rule matched an emergency call and was ignored */
	const char *list;          /* the list the deciding rule names, or NULL (lives as r does) */
};
void sipcid_rules_decide_why(const struct sipcid_rules *r, bool record_default,
                             struct sipcid_call *call, struct sipcid_rules_verdict *why);

/* What a rule that says only "block" does ([rules] block-outcome; decline
 * unless set). Only on a ruleset just loaded, before another thread holds it:
 * a ruleset is otherwise immutable. outcome is not NONE. */
void sipcid_rules_set_block_outcome(struct sipcid_rules *r, enum sipcid_outcome outcome);

/* The phonebook's name for a normalised number, or NULL. */
const char *sipcid_rules_alias(const struct sipcid_rules *r, const char *number);

/* Reads a phonebook's text (named `name` in errors) exactly as
 * sipcid_rules_load does, calling fn for each entry in file order with its
 * line, the number as written and normalised, and the name. False, with the
 * same errors as a load and after no call of fn, when it would not load. */
typedef void (*sipcid_rules_phonebook_entry_fn)(void *ctx, unsigned line, const char *written,
                                                const char *number, const char *name);
bool sipcid_rules_phonebook_read(const char *name, const char *text,
                                 const struct sipcid_number_plan *plan,
                                 sipcid_rules_phonebook_entry_fn fn, void *ctx, GError **error);

/* How many rules and phonebook entries were loaded. */
unsigned sipcid_rules_count(const struct sipcid_rules *r);
unsigned sipcid_rules_phonebook_count(const struct sipcid_rules *r);
/* How many regular-expression matches were cut short by the match limit
 * since loading (each counts as "no match"). */
unsigned sipcid_rules_regex_limit_hits(const struct sipcid_rules *r);

#endif
