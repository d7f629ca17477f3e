/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule file: ACTION [OUTCOME] FIELD PATTERN [FIELD PATTERN]... or ACTION [OUTCOME] *. */
#include "rules_private.h"

#include <string.h>

/* The words a rule starts with. block, reject and drop are all blocks; they
 * differ in what the caller hears (sipcid-rules(5), "Outcomes"). */
enum action_word { WORD_ALLOW, WORD_BLOCK, WORD_REJECT, WORD_DROP, WORD_RECORD, WORD_NORECORD };
static const char *const action_words[] = { "allow", "block", "reject", "drop", "record",
	                                    "norecord" };
static const enum rule_action word_action[] = { RULE_ALLOW, RULE_BLOCK, RULE_BLOCK,
	                                        RULE_BLOCK, RULE_RECORD, RULE_NORECORD };

/* The outcomes a rule may name after block (all four) or reject (the first
 * three: reject answers, so silence is not one of its outcomes). */
static const struct {
	const char *word;
	enum sipcid_outcome outcome;
} outcome_words[] = {
	{ "busy", SIPCID_OUTCOME_BUSY },
	{ "decline", SIPCID_OUTCOME_DECLINE },
	{ "gone", SIPCID_OUTCOME_GONE },
	{ "drop", SIPCID_OUTCOME_DROP },
};

static bool action_parse(const struct token *t, enum action_word *out)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(action_words); i++) {
		if (rules_token_is_keyword(t, action_words[i])) {
			*out = (enum action_word)i;
			return true;
		}
	}
	return false;
}

static bool outcome_parse(const struct token *t, enum sipcid_outcome *out)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(outcome_words); i++) {
		if (rules_token_is_keyword(t, outcome_words[i].word)) {
			*out = outcome_words[i].outcome;
			return true;
		}
	}
	return false;
}

struct parse_state {
	struct sipcid_rules *r;
	GArray *rules;
	struct rules_errors errors;
};

void rules_rule_clear(struct rule *rule)
{
	for (unsigned i = 0; i < rule->n_conditions; i++)
		rules_condition_clear(&rule->conditions[i]);
	g_free(rule->conditions);
	rule->conditions = NULL;
	rule->n_conditions = 0;
}

static unsigned end_column(const char *line)
{
	return (unsigned)g_utf8_strlen(line, -1) + 1;
}

static void shown(const struct token *t, char *out, size_t size)
{
	/* Enough of the word to recognise it; the column says where it is. */
	g_autofree char *word = rules_token_unescape(t->text);
	sipcid_call_strlcpy_utf8(out, word, size);
}

/* Parses one line's FIELD PATTERN pairs from tokens[first] on. */
static bool parse_conditions(struct parse_state *st, GPtrArray *tokens, unsigned first,
                             const char *line, unsigned lineno, const char *action,
                             struct rule *rule)
{
	unsigned n = tokens->len - first;
	/* a condition per token at most: neighbour-spoof takes no pattern */
	rule->conditions = g_new0(struct condition, MIN(n, RULE_CONDITIONS_MAX));
	for (unsigned i = first, step = 2; i < tokens->len; i += step) {
		const struct token *ft = tokens->pdata[i];
		char word[48];
		shown(ft, word, sizeof word);
		enum rule_field field;
		if (ft->kind != TOKEN_WORD || ft->escaped || !rules_field_parse(ft->text, &field)) {
			rules_errors_add(&st->errors, lineno, ft->column,
			                 i == first ? "expected a field (" RULES_FIELD_WORDS ") or *, not '%s'"
			                            : "expected another condition (a field: " RULES_FIELD_WORDS
			                              ") or the end of the line, not '%s'",
			                 word);
			return false;
		}
		step = rules_field_takes_pattern(field) ? 2 : 1;
		if (step == 2 && i + 1 >= tokens->len) {
			rules_errors_add(&st->errors, lineno, end_column(line),
			                 "expected a pattern after '%s' (a number or text, a glob with * "
			                 "or ?, a /regex/, or anonymous)", rules_field_name(field));
			return false;
		}
		if (rule->n_conditions == RULE_CONDITIONS_MAX) {
			rules_errors_add(&st->errors, lineno, ft->column,
			                 "a rule can have at most %d conditions", RULE_CONDITIONS_MAX);
			return false;
		}
		struct condition *c = &rule->conditions[rule->n_conditions];
		if (step == 1)
			rules_condition_compile_bare(c, field);
		else if (field == FIELD_LIST
		                 ? !rules_condition_compile_list(c, tokens->pdata[i + 1], st->r->lists,
		                                                 lineno, &st->errors)
		                 : !rules_condition_compile(c, field, tokens->pdata[i + 1], &st->r->plan,
		                                            lineno, &st->errors))
			return false;
		rule->n_conditions++;
		if (c->kind == PATTERN_DIRECTION && c->direction == SIPCID_DIR_OUTGOING)
			rule->outgoing = true;
	}
	/* The household's own calls are never stopped: sipcidd never breaks the phone. */
	if (rule->outgoing && rule->action == RULE_BLOCK) {
		rules_errors_add(&st->errors, lineno, ((const struct token *)tokens->pdata[0])->column,
		                 "%s never applies to outgoing calls: sipcid does not stop the "
		                 "phone calling out (use allow, record or norecord)", action);
		return false;
	}
	return true;
}

