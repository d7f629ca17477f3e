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

/* The condition a rule is filed under: an exact one if it has any (the
 * narrowest), else a prefix; every condition must match, so any will do. */
static const struct condition *indexable(const struct rule *rule)
{
	const struct condition *best = NULL;
	for (unsigned i = 0; i < rule->n_conditions; i++) {
		const struct condition *c = &rule->conditions[i];
		if (c->field >= FIELD_TEXT_COUNT)
			continue;
		if (c->kind == PATTERN_EXACT)
			return c;
		if (c->kind == PATTERN_PREFIX && c->len < SIPCID_NAME_MAX && !best)
			best = c;
	}
	return best;
}

void rule_index_build(struct sipcid_rules *r)
{
	struct rule_index *ix = &r->index;
	for (int f = 0; f < FIELD_TEXT_COUNT; f++) {
		ix->exact[f] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		ix->prefix[f] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	}
	ix->scan = g_new(uint32_t, r->n_rules ? r->n_rules : 1);
	ix->n_scan = 0;
	for (uint32_t i = 0; i < r->n_rules; i++) {
		const struct condition *c = indexable(&r->rules[i]);
		if (!c) {
			ix->scan[ix->n_scan++] = i;
		} else if (c->kind == PATTERN_EXACT) {
			list_append(ix->exact[c->field], c->text, i);
		} else {
			list_append(ix->prefix[c->field], c->text, i);
			ix->prefix_len[c->field][c->len] = true;
		}
	}
}

void rule_index_clear(struct rule_index *ix)
{
	for (int f = 0; f < FIELD_TEXT_COUNT; f++) {
		if (ix->exact[f])
			g_hash_table_unref(ix->exact[f]);
		if (ix->prefix[f])
			g_hash_table_unref(ix->prefix[f]);
	}
	g_free(ix->scan);
	memset(ix, 0, sizeof *ix);
}

bool rule_matches(const struct rule *rule, const struct call_subjects *s, unsigned *limit_hits)
{
	for (unsigned i = 0; i < rule->n_conditions; i++)
		if (!condition_matches(&rule->conditions[i], s, limit_hits))
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
		if (rule_matches(&r->rules[list[k]], s, limit_hits)) {
			*best = list[k];
			return;
		}
	}
}

uint32_t rule_index_first_match(const struct sipcid_rules *r, const struct call_subjects *s,
                                unsigned *limit_hits)
{
	const struct rule_index *ix = &r->index;
	uint32_t best = UINT32_MAX;
	for (int f = 0; f < FIELD_TEXT_COUNT; f++) {
		bool any_prefix = g_hash_table_size(ix->prefix[f]) > 0;
		for (unsigned i = 0; i < s->n[f]; i++) {
			const char *low = s->low[f][i];
			try_list(r, g_hash_table_lookup(ix->exact[f], low), s, &best, limit_hits);
			if (!any_prefix)
				continue;
			char buf[SIPCID_NAME_MAX];
			size_t n = strlen(low);
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
