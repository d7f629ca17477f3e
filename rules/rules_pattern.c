/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compiling and matching the patterns of rules.
 *
 * Regular expressions go to PCRE2 directly rather than through GRegex (same
 * library, same syntax): GRegex cannot set PCRE2's match limits, so against
 * a 127-byte name `(a+)+$` ran 50 to 90 ms into PCRE2's default limit of ten
 * million steps, and it allocates a match record on every match. Here each
 * match runs under a limit of RULES_REGEX_MATCH_LIMIT steps (measured: about
 * 2.5 ms for the interpreter, under 1 ms with the JIT, in the worst case),
 * and reuses one match record per thread. */
#include "rules_pattern.h"

#include <string.h>

static const char *const field_names[] = { "number",       "name",      "called", "via",
	                                   "presentation", "direction", "source", "verstat",
	                                   "attest",       "neighbour-spoof", "list" };
G_STATIC_ASSERT(G_N_ELEMENTS(field_names) == FIELD_COUNT);

bool rules_field_parse(const char *s, enum rule_field *out)
{
	/* The American spelling is as good: most lines it applies to are there. */
	if (!g_ascii_strcasecmp(s, "neighbor-spoof")) {
		*out = FIELD_NEIGHBOUR_SPOOF;
		return true;
	}
	for (int i = 0; i < FIELD_COUNT; i++) {
		if (!g_ascii_strcasecmp(s, field_names[i])) {
			*out = (enum rule_field)i;
			return true;
		}
	}
	return false;
}

const char *rules_field_name(enum rule_field f)
{
	return (unsigned)f < FIELD_COUNT ? field_names[f] : "?";
}

bool rules_field_takes_pattern(enum rule_field f)
{
	return f != FIELD_NEIGHBOUR_SPOOF;
}

void rules_condition_compile_bare(struct condition *c, enum rule_field field)
{
	*c = (struct condition){ .field = field, .kind = PATTERN_NEIGHBOUR_SPOOF };
}

void rules_ascii_lower(const char *s, char *out, size_t out_size)
{
	size_t i = 0;
	for (; s[i] && i + 1 < out_size; i++)
		out[i] = g_ascii_tolower(s[i]);
	out[i] = '\0';
}

static bool is_number_field(enum rule_field f)
{
	return f == FIELD_NUMBER || f == FIELD_CALLED || f == FIELD_VIA;
}

static bool is_visual_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

/* "+1 (555) 12*" is meant as the glob +155512*: drop separators from globs
 * made only of number characters, as normalisation does for exact numbers. */
static void strip_number_separators(char *glob)
{
	for (const char *p = glob; *p; p++)
		if (!g_ascii_isdigit(*p) && *p != '+' && *p != '*' && *p != '?' &&
		    !is_visual_separator(*p))
			return;
	char *o = glob;
	for (const char *p = glob; *p; p++)
		if (!is_visual_separator(*p))
			*o++ = *p;
	*o = '\0';
}

static bool compile_regex(struct condition *c, const struct token *t, unsigned lineno,
                          struct rules_errors *errors)
{
	uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
	for (const char *f = t->flags; *f; f++) {
		if (*f == 'i') {
			options |= PCRE2_CASELESS;
			continue;
		}
		rules_errors_add(errors, lineno, t->column,
		                 "expected only the flag i (ignore case) after the closing /, "
		                 "not '%s'", t->flags);
		return false;
	}
	size_t n = strlen(t->text);
	if (n == 0) {
		rules_errors_add(errors, lineno, t->column,
		                 "expected a regular expression between the slashes (to match "
		                 "everything, write *)");
		return false;
	}
	if (n > RULES_REGEX_MAX) {
		rules_errors_add(errors, lineno, t->column,
		                 "this regular expression is %zu bytes long; at most %d are allowed", n,
		                 RULES_REGEX_MAX);
		return false;
	}
	/* (*LIMIT_MATCH=...) and the like would let a rule raise its own limits. */
	if (!strncmp(t->text, "(*", 2)) {
		rules_errors_add(errors, lineno, t->column + 1,
		                 "expected a regular expression; a leading (*VERB) that changes how "
		                 "PCRE2 matches is not allowed here");
		return false;
	}
	int code = 0;
	PCRE2_SIZE offset = 0;
	c->re = pcre2_compile((PCRE2_SPTR)t->text, n, options, &code, &offset, NULL);
	if (!c->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		if (offset > n)
			offset = n;
		unsigned col = t->column + 1 + (unsigned)g_utf8_strlen(t->text, offset);
		rules_errors_add(errors, lineno, col, "this regular expression is not valid: %s",
		                 (const char *)msg);
		return false;
	}
	/* The JIT is only an accelerator: without it (e.g. a service that may not
	 * map executable memory) the interpreter runs under the same limits. */
	pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE);
	return true;
}

