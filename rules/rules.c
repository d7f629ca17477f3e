/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading a ruleset, its lifetime, and the decision for a call. */
#include "rules_private.h"

#include "phonenumber.h"

#include <string.h>

G_DEFINE_QUARK(sipcid-rules-error-quark, sipcid_rules_error)

static struct sipcid_rules *rules_new(const struct sipcid_number_plan *plan)
{
	struct sipcid_rules *r = g_new0(struct sipcid_rules, 1);
	r->refcount = 1;
	if (plan)
		r->plan = *plan;
	else
		sipcid_number_plan_default(&r->plan);
	r->phonebook = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->origin_file = g_strdup("");
	r->block_outcome = SIPCID_OUTCOME_DECLINE;
	return r;
}

static void rules_free(struct sipcid_rules *r)
{
	for (unsigned i = 0; i < r->n_rules; i++)
		rules_rule_clear(&r->rules[i]);
	g_free(r->rules);
	g_free(r->origin_file);
	g_free(r->outgoing);
	rules_index_clear(&r->index);
	g_hash_table_unref(r->phonebook);
	g_free(r);
}

struct sipcid_rules *sipcid_rules_ref(struct sipcid_rules *r)
{
	g_atomic_int_inc(&r->refcount);
	return r;
}

void sipcid_rules_unref(struct sipcid_rules *r)
{
	if (r && g_atomic_int_dec_and_test(&r->refcount))
		rules_free(r);
}

static bool load_text(struct sipcid_rules *r, const char *rules_name, const char *rules_text,
                      size_t rules_len, const char *phonebook_name, const char *phonebook_text,
                      size_t phonebook_len, GHashTable *lists, GError **error)
{
	if (rules_text) {
		g_free(r->origin_file);
		r->origin_file = NULL;
		r->lists = lists;
		bool ok = rules_parse(r, rules_name, rules_text, rules_len, error);
		r->lists = NULL;
		if (!ok)
			return false;
	}
	if (phonebook_text &&
	    !rules_phonebook_parse(r, phonebook_name, phonebook_text, phonebook_len, NULL, NULL,
	                           error))
		return false;
	rules_index_build(r);
	if (r->asks_country || r->asks_type)
		sipcid_phonenumber_prepare();  /* now, not on the first call */
	r->outgoing = g_new(uint32_t, r->n_rules ? r->n_rules : 1);
	for (uint32_t i = 0; i < r->n_rules; i++)
		if (r->rules[i].outgoing)
			r->outgoing[r->n_outgoing++] = i;
	return true;
}

struct sipcid_rules *sipcid_rules_load_data_with(const char *rules_name, const char *rules_text,
                                                 const char *phonebook_name,
                                                 const char *phonebook_text,
                                                 const struct sipcid_number_plan *plan,
                                                 GHashTable *lists, GError **error)
{
	struct sipcid_rules *r = rules_new(plan);
	if (!load_text(r, rules_name, rules_text, rules_text ? strlen(rules_text) : 0,
	               phonebook_name, phonebook_text, phonebook_text ? strlen(phonebook_text) : 0,
	               lists, error)) {
		rules_free(r);
		return NULL;
	}
	return r;
}

struct sipcid_rules *sipcid_rules_load_data(const char *rules_name, const char *rules_text,
                                            const char *phonebook_name,
                                            const char *phonebook_text,
                                            const struct sipcid_number_plan *plan,
                                            GError **error)
{
	return sipcid_rules_load_data_with(rules_name, rules_text, phonebook_name, phonebook_text,
	                                   plan, NULL, error);
}

struct sipcid_rules *sipcid_rules_load_with(const char *rules_path, const char *phonebook_path,
                                            const struct sipcid_number_plan *plan,
                                            GHashTable *lists, GError **error)
{
	g_autofree char *rules_text = NULL, *phonebook_text = NULL;
	size_t rules_len = 0, phonebook_len = 0;
	if (rules_path && !rules_read_file(rules_path, &rules_text, &rules_len, error))
		return NULL;
	if (phonebook_path &&
	    !rules_read_file(phonebook_path, &phonebook_text, &phonebook_len, error))
		return NULL;
	struct sipcid_rules *r = rules_new(plan);
	if (!load_text(r, rules_path, rules_text, rules_len, phonebook_path, phonebook_text,
	               phonebook_len, lists, error)) {
		rules_free(r);
		return NULL;
	}
	return r;
}

struct sipcid_rules *sipcid_rules_load(const char *rules_path, const char *phonebook_path,
                                       const struct sipcid_number_plan *plan, GError **error)
{
	return sipcid_rules_load_with(rules_path, phonebook_path, plan, NULL, error);
}

bool sipcid_rules_phonebook_read(const char *name, const char *text,
                                 const struct sipcid_number_plan *plan,
                                 sipcid_rules_phonebook_entry_fn fn, void *ctx, GError **error)
{
	struct sipcid_rules *r = rules_new(plan);
	bool ok = rules_phonebook_parse(r, name, text, strlen(text), fn, ctx, error);
	rules_free(r);
	return ok;
}

const char *sipcid_rules_alias(const struct sipcid_rules *r, const char *number)
{
	if (!r || !number[0])
		return NULL;
	char key[SIPCID_NUMBER_MAX];
	rules_ascii_lower(number, key, sizeof key);
	return g_hash_table_lookup(r->phonebook, key);
}

void sipcid_rules_set_block_outcome(struct sipcid_rules *r, enum sipcid_outcome outcome)
{
	g_return_if_fail(outcome != SIPCID_OUTCOME_NONE);
	r->block_outcome = outcome;
}

