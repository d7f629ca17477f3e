/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hash index over exact and prefix patterns (see struct rule_index). */
#include "rules_private.h"

#include <string.h>

/* A list value: list[0] is the count, list[1..] ascending rule indexes. */
static void list_append(GHashTable *table, const char *key, uint32_t index)
{
	gpointer stored_key = NULL, value = NULL;
	if (!g_hash_table_steal_extended(table, key, &stored_key, &value))
		stored_key = g_strdup(key);
	uint32_t count = value ? ((uint32_t *)value)[0] : 0;
	uint32_t *list = g_renew(uint32_t, value, count + 2);
	list[0] = count + 1;
	list[count + 1] = index;
	g_hash_table_insert(table, stored_key, list);
}

enum index_kind { INDEX_NONE, INDEX_EXACT, INDEX_PREFIX, INDEX_SUFFIX };

/* How one condition can be looked up, and under which key. */
static enum index_kind condition_key(const struct condition *c, const char **key)
{
	if (c->field >= FIELD_TEXT_COUNT)
		return INDEX_NONE;
	switch (c->kind) {
	case PATTERN_EXACT:
		*key = c->text;
		return INDEX_EXACT;
	case PATTERN_PREFIX:
		*key = c->text;
		return INDEX_PREFIX;
	case PATTERN_GLOB:
		if (strlen(c->glob_head) >= strlen(c->glob_tail)) {
			*key = c->glob_head;
			return **key ? INDEX_PREFIX : INDEX_NONE;
		}
		*key = c->glob_tail;
		return INDEX_SUFFIX;
	default:
		return INDEX_NONE;
	}
}

/* The condition a rule is filed under: an exact one if it has any (the
 * narrowest), else the longest start or end; every condition must match,
 * so any one will do. */
static enum index_kind rule_key(const struct rule *rule, enum rule_field *field,
                                const char **key)
{
	enum index_kind best = INDEX_NONE;
	size_t best_len = 0;
	for (unsigned i = 0; i < rule->n_conditions; i++) {
		const struct condition *c = &rule->conditions[i];
		const char *k = NULL;
		enum index_kind kind = condition_key(c, &k);
		if (kind == INDEX_NONE)
			continue;
		if (kind == INDEX_EXACT) {
			*field = c->field;
			*key = k;
			return kind;
		}
		size_t len = strlen(k);
		/* Keys no subject can hold would never be found: leave those to the scan. */
		if (len >= SIPCID_NAME_MAX || len <= best_len)
			continue;
		best = kind;
		best_len = len;
		*field = c->field;
		*key = k;
	}
	return best;
}

void rules_index_build(struct sipcid_rules *r)
{
	struct rule_index *ix = &r->index;
	for (int f = 0; f < FIELD_TEXT_COUNT; f++) {
		ix->exact[f] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		ix->prefix[f] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		ix->suffix[f] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	}
	ix->scan = g_new(uint32_t, r->n_rules ? r->n_rules : 1);
	ix->n_scan = 0;
	for (uint32_t i = 0; i < r->n_rules; i++) {
		enum rule_field f = FIELD_NUMBER;
		const char *key = NULL;
		switch (rule_key(&r->rules[i], &f, &key)) {
		case INDEX_NONE:
			ix->scan[ix->n_scan++] = i;
			break;
		case INDEX_EXACT:
			list_append(ix->exact[f], key, i);
			break;
		case INDEX_PREFIX:
			list_append(ix->prefix[f], key, i);
			ix->prefix_len[f][strlen(key)] = true;
			break;
		case INDEX_SUFFIX:
			list_append(ix->suffix[f], key, i);
			ix->suffix_len[f][strlen(key)] = true;
			break;
		}
	}
}

void rules_index_clear(struct rule_index *ix)
{
	for (int f = 0; f < FIELD_TEXT_COUNT; f++) {
		if (ix->exact[f])
			g_hash_table_unref(ix->exact[f]);
		if (ix->prefix[f])
			g_hash_table_unref(ix->prefix[f]);
		if (ix->suffix[f])
			g_hash_table_unref(ix->suffix[f]);
	}
	g_free(ix->scan);
	memset(ix, 0, sizeof *ix);
}

bool rules_rule_matches(const struct rule *rule, const struct call_subjects *s, unsigned *limit_hits)
{
	for (unsigned i = 0; i < rule->n_conditions; i++)
		if (!rules_condition_matches(&rule->conditions[i], s, limit_hits))
			return false;
	return true;
}

/* Lowers *best to the first rule of `list` that matches, if it is earlier. */
static void try_list(const struct sipcid_rules *r, const uint32_t *list,
                     const struct call_subjects *s, uint32_t *best, unsigned *limit_hits)
{
	if (!list)
		return;
	for (uint32_t k = 1; k <= list[0] && list[k] < *best; k++) {
		if (rules_rule_matches(&r->rules[list[k]], s, limit_hits)) {
			*best = list[k];
			return;
		}
	}
}

uint32_t rules_index_first_match(const struct sipcid_rules *r, const struct call_subjects *s,
                                unsigned *limit_hits)
{
	const struct rule_index *ix = &r->index;
	uint32_t best = UINT32_MAX;
	for (int f = 0; f < FIELD_TEXT_COUNT; f++) {
		bool any_prefix = g_hash_table_size(ix->prefix[f]) > 0;
		bool any_suffix = g_hash_table_size(ix->suffix[f]) > 0;
		for (unsigned i = 0; i < s->n[f]; i++) {
			const char *low = s->low[f][i];
			size_t n = strlen(low);
			try_list(r, g_hash_table_lookup(ix->exact[f], low), s, &best, limit_hits);
			/* A subject's end is a string already; its start needs a copy. */
			for (size_t len = 1; any_suffix && len <= n; len++)
				if (ix->suffix_len[f][len])
					try_list(r, g_hash_table_lookup(ix->suffix[f], low + n - len), s,
					         &best, limit_hits);
			if (!any_prefix)
				continue;
			char buf[SIPCID_NAME_MAX];
			memcpy(buf, low, n + 1);
			for (size_t len = 1; len <= n; len++) {
				if (!ix->prefix_len[f][len])
					continue;
				char saved = buf[len];
				buf[len] = '\0';
				try_list(r, g_hash_table_lookup(ix->prefix[f], buf), s, &best, limit_hits);
				buf[len] = saved;
			}
		}
	}
	return best;
}