/* Finds the literal head and tail of a glob (escapes resolved). */
static void glob_literal_ends(struct condition *c)
{
	const char *g = c->text;
	const char *first = NULL, *after_last = NULL;
	for (const char *p = g; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '*' || *p == '?') {
			if (!first)
				first = p;
			after_last = p + 1;
		}
	}
	g_autofree char *head = g_strndup(g, first - g);
	c->glob_head = rules_token_unescape(head);
	c->glob_tail = rules_token_unescape(after_last);
}

/* Builds the condition for a glob source (escapes as written). */
static bool compile_text(struct condition *c, const struct token *t,
                         const struct sipcid_number_plan *plan)
{
	size_t n = strlen(t->text);
	bool wild = false, only_trailing_star = false;
	for (size_t i = 0; i < n; i++) {
		if (t->text[i] == '\\') {
			i++;
			continue;
		}
		if (t->text[i] == '*' || t->text[i] == '?') {
			only_trailing_star = !wild && t->text[i] == '*' && i == n - 1;
			wild = true;
		}
	}
	if (!wild) {
		g_autofree char *literal = rules_token_unescape(t->text);
		char normal[SIPCID_NAME_MAX * 2];
		if (is_number_field(c->field))
			sipcid_number_normalise(plan, literal, normal, sizeof normal);
		else
			g_strlcpy(normal, literal, sizeof normal);
		c->kind = PATTERN_EXACT;
		c->text = g_ascii_strdown(normal, -1);
	} else if (only_trailing_star) {
		g_autofree char *glob = g_strdup(t->text);
		if (is_number_field(c->field))
			strip_number_separators(glob);
		glob[strlen(glob) - 1] = '\0';
		g_autofree char *literal = rules_token_unescape(glob);
		c->kind = literal[0] ? PATTERN_PREFIX : PATTERN_ANY;
		c->text = g_ascii_strdown(literal, -1);
	} else {
		g_autofree char *glob = g_strdup(t->text);
		if (is_number_field(c->field))
			strip_number_separators(glob);
		c->kind = PATTERN_GLOB;
		c->text = g_ascii_strdown(glob, -1);
		glob_literal_ends(c);
	}
	c->len = strlen(c->text);
	return true;
}

/* direction incoming|outgoing, source provider|stranger|unknown */
static bool compile_keyword(struct condition *c, const struct token *t, unsigned lineno,
                            struct rules_errors *errors)
{
	bool direction = c->field == FIELD_DIRECTION;
	const char *expected = direction ? "incoming or outgoing" : "provider, stranger or unknown";
	g_autofree char *word = t->kind == TOKEN_REGEX ? NULL : rules_token_unescape(t->text);
	enum sipcid_origin origin = SIPCID_ORIGIN_UNKNOWN;
	bool ok = word && (direction ? sipcid_call_direction_parse(word, &c->direction)
	                             : sipcid_call_origin_parse(word, &origin));
	/* "phone" is what an outgoing call's origin is; say direction instead. */
	if (!ok || (!direction && origin == SIPCID_ORIGIN_PHONE)) {
		rules_errors_add(errors, lineno, t->column, "expected %s after %s, not '%s'", expected,
		                 rules_field_name(c->field), word ? word : "a regular expression");
		return false;
	}
	c->origin = origin;
	c->kind = direction ? PATTERN_DIRECTION : PATTERN_ORIGIN;
	return true;
}

/* verstat passed|failed|no-validation|none, attest A|B|C|none */
static bool compile_shaken(struct condition *c, const struct token *t, unsigned lineno,
                           struct rules_errors *errors)
{
	bool verstat = c->field == FIELD_VERSTAT;
	g_autofree char *word = t->kind == TOKEN_REGEX ? NULL : rules_token_unescape(t->text);
	bool ok = false;
	if (word && verstat) {
		ok = sipcid_call_verstat_parse(word, &c->verstat);
	} else if (word && !g_ascii_strcasecmp(word, "none")) {
		c->attest = 0;
		ok = true;
	} else if (word && strlen(word) == 1 && strchr("ABCabc", word[0])) {
		c->attest = g_ascii_toupper(word[0]);
		ok = true;
	}
	if (!ok) {
		g_autofree char *shown = word ? g_strdup_printf("'%s'", word)
		                              : g_strdup("a regular expression");
		rules_errors_add(errors, lineno, t->column, "expected %s after %s, not %s",
		                 verstat ? "passed, failed, no-validation or none" : "A, B, C or none",
		                 rules_field_name(c->field), shown);
		return false;
	}
	c->kind = verstat ? PATTERN_VERSTAT : PATTERN_ATTEST;
	return true;
}

