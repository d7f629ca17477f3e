/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-rules: check rule files and phonebooks, and show what the rules
 * decide for a call (see sipcid-rules(1)). */
#include "config.h"
#include "event_format.h"
#include "log.h"
#include "number.h"
#include "rules.h"
#include "rules_list.h"
#include "rules_settings.h"
#include "sipcid_rules_tool.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

bool sipcid_rules_tool_config_load(const char *path, struct sipcid_rules_tool_config *tc)
{
	GError *error = NULL;
	struct sipcid_config *cfg = sipcid_config_load(path, &error);
	bool ok = cfg && sipcid_number_plan_load(cfg, &tc->plan, &error) &&
	          sipcid_rules_settings_load(cfg, &tc->settings, &error) &&
	          sipcid_calllog_settings_load(cfg, &tc->log, &error);
	if (!ok) {
		sipcid_log_gerror(NULL, error);
		g_error_free(error);
	}
	tc->from_file = path != NULL;
	sipcid_config_free(cfg);
	return ok;
}

bool sipcid_rules_tool_config_load_default(char **config, struct sipcid_rules_tool_config *tc,
                                           bool json)
{
	if (!*config && g_file_test(SIPCID_RULES_TOOL_DEFAULT_CONFIG, G_FILE_TEST_EXISTS))
		*config = g_strdup(SIPCID_RULES_TOOL_DEFAULT_CONFIG);
	if (sipcid_rules_tool_config_load(*config, tc))
		return true;
	if (json)
		sipcid_rules_tool_json_refusal("the configuration does not load");
	return false;
}

bool sipcid_rules_tool_parse(GOptionContext *ctx, const GOptionEntry *entries, int *argc,
                             char ***argv, int *rc)
{
	g_option_context_add_main_entries(ctx, entries, NULL);
	GError *error = NULL;
	if (g_option_context_parse(ctx, argc, argv, &error)) {
		/* GOption leaves the "--" that ends the options (sipcid-web puts one
		 * before a number or name that may start with '-'). */
		if (*argc > 1 && !strcmp((*argv)[1], "--")) {
			memmove(&(*argv)[1], &(*argv)[2], (size_t)(*argc - 1) * sizeof **argv);
			(*argc)--;
		}
		return true;
	}
	*rc = sipcid_rules_tool_usage_error(ctx, "%s", error->message);
	g_error_free(error);
	return false;
}

int sipcid_rules_tool_usage_error(GOptionContext *ctx, const char *fmt, const char *arg)
{
	sipcid_log_warnx(fmt, arg);
	g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
	fputs(help, stderr);
	return SIPCID_RULES_EXIT_USAGE;
}

void sipcid_rules_tool_json_string(GString *out, const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s ? s : "", -1);
	sipcid_event_json_string(out, valid, false);
}

void sipcid_rules_tool_json_refusal(const char *message)
{
	g_autoptr(GString) out = g_string_new("{\"ok\":false,\"error\":");
	sipcid_rules_tool_json_string(out, message);
	g_string_append(out, "}\n");
	fputs(out->str, stdout);
}

GHashTable *sipcid_rules_tool_load_lists(const struct sipcid_rules_tool_config *tc, bool report,
                                         bool *ok)
{
	GHashTable *lists = sipcid_rules_lists_new();
	for (unsigned i = 0; i < tc->settings.n_lists; i++) {
		const struct sipcid_rules_list_source *src = &tc->settings.lists[i];
		GError *error = NULL;
		struct sipcid_rules_list *l = sipcid_rules_settings_load_list(src, &tc->plan, &error);
		if (!l) {
			fprintf(stderr, "%s\n", error->message);
			g_error_free(error);
			*ok = false;
			l = sipcid_rules_list_new_empty(src->name);
		} else if (report) {
			printf("%s: ok, list %s: %zu numbers%s", src->path, src->name,
			       sipcid_rules_list_count(l), sipcid_rules_list_is_ftc(l) ? " (FTC CSV)" : "");
			if (sipcid_rules_list_skipped(l))
				printf(", %u lines skipped", sipcid_rules_list_skipped(l));
			if (src->url)
				printf(", from %s", src->url);
			printf("\n");
		}
		sipcid_rules_lists_put(lists, l);
		sipcid_rules_list_unref(l);
	}
	return lists;
}

