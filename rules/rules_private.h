/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inside of a ruleset, shared by the files of the rule engine. */
#ifndef SIPCID_RULES_PRIVATE_H
#define SIPCID_RULES_PRIVATE_H

#include "rules.h"
#include "rules_lex.h"
#include "rules_pattern.h"

enum rule_action {
	RULE_ALLOW,
	RULE_BLOCK,       /* written block, reject or drop: the outcome says how */
	RULE_RECORD,
	RULE_NORECORD,
};

enum {
	RULE_CONDITIONS_MAX = 8,
	/* "FILE:LINE" fits a call record: ':', up to 10 digits and the NUL */
	RULE_ORIGIN_FILE_MAX = SIPCID_RULE_MAX - 12,
};

struct rule {
	enum rule_action action;
	enum sipcid_outcome outcome; /* RULE_BLOCK: how; NONE means [rules] block-outcome */
	unsigned line;
	unsigned n_conditions;     /* 0: "ACTION *", every incoming call */
	bool outgoing;             /* has "direction outgoing": the only rules outgoing calls see */
	struct condition *conditions;
};

/* Exact patterns, and globs with literal text at their start or end
 * (+1555*, *1234), are looked up by hash rather than tried one by one, so a
 * 100 000-number blocklist costs a few lookups. Each
 * key maps to the ascending indexes of the rules that carry it; the rules
 * that can't be indexed are tried in order, and the first match of either
 * kind, by index, wins. */
struct rule_index {
	GHashTable *exact[FIELD_TEXT_COUNT];   /* lowercase text -> uint32_t list */
	GHashTable *prefix[FIELD_TEXT_COUNT];  /* a subject's start -> list */
	GHashTable *suffix[FIELD_TEXT_COUNT];  /* a subject's end -> list */
	bool prefix_len[FIELD_TEXT_COUNT][SIPCID_NAME_MAX];  /* key lengths in use */
	bool suffix_len[FIELD_TEXT_COUNT][SIPCID_NAME_MAX];
	uint32_t *scan;                        /* ascending indexes of the other rules */
	unsigned n_scan;
};

struct sipcid_rules {
	gint refcount;
	gint regex_limit_hits;
	struct sipcid_number_plan plan;
	char *origin_file;       /* the rule file's name as shown in "FILE:LINE", cut to fit */
	struct rule *rules;
	unsigned n_rules;
	struct rule_index index;
	GHashTable *phonebook;   /* lowercase normalised number -> name */
	uint32_t *outgoing;      /* ascending indexes of the rules with direction outgoing */
	GHashTable *lists;       /* while loading: the lists rules may name (borrowed) */
	bool asks_country;       /* a rule has a country condition */
	bool asks_type;          /* a rule has a type condition */
	unsigned n_outgoing;
	enum sipcid_outcome block_outcome;  /* what a bare "block" means */
};

/* Parses a rule file's text into r->rules. */
bool rules_parse(struct sipcid_rules *r, const char *path, const char *text, size_t len,
                 GError **error);
void rules_rule_clear(struct rule *rule);

/* Parses a phonebook's text into r->phonebook; when the whole text loads,
 * calls fn (if not NULL) for each entry in file order. */
bool rules_phonebook_parse(struct sipcid_rules *r, const char *path, const char *text, size_t len,
                           sipcid_rules_phonebook_entry_fn fn, void *ctx, GError **error);

void rules_index_build(struct sipcid_rules *r);
void rules_index_clear(struct rule_index *ix);
/* The lowest rule index among indexed rules that match, or UINT32_MAX. */
uint32_t rules_index_first_match(const struct sipcid_rules *r, const struct call_subjects *s,
                                unsigned *limit_hits);

bool rules_rule_matches(const struct rule *rule, const struct call_subjects *s, unsigned *limit_hits);

#endif