bool rules_condition_compile(struct condition *c, enum rule_field field, const struct token *t,
                       const struct sipcid_number_plan *plan, unsigned lineno,
                       struct rules_errors *errors)
{
	*c = (struct condition){ .field = field };
	if (field == FIELD_VERSTAT || field == FIELD_ATTEST)
		return compile_shaken(c, t, lineno, errors);
	if (t->kind == TOKEN_REGEX) {
		if (field == FIELD_PRESENTATION) {
			rules_errors_add(errors, lineno, t->column,
			                 "expected allowed, restricted, unavailable or anonymous after "
			                 "presentation, not a regular expression");
			return false;
		}
		c->kind = PATTERN_REGEX;
		return compile_regex(c, t, lineno, errors);
	}
	if (field == FIELD_DIRECTION || field == FIELD_SOURCE)
		return compile_keyword(c, t, lineno, errors);
	if (rules_token_is_keyword(t, "anonymous")) {
		c->kind = PATTERN_ANONYMOUS;
		return true;
	}
	if (field == FIELD_PRESENTATION) {
		g_autofree char *word = rules_token_unescape(t->text);
		if (!sipcid_call_presentation_parse(word, &c->presentation)) {
			rules_errors_add(errors, lineno, t->column,
			                 "expected allowed, restricted, unavailable or anonymous after "
			                 "presentation, not '%s'", word);
			return false;
		}
		c->kind = PATTERN_PRESENTATION;
		return true;
	}
	if (strlen(t->text) >= SIPCID_NAME_MAX * 2) {
		rules_errors_add(errors, lineno, t->column,
		                 "this pattern is %zu bytes long; a %s is at most %d, so it could "
		                 "never match", strlen(t->text), rules_field_name(field),
		                 field == FIELD_NAME ? SIPCID_NAME_MAX - 1 : SIPCID_NUMBER_MAX - 1);
		return false;
	}
	return compile_text(c, t, plan);
}

bool rules_condition_compile_list(struct condition *c, const struct token *t, GHashTable *lists,
                                  unsigned lineno, struct rules_errors *errors)
{
	*c = (struct condition){ .field = FIELD_LIST, .kind = PATTERN_LIST };
	g_autofree char *word = t->kind == TOKEN_REGEX ? NULL : rules_token_unescape(t->text);
	struct sipcid_rules_list *l = word && lists ? g_hash_table_lookup(lists, word) : NULL;
	if (!l) {
		rules_errors_add(errors, lineno, t->column,
		                 "no list named '%s' (lists are named in [lists] of sipcid.conf%s)",
		                 word ? word : "a regular expression",
		                 lists ? "" : "; give sipcid-rules --config");
		return false;
	}
	c->list = sipcid_rules_list_ref(l);
	return true;
}

void rules_condition_clear(struct condition *c)
{
	g_free(c->text);
	g_free(c->glob_head);
	g_free(c->glob_tail);
	if (c->re)
		pcre2_code_free(c->re);
	sipcid_rules_list_unref(c->list);
	*c = (struct condition){ 0 };
}

static void add_subject(struct call_subjects *s, enum rule_field f, const char *text)
{
	unsigned i = s->n[f]++;
	s->orig[f][i] = text;
	rules_ascii_lower(text, s->low[f][i], sizeof s->low[f][i]);
}

void rules_call_subjects_fill(struct call_subjects *s, const struct sipcid_call *call)
{
	s->call = call;
	memset(s->n, 0, sizeof s->n);
	add_subject(s, FIELD_NUMBER, call->number);
	add_subject(s, FIELD_NAME, call->name);
	if (call->alias[0])
		add_subject(s, FIELD_NAME, call->alias);
	add_subject(s, FIELD_CALLED, call->called);
	add_subject(s, FIELD_VIA, call->via);
}

/* Length of the UTF-8 character at s (at least 1). */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

