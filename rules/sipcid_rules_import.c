/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-rules import: a contacts export into the phonebook, with a report of
 * what changed (see sipcid-rules(1); the work is phonebook_import.h's). */
#include "log.h"
#include "phonebook_import.h"
#include "rules_settings.h"
#include "sipcid_rules_tool.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

/* One line a number; the names were cleaned of control characters on import. */
static void import_report(const struct sipcid_phonebook_import_change *c, bool dry_run,
                          const char *import, const char *phonebook)
{
	switch (c->outcome) {
	case SIPCID_PHONEBOOK_IMPORT_ADD:
		printf("add       %-16s \"%s\"\n", c->number, c->name);
		break;
	case SIPCID_PHONEBOOK_IMPORT_ALREADY:
		if (dry_run)
			printf("already   %-16s \"%s\" (%s:%u)\n", c->number, c->name, phonebook,
			       c->phonebook_line);
		break;
	case SIPCID_PHONEBOOK_IMPORT_CONFLICT:
		printf("conflict  %-16s \"%s\": %s:%u has it as \"%s\"; kept that (--replace "
		       "takes the import's)\n", c->number, c->name, phonebook, c->phonebook_line,
		       c->reason);
		break;
	case SIPCID_PHONEBOOK_IMPORT_REPLACE:
		printf("replace   %-16s \"%s\": was \"%s\" (%s:%u)\n", c->number, c->name,
		       c->reason, phonebook, c->phonebook_line);
		break;
	case SIPCID_PHONEBOOK_IMPORT_SKIP:
		printf("skip      %s:%u \"%s\": %s\n", import, c->from->line, c->name, c->reason);
		break;
	}
}

/* The plan as one JSON line: counts, and what a user must look at. */
static void import_json(const struct sipcid_phonebook_import *imp,
                        const struct sipcid_phonebook_import_plan *plan, bool dry_run,
                        const char *phonebook)
{
	const unsigned *n = plan->count;
	g_autoptr(GString) out = g_string_new(NULL);
	g_string_append_printf(out, "{\"ok\":true,\"format\":\"%s\",\"contacts\":%u,"
	                       "\"numbers\":%u,\"added\":%u,\"already\":%u,\"replaced\":%u,"
	                       "\"written\":%s,\"path\":",
	                       sipcid_phonebook_import_format_name(imp->format), imp->contacts,
	                       imp->numbers->len, n[SIPCID_PHONEBOOK_IMPORT_ADD],
	                       n[SIPCID_PHONEBOOK_IMPORT_ALREADY], n[SIPCID_PHONEBOOK_IMPORT_REPLACE],
	                       !dry_run && plan->new_text ? "true" : "false");
	sipcid_rules_tool_json_string(out, phonebook);
	static const char *const lists[] = { "adds", "conflicts", "skipped" };
	static const enum sipcid_phonebook_import_outcome which[] = {
		SIPCID_PHONEBOOK_IMPORT_ADD, SIPCID_PHONEBOOK_IMPORT_CONFLICT,
		SIPCID_PHONEBOOK_IMPORT_SKIP };
	for (size_t k = 0; k < G_N_ELEMENTS(lists); k++) {
		g_string_append_printf(out, ",\"%s\":[", lists[k]);
		bool first = true;
		for (unsigned i = 0; i < plan->changes->len; i++) {
			const struct sipcid_phonebook_import_change *c = plan->changes->pdata[i];
			if (c->outcome != which[k] &&
			    !(which[k] == SIPCID_PHONEBOOK_IMPORT_CONFLICT &&
			      c->outcome == SIPCID_PHONEBOOK_IMPORT_REPLACE))
				continue;
			g_string_append(out, first ? "{\"number\":" : ",{\"number\":");
			first = false;
			sipcid_rules_tool_json_string(out, c->number);
			g_string_append(out, ",\"name\":");
			sipcid_rules_tool_json_string(out, c->name);
			g_string_append_printf(out, ",\"line\":%u", c->from->line);
			if (c->reason) {
				/* a conflict's: the phonebook's name, on its line */
				g_string_append(out, which[k] == SIPCID_PHONEBOOK_IMPORT_SKIP
				                             ? ",\"reason\":" : ",\"phonebook_name\":");
				sipcid_rules_tool_json_string(out, c->reason);
			}
			if (which[k] == SIPCID_PHONEBOOK_IMPORT_CONFLICT)
				g_string_append_printf(out, ",\"phonebook_line\":%u", c->phonebook_line);
			g_string_append_c(out, '}');
		}
		g_string_append_c(out, ']');
	}
	g_string_append(out, "}\n");
	fputs(out->str, stdout);
}

/* The export: a file, or standard input ("-") named `name` in messages. */
static struct sipcid_phonebook_import *import_read(const char *path, const char *name,
                                                   GError **error)
{
	if (strcmp(path, "-"))
		return sipcid_phonebook_import_read(path, error);
	g_autofree char *text = sipcid_rules_tool_read_stdin();
	if (!text) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: could not be read", name);
		return NULL;
	}
	return sipcid_phonebook_import_parse(name, text, strlen(text), error);
}