/* Reads the outcome after the action word, if any; returns the index of the
 * token after the action and its outcome, or 0 after an error. */
static unsigned parse_outcome(struct parse_state *st, GPtrArray *tokens, const char *line,
                              unsigned lineno, enum action_word w, struct rule *rule)
{
	const char *action = action_words[w];
	if (w == WORD_DROP)
		rule->outcome = SIPCID_OUTCOME_DROP;
	if (tokens->len == 1) {
		rules_errors_add(&st->errors, lineno, end_column(line),
		                 w == WORD_REJECT ? "expected an outcome (busy, decline or gone) after "
		                                    "'%s'"
		                                  : "expected a field (" RULES_FIELD_WORDS ") or * after '%s'",
		                 action);
		return 0;
	}
	const struct token *t1 = tokens->pdata[1];
	char word[48];
	shown(t1, word, sizeof word);
	enum sipcid_outcome outcome;
	bool named = outcome_parse(t1, &outcome);
	if (w == WORD_REJECT) {
		if (!named || outcome == SIPCID_OUTCOME_DROP) {
			rules_errors_add(&st->errors, lineno, t1->column,
			                 named ? "reject answers the call, so it cannot be silent: use "
			                         "drop for that (expected busy, decline or gone after "
			                         "'reject', not '%s')"
			                       : "expected an outcome (busy, decline or gone) after "
			                         "'reject', not '%s'",
			                 word);
			return 0;
		}
	} else if (named && w == WORD_DROP) {
		rules_errors_add(&st->errors, lineno, t1->column,
		                 "drop is an outcome already (silence); for '%s' write block %s or "
		                 "reject %s", word, word, word);
		return 0;
	} else if (named && w != WORD_BLOCK) {
		rules_errors_add(&st->errors, lineno, t1->column,
		                 "only block and reject take an outcome; expected a field ("
		                 RULES_FIELD_WORDS ") or * after '%s', not '%s'", action, word);
		return 0;
	}
	if (!named)
		return 1;
	rule->outcome = outcome;
	if (tokens->len == 2) {
		rules_errors_add(&st->errors, lineno, end_column(line),
		                 "expected a field (" RULES_FIELD_WORDS ") or * after '%s %s'", action, word);
		return 0;
	}
	return 2;
}

static void parse_line(const char *line, unsigned lineno, void *ctx)
{
	struct parse_state *st = ctx;
	g_autoptr(GPtrArray) tokens = rules_lex_line(line, lineno, true, &st->errors);
	if (!tokens || tokens->len == 0)
		return;
	struct rule rule = { .line = lineno };
	const struct token *at = tokens->pdata[0];
	char word[48];
	shown(at, word, sizeof word);
	enum action_word w;
	if (!action_parse(at, &w)) {
		rules_errors_add(&st->errors, lineno, at->column,
		                 "expected an action (allow, block, reject, drop, record or norecord), "
		                 "not '%s'", word);
		return;
	}
	rule.action = word_action[w];
	unsigned first = parse_outcome(st, tokens, line, lineno, w, &rule);
	if (!first)
		return;
	const struct token *t1 = tokens->pdata[first];
	if (rules_token_is_keyword(t1, "*")) {
		if (tokens->len > first + 1) {
			const struct token *extra = tokens->pdata[first + 1];
			rules_errors_add(&st->errors, lineno, extra->column,
			                 "expected the end of the line: '%s *' matches every call and "
			                 "takes no pattern", action_words[w]);
			return;
		}
	} else if (!parse_conditions(st, tokens, first, line, lineno, action_words[w], &rule)) {
		rules_rule_clear(&rule);
		return;
	}
	g_array_append_val(st->rules, rule);
}

/* "FILE:LINE" must fit in a call record: keep the end of a long path. */
static char *origin_file(const char *path)
{
	size_t room = RULE_ORIGIN_FILE_MAX;
	size_t n = strlen(path);
	if (n <= room)
		return g_strdup(path);
	const char *p = path + (n - room) + 3;
	while (((unsigned char)*p & 0xc0) == 0x80)
		p++;
	return g_strconcat("...", p, NULL);
}

bool rules_parse(struct sipcid_rules *r, const char *path, const char *text, size_t len,
                 GError **error)
{
	struct parse_state st = { .r = r, .rules = g_array_new(FALSE, TRUE, sizeof(struct rule)) };
	rules_errors_init(&st.errors, path);
	rules_for_each_line(text, len, &st.errors, parse_line, &st);
	bool ok = rules_errors_finish(&st.errors, error);
	rules_errors_clear(&st.errors);
	if (!ok) {
		for (unsigned i = 0; i < st.rules->len; i++)
			rules_rule_clear(&g_array_index(st.rules, struct rule, i));
		g_array_free(st.rules, TRUE);
		return false;
	}
	r->n_rules = st.rules->len;
	r->rules = (struct rule *)g_array_free(st.rules, FALSE);
	r->origin_file = origin_file(path);
	return true;
}