bool rules_glob_match(const char *pattern, const char *text)
{
	/* Greedy with one backtrack point, the last *: linear in practice and
	 * O(pattern * text) at worst, both bounded by the line and field sizes. */
	const char *p = pattern, *t = text, *star_p = NULL, *star_t = NULL;
	while (*t) {
		if (*p == '*') {
			star_p = ++p;
			star_t = t;
			continue;
		}
		if (*p == '?') {
			p++;
			t += char_len(t);
			continue;
		}
		const char *lit = p;
		if (*lit == '\\' && lit[1])
			lit++;
		if (*lit && *lit == *t) {
			p = lit + 1;
			t++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		t = ++star_t;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static void free_match_data(gpointer md)
{
	pcre2_match_data_free(md);
}

static GPrivate match_data_key = G_PRIVATE_INIT(free_match_data);

static pcre2_match_context *match_context(void)
{
	static pcre2_match_context *ctx;
	if (g_once_init_enter(&ctx)) {
		pcre2_match_context *c = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(c, RULES_REGEX_MATCH_LIMIT);
		pcre2_set_depth_limit(c, RULES_REGEX_DEPTH_LIMIT);
		pcre2_set_heap_limit(c, RULES_REGEX_HEAP_LIMIT_KIB);
		g_once_init_leave(&ctx, c);
	}
	return ctx;
}

static bool regex_matches(const pcre2_code *re, const char *subject, unsigned *limit_hits)
{
	/* One ovector pair is enough: only "did it match" matters, and PCRE2
	 * reports a match with too small a vector as 0. Allocated once per thread. */
	pcre2_match_data *md = g_private_get(&match_data_key);
	if (!md) {
		md = pcre2_match_data_create(1, NULL);
		g_private_set(&match_data_key, md);
	}
	int rc = pcre2_match(re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, match_context());
	if (rc >= 0)
		return true;
	if (rc != PCRE2_ERROR_NOMATCH)
		(*limit_hits)++;
	return false;
}

/* The first 8 characters of a NANP number, +1 NPA NXX, when n is one. */
static bool nanp_exchange(const char *n)
{
	if (strncmp(n, "+1", 2) || strlen(n) != 12 || n[2] < '2' || n[5] < '2')
		return false;
	for (int i = 2; i < 12; i++)
		if (!g_ascii_isdigit(n[i]))
			return false;
	return true;
}

/* neighbour-spoof: a caller who is not verified and whose number shares the
 * line's area code and exchange, the robocaller's way to look local. The
 * line is the number called. */
static bool neighbour_spoof(const struct sipcid_call *call)
{
	return call->verstat != SIPCID_VERSTAT_PASSED && nanp_exchange(call->number) &&
	       nanp_exchange(call->called) && !strncmp(call->number, call->called, 8);
}

bool rules_condition_matches(const struct condition *c, const struct call_subjects *s,
                       unsigned *limit_hits)
{
	const struct sipcid_call *call = s->call;
	switch (c->kind) {
	case PATTERN_ANY:
		return true;
	case PATTERN_ANONYMOUS:
		return call->presentation != SIPCID_PRES_ALLOWED || !call->number[0];
	case PATTERN_PRESENTATION:
		return call->presentation == c->presentation;
	case PATTERN_DIRECTION:
		return call->direction == c->direction;
	case PATTERN_ORIGIN:
		return call->origin == c->origin;
	case PATTERN_VERSTAT:
		return call->verstat == c->verstat;
	case PATTERN_ATTEST:
		return call->attest == c->attest;
	case PATTERN_NEIGHBOUR_SPOOF:
		return neighbour_spoof(call);
	case PATTERN_LIST:
		/* The other end: the caller, or whom the phone called. */
		return sipcid_rules_list_contains(
			c->list, call->direction == SIPCID_DIR_OUTGOING ? call->called : call->number);
	default:
		break;
	}
	for (unsigned i = 0; i < s->n[c->field]; i++) {
		const char *low = s->low[c->field][i];
		switch (c->kind) {
		case PATTERN_EXACT:
			if (!strcmp(low, c->text))
				return true;
			break;
		case PATTERN_PREFIX:
			if (!strncmp(low, c->text, c->len))
				return true;
			break;
		case PATTERN_GLOB:
			if (rules_glob_match(c->text, low))
				return true;
			break;
		case PATTERN_REGEX:
			if (regex_matches(c->re, s->orig[c->field][i], limit_hits))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}
