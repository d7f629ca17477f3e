/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What sipcid-web asks sipcid-rules, so that it never loads the rules itself:
 * sipcid-rules save rules|phonebook (a whole new text on stdin, written only
 * if it loads as sipcidd would load it), check --json (the same check, no
 * write) and list-phonebook (the entries as the real parser reads them).
 * See sipcid-rules(1). */
#include "log.h"
#include "rules_edit.h"
#include "sipcid_rules_tool.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_CONFIG SIPCID_RULES_TOOL_DEFAULT_CONFIG
/* A rule file of 100 000 numbers is a few MB. */
#define TEXT_MAX ((size_t)64 << 20)

char *sipcid_rules_tool_read_stdin(void)
{
	GString *text = g_string_new(NULL);
	char buf[65536];
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sipcid_log_warn("reading the text from standard input");
			break;
		}
		if (n == 0) {
			if (strlen(text->str) == text->len)
				return g_string_free(text, FALSE);
			sipcid_log_warnx("the text on standard input holds a NUL byte; expected text");
			break;
		}
		if (text->len + (size_t)n > TEXT_MAX) {
			sipcid_log_warnx("the text on standard input is larger than %zu MiB",
			                 TEXT_MAX >> 20);
			break;
		}
		g_string_append_len(text, buf, n);
	}
	g_string_free(text, TRUE);
	return NULL;
}

/* One finding of a load error, "NAME:LINE:COLUMN: message" (or without the
 * column), as {"line","column","message"}; line 0 for one about the whole
 * file. */
static void json_finding(GString *out, const char *name, const char *finding)
{
	size_t n = strlen(name);
	unsigned line = 0, column = 0;
	const char *message = finding;
	if (!strncmp(finding, name, n) && finding[n] == ':') {
		const char *p = finding + n + 1;
		char *end;
		unsigned long l = strtoul(p, &end, 10);
		if (end != p && *end == ':' && g_ascii_isdigit(*p)) {
			line = (unsigned)l;
			p = end + 1;
			unsigned long c = strtoul(p, &end, 10);
			if (end != p && *end == ':' && g_ascii_isdigit(*p)) {
				column = (unsigned)c;
				p = end + 1;
			}
		}
		while (*p == ' ')
			p++;
		message = p;
	}
	g_string_append_printf(out, "{\"line\":%u,\"column\":%u,\"message\":", line, column);
	sipcid_rules_tool_json_string(out, message);
	g_string_append_c(out, '}');
}

void sipcid_rules_tool_json_check(const char *name, const GError *error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	if (!error) {
		g_string_append(out, "{\"ok\":true,\"errors\":[]}\n");
		fputs(out->str, stdout);
		return;
	}
	/* "error", the words for the user, as every refusal has; "errors" for the editor */
	g_string_append(out, "{\"ok\":false,\"error\":");
	sipcid_rules_tool_json_string(out, error->message);
	g_string_append(out, ",\"errors\":[");
	g_auto(GStrv) findings = g_strsplit(error->message, "\n", -1);
	for (unsigned i = 0; findings[i]; i++) {
		if (i)
			g_string_append_c(out, ',');
		json_finding(out, name, findings[i]);
	}
	g_string_append(out, "]}\n");
	fputs(out->str, stdout);
}

/* The lists a rule file may name, loaded as sipcidd loads them; NULL for a
 * phonebook. */
static GHashTable *lists_for(const struct sipcid_rules_tool_config *tc, bool phonebook)
{
	bool lists_ok = true;
	return phonebook ? NULL : sipcid_rules_tool_load_lists(tc, false, &lists_ok);
}

