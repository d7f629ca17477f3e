/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Adding a rule to the rule file atomically. */
#include "rules_edit.h"

#include "rules.h"
#include "rules_private.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Written bare, a number is a literal only when it has none of the
 * grammar's special characters (glob * ?, regex /, quotes, #, space). */
static bool number_ok(const char *number, GError **error)
{
	if (!number || !*number) {
		g_set_error(error, SIPCID_RULES_ERROR, 0,
		            "the caller sent no number (withheld or unavailable): nothing to block by; "
		            "a rule such as 'block number anonymous' covers such calls");
		return false;
	}
	if (!g_ascii_strcasecmp(number, "anonymous")) {
		g_set_error(error, SIPCID_RULES_ERROR, 0,
		            "the caller's number is 'anonymous', which in a rule means every caller "
		            "who withholds their number; write 'block number anonymous' by hand if "
		            "that is what you want (sipcid-rules(5))");
		return false;
	}
	for (const char *p = number; *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr("+-._@", *p)) {
			g_set_error(error, SIPCID_RULES_ERROR, 0,
			            "the number '%s' has a character ('%c') that a rule would read as "
			            "part of a pattern; add a rule by hand (sipcid-rules(5))",
			            number, *p);
			return false;
		}
	}
	return true;
}

char *sipcid_rules_edit_number_rule(const char *action, const char *number, GError **error)
{
	if (!number_ok(number, error))
		return NULL;
	return g_strdup_printf("%s number %s", action, number);
}

char *sipcid_rules_edit_block_rule(const char *number, GError **error)
{
	return sipcid_rules_edit_number_rule("block", number, error);
}

/* Where the new lines go: before the first rule, and before the comment
 * lines right above it (they belong to that rule), or at the end. */
static size_t first_rule_offset(const char *text)
{
	const char *line = text;
	const char *comments = NULL;  /* the start of the comment run above this line */
	while (*line) {
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#') {
			if (!comments)
				comments = line;
		} else if (*p && *p != '\n' && *p != '\r') {
			return (size_t)((comments ? comments : line) - text);
		} else {
			comments = NULL;
		}
		const char *nl = strchr(line, '\n');
		if (!nl)
			return strlen(text);
		line = nl + 1;
	}
	return (size_t)(line - text);
}

static bool one_line(const char *s)
{
	return !strpbrk(s, "\r\n");
}

/* The file's text ("" when it does not exist yet) and the mode to keep. */
static char *read_old(const char *path, int *mode, GError **error)
{
	char *old = NULL;
	gsize old_len = 0;
	g_autoptr(GError) rerr = NULL;
	struct stat st;
	*mode = 0644;
	if (stat(path, &st) == 0)
		*mode = (int)(st.st_mode & 07777);
	if (!g_file_get_contents(path, &old, &old_len, &rerr)) {
		if (!g_error_matches(rerr, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_propagate_error(error, g_steal_pointer(&rerr));
			return NULL;
		}
		return g_strdup("");
	}
	if (strlen(old) != old_len) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: the file holds a NUL byte; not changed",
		            path);
		g_free(old);
		return NULL;
	}
	return old;
}

/* Loads the new text as sipcidd would, and only then puts it in place. */
static bool check_and_write(const char *path, bool phonebook, const char *text, int mode,
                            const struct sipcid_number_plan *plan, GError **error)
{
	g_autoptr(GError) perr = NULL;
	struct sipcid_rules *check =
		phonebook ? sipcid_rules_load_data(NULL, NULL, path, text, plan, &perr)
		          : sipcid_rules_load_data(path, text, NULL, NULL, plan, &perr);
	if (!check) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: not changed, the result would not load: %s",
		            path, perr->message);
		return false;
	}
	sipcid_rules_unref(check);
	/* GLib writes a temporary file beside it, fsyncs it, and renames it over. */
	return g_file_set_contents_full(path, text, -1,
	                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
	                                mode, error);
}

