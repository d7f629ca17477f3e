/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Contact import: telling the format, the caps, labels, and the plan against
 * the phonebook. The readers are phonebook_import_vcard.c and _csv.c. */
#include "phonebook_import_private.h"

#include "rules_edit.h"
#include "rules_private.h"
#include "text.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void number_free(gpointer p)
{
	struct sipcid_phonebook_import_number *n = p;
	g_free(n->name);
	g_free(n->label);
	g_free(n->raw);
	g_free(n->skip);
	g_free(n);
}

void sipcid_phonebook_import_free(struct sipcid_phonebook_import *imp)
{
	if (!imp)
		return;
	g_free(imp->path);
	g_ptr_array_unref(imp->numbers);
	g_ptr_array_unref(imp->warnings);
	g_free(imp);
}

const char *sipcid_phonebook_import_format_name(enum sipcid_phonebook_import_format format)
{
	switch (format) {
	case SIPCID_PHONEBOOK_IMPORT_VCARD: return "vCard";
	case SIPCID_PHONEBOOK_IMPORT_GOOGLE_CSV: return "Google CSV";
	case SIPCID_PHONEBOOK_IMPORT_OUTLOOK_CSV: return "Outlook CSV";
	}
	return "?";
}

char *sipcid_phonebook_import_clean(const char *in, size_t len)
{
	char out[SIPCID_NAME_MAX * 2];
	sipcid_text_clean(in, len, out, sizeof out);
	return g_strdup(out);
}

char *sipcid_phonebook_import_label(const char *in)
{
	g_autofree char *s = sipcid_phonebook_import_clean(in, strlen(in));
	char *p = s;
	size_t n = strlen(p);
	/* Apple: _$!<Mobile>!$_ for its own labels; a custom label is bare. */
	if (n > 8 && g_str_has_prefix(p, "_$!<") && g_str_has_suffix(p, ">!$_")) {
		p[n - 4] = '\0';
		p += 4;
	}
	/* Google marks the primary number "* Mobile". */
	if (p[0] == '*' && p[1] == ' ')
		p += 2;
	static const char *const same[][2] = {
		{ "cell", "mobile" }, { "mobile", "mobile" }, { "iphone", "mobile" },
		{ "cellular", "mobile" }, { "home", "home" }, { "work", "work" },
		{ "business", "work" }, { "main", "main" }, { "other", "other" },
		{ "pager", "pager" }, { "car", "car" }, { "work mobile", "work mobile" },
		{ "home fax", "home fax" }, { "work fax", "work fax" }, { "fax", "fax" },
		{ "homefax", "home fax" }, { "workfax", "work fax" }, { "otherfax", "fax" },
		{ "primary", "main" }, { "company main", "company" }, { "assistant's", "assistant" },
		{ "assistant", "assistant" }, { "radio", "radio" }, { "callback", "callback" },
		{ "business fax", "work fax" }, { "other fax", "fax" }, { "voice", "" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(same); i++)
		if (!g_ascii_strcasecmp(p, same[i][0]))
			return g_strdup(same[i][1]);
	return g_strdup(p);
}

static bool is_fax(const char *label)
{
	g_autofree char *lower = g_ascii_strdown(label, -1);
	return strstr(lower, "fax") != NULL;
}

void sipcid_phonebook_import_add(struct sipcid_phonebook_import *imp,
                                 struct phonebook_import_contact *c, const char *label,
                                 const char *raw)
{
	if (imp->full)
		return;
	const char *who = c->name && c->name[0] ? c->name : "a contact without a name";
	if (c->taken == SIPCID_PHONEBOOK_IMPORT_PER_CONTACT_MAX) {
		g_ptr_array_add(imp->warnings,
		                g_strdup_printf("%s:%u: %s has more than %d numbers; the rest are left "
		                                "out", imp->path, c->line, who,
		                                SIPCID_PHONEBOOK_IMPORT_PER_CONTACT_MAX));
		c->taken++;
		return;
	}
	if (c->taken > SIPCID_PHONEBOOK_IMPORT_PER_CONTACT_MAX)
		return;
	if (imp->numbers->len == SIPCID_PHONEBOOK_IMPORT_NUMBERS_MAX) {
		g_ptr_array_add(imp->warnings,
		                g_strdup_printf("%s:%u: more than %d numbers in one import; this one "
		                                "and the rest are left out", imp->path, c->line,
		                                SIPCID_PHONEBOOK_IMPORT_NUMBERS_MAX));
		imp->full = true;
		return;
	}
	c->taken++;
	struct sipcid_phonebook_import_number *n = g_new0(struct sipcid_phonebook_import_number, 1);
	n->name = g_strdup(c->name ? c->name : "");
	n->label = label ? g_strdup(label) : g_strdup("");
	n->raw = sipcid_phonebook_import_clean(raw, strlen(raw));
	n->line = c->line;
	if (is_fax(n->label))
		n->skip = g_strdup("a fax number");
	else if (!n->name[0])
		n->skip = g_strdup("the contact has no name");
	g_ptr_array_add(imp->numbers, n);
}

static unsigned line_at(const char *text, const char *at)
{
	unsigned line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Broken UTF-8 is refused with its line: guessing a legacy encoding would
 * put wrong names on the popups of the people the user knows best. */
static bool check_text(const char *path, const char *text, size_t len, GError **error)
{
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
		            "%s:%u: a NUL byte: this is not a text file; expected a vCard or CSV "
		            "export of contacts", path, line_at(text, nul));
		return false;
	}
	const char *bad = NULL;
	if (g_utf8_validate_len(text, len, &bad))
		return true;
	g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
	            "%s:%u: expected UTF-8 text, found the byte 0x%02x (if the export is in a "
	            "Windows code page, convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8)",
	            path, line_at(text, bad), (unsigned char)*bad);
	return false;
}

