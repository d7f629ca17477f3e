/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Runs the caller-ID extractor over every message in tests/corpus and
 * compares with tests/corpus/expected.txt, where each expectation is
 * justified in a comment. `test_corpus --dump DIR...` prints what the
 * extractor says, in the same format, for writing new expectations. */
#include "callerid.h"
#include "number.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static const char *result_name(enum sipcid_extract_result r)
{
	switch (r) {
	case SIPCID_EXTRACT_OK: return "ok";
	case SIPCID_EXTRACT_NOT_INVITE: return "not-invite";
	case SIPCID_EXTRACT_IN_DIALOG: return "in-dialog";
	default: return "unreadable";
	}
}

/* "file | trusted | result | number | number_raw | name | presentation | source | called | via" */
static char *describe(const char *path, const char *label, bool trusted)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &data, &len, NULL))
		return g_strdup_printf("cannot read %s", path);
	/* An exactly sized copy, so ASan catches any read past the message. */
	char *exact = g_malloc(len ? len : 1);
	memcpy(exact, data, len);
	struct sipcid_number_plan plan;
	sipcid_number_plan_default(&plan);
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	enum sipcid_extract_result r = sipcid_callerid_extract(&plan, exact, len, trusted, &c, NULL);
	g_free(exact);
	g_autofree char *base = label ? g_strdup(label) : g_path_get_basename(path);
	if (r != SIPCID_EXTRACT_OK)
		return g_strdup_printf("%s | %s | %s", base, trusted ? "trusted" : "untrusted",
		                       result_name(r));
	return g_strdup_printf("%s | %s | ok | %s | %s | %s | %s | %s | %s | %s", base,
	                       trusted ? "trusted" : "untrusted", c.number, c.number_raw, c.name,
	                       sipcid_call_presentation_name(c.presentation), sipcid_call_source_name(c.source),
	                       c.called, c.via);
}

static char *normalise_line(const char *line)
{
	g_auto(GStrv) parts = g_strsplit(line, "|", -1);
	for (int i = 0; parts[i]; i++)
		g_strstrip(parts[i]);
	return g_strjoinv(" | ", parts);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--dump")) {
		for (int i = 2; i < argc; i++) {
			g_autofree char *a = describe(argv[i], argv[i], false);
			g_autofree char *b = describe(argv[i], argv[i], true);
			puts(a);
			if (strcmp(strchr(a, '|'), strchr(b, '|')) && strstr(b, "| ok |"))
				puts(b);
		}
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: test_corpus CORPUS_DIR EXPECTED_FILE\n");
		return 2;
	}
	g_autofree char *text = NULL;
	if (!g_file_get_contents(argv[2], &text, NULL, NULL)) {
		fprintf(stderr, "cannot read %s\n", argv[2]);
		return 2;
	}
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	int passed = 0, failed = 0;
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (int i = 0; lines[i]; i++) {
		char *line = g_strstrip(lines[i]);
		if (!*line || *line == '#')
			continue;
		g_autofree char *want = normalise_line(line);
		g_auto(GStrv) f = g_strsplit(want, " | ", 3);
		if (!f[0] || !f[1]) {
			fprintf(stderr, "%s:%d: malformed expectation\n", argv[2], i + 1);
			failed++;
			continue;
		}
		g_hash_table_add(seen, g_strdup(f[0]));
		g_autofree char *path = g_build_filename(argv[1], f[0], NULL);
		g_autofree char *got = describe(path, f[0], !strcmp(f[1], "trusted"));
		if (strcmp(got, want)) {
			fprintf(stderr, "FAIL %s:%d\n  want: %s\n  got:  %s\n", argv[2], i + 1, want, got);
			failed++;
		} else {
			passed++;
		}
	}
	/* Every message in the corpus must have an expectation. */
	const char *sub[] = { "", "real", NULL };
	for (int s = 0; sub[s]; s++) {
		g_autofree char *dirpath = g_build_filename(argv[1], sub[s], NULL);
		GDir *dir = g_dir_open(dirpath, 0, NULL);
		const char *name;
		while (dir && (name = g_dir_read_name(dir))) {
			if (!g_str_has_suffix(name, ".dat") && !g_str_has_suffix(name, ".sip"))
				continue;
			g_autofree char *rel = *sub[s] ? g_build_filename(sub[s], name, NULL) : g_strdup(name);
			if (!g_hash_table_contains(seen, rel)) {
				fprintf(stderr, "FAIL %s has no expectation in %s\n", rel, argv[2]);
				failed++;
			}
		}
		if (dir)
			g_dir_close(dir);
	}
	g_hash_table_unref(seen);
	printf("corpus: %d expectations met, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
