/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a number list: one number a line, or the FTC's Do-Not-Call
 * complaint CSV. Both come from strangers (a download, a spam list): every
 * line is bounded, bytes that are not a phone number make a bad line, and a
 * bad line is skipped, never the list. */
#include "rules_list_private.h"

#include "log.h"

#include <string.h>

/* The FTC's published DNC complaint data names the caller's number this. */
#define FTC_NUMBER_COLUMN "Company_Phone_Number"

struct builder {
	const char *path;
	const struct sipcid_number_plan *plan;
	GArray *keys;
	unsigned skipped;
	GString *warnings;
};

static void bad_line(struct builder *b, unsigned lineno, const char *why)
{
	if (b->skipped++ < SIPCID_RULES_LIST_WARNINGS_SHOWN)
		g_string_append_printf(b->warnings, "\n%s:%u: %s; line skipped", b->path, lineno, why);
}

/* Adds one number as written in the list; false when it is not one. */
static bool add_number(struct builder *b, const char *text, size_t len, bool ftc)
{
	char raw[64], normal[64];
	if (len >= sizeof raw - 2)
		return false;
	size_t n = 0, digits = 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		/* Only what a written number holds: the normaliser sees ASCII. */
		if (g_ascii_isdigit(c))
			digits++;
		else if (c != '+' && (!c || !strchr(" \t-.()/", c)))  /* strchr finds the NUL */
			return false;
		if (c != '\t')
			raw[n++] = c;
	}
	raw[n] = '\0';
	if (!digits)
		return false;
	/* The FTC's numbers are North American, written with ten digits. */
	if (ftc && digits == 10 && raw[0] != '+') {
		memmove(raw + 2, raw, n + 1);
		raw[0] = '+';
		raw[1] = '1';
	}
	uint64_t key;
	if (!sipcid_number_normalise(b->plan, raw, normal, sizeof normal) ||
	    !sipcid_rules_list_key(normal, &key))
		return false;
	g_array_append_val(b->keys, key);
	return true;
}

static void trim(const char **p, size_t *len)
{
	while (*len && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*len)--;
	}
	while (*len && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t' || (*p)[*len - 1] == '\r'))
		(*len)--;
}

static void plain_line(struct builder *b, const char *line, size_t len, unsigned lineno)
{
	const char *hash = memchr(line, '#', len);
	if (hash)
		len = (size_t)(hash - line);
	trim(&line, &len);
	if (!len)
		return;
	if (len > SIPCID_RULES_LIST_LINE_MAX)
		bad_line(b, lineno, "too long to be a phone number");
	else if (!add_number(b, line, len, false))
		bad_line(b, lineno, "not a phone number");
}

/* One CSV record (RFC 4180: "quoted" fields, "" inside them, line breaks
 * inside quotes) from p: copies field `column` to out (cut to fit) and
 * returns where the next record starts. A record longer than the line limit
 * ends at its first line break (an unbalanced quote must not swallow the
 * file) and *bad is set. *lines counts the line breaks consumed. */
static const char *csv_record(const char *p, const char *end, unsigned column, char *out,
                              size_t out_size, bool *bad, unsigned *lines, unsigned *fields)
{
	const char *start = p;
	size_t o = 0;
	unsigned field = 0;
	bool quoted = false, at_field_start = true;
	*bad = false;
	*lines = 0;
	for (; p < end; p++) {
		if ((size_t)(p - start) > SIPCID_RULES_LIST_LINE_MAX) {
			const char *nl = memchr(start, '\n', (size_t)(end - start));
			*bad = true;
			*lines = 1;
			out[0] = '\0';
			if (fields)
				*fields = 0;
			return nl ? nl + 1 : end;
		}
		char c = *p;
		if (quoted) {
			if (c == '"' && p + 1 < end && p[1] == '"')
				p++;
			else if (c == '"') {
				quoted = false;
				continue;
			}
			if (c == '\n')
				(*lines)++;
		} else if (c == '"' && at_field_start) {
			quoted = true;
			at_field_start = false;
			continue;
		} else if (c == ',') {
			field++;
			at_field_start = true;
			continue;
		} else if (c == '\n') {
			(*lines)++;
			p++;
			break;
		}
		at_field_start = false;
		if (field == column && o + 1 < out_size)
			out[o++] = c;
	}
	out[o] = '\0';
	if (fields)
		*fields = field + 1;
	return p;
}