struct sipcid_phonebook_import *sipcid_phonebook_import_parse(const char *path, const char *text,
                                                              size_t len, GError **error)
{
	if (!check_text(path, text, len, error))
		return NULL;
	struct sipcid_phonebook_import *imp = g_new0(struct sipcid_phonebook_import, 1);
	imp->path = g_strdup(path);
	imp->numbers = g_ptr_array_new_with_free_func(number_free);
	imp->warnings = g_ptr_array_new_with_free_func(g_free);
	const char *p = text, *end = text + len;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && g_ascii_isspace(*p))
		p++;
	bool ok;
	if ((size_t)(end - p) >= 11 && !g_ascii_strncasecmp(p, "BEGIN:VCARD", 11)) {
		imp->format = SIPCID_PHONEBOOK_IMPORT_VCARD;
		ok = sipcid_phonebook_import_vcard(imp, text, len, error);
	} else {
		ok = sipcid_phonebook_import_csv(imp, text, len, error);
	}
	if (!ok) {
		sipcid_phonebook_import_free(imp);
		return NULL;
	}
	return imp;
}

struct sipcid_phonebook_import *sipcid_phonebook_import_read(const char *path, GError **error)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > SIPCID_RULES_FILE_MAX) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_READ,
		            "%s: the file is %lld bytes; an import reads at most %d (export without "
		            "photos, or in parts)", path, (long long)st.st_size, SIPCID_RULES_FILE_MAX);
		return NULL;
	}
	g_autofree char *text = NULL;
	gsize len = 0;
	GError *ferr = NULL;
	if (!g_file_get_contents(path, &text, &len, &ferr)) {
		g_set_error_literal(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_READ, ferr->message);
		g_error_free(ferr);
		return NULL;
	}
	return sipcid_phonebook_import_parse(path, text, len, error);
}

void sipcid_phonebook_import_entry_name(const struct sipcid_phonebook_import_number *n,
                                        char *out, size_t size)
{
	char label[48] = "", cut[40];
	if (n->label[0]) {
		sipcid_call_strlcpy_utf8(cut, n->label, sizeof cut);
		/* A long custom label ends at a word, not inside one. */
		char *space = strrchr(cut, ' ');
		if (strlen(n->label) >= sizeof cut && space && space > cut + sizeof cut / 2)
			*space = '\0';
		snprintf(label, sizeof label, " (%s)", cut);
	}
	size_t room = size - strlen(label);
	char name[SIPCID_NAME_MAX];
	sipcid_call_strlcpy_utf8(name, n->name, room < sizeof name ? room : sizeof name);
	char joined[SIPCID_NAME_MAX * 2];
	snprintf(joined, sizeof joined, "%s%s", name, label);
	/* Cleaned as the phonebook's parser cleans names, so a second import
	 * compares equal to what the first one wrote. */
	sipcid_text_clean(joined, strlen(joined), out, size);
}

