/* SPDX-License-Identifier: GPL-2.0-or-later */
/* phonebook_import's readers on the corners of vCard and CSV that the
 * samples in tests/rules/data do not reach, and every cut of a sample: a
 * truncated export is refused or read, never misread into a crash. */
#include "phonebook_import.h"
#include "rules_test_util.h"

/* Parses text that must be read; returns "NAME|LABEL|RAW|LINE" lines. */
static char *numbers_of(const char *text)
{
	GError *error = NULL;
	struct sipcid_phonebook_import *imp =
		sipcid_phonebook_import_parse("t", text, strlen(text), &error);
	g_assert_no_error(error);
	g_assert_nonnull(imp);
	GString *out = g_string_new(NULL);
	for (unsigned i = 0; i < imp->numbers->len; i++) {
		const struct sipcid_phonebook_import_number *n = imp->numbers->pdata[i];
		g_string_append_printf(out, "%s|%s|%s|%u%s\n", n->name, n->label, n->raw, n->line,
		                       n->skip ? "|skip" : "");
	}
	sipcid_phonebook_import_free(imp);
	return g_string_free(out, FALSE);
}

static char *error_of(const char *text)
{
	GError *error = NULL;
	struct sipcid_phonebook_import *imp =
		sipcid_phonebook_import_parse("t", text, strlen(text), &error);
	g_assert_null(imp);
	g_assert_nonnull(error);
	char *msg = g_strdup(error->message);
	g_error_free(error);
	return msg;
}

static void check_numbers(const char *text, const char *want)
{
	g_autofree char *got = numbers_of(text);
	g_assert_cmpstr(got, ==, want);
}

static void test_vcard_corners(void)
{
	/* folding inside a parameter; a quoted parameter holding ':' and ';' */
	check_numbers("BEGIN:VCARD\r\nFN:Pat\r\nTEL;TYPE=ce\r\n ll:+1 212 555 0101\r\n"
	              "TEL;X-NOTE=\"a:b;c\";TYPE=home:212-555-0102\r\nEND:VCARD\r\n",
	              "Pat|mobile|+1 212 555 0101|3\nPat|home|212-555-0102|5\n");
	/* N with an escaped ';', no FN; group names in any case */
	check_numbers("BEGIN:VCARD\nN:O\\;Brien;Pat;;Ms.;\nITEM1.TEL:2125550103\n"
	              "item1.X-ABLabel:_$!<HomeFAX>!$_\nitem2.TEL:2125550104\n"
	              "Item2.X-ABLABEL:Boat\\, summer\nEND:VCARD\n",
	              "Ms. Pat O;Brien|home fax|2125550103|3|skip\n"
	              "Ms. Pat O;Brien|Boat, summer|2125550104|5\n");
	/* a 2.1 AGENT card inside: its numbers are not the outer contact's */
	check_numbers("BEGIN:VCARD\nVERSION:2.1\nFN:Boss\nTEL;WORK:2125550105\nAGENT:\n"
	              "BEGIN:VCARD\nFN:Assistant\nTEL:2125550106\nEND:VCARD\nEND:VCARD\n",
	              "Boss|work|2125550105|4\n");
	/* no name at all: its number is there to be skipped, with the reason */
	check_numbers("BEGIN:VCARD\nTEL:2125550107\nEND:VCARD",
	              "||2125550107|2|skip\n");
	/* lower-case keywords, blank lines between cards, no final newline */
	check_numbers("begin:vcard\nfn:Lo\ntel;type=pager:2125550108\nend:vcard\n\n\n"
	              "BEGIN:VCARD\nFN:Hi\nTEL:tel:2125550109;ext=2\nEND:VCARD",
	              "Lo|pager|2125550108|3\nHi||2125550109|9\n");
	/* a long name and label are cut to fit a phonebook name, the label whole-ish */
	struct sipcid_phonebook_import_number n = {
		.name = (char *)"Bartholomew Featherstonehaugh-Cholmondeley of Little Snoring, "
		                "Norfolk, Esquire, Master of the Worshipful Company of Ø",
		.label = (char *)"Grandma's cottage by the sea, the one with the blue door",
	};
	char entry[SIPCID_NAME_MAX];
	sipcid_phonebook_import_entry_name(&n, entry, sizeof entry);
	g_assert_true(g_utf8_validate(entry, -1, NULL));
	g_assert_cmpuint(strlen(entry), <, SIPCID_NAME_MAX);
	g_assert_true(g_str_has_prefix(entry, "Bartholomew Featherstonehaugh"));
	g_assert_true(g_str_has_suffix(entry, " (Grandma's cottage by the sea, the one)"));
	g_autofree char *e1 = error_of("BEGIN:VCARD\nFN:x\nTEL;TYPE=\"cell:2125550101\nEND:VCARD\n");
	g_assert_cmpstr(e1, ==, "t:3: expected a vCard property (NAME:VALUE), found no ':'");
}

static void test_csv_corners(void)
{
	/* "" inside quotes, a line break in a field, an empty line, a short record */
	check_numbers("Name,Notes,Mobile Phone\n\"Al \"\"Bud\"\"\",\"two\nlines\",2125550110\n"
	              "\nBea\nCy,,2125550111",
	              "Al \"Bud\"|mobile|2125550110|2\nCy|mobile|2125550111|6\n");
	/* tab-separated */
	check_numbers("First Name\tLast Name\tHome Phone\nDee\tEe\t2125550112\n",
	              "Dee Ee|home|2125550112|2\n");
	g_autofree char *e1 = error_of("Name,Mobile Phone\nA,\"2125550113\"x\n");
	g_assert_cmpstr(e1, ==, "t:2: expected a separator or the end of the record after a "
	                        "closing quote");
}

/* Every prefix of a sample: read or refused with "t:LINE:", never more. */
static void test_every_cut(gconstpointer data)
{
	g_autofree char *path = g_build_filename(g_getenv("SAMPLES"), data, NULL);
	g_autofree char *text = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(path, &text, &len, NULL));
	for (gsize cut = 0; cut <= len; cut++) {
		GError *error = NULL;
		struct sipcid_phonebook_import *imp =
			sipcid_phonebook_import_parse("t", text, cut, &error);
		if (imp) {
			g_assert_no_error(error);
			g_assert_cmpuint(imp->numbers->len, <=, 20);
			sipcid_phonebook_import_free(imp);
		} else {
			g_assert_nonnull(error);
			g_assert_true(g_str_has_prefix(error->message, "t:"));
			g_error_free(error);
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/import/vcard-corners", test_vcard_corners);
	g_test_add_func("/import/csv-corners", test_csv_corners);
	static const char *const samples[] = { "ios.vcf", "google.vcf", "nextcloud.vcf",
	                                       "android21.vcf", "google.csv", "outlook.csv" };
	for (size_t i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autofree char *name = g_strdup_printf("/import/every-cut/%s", samples[i]);
		g_test_add_data_func(name, samples[i], test_every_cut);
	}
	return g_test_run();
}