/* The column index of FTC_NUMBER_COLUMN in a header record, or -1. */
static int ftc_column(const char *text, const char *end)
{
	char name[64];
	bool bad;
	unsigned lines, fields = 0;
	for (unsigned col = 0; col < 256 && (col == 0 || col < fields); col++) {
		csv_record(text, end, col, name, sizeof name, &bad, &lines, &fields);
		size_t len = strlen(name);
		const char *p = name;
		trim(&p, &len);
		if (bad)
			return -1;
		if (len == strlen(FTC_NUMBER_COLUMN) &&
		    !g_ascii_strncasecmp(p, FTC_NUMBER_COLUMN, len))
			return (int)col;
	}
	return -1;
}

static void ftc_records(struct builder *b, const char *p, const char *end, unsigned column,
                        unsigned lineno)
{
	while (p < end) {
		char field[128];
		bool bad;
		unsigned lines;
		const char *next = csv_record(p, end, column, field, sizeof field, &bad, &lines, NULL);
		size_t len = strlen(field);
		const char *f = field;
		trim(&f, &len);
		if (bad)
			bad_line(b, lineno, "a record longer than a line may be");
		/* Complaints without the caller's number are common; nothing to list. */
		else if (len && !add_number(b, f, len, true))
			bad_line(b, lineno, "not a phone number in " FTC_NUMBER_COLUMN);
		lineno += lines ? lines : 1;
		p = next;
	}
}

struct sipcid_rules_list *sipcid_rules_list_parse(const char *name, const char *path,
                                                  const char *text, size_t len,
                                                  const struct sipcid_number_plan *plan)
{
	struct sipcid_rules_list *l = rules_list_new(name);
	struct builder b = {
		.path = path,
		.plan = plan,
		.keys = g_array_sized_new(FALSE, FALSE, sizeof(uint64_t), (guint)MIN(len / 8, 1u << 24)),
		.warnings = g_string_new(NULL),
	};
	const char *p = text, *end = text + len;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;  /* a byte-order mark, as spreadsheets write */
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	int column = ftc_column(p, eol ? eol : end);
	if (column >= 0) {
		l->ftc = true;
		unsigned lines;
		bool bad;
		char skip[2];
		const char *body = csv_record(p, end, 0, skip, sizeof skip, &bad, &lines, NULL);
		ftc_records(&b, body, end, (unsigned)column, 1 + lines);
	} else {
		unsigned lineno = 0;
		while (p < end) {
			lineno++;
			eol = memchr(p, '\n', (size_t)(end - p));
			const char *stop = eol ? eol : end;
			plain_line(&b, p, (size_t)(stop - p), lineno);
			p = eol ? eol + 1 : end;
		}
	}
	l->skipped = b.skipped;
	if (b.skipped > SIPCID_RULES_LIST_WARNINGS_SHOWN)
		g_string_append_printf(b.warnings, "\n%s: and %u more lines skipped", path,
		                       b.skipped - SIPCID_RULES_LIST_WARNINGS_SHOWN);
	if (b.skipped)
		sipcid_log_warnx("list %s: %u lines are not phone numbers and were skipped:%s", name,
		                 b.skipped, b.warnings->str);
	g_string_free(b.warnings, TRUE);
	rules_list_take_keys(l, b.keys);
	return l;
}

struct sipcid_rules_list *sipcid_rules_list_load(const char *name, const char *path,
                                                 const struct sipcid_number_plan *plan,
                                                 GError **error)
{
	GError *err = NULL;
	GMappedFile *map = g_mapped_file_new(path, FALSE, &err);
	if (!map) {
		g_set_error(error, G_FILE_ERROR, err->code, "list %s: %s", name, err->message);
		g_error_free(err);
		return NULL;
	}
	gsize len = g_mapped_file_get_length(map);
	if (len > SIPCID_RULES_LIST_FILE_MAX) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
		            "list %s: %s is %" G_GSIZE_FORMAT " bytes; a list is at most %" G_GSIZE_FORMAT,
		            name, path, len, SIPCID_RULES_LIST_FILE_MAX);
		g_mapped_file_unref(map);
		return NULL;
	}
	const char *text = len ? g_mapped_file_get_contents(map) : "";
	struct sipcid_rules_list *l = sipcid_rules_list_parse(name, path, text, len, plan);
	g_mapped_file_unref(map);
	return l;
}
