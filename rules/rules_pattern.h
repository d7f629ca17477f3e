/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One condition of a rule, "FIELD PATTERN": compiled at load time, matched
 * at decision time without I/O or allocation. */
#ifndef SIPCID_RULES_PATTERN_H
#define SIPCID_RULES_PATTERN_H

#include "call.h"
#include "number.h"
#include "rules_lex.h"
#include "rules_list.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>

enum rule_field {
	FIELD_NUMBER,
	FIELD_NAME,          /* the network's name or the phonebook alias */
	FIELD_CALLED,
	FIELD_VIA,
	FIELD_PRESENTATION,
	FIELD_DIRECTION,     /* incoming or outgoing */
	FIELD_SOURCE,        /* who sent the INVITE: provider, stranger or unknown */
	FIELD_VERSTAT,       /* STIR/SHAKEN: passed, failed, no-validation or none */
	FIELD_ATTEST,        /* STIR/SHAKEN attestation: A, B, C or none */
	FIELD_NEIGHBOUR_SPOOF, /* takes no pattern: an unverified caller from the line's exchange */
	FIELD_LIST,          /* the other end's number is on a [lists] list */
	FIELD_COUNT,
	FIELD_TEXT_COUNT = FIELD_PRESENTATION,  /* the fields holding text */
};

enum pattern_kind {
	PATTERN_ANY,           /* * */
	PATTERN_EXACT,         /* text equals (ASCII case ignored) */
	PATTERN_PREFIX,        /* text starts with: a glob whose only wildcard is a final * */
	PATTERN_GLOB,          /* * and ? anywhere */
	PATTERN_REGEX,
	PATTERN_ANONYMOUS,     /* presentation restricted or unavailable, or no number */
	PATTERN_PRESENTATION,
	PATTERN_DIRECTION,
	PATTERN_ORIGIN,
	PATTERN_VERSTAT,
	PATTERN_ATTEST,
	PATTERN_NEIGHBOUR_SPOOF,
	PATTERN_LIST,
};

/* The limits that keep a regular expression's match time bounded whatever
 * the caller's name (see sipcid-rules(5), "Regular expressions"). */
enum {
	RULES_REGEX_MATCH_LIMIT = 100000,
	RULES_REGEX_DEPTH_LIMIT = 10000,
	RULES_REGEX_HEAP_LIMIT_KIB = 1024,
	RULES_REGEX_MAX = 1000,  /* bytes of one expression */
};

struct condition {
	enum rule_field field;
	enum pattern_kind kind;
	char *text;           /* EXACT, PREFIX: lowercase literal; GLOB: lowercase glob source */
	size_t len;
	/* GLOB: the literal text before the first and after the last wildcard,
	 * which a matching subject must start or end with (for the index) */
	char *glob_head, *glob_tail;
	pcre2_code *re;       /* REGEX */
	enum sipcid_presentation presentation;  /* PRESENTATION */
	enum sipcid_direction direction;        /* DIRECTION */
	enum sipcid_origin origin;              /* ORIGIN */
	enum sipcid_verstat verstat;            /* VERSTAT */
	char attest;                            /* ATTEST: 'A', 'B', 'C', or 0 for none */
	struct sipcid_rules_list *list;         /* LIST: a reference */
};

bool rules_field_parse(const char *s, enum rule_field *out);
/* The fields, as error messages list them; keep it in step with field_names. */
#define RULES_FIELD_WORDS                                                                      \
	"number, name, called, via, presentation, direction, source, verstat, attest, "          \
	"neighbour-spoof or list"
/* Fields that are a whole condition by themselves (neighbour-spoof). */
bool rules_field_takes_pattern(enum rule_field f);
/* The condition of a field that takes no pattern. */
void rules_condition_compile_bare(struct condition *c, enum rule_field field);
const char *rules_field_name(enum rule_field f);

/* Compiles token `t` as the pattern of `field`. Numbers in exact patterns of
 * number, called and via are normalised with plan. Errors go to `errors`. */
bool rules_condition_compile(struct condition *c, enum rule_field field, const struct token *t,
                       const struct sipcid_number_plan *plan, unsigned lineno,
                       struct rules_errors *errors);
void rules_condition_clear(struct condition *c);
/* Compiles "list NAME" against `lists` (name -> struct sipcid_rules_list; may be NULL). */
bool rules_condition_compile_list(struct condition *c, const struct token *t, GHashTable *lists,
                                  unsigned lineno, struct rules_errors *errors);

/* What a condition is matched against, prepared once per call. */
struct call_subjects {
	const struct sipcid_call *call;
	/* per text field: the original text and its ASCII-lowercase copy;
	 * name has two (the network's name, then the alias when there is one) */
	unsigned n[FIELD_TEXT_COUNT];
	const char *orig[FIELD_TEXT_COUNT][2];
	char low[FIELD_TEXT_COUNT][2][SIPCID_NAME_MAX];
};

void rules_call_subjects_fill(struct call_subjects *s, const struct sipcid_call *call);

/* limit_hits counts regular expressions stopped by the match limit. */
bool rules_condition_matches(const struct condition *c, const struct call_subjects *s,
                       unsigned *limit_hits);

/* Exposed for tests: glob matching of lowercase text; \ escapes, ? is one character. */
bool rules_glob_match(const char *pattern, const char *text);

/* Copies s ASCII-lowercased into out (cut to fit). */
void rules_ascii_lower(const char *s, char *out, size_t out_size);

#endif