bool sipcid_rules_edit_add(const char *path, const char *rule, const char *comment,
                           const struct sipcid_number_plan *plan, GError **error)
{
	if (!one_line(rule) || !one_line(comment)) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: a rule and its comment are one line each",
		            path);
		return false;
	}
	int mode;
	g_autofree char *old = read_old(path, &mode, error);
	if (!old)
		return false;
	size_t at = first_rule_offset(old);
	GString *text = g_string_new_len(old, (gssize)at);
	if (at > 0 && old[at - 1] != '\n')
		g_string_append_c(text, '\n');
	g_string_append_printf(text, "# %s\n%s\n", comment, rule);
	g_string_append(text, old + at);
	g_autofree char *new_text = g_string_free(text, FALSE);
	return check_and_write(path, false, new_text, mode, plan, error);
}

/* Whether a phonebook line is the entry for `key` (a number normalised
 * with `plan`, in lower case). */
static bool entry_for(const char *line, const char *key, const struct sipcid_number_plan *plan)
{
	struct rules_errors errors;
	rules_errors_init(&errors, "");
	g_autoptr(GPtrArray) tokens = rules_lex_line(line, 1, false, &errors);
	rules_errors_clear(&errors);
	if (!tokens || tokens->len == 0)
		return false;
	g_autofree char *raw = rules_token_unescape(((const struct token *)tokens->pdata[0])->text);
	char number[SIPCID_NUMBER_MAX], lower[SIPCID_NUMBER_MAX];
	if (strlen(raw) >= sizeof number || !sipcid_number_normalise(plan, raw, number, sizeof number))
		return false;
	rules_ascii_lower(number, lower, sizeof lower);
	return !strcmp(lower, key);
}

/* NUMBER "NAME", the name quoted with its quotes and backslashes escaped. */
static void append_entry(GString *out, const char *number, const char *name)
{
	g_string_append_printf(out, "%s \"", number);
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
	g_string_append(out, "\"\n");
}

bool sipcid_rules_edit_phonebook_set(const char *path, const char *number, const char *name,
                                     const char *comment,
                                     const struct sipcid_number_plan *plan, GError **error)
{
	if (!number_ok(number, error))
		return false;
	if (!one_line(name) || !one_line(comment)) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: a name and its comment are one line each",
		            path);
		return false;
	}
	char normal[SIPCID_NUMBER_MAX], key[SIPCID_NUMBER_MAX];
	if (strlen(number) >= sizeof normal ||
	    !sipcid_number_normalise(plan, number, normal, sizeof normal)) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "'%s' is not a phone number", number);
		return false;
	}
	rules_ascii_lower(normal, key, sizeof key);
	int mode;
	g_autofree char *old = read_old(path, &mode, error);
	if (!old)
		return false;
	GString *text = g_string_new(NULL);
	bool replaced = false;
	g_auto(GStrv) lines = g_strsplit(old, "\n", -1);
	guint n = g_strv_length(lines);
	for (guint i = 0; i < n; i++) {
		if (i + 1 == n && !lines[i][0])
			break;  /* after the last newline */
		g_autofree char *bare = g_strdup(lines[i]);
		size_t len = strlen(bare);
		if (len && bare[len - 1] == '\r')
			bare[len - 1] = '\0';
		if (!replaced && entry_for(bare, key, plan)) {
			/* The old entry stays readable, as a comment above the new one. */
			g_string_append_printf(text, "# %s (was: %s)\n", comment, bare);
			append_entry(text, number, name);
			replaced = true;
			continue;
		}
		g_string_append_printf(text, "%s\n", lines[i]);
	}
	if (!replaced) {
		g_string_append_printf(text, "# %s\n", comment);
		append_entry(text, number, name);
	}
	g_autofree char *new_text = g_string_free(text, FALSE);
	return check_and_write(path, true, new_text, mode, plan, error);
}