static bool check_one(const char *path, bool phonebook, const struct sipcid_number_plan *plan,
                      GHashTable *lists)
{
	GError *error = NULL;
	struct sipcid_rules *r = phonebook ? sipcid_rules_load(NULL, path, plan, &error)
	                                   : sipcid_rules_load_with(path, NULL, plan, lists, &error);
	/* What check finds is its report, in the FILE:LINE:COLUMN form editors
	 * jump to, one finding a line: output, not log lines. */
	if (!r) {
		fprintf(stderr, "%s\n", error->message);
		bool syntax = g_error_matches(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX);
		g_error_free(error);
		if (syntax && !phonebook) {
			struct sipcid_rules *pb = sipcid_rules_load(NULL, path, plan, NULL);
			if (pb)
				fprintf(stderr, "%s: this looks like a phonebook; check it with "
				                "sipcid-rules check --phonebook %s\n", path, path);
			sipcid_rules_unref(pb);
		}
		return false;
	}
	if (phonebook)
		printf("%s: ok, %u phonebook entries\n", path, sipcid_rules_phonebook_count(r));
	else
		printf("%s: ok, %u rules\n", path, sipcid_rules_count(r));
	sipcid_rules_unref(r);
	return true;
}

static int cmd_check(int argc, char **argv)
{
	g_autofree char *config = NULL;
	g_auto(GStrv) phonebooks = NULL;
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "read the number plan from sipcid.conf FILE; with no other files, check the files "
		  "its [rules] group names", "FILE" },
		{ "phonebook", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &phonebooks,
		  "check FILE as a phonebook (may be repeated)", "FILE" },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json,
		  "check one file (- for the text on standard input) and say whether it loads, with "
		  "every error's line and column, as one JSON line", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("[RULEFILE...] - check rule files "
	                                                     "and phonebooks");
	int rc;
	if (!sipcid_rules_tool_parse(ctx, entries, &argc, &argv, &rc))
		return rc;
	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load(config, &tc))
		return SIPCID_RULES_EXIT_PROBLEM;
	if (json) {
		unsigned n_pb = phonebooks ? g_strv_length(phonebooks) : 0;
		if (argc - 1 + (int)n_pb != 1) {
			sipcid_rules_settings_clear(&tc.settings);
			return sipcid_rules_tool_usage_error(ctx, "%s", "--json checks one file (- for "
			                                                "standard input)");
		}
		rc = sipcid_rules_tool_check_json(&tc, n_pb ? phonebooks[0] : argv[1], n_pb > 0);
		sipcid_rules_settings_clear(&tc.settings);
		return rc;
	}
	bool ok = true;
	int checked = 0;
	g_autoptr(GHashTable) lists = sipcid_rules_tool_load_lists(&tc, true, &ok);
	/* Without --config there are no lists to know: the error says to give it. */
	for (int i = 1; i < argc; i++, checked++)
		ok &= check_one(argv[i], false, &tc.plan, tc.from_file ? lists : NULL);
	for (int i = 0; phonebooks && phonebooks[i]; i++, checked++)
		ok &= check_one(phonebooks[i], true, &tc.plan, NULL);
	if (checked == 0 && tc.from_file) {
		const struct sipcid_rules_settings *s = &tc.settings;
		if (s->rules_path && (s->rules_required || g_file_test(s->rules_path, G_FILE_TEST_EXISTS)))
			ok &= check_one(s->rules_path, false, &tc.plan, lists), checked++;
		if (s->phonebook_path &&
		    (s->phonebook_required || g_file_test(s->phonebook_path, G_FILE_TEST_EXISTS)))
			ok &= check_one(s->phonebook_path, true, &tc.plan, NULL), checked++;
		checked += (int)s->n_lists;
		if (checked == 0)
			printf("%s: no rule file or phonebook to check\n", config);
	} else if (checked == 0) {
		sipcid_rules_settings_clear(&tc.settings);
		return sipcid_rules_tool_usage_error(ctx, "%s", "expected a rule file to check (or "
		                                                "--phonebook FILE, or --config FILE)");
	}
	sipcid_rules_settings_clear(&tc.settings);
	return ok ? SIPCID_RULES_EXIT_OK : SIPCID_RULES_EXIT_PROBLEM;
}

