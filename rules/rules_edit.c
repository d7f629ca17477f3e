/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Adding a rule to the rule file atomically. */
#include "rules_edit.h"

#include "log.h"
#include "rules.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *sipcid_rules_edit_block_rule(const char *number, GError **error)
{
	if (!number || !*number) {
		g_set_error(error, SIPCID_RULES_ERROR, 0,
		            "the caller sent no number (withheld or unavailable): nothing to block by; "
		            "a rule such as 'block number anonymous' covers such calls");
		return NULL;
	}
	/* Written bare, a number is a literal only when it has none of the
	 * grammar's special characters (glob * ?, regex /, quotes, #, space). */
	for (const char *p = number; *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr("+-._@", *p)) {
			g_set_error(error, SIPCID_RULES_ERROR, 0,
			            "the number '%s' has a character ('%c') that a rule would read as "
			            "part of a pattern; add a rule by hand (sipcid-rules(5))",
			            number, *p);
			return NULL;
		}
	}
	return g_strdup_printf("block number %s", number);
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

bool sipcid_rules_edit_add(const char *path, const char *rule, const char *comment,
                           const struct sipcid_number_plan *plan, GError **error)
{
	if (!one_line(rule) || !one_line(comment)) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: a rule and its comment are one line each",
		            path);
		return false;
	}
	g_autofree char *old = NULL;
	gsize old_len = 0;
	g_autoptr(GError) rerr = NULL;
	if (!g_file_get_contents(path, &old, &old_len, &rerr)) {
		if (!g_error_matches(rerr, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_propagate_error(error, g_steal_pointer(&rerr));
			return false;
		}
		old = g_strdup("");
		old_len = 0;
	}
	if (strlen(old) != old_len) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: the file holds a NUL byte; not changed",
		            path);
		return false;
	}
	size_t at = first_rule_offset(old);
	GString *text = g_string_new_len(old, (gssize)at);
	if (at > 0 && old[at - 1] != '\n')
		g_string_append_c(text, '\n');
	g_string_append_printf(text, "# %s\n%s\n", comment, rule);
	g_string_append(text, old + at);
	g_autofree char *new_text = g_string_free(text, FALSE);

	g_autoptr(GError) perr = NULL;
	struct sipcid_rules *check = sipcid_rules_load_data(path, new_text, NULL, NULL, plan, &perr);
	if (!check) {
		g_set_error(error, SIPCID_RULES_ERROR, 0, "%s: not changed, the result would not load: %s",
		            path, perr->message);
		return false;
	}
	sipcid_rules_unref(check);
	return sipcid_rules_edit_write(path, new_text, error);
}

bool sipcid_rules_edit_write(const char *path, const char *text, GError **error)
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
