/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Adding a rule to the rule file atomically. */
#include "rules_edit.h"

#include "log.h"
#include "rules.h"
#include "rules_private.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The file's text ("" when it does not exist yet). */
static char *read_old(const char *path, GError **error)
{
	char *old = NULL;
	gsize old_len = 0;
	g_autoptr(GError) rerr = NULL;
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

/* The file at `path` replaced by `text`, keeping its mode, owner and group. */
static bool write_file(const char *path, const char *text, GError **error)
{
	int mode = 0644;
	struct stat st;
	bool existed = stat(path, &st) == 0;
	if (existed)
		mode = (int)(st.st_mode & 07777);
	/* GLib writes a temporary file beside it, fsyncs it, and renames it over. */
	if (!g_file_set_contents_full(path, text, -1,
	                              G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
	                              mode, error))
		return false;
	/* The new file is the writer's; root editing a root:sipcid 0640 file
	 * must leave it readable by the daemon. Only root can give it back, and
	 * anyone else wrote a file they own in a directory they own anyway. */
	if (existed && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    chown(path, st.st_uid, st.st_gid) != 0 && geteuid() == 0)
		sipcid_log_warn("%s: could not give the file back to uid %u gid %u", path,
		                (unsigned)st.st_uid, (unsigned)st.st_gid);
	return true;
}

bool sipcid_rules_edit_check(const char *path, bool phonebook, const char *text,
                             const struct sipcid_number_plan *plan, GHashTable *lists,
                             GError **error)
{
	struct sipcid_rules *check =
		phonebook ? sipcid_rules_load_data_with(NULL, NULL, path, text, plan, NULL, error)
		          : sipcid_rules_load_data_with(path, text, NULL, NULL, plan, lists, error);
	sipcid_rules_unref(check);
	return check != NULL;
}

bool sipcid_rules_edit_write_checked_with(const char *path, bool phonebook, const char *text,
                                          const struct sipcid_number_plan *plan,
                                          GHashTable *lists, GError **error)
{
	g_autoptr(GError) perr = NULL;
	if (!sipcid_rules_edit_check(path, phonebook, text, plan, lists, &perr)) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: not changed, the result would not load: %s",
		            path, perr->message);
		return false;
	}
	return write_file(path, text, error);
}

bool sipcid_rules_edit_write_checked(const char *path, bool phonebook, const char *text,
                                     const struct sipcid_number_plan *plan, GError **error)
{
	return sipcid_rules_edit_write_checked_with(path, phonebook, text, plan, NULL, error);
}

bool sipcid_rules_edit_add(const char *path, const char *rule, const char *comment,
                           const struct sipcid_number_plan *plan, GError **error)
{
	return sipcid_rules_edit_add_with(path, rule, comment, plan, NULL, error);
}

bool sipcid_rules_edit_add_with(const char *path, const char *rule, const char *comment,
                                const struct sipcid_number_plan *plan, GHashTable *lists,
                                GError **error)
{
	if (!one_line(rule) || !one_line(comment)) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: a rule and its comment are one line each",
		            path);
		return false;
	}
	g_autofree char *old = read_old(path, error);
	if (!old)
		return false;
	size_t at = first_rule_offset(old);
	GString *text = g_string_new_len(old, (gssize)at);
	if (at > 0 && old[at - 1] != '\n')
		g_string_append_c(text, '\n');
	g_string_append_printf(text, "# %s\n%s\n", comment, rule);
	g_string_append(text, old + at);
	g_autofree char *new_text = g_string_free(text, FALSE);
	return sipcid_rules_edit_write_checked_with(path, false, new_text, plan, lists, error);
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

void sipcid_rules_edit_append_entry(GString *out, const char *number, const char *name)
{
	g_string_append_printf(out, "%s \"", number);
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
	g_string_append(out, "\"\n");
}

/* Replaces number's entry by NUMBER "NAME", or appends it; with name NULL
 * removes it (an error when there is none). */
static bool phonebook_change(const char *path, const char *number, const char *name,
                             const char *comment, const struct sipcid_number_plan *plan,
                             GError **error)
{
	if (!number_ok(number, error))
		return false;
	if ((name && !one_line(name)) || !one_line(comment)) {
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
	g_autofree char *old = read_old(path, error);
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
			if (name)
				sipcid_rules_edit_append_entry(text, number, name);
			replaced = true;
			continue;
		}
		g_string_append_printf(text, "%s\n", lines[i]);
	}
	if (!replaced && !name) {
		g_string_free(text, TRUE);
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: %s is not in the phonebook; not changed",
		            path, number);
		return false;
	}
	if (!replaced) {
		g_string_append_printf(text, "# %s\n", comment);
		sipcid_rules_edit_append_entry(text, number, name);
	}
	g_autofree char *new_text = g_string_free(text, FALSE);
	return sipcid_rules_edit_write_checked(path, true, new_text, plan, error);
}

bool sipcid_rules_edit_phonebook_set(const char *path, const char *number, const char *name,
                                     const char *comment,
                                     const struct sipcid_number_plan *plan, GError **error)
{
	return phonebook_change(path, number, name, comment, plan, error);
}

bool sipcid_rules_edit_phonebook_delete(const char *path, const char *number,
                                        const char *comment,
                                        const struct sipcid_number_plan *plan, GError **error)
{
	return phonebook_change(path, number, NULL, comment, plan, error);
}