/* Cleans a command-line value as the SIP decode stage cleans the wire. */
static void clean(const char *in, char *out, size_t size)
{
	sipcid_text_clean(in ? in : "", in ? strlen(in) : 0, out, size);
}

static int cmd_test(int argc, char **argv)
{
	g_autofree char *config = NULL, *rules = NULL, *phonebook = NULL;
	g_autofree char *number = NULL, *name = NULL, *presentation = NULL, *called = NULL,
	                *via = NULL, *direction = NULL, *source = NULL, *verstat = NULL,
	                *attest = NULL;
	const GOptionEntry entries[] = {
		{ "rules", 'r', 0, G_OPTION_ARG_FILENAME, &rules, "the rule file", "FILE" },
		{ "phonebook", 'p', 0, G_OPTION_ARG_FILENAME, &phonebook, "the phonebook", "FILE" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
		  "sipcid.conf: its number plan, record-default, and its files unless --rules or "
		  "--phonebook is given", "FILE" },
		{ "number", 'n', 0, G_OPTION_ARG_STRING, &number, "the caller's number, as sent",
		  "N" },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name, "the caller's name", "S" },
		{ "presentation", 0, 0, G_OPTION_ARG_STRING, &presentation,
		  "allowed (the default), restricted or unavailable", "P" },
		{ "called", 0, 0, G_OPTION_ARG_STRING, &called, "the number called", "C" },
		{ "via", 0, 0, G_OPTION_ARG_STRING, &via, "who forwarded the call", "V" },
		{ "direction", 0, 0, G_OPTION_ARG_STRING, &direction,
		  "incoming (the default) or outgoing (the phone calling --called)", "D" },
		{ "source", 0, 0, G_OPTION_ARG_STRING, &source,
		  "who sent the INVITE: provider, stranger or unknown (the default)", "S" },
		{ "verstat", 0, 0, G_OPTION_ARG_STRING, &verstat,
		  "the carrier's STIR/SHAKEN verification: passed, failed, no-validation or none "
		  "(the default)", "V" },
		{ "attest", 0, 0, G_OPTION_ARG_STRING, &attest,
		  "the STIR/SHAKEN attestation: A, B, C or none (the default)", "A" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- show what the rules decide for "
	                                                     "a call");
	int rc;
	if (!sipcid_rules_tool_parse(ctx, entries, &argc, &argv, &rc))
		return rc;
	GError *error = NULL;
	if (argc > 1)
		return sipcid_rules_tool_usage_error(ctx, "unexpected argument '%s'", argv[1]);
	if (!number && !presentation && !called)
		return sipcid_rules_tool_usage_error(ctx, "%s", "expected --number N (or --presentation "
		                                                "for a call without a number, or "
		                                                "--called for an outgoing call)");
	struct sipcid_call call = { .kind = SIPCID_EVENT_CALL };
	if (presentation && !sipcid_call_presentation_parse(presentation, &call.presentation))
		return sipcid_rules_tool_usage_error(ctx, "expected allowed, restricted or unavailable "
		                                          "after --presentation, not '%s'",
		                                     presentation);

	if (direction && !sipcid_call_direction_parse(direction, &call.direction))
		return sipcid_rules_tool_usage_error(ctx, "expected incoming or outgoing after "
		                                          "--direction, not '%s'", direction);
	if (source && (!sipcid_call_origin_parse(source, &call.origin) ||
	               call.origin == SIPCID_ORIGIN_PHONE))
		return sipcid_rules_tool_usage_error(ctx, "expected provider, stranger or unknown "
		                                          "after --source, not '%s'", source);
	if (call.direction == SIPCID_DIR_OUTGOING)
		call.origin = SIPCID_ORIGIN_PHONE;
	if (verstat && !sipcid_call_verstat_parse(verstat, &call.verstat))
		return sipcid_rules_tool_usage_error(ctx, "expected passed, failed, no-validation or none after "
		                        "--verstat, not '%s'", verstat);
	if (attest && g_ascii_strcasecmp(attest, "none")) {
		if (strlen(attest) != 1 || !strchr("ABCabc", attest[0]))
			return sipcid_rules_tool_usage_error(ctx, "expected A, B, C or none after --attest, not '%s'",
			                   attest);
		call.attest = g_ascii_toupper(attest[0]);
	}

	struct sipcid_rules_tool_config tc = { 0 };
	if (!sipcid_rules_tool_config_load(config, &tc))
		return SIPCID_RULES_EXIT_PROBLEM;
	clean(number, call.number_raw, sizeof call.number_raw);
	sipcid_number_normalise(&tc.plan, call.number_raw, call.number, sizeof call.number);
	clean(name, call.name, sizeof call.name);
	char raw[SIPCID_NUMBER_MAX];
	clean(called, raw, sizeof raw);
	sipcid_number_normalise(&tc.plan, raw, call.called, sizeof call.called);
	clean(via, raw, sizeof raw);
	sipcid_number_normalise(&tc.plan, raw, call.via, sizeof call.via);

	bool lists_ok = true;
	g_autoptr(GHashTable) lists = sipcid_rules_tool_load_lists(&tc, false, &lists_ok);
	struct sipcid_rules *r = NULL;
	if (lists_ok && (rules || phonebook))
		r = sipcid_rules_load_with(rules, phonebook, &tc.plan, lists, &error);
	else if (lists_ok)
		r = sipcid_rules_load_settings_with(&tc.settings, &tc.plan, lists, &error);
	bool record_default = tc.settings.record_default;
	enum sipcid_outcome block_outcome = tc.settings.block_outcome;
	sipcid_rules_settings_clear(&tc.settings);
	if (!r) {
		if (error)
			sipcid_log_gerror(NULL, error);
		g_clear_error(&error);
		return SIPCID_RULES_EXIT_PROBLEM;
	}
	sipcid_rules_set_block_outcome(r, block_outcome);
	struct sipcid_rules_verdict why;
	sipcid_rules_decide_why(r, record_default, &call, &why);
	/* what the events say about the number (docs/events.md) */
	sipcid_number_describe_call(&tc.plan, &call);

	g_autoptr(GString) out = g_string_new("{\"action\":");
	sipcid_event_json_string(out, sipcid_call_action_name(call.action), false);
	g_string_append(out, ",\"outcome\":");
	sipcid_event_json_string(out, call.outcome ? sipcid_call_outcome_name(call.outcome) : "",
	                         true);
	g_string_append(out, ",\"rule\":");
	sipcid_event_json_string(out, call.rule, true);
	g_string_append(out, ",\"alias\":");
	sipcid_event_json_string(out, call.alias, true);
	g_string_append_printf(out, ",\"record\":%s,\"number\":", call.record ? "true" : "false");
	sipcid_event_json_string(out, call.number, false);
	static const char *const keys[] = { "number_display", "country", "number_type", "region" };
	const char *values[] = { call.number_display, call.country, call.number_type, call.region };
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_string_append_printf(out, ",\"%s\":", keys[i]);
		sipcid_event_json_string(out, values[i], true);
	}
	g_string_append(out, ",\"direction\":");
	sipcid_event_json_string(out, sipcid_call_direction_name(call.direction), false);
	g_string_append_printf(out, ",\"emergency\":%s", call.emergency ? "true" : "false");
	g_string_append(out, ",\"verstat\":");
	sipcid_event_json_string(out, call.verstat ? sipcid_call_verstat_name(call.verstat) : "",
	                         true);
	char attest_text[2] = { call.attest, '\0' };
	g_string_append(out, ",\"attest\":");
	sipcid_event_json_string(out, attest_text, true);
	/* Which list put the caller under the deciding rule: the user's answer to "why?". */
	if (why.list) {
		g_string_append(out, ",\"list\":");
		sipcid_event_json_string(out, why.list, false);
	}
	g_string_append(out, "}\n");
	sipcid_rules_unref(r);
	fputs(out->str, stdout);
	return SIPCID_RULES_EXIT_OK;
}