int sipcid_rules_import_command(int argc, char **argv)
{
	g_autofree char *config = NULL, *phonebook = NULL, *name = NULL;
	gboolean dry_run = FALSE, replace = FALSE, json = FALSE;
	const GOptionEntry entries[] = {
		{ "phonebook", 'p', 0, G_OPTION_ARG_FILENAME, &phonebook,
		  "the phonebook to add to (default: [rules] phonebook of --config, or "
		  SIPCID_PHONEBOOK_DEFAULT_PATH ")", "FILE" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "sipcid.conf: its number plan and phonebook", "FILE" },
		{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
		  "show what would change, change nothing", NULL },
		{ "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
		  "where the phonebook has a number under another name, take the import's name",
		  NULL },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json,
		  "the plan as one JSON line instead of the report", NULL },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name,
		  "the export's file name, for messages and the comment, when FILE is - (standard "
		  "input)", "NAME" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - add the numbers of a vCard "
	                                                     "or contacts CSV export to the "
	                                                     "phonebook");
	int rc;
	if (!sipcid_rules_tool_parse(ctx, entries, &argc, &argv, &rc))
		return rc;
	GError *error = NULL;
	if (argc != 2)
		return sipcid_rules_tool_usage_error(ctx, "%s",
		                                     argc < 2 ? "expected the export FILE to import"
		                                              : "expected one export FILE");
	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load(config, &tc))
		return SIPCID_RULES_EXIT_PROBLEM;
	const char *pb_path = phonebook ? phonebook : tc.settings.phonebook_path;
	if (!pb_path) {
		sipcid_rules_settings_clear(&tc.settings);
		return sipcid_rules_tool_usage_error(ctx, "%s", "the configuration turns the phonebook "
		                                     "off; name one with --phonebook FILE");
	}
	g_autofree char *pb = g_strdup(pb_path);
	sipcid_rules_settings_clear(&tc.settings);

	const char *shown = strcmp(argv[1], "-") ? argv[1] : name ? name : "(standard input)";
	struct sipcid_phonebook_import *imp = import_read(argv[1], shown, &error);
	if (!imp) {
		if (json)
			sipcid_rules_tool_json_refusal(error->message);
		fprintf(stderr, "%s\n", error->message);
		fprintf(stderr, "%s: not changed\n", pb);
		g_error_free(error);
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	for (unsigned i = 0; i < imp->warnings->len; i++)
		sipcid_log_warnx("%s", (const char *)imp->warnings->pdata[i]);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *day = g_date_time_format(now, "%Y-%m-%d");
	g_autofree char *base = g_path_get_basename(shown);
	g_autofree char *said = g_strdup_printf("imported from %s on %s by sipcid-rules import",
	                                        base, day);
	char comment[256];
	sipcid_text_clean(said, strlen(said), comment, sizeof comment);
	struct sipcid_phonebook_import_plan plan;
	bool ok = sipcid_phonebook_import_plan(imp, pb, &tc.plan, replace, comment, &plan, &error);
	if (ok) {
		for (unsigned i = 0; !json && i < plan.changes->len; i++)
			import_report(plan.changes->pdata[i], dry_run, shown, pb);
		ok = dry_run || sipcid_phonebook_import_commit(pb, &plan, &tc.plan, &error);
	}
	if (!ok) {
		if (json)
			sipcid_rules_tool_json_refusal(error->message);
		fprintf(stderr, "%s\n", error->message);
		g_error_free(error);
	} else if (json) {
		import_json(imp, &plan, dry_run, pb);
	} else {
		const unsigned *n = plan.count;
		printf("%s: %s, %u contact%s, %u number%s: %u %s, %u already there, %u with another "
		       "name (%s), %u skipped\n", shown, sipcid_phonebook_import_format_name(imp->format),
		       imp->contacts, imp->contacts == 1 ? "" : "s", imp->numbers->len,
		       imp->numbers->len == 1 ? "" : "s", n[SIPCID_PHONEBOOK_IMPORT_ADD],
		       dry_run ? "to add" : "added", n[SIPCID_PHONEBOOK_IMPORT_ALREADY],
		       n[SIPCID_PHONEBOOK_IMPORT_CONFLICT] + n[SIPCID_PHONEBOOK_IMPORT_REPLACE],
		       replace ? "replaced" : "kept", n[SIPCID_PHONEBOOK_IMPORT_SKIP]);
		printf("%s: %s\n", pb, dry_run ? "not changed (dry run)"
		                     : plan.new_text ? "written" : "unchanged");
	}
	sipcid_phonebook_import_plan_clear(&plan);
	sipcid_phonebook_import_free(imp);
	return ok ? SIPCID_RULES_EXIT_OK : SIPCID_RULES_EXIT_PROBLEM;
}
