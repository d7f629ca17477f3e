/* sipcidd --check (see check.h). */
#include "check.h"

#include "settings.h"

#include <stdio.h>

/* "12 rules from /etc/sipcid/rules", or why there are none. */
static void describe_file(GString *out, unsigned n, const char *what, const char *path,
                          bool required)
{
	if (!path)
		g_string_append_printf(out, "no %s (off)", what);
	else if (!required && !g_file_test(path, G_FILE_TEST_EXISTS))
		g_string_append_printf(out, "no %s (%s does not exist)", what, path);
	else
		g_string_append_printf(out, "%u %s from %s", n, what, path);
}

int sipcid_check_run(const struct sipcid_options *opts)
{
	struct sipcid_settings *s = sipcid_options_load_settings(opts);
	if (!s)
		return 1;
	const struct sipcid_rules_settings *f = &s->rules_files;
	g_autoptr(GString) line = g_string_new("configuration OK: ");
	g_string_append(line, s->config_path ? s->config_path : "built-in defaults");
	g_string_append(line, "; ");
	describe_file(line, sipcid_rules_count(s->rules), "rules", f->rules_path, f->rules_required);
	g_string_append(line, "; ");
	describe_file(line, sipcid_rules_phonebook_count(s->rules), "phonebook entries",
	              f->phonebook_path, f->phonebook_required);
	printf("sipcidd: %s\n", line->str);
	sipcid_settings_free(s);
	return 0;
}