static const char usage[] =
	"Usage: sipcid-rules check [--config FILE] [--phonebook FILE]... [RULEFILE...]\n"
	"       sipcid-rules test [--rules FILE] [--phonebook FILE] [--config FILE]\n"
	"                         --number N [--name S] [--presentation P] [--called C] [--via V]\n"
	"                         [--direction D] [--source S] [--verstat V] [--attest A]\n"
	"       sipcid-rules block-last [busy|decline|gone|drop] [--config FILE] [--database FILE]\n"
	"       sipcid-rules allow-last [--config FILE] [--database FILE]\n"
	"       sipcid-rules rename-last NAME [--config FILE] [--database FILE]\n"
	"       sipcid-rules import [--dry-run] [--replace] [--json] [--phonebook FILE]\n"
	"                           [--config FILE] FILE\n"
	"       sipcid-rules block-number NUMBER [busy|decline|gone|drop] [--json] [--config FILE]\n"
	"       sipcid-rules allow-number NUMBER [--json] [--config FILE]\n"
	"       sipcid-rules name-number NUMBER NAME [--json] [--config FILE]\n"
	"       sipcid-rules unname-number NUMBER [--json] [--config FILE]\n"
	"       sipcid-rules save rules|phonebook [--json] [--file FILE] [--config FILE] < TEXT\n"
	"       sipcid-rules list-phonebook [--phonebook FILE] [--config FILE]\n"
	"       sipcid-rules --version\n"
	"See sipcid-rules(1) and sipcid-rules(5).\n";

