/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The phonebook: NUMBER NAME, one a line. */
#include "rules_private.h"

#include "text.h"

#include <string.h>

struct phonebook_state {
	struct sipcid_rules *r;
	GHashTable *lines;   /* key -> first line */
	struct rules_errors errors;
	GArray *entries;     /* struct entry, when a caller wants them */
};

/* An entry, kept until the whole text is known to load. */
struct entry {
	unsigned line;
	char *written;
	char number[SIPCID_NUMBER_MAX];
	char name[SIPCID_NAME_MAX];
};

static void entry_clear(void *p)
{
	g_free(((struct entry *)p)->written);
}

/* The entry's name: one quoted token, or the words joined by single spaces. */
static char *entry_name(GPtrArray *tokens)
{
	GString *name = g_string_new(NULL);
	for (unsigned i = 1; i < tokens->len; i++) {
		const struct token *t = tokens->pdata[i];
		g_autofree char *word = rules_token_unescape(t->text);
		if (name->len)
			g_string_append_c(name, ' ');
		g_string_append(name, word);
	}
	return g_string_free(name, FALSE);
}

static void parse_line(const char *line, unsigned lineno, void *ctx)
{
	struct phonebook_state *st = ctx;
	g_autoptr(GPtrArray) tokens = rules_lex_line(line, lineno, false, &st->errors);
	if (!tokens || tokens->len == 0)
		return;
	const struct token *nt = tokens->pdata[0];
	g_autofree char *raw = rules_token_unescape(nt->text);
	char number[SIPCID_NUMBER_MAX];
	if (!raw[0]) {
		rules_errors_add(&st->errors, lineno, nt->column, "expected a phone number, not \"\"");
		return;
	}
	if (strlen(raw) >= SIPCID_NUMBER_MAX) {
		rules_errors_add(&st->errors, lineno, nt->column,
		                 "expected a phone number; this one is %zu bytes long and a number "
		                 "can have at most %d", strlen(raw), SIPCID_NUMBER_MAX - 1);
		return;
	}
	if (!sipcid_number_normalise(&st->r->plan, raw, number, sizeof number)) {
		char shown[48];
		sipcid_call_strlcpy_utf8(shown, raw, sizeof shown);
		rules_errors_add(&st->errors, lineno, nt->column,
		                 "expected a phone number (digits, optionally with a leading + and "
		                 "separators such as - or spaces in quotes), not '%s'", shown);
		return;
	}
	if (tokens->len < 2) {
		rules_errors_add(&st->errors, lineno, (unsigned)g_utf8_strlen(line, -1) + 1,
		                 "expected a name after the number %s", raw);
		return;
	}
	g_autofree char *joined = entry_name(tokens);
	char name[SIPCID_NAME_MAX];
	size_t n = strlen(joined);
	if (n >= SIPCID_NAME_MAX) {
		const struct token *first = tokens->pdata[1];
		rules_errors_add(&st->errors, lineno, first->column,
		                 "this name is %zu bytes long; a name can have at most %d", n,
		                 SIPCID_NAME_MAX - 1);
		return;
	}
	sipcid_text_clean(joined, n, name, sizeof name);
	if (!name[0]) {
		const struct token *first = tokens->pdata[1];
		rules_errors_add(&st->errors, lineno, first->column, "expected a name, not \"\"");
		return;
	}
	char key[SIPCID_NUMBER_MAX];
	rules_ascii_lower(number, key, sizeof key);
	gpointer first_line = g_hash_table_lookup(st->lines, key);
	if (first_line) {
		rules_errors_add(&st->errors, lineno, nt->column,
		                 "%s is already in the phonebook on line %u (as %s); expected each "
		                 "number once", raw, GPOINTER_TO_UINT(first_line),
		                 (const char *)g_hash_table_lookup(st->r->phonebook, key));
		return;
	}
	g_hash_table_insert(st->lines, g_strdup(key), GUINT_TO_POINTER(lineno));
	g_hash_table_insert(st->r->phonebook, g_strdup(key), g_strdup(name));
	if (st->entries) {
		struct entry e = { .line = lineno, .written = g_strdup(raw) };
		g_strlcpy(e.number, number, sizeof e.number);
		g_strlcpy(e.name, name, sizeof e.name);
		g_array_append_val(st->entries, e);
	}
}

bool rules_phonebook_parse(struct sipcid_rules *r, const char *path, const char *text, size_t len,
                           sipcid_rules_phonebook_entry_fn fn, void *ctx, GError **error)
{
	struct phonebook_state st = {
		.r = r,
		.lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	};
	if (fn) {
		st.entries = g_array_new(FALSE, FALSE, sizeof(struct entry));
		g_array_set_clear_func(st.entries, entry_clear);
	}
	rules_errors_init(&st.errors, path);
	rules_for_each_line(text, len, &st.errors, parse_line, &st);
	bool ok = rules_errors_finish(&st.errors, error);
	rules_errors_clear(&st.errors);
	g_hash_table_unref(st.lines);
	if (!ok)
		g_hash_table_remove_all(r->phonebook);
	for (guint i = 0; ok && st.entries && i < st.entries->len; i++) {
		const struct entry *e = &g_array_index(st.entries, struct entry, i);
		fn(ctx, e->line, e->written, e->number, e->name);
	}
	if (st.entries)
		g_array_unref(st.entries);
	return ok;
}