/* --- the plan ---------------------------------------------------------- */

struct phonebook_lines {
	const struct sipcid_number_plan *plan;
	GHashTable *line_of;   /* normalised number -> first line */
};

static void note_line(const char *line, unsigned lineno, void *ctx)
{
	struct phonebook_lines *pl = ctx;
	struct rules_errors quiet;
	rules_errors_init(&quiet, "");
	g_autoptr(GPtrArray) tokens = rules_lex_line(line, lineno, false, &quiet);
	rules_errors_clear(&quiet);
	if (!tokens || tokens->len == 0)
		return;
	const struct token *t = tokens->pdata[0];
	g_autofree char *raw = rules_token_unescape(t->text);
	char number[SIPCID_NUMBER_MAX];
	if (strlen(raw) >= SIPCID_NUMBER_MAX ||
	    !sipcid_number_normalise(pl->plan, raw, number, sizeof number))
		return;
	if (!g_hash_table_contains(pl->line_of, number))
		g_hash_table_insert(pl->line_of, g_strdup(number), GUINT_TO_POINTER(lineno));
}

static void change_free(gpointer p)
{
	struct sipcid_phonebook_import_change *c = p;
	g_free(c->reason);
	g_free(c);
}

void sipcid_phonebook_import_plan_clear(struct sipcid_phonebook_import_plan *p)
{
	if (p->changes)
		g_ptr_array_unref(p->changes);
	g_free(p->old_text);
	g_free(p->new_text);
	memset(p, 0, sizeof *p);
}

/* The old text with each replaced entry's line commented out. Lines are
 * counted as rules_for_each_line counts them (after a byte order mark). */
static void copy_old_text(GString *out, const char *old, GHashTable *replaced_lines)
{
	const char *p = old;
	if (!strncmp(p, "\xef\xbb\xbf", 3)) {
		g_string_append_len(out, p, 3);
		p += 3;
	}
	for (unsigned lineno = 1; *p; lineno++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (g_hash_table_contains(replaced_lines, GUINT_TO_POINTER(lineno)))
			g_string_append(out, "# replaced by an import: ");
		g_string_append_len(out, p, (gssize)n);
		p += n;
	}
	if (out->len && out->str[out->len - 1] != '\n')
		g_string_append_c(out, '\n');
}

static struct sipcid_phonebook_import_change *
plan_one(const struct sipcid_phonebook_import_number *n, const struct sipcid_rules *pb,
         GHashTable *line_of, GHashTable *seen, const struct sipcid_number_plan *plan,
         bool replace, const char *path)
{
	struct sipcid_phonebook_import_change *c = g_new0(struct sipcid_phonebook_import_change, 1);
	c->from = n;
	c->outcome = SIPCID_PHONEBOOK_IMPORT_SKIP;
	sipcid_phonebook_import_entry_name(n, c->name, sizeof c->name);
	if (n->skip) {
		c->reason = g_strdup(n->skip);
		return c;
	}
	char shown[48];
	sipcid_call_strlcpy_utf8(shown, n->raw, sizeof shown);
	if (!n->raw[0]) {
		c->reason = g_strdup("an empty number");
		return c;
	}
	if (strlen(n->raw) >= SIPCID_NUMBER_MAX ||
	    !sipcid_number_normalise(plan, n->raw, c->number, sizeof c->number)) {
		c->number[0] = '\0';
		c->reason = g_strdup_printf("'%s' is not a phone number", shown);
		return c;
	}
	const struct sipcid_phonebook_import_change *first = g_hash_table_lookup(seen, c->number);
	if (first) {
		c->reason = g_strdup_printf("%s is also at %s:%u (as %s); the first is taken",
		                            c->number, path, first->from->line, first->name);
		return c;
	}
	g_hash_table_insert(seen, c->number, c);
	const char *old = sipcid_rules_alias(pb, c->number);
	if (!old) {
		c->outcome = SIPCID_PHONEBOOK_IMPORT_ADD;
		return c;
	}
	c->phonebook_line = GPOINTER_TO_UINT(g_hash_table_lookup(line_of, c->number));
	c->reason = g_strdup(old);
	if (!strcmp(old, c->name))
		c->outcome = SIPCID_PHONEBOOK_IMPORT_ALREADY;
	else
		c->outcome = replace ? SIPCID_PHONEBOOK_IMPORT_REPLACE : SIPCID_PHONEBOOK_IMPORT_CONFLICT;
	return c;
}