int main(int argc, char **argv)
{
	sipcid_log_init("sipcid-rules");
	if (argc < 2) {
		fputs(usage, stderr);
		return SIPCID_RULES_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "check")) {
		g_set_prgname("sipcid-rules check");
		return cmd_check(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "test")) {
		g_set_prgname("sipcid-rules test");
		return cmd_test(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "block-last") || !strcmp(argv[1], "allow-last") ||
	    !strcmp(argv[1], "rename-last")) {
		g_autofree char *prg = g_strdup_printf("sipcid-rules %s", argv[1]);
		g_set_prgname(prg);
		return sipcid_rules_last_command(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "block-number") || !strcmp(argv[1], "allow-number") ||
	    !strcmp(argv[1], "name-number") || !strcmp(argv[1], "unname-number")) {
		g_autofree char *prg = g_strdup_printf("sipcid-rules %s", argv[1]);
		g_set_prgname(prg);
		return sipcid_rules_number_command(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "save")) {
		g_set_prgname("sipcid-rules save");
		return sipcid_rules_save_command(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "list-phonebook")) {
		g_set_prgname("sipcid-rules list-phonebook");
		return sipcid_rules_list_phonebook_command(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "import")) {
		g_set_prgname("sipcid-rules import");
		return sipcid_rules_import_command(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "--version")) {
		puts("sipcid-rules " SIPCID_VERSION);
		return SIPCID_RULES_EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return SIPCID_RULES_EXIT_OK;
	}
	sipcid_log_warnx("unknown command '%s'", argv[1]);
	fputs(usage, stderr);
	return SIPCID_RULES_EXIT_USAGE;
}