int sipcid_rules_tool_check_json(const struct sipcid_rules_tool_config *tc, const char *path,
                                 bool phonebook)
{
	g_autofree char *text = NULL;
	if (!strcmp(path, "-")) {
		text = sipcid_rules_tool_read_stdin();
	} else {
		GError *error = NULL;
		if (!g_file_get_contents(path, &text, NULL, &error)) {
			sipcid_rules_tool_json_refusal(error->message);
			g_error_free(error);
			return SIPCID_RULES_EXIT_PROBLEM;
		}
	}
	if (!text) {
		sipcid_rules_tool_json_refusal("the text could not be read");
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	g_autoptr(GHashTable) lists = lists_for(tc, phonebook);
	GError *error = NULL;
	bool ok = sipcid_rules_edit_check(path, phonebook, text, &tc->plan, lists, &error);
	sipcid_rules_tool_json_check(path, error);
	g_clear_error(&error);
	return ok ? SIPCID_RULES_EXIT_OK : SIPCID_RULES_EXIT_PROBLEM;
}

int sipcid_rules_save_command(int argc, char **argv)
{
	g_autofree char *config = NULL, *file = NULL;
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "sipcid.conf: its number plan, [rules] files and [lists] (default "
		  DEFAULT_CONFIG " when it exists)", "FILE" },
		{ "file", 'f', 0, G_OPTION_ARG_FILENAME, &file,
		  "the file to replace (default: [rules] rules, or phonebook)", "FILE" },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json,
		  "say whether it was saved, or every error, as one JSON line", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(
		"rules|phonebook - replace the rule file or the phonebook with the text on standard "
		"input, if it loads");
	int rc;
	if (!sipcid_rules_tool_parse(ctx, entries, &argc, &argv, &rc))
		return rc;
	if (argc != 2 || (strcmp(argv[1], "rules") && strcmp(argv[1], "phonebook")))
		return sipcid_rules_tool_usage_error(ctx, "%s", "expected which file to save: rules "
		                                                "or phonebook");
	bool phonebook = !strcmp(argv[1], "phonebook");
	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load_default(&config, &tc, json))
		return SIPCID_RULES_EXIT_PROBLEM;
	g_autofree char *path = g_strdup(file                ? file
	                                 : phonebook ? tc.settings.phonebook_path
	                                             : tc.settings.rules_path);
	g_autofree char *text = sipcid_rules_tool_read_stdin();
	if (!path || !text) {
		const char *why = text ? (phonebook ? "no phonebook is configured ([rules] phonebook "
		                                      "is empty)"
		                                    : "no rule file is configured ([rules] rules is "
		                                      "empty)")
		                       : "the new text could not be read; nothing saved";
		if (!path)
			sipcid_log_warnx("%s", why);
		if (json)
			sipcid_rules_tool_json_refusal(why);
		sipcid_rules_settings_clear(&tc.settings);
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	/* First the check alone, for errors that name the lines of the text;
	 * the write checks again, as every edit does. */
	g_autoptr(GHashTable) lists = lists_for(&tc, phonebook);
	GError *error = NULL;
	bool loads = sipcid_rules_edit_check(path, phonebook, text, &tc.plan, lists, &error);
	if (!loads) {
		if (json)
			sipcid_rules_tool_json_check(path, error);
		fprintf(stderr, "%s\n%s: not changed\n", error->message, path);
	} else if (!sipcid_rules_edit_write_checked_with(path, phonebook, text, &tc.plan, lists,
	                                                 &error)) {
		if (json)
			sipcid_rules_tool_json_refusal(error->message);
		sipcid_log_gerror(NULL, error);
	} else if (json) {
		g_autoptr(GString) out = g_string_new("{\"ok\":true,\"errors\":[],\"path\":");
		sipcid_rules_tool_json_string(out, path);
		g_string_append(out, "}\n");
		fputs(out->str, stdout);
	} else {
		printf("%s: saved; sipcidd reloads the file by itself\n", path);
	}
	sipcid_rules_settings_clear(&tc.settings);
	rc = error ? SIPCID_RULES_EXIT_PROBLEM : SIPCID_RULES_EXIT_OK;
	g_clear_error(&error);
	return rc;
}

static void json_entry(void *ctx, unsigned line, const char *written, const char *number,
                       const char *name)
{
	GString *out = ctx;
	if (out->str[out->len - 1] != '[')
		g_string_append_c(out, ',');
	g_string_append_printf(out, "{\"line\":%u,\"number\":", line);
	sipcid_rules_tool_json_string(out, written);
	g_string_append(out, ",\"normalised\":");
	sipcid_rules_tool_json_string(out, number);
	g_string_append(out, ",\"name\":");
	sipcid_rules_tool_json_string(out, name);
	g_string_append_c(out, '}');
}

int sipcid_rules_list_phonebook_command(int argc, char **argv)
{
	g_autofree char *config = NULL, *file = NULL;
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "sipcid.conf: its number plan and [rules] phonebook (default " DEFAULT_CONFIG
		  " when it exists)", "FILE" },
		{ "phonebook", 'p', 0, G_OPTION_ARG_FILENAME, &file,
		  "the phonebook to read (default: [rules] phonebook)", "FILE" },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json, "the only output there is: kept for "
		  "symmetry with the other commands sipcid-web runs", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(
		"- the phonebook's entries, as JSON: {\"path\", \"entries\": [{\"line\", \"number\", "
		"\"normalised\", \"name\"}...]}");
	int rc;
	if (!sipcid_rules_tool_parse(ctx, entries, &argc, &argv, &rc))
		return rc;
	if (argc > 1)
		return sipcid_rules_tool_usage_error(ctx, "unexpected argument '%s'", argv[1]);
	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load_default(&config, &tc, true))
		return SIPCID_RULES_EXIT_PROBLEM;
	g_autofree char *path = g_strdup(file ? file : tc.settings.phonebook_path);
	bool required = file || tc.settings.phonebook_required;
	sipcid_rules_settings_clear(&tc.settings);
	g_autofree char *text = NULL;
	GError *error = NULL;
	if (!path) {
		sipcid_rules_tool_json_refusal("no phonebook is configured ([rules] phonebook is empty)");
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		/* A phonebook left at its default path may be missing: no entries yet. */
		if (required || !g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			sipcid_rules_tool_json_refusal(error->message);
			g_error_free(error);
			return SIPCID_RULES_EXIT_PROBLEM;
		}
		g_clear_error(&error);
		text = g_strdup("");
	}
	g_autoptr(GString) out = g_string_new("{\"ok\":true,\"path\":");
	sipcid_rules_tool_json_string(out, path);
	g_string_append(out, ",\"entries\":[");
	if (!sipcid_rules_phonebook_read(path, text, &tc.plan, json_entry, out, &error)) {
		sipcid_rules_tool_json_check(path, error);
		g_error_free(error);
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	g_string_append(out, "]}\n");
	fputs(out->str, stdout);
	return SIPCID_RULES_EXIT_OK;
}