bool sipcid_phonebook_import_plan(const struct sipcid_phonebook_import *imp,
                                  const char *phonebook_path,
                                  const struct sipcid_number_plan *plan, bool replace,
                                  const char *comment,
                                  struct sipcid_phonebook_import_plan *out, GError **error)
{
	memset(out, 0, sizeof *out);
	size_t old_len = 0;
	g_autoptr(GError) rerr = NULL;
	if (!rules_read_file(phonebook_path, &out->old_text, &old_len, &rerr)) {
		if (g_file_test(phonebook_path, G_FILE_TEST_EXISTS)) {
			g_propagate_error(error, g_steal_pointer(&rerr));
			return false;
		}
		out->old_text = g_strdup("");
	}
	g_autoptr(GError) perr = NULL;
	g_autoptr(sipcid_rules) pb = sipcid_rules_load_data(NULL, NULL, phonebook_path,
	                                                    out->old_text, plan, &perr);
	if (!pb) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
		            "the phonebook does not load, so nothing was imported; fix it first:\n%s",
		            perr->message);
		g_clear_pointer(&out->old_text, g_free);
		return false;
	}
	struct phonebook_lines pl = {
		.plan = plan,
		.line_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	};
	struct rules_errors quiet;
	rules_errors_init(&quiet, phonebook_path);
	rules_for_each_line(out->old_text, strlen(out->old_text), &quiet, note_line, &pl);
	rules_errors_clear(&quiet);

	out->changes = g_ptr_array_new_with_free_func(change_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) replaced = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (unsigned i = 0; i < imp->numbers->len; i++) {
		struct sipcid_phonebook_import_change *c =
			plan_one(imp->numbers->pdata[i], pb, pl.line_of, seen, plan, replace, imp->path);
		g_ptr_array_add(out->changes, c);
		out->count[c->outcome]++;
		if (c->outcome == SIPCID_PHONEBOOK_IMPORT_REPLACE)
			g_hash_table_add(replaced, GUINT_TO_POINTER(c->phonebook_line));
	}
	g_hash_table_unref(pl.line_of);
	if (out->count[SIPCID_PHONEBOOK_IMPORT_ADD] + out->count[SIPCID_PHONEBOOK_IMPORT_REPLACE] == 0)
		return true;

	GString *text = g_string_new(NULL);
	copy_old_text(text, out->old_text, replaced);
	if (text->len)
		g_string_append_c(text, '\n');
	g_string_append_printf(text, "# %s\n", comment);
	for (unsigned i = 0; i < out->changes->len; i++) {
		const struct sipcid_phonebook_import_change *c = out->changes->pdata[i];
		if (c->outcome == SIPCID_PHONEBOOK_IMPORT_ADD ||
		    c->outcome == SIPCID_PHONEBOOK_IMPORT_REPLACE)
			sipcid_rules_edit_append_entry(text, c->number, c->name);
	}
	out->new_text = g_string_free(text, FALSE);
	return true;
}

bool sipcid_phonebook_import_commit(const char *phonebook_path,
                                    const struct sipcid_phonebook_import_plan *p,
                                    const struct sipcid_number_plan *plan, GError **error)
{
	/* Loaded before it is written: an import never leaves a phonebook
	 * sipcidd refuses. */
	return !p->new_text ||
	       sipcid_rules_edit_write_checked(phonebook_path, true, p->new_text, plan, error);
}