unsigned sipcid_rules_count(const struct sipcid_rules *r)
{
	return r ? r->n_rules : 0;
}

unsigned sipcid_rules_phonebook_count(const struct sipcid_rules *r)
{
	return r ? g_hash_table_size(r->phonebook) : 0;
}

unsigned sipcid_rules_regex_limit_hits(const struct sipcid_rules *r)
{
	return r ? (unsigned)g_atomic_int_get(&r->regex_limit_hits) : 0;
}

/* Writes "FILE:LINE" without allocating (the packet path calls this). */
static void write_origin(char *out, const char *file, unsigned line)
{
	char digits[12];
	int n = 0;
	do {
		digits[n++] = (char)('0' + line % 10);
		line /= 10;
	} while (line && n < 11);
	size_t len = strlen(file);
	if (len > RULE_ORIGIN_FILE_MAX)
		len = RULE_ORIGIN_FILE_MAX;
	memcpy(out, file, len);
	out[len++] = ':';
	while (n)
		out[len++] = digits[--n];
	out[len] = '\0';
}

/* The first rule that matches, or UINT32_MAX. An outgoing call sees only
 * the rules that say direction outgoing; the others are for incoming calls
 * (their direction condition, if any, does the rest). */
static uint32_t first_match(const struct sipcid_rules *r, const struct call_subjects *s,
                            unsigned *limit_hits)
{
	if (s->call->direction == SIPCID_DIR_OUTGOING) {
		for (unsigned k = 0; k < r->n_outgoing; k++)
			if (rules_rule_matches(&r->rules[r->outgoing[k]], s, limit_hits))
				return r->outgoing[k];
		return UINT32_MAX;
	}
	uint32_t best = rules_index_first_match(r, s, limit_hits);
	for (unsigned k = 0; k < r->index.n_scan && r->index.scan[k] < best; k++) {
		if (rules_rule_matches(&r->rules[r->index.scan[k]], s, limit_hits))
			return r->index.scan[k];
	}
	return best;
}

void sipcid_rules_decide_why(const struct sipcid_rules *r, bool record_default,
                             struct sipcid_call *call, struct sipcid_rules_verdict *why)
{
	memset(why, 0, sizeof *why);
	call->alias[0] = '\0';
	call->action = SIPCID_ACTION_ALLOW;
	call->outcome = SIPCID_OUTCOME_NONE;
	call->record = record_default;
	call->rule[0] = '\0';
	if (!r)
		return;
	/* A call to an emergency number, whichever way sipcidd thinks it goes;
	 * or from one (a callback), unless it came straight from a stranger:
	 * a scanner that writes 911 in From must not get past the shield. */
	call->emergency = call->emergency || sipcid_number_is_emergency(&r->plan, call->called) ||
	                  (sipcid_number_is_emergency(&r->plan, call->number) &&
	                   call->origin != SIPCID_ORIGIN_STRANGER);
	/* The phonebook names the other end: the caller, or whom the phone called. */
	const char *alias = sipcid_rules_alias(
		r, call->direction == SIPCID_DIR_OUTGOING ? call->called : call->number);
	if (alias)
		sipcid_call_strlcpy_utf8(call->alias, alias, sizeof call->alias);

	/* What the number is, when a rule asks (docs/hacking.md, "Numbers and
	 * the packet thread"): the country from tables without allocating;
	 * libphonenumber itself, which allocates and takes 50 to 300 us, only
	 * for a type, or a country the tables can't tell (a calling code
	 * several countries share, other than +1). bench/rules_bench prints both. */
	if (r->asks_country || r->asks_type)
		call->country[0] = call->number_type[0] = '\0';
	if (r->asks_type || (r->asks_country &&
	                     !sipcid_phonenumber_country_fast(call->number, call->country))) {
		struct sipcid_phonenumber_facts f;
		sipcid_phonenumber_describe(call->number, r->plan.country,
		                            SIPCID_PHONENUMBER_COUNTRY_TYPE, &f);
		memcpy(call->country, f.country, sizeof call->country);
		memcpy(call->number_type, f.type, sizeof call->number_type);
	}
	struct call_subjects s;
	rules_call_subjects_fill(&s, call);
	unsigned limit_hits = 0;
	uint32_t best = first_match(r, &s, &limit_hits);
	if (limit_hits)
		g_atomic_int_add(&((struct sipcid_rules *)r)->regex_limit_hits, (gint)limit_hits);
	if (best == UINT32_MAX)
		return;
	const struct rule *rule = &r->rules[best];
	for (unsigned i = 0; i < rule->n_conditions; i++)
		if (rule->conditions[i].kind == PATTERN_LIST)
			why->list = sipcid_rules_list_name(rule->conditions[i].list);
	switch (rule->action) {
	case RULE_ALLOW:
		break;
	case RULE_BLOCK:
		/* No rule stops an emergency call, not even "block *". The rule
		 * stays named so the user sees which one would have. */
		if (call->emergency || call->direction == SIPCID_DIR_OUTGOING) {
			why->emergency_override = call->emergency;
			break;
		}
		call->action = SIPCID_ACTION_BLOCK;
		call->outcome = rule->outcome ? rule->outcome : r->block_outcome;
		call->record = false;
		break;
	case RULE_RECORD:
		call->record = true;
		break;
	case RULE_NORECORD:
		call->record = false;
		break;
	}
	write_origin(call->rule, r->origin_file, rule->line);
}

void sipcid_rules_decide(const struct sipcid_rules *r, bool record_default,
                         struct sipcid_call *call)
{
	struct sipcid_rules_verdict why;
	sipcid_rules_decide_why(r, record_default, call, &why);
}
