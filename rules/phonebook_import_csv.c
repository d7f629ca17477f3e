/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading contacts CSV exports: Google Contacts ("Phone 1 - Type",
 * "Phone 1 - Value", several numbers joined by " ::: ") and Outlook
 * ("Mobile Phone", "Business Phone", "Home Phone"...). Apple exports vCard.
 *
 * The CSV reader is RFC 4180's, written here: Debian's libcsv has had no
 * release since 2013, and what is needed is small (quoted fields with ""
 * and line breaks, CRLF or LF, the separator a locale's Outlook picks). */
#include "phonebook_import_private.h"

#include "rules.h"

#include <stdio.h>
#include <string.h>

struct csv {
	const char *path;
	const char *p, *end;
	char sep;
	unsigned line;   /* of the next character */
};

static bool csv_fail(const struct csv *c, unsigned line, GError **error, const char *why)
{
	g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX, "%s:%u: %s", c->path,
	            line, why);
	return false;
}

/* The next record's fields into `fields` and its first line into *line.
 * False at the end (no error set) or on an error. */
static bool csv_record(struct csv *c, GPtrArray *fields, unsigned *line, GError **error)
{
	g_ptr_array_set_size(fields, 0);
	if (c->p >= c->end)
		return false;
	*line = c->line;
	GString *f = g_string_new(NULL);
	for (;;) {
		if (fields->len == SIPCID_PHONEBOOK_IMPORT_CSV_FIELDS_MAX) {
			g_string_free(f, TRUE);
			g_autofree char *why = g_strdup_printf("this record has more than %d fields",
			                                       SIPCID_PHONEBOOK_IMPORT_CSV_FIELDS_MAX);
			return csv_fail(c, *line, error, why);
		}
		if (c->p < c->end && *c->p == '"') {
			unsigned opened = c->line;
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					g_string_free(f, TRUE);
					return csv_fail(c, opened, error, "the quoted field that starts on this "
					                "line has no closing quote");
				}
				if (*c->p == '"' && c->p + 1 < c->end && c->p[1] == '"') {
					g_string_append_c(f, '"');
					c->p += 2;
				} else if (*c->p == '"') {
					c->p++;
					break;
				} else {
					c->line += *c->p == '\n';
					g_string_append_c(f, *c->p++);
				}
			}
			if (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
				g_string_free(f, TRUE);
				return csv_fail(c, c->line, error, "expected a separator or the end of the "
				                "record after a closing quote");
			}
		} else {
			while (c->p < c->end && *c->p != c->sep && *c->p != '\n')
				g_string_append_c(f, *c->p++);
			if (f->len && f->str[f->len - 1] == '\r')
				g_string_truncate(f, f->len - 1);
		}
		g_ptr_array_add(fields, g_strdup(f->str));
		g_string_truncate(f, 0);
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p >= c->end || *c->p == '\n') {
			if (c->p < c->end) {
				c->p++;
				c->line++;
			}
			break;
		}
		c->p++;  /* the separator */
	}
	g_string_free(f, TRUE);
	return true;
}

/* The separator: the commonest of , ; and tab on the header line (an
 * Outlook in a locale with a decimal comma writes ;). */
static char csv_separator(const char *p, const char *end)
{
	unsigned comma = 0, semi = 0, tab = 0;
	for (; p < end && *p != '\n'; p++)
		comma += *p == ',', semi += *p == ';', tab += *p == '\t';
	return semi > comma && semi >= tab ? ';' : tab > comma ? '\t' : ',';
}

struct phone_column {
	unsigned value;
	int type;        /* Google's "Phone N - Type" column, or -1 */
	char *label;     /* Outlook: from the header */
};

struct columns {
	GArray *phones;  /* struct phone_column */
	int name, first, middle, last, nick, org;
};

static int find(GPtrArray *header, const char *const *names)
{
	for (const char *const *n = names; *n; n++)
		for (unsigned i = 0; i < header->len; i++)
			if (!g_ascii_strcasecmp(header->pdata[i], *n))
				return (int)i;
	return -1;
}

/* Outlook's phone columns: "X Phone", "X Phone 2", and a few without the word. */
static char *outlook_label(const char *h)
{
	static const char *const bare[] = { "Pager", "Callback", "ISDN", "Telex", "Home Fax",
	                                    "Business Fax", "Other Fax", NULL };
	for (const char *const *b = bare; *b; b++)
		if (!g_ascii_strcasecmp(h, *b))
			return g_strdup(h);
	size_t n = strlen(h);
	if (n > 8 && !g_ascii_strcasecmp(h + n - 8, " Phone 2"))
		return g_strndup(h, n - 8);
	if (n > 6 && !g_ascii_strcasecmp(h + n - 6, " Phone"))
		return g_strndup(h, n - 6);
	return NULL;
}

static void columns_find(GPtrArray *header, struct columns *col, bool *google)
{
	*google = false;
	for (unsigned i = 0; i < header->len; i++) {
		const char *h = header->pdata[i];
		unsigned k;
		char rest[16];
		if (sscanf(h, "Phone %u - Valu%15s", &k, rest) == 2 && !strcmp(rest, "e")) {
			*google = true;
			char type[32], label[32];
			snprintf(type, sizeof type, "Phone %u - Type", k);
			snprintf(label, sizeof label, "Phone %u - Label", k);
			const char *const names[] = { type, label, NULL };
			struct phone_column pc = { .value = i, .type = find(header, names) };
			g_array_append_val(col->phones, pc);
			continue;
		}
		char *label = outlook_label(h);
		if (label) {
			struct phone_column pc = { .value = i, .type = -1, .label = label };
			g_array_append_val(col->phones, pc);
		}
	}
	col->name = find(header, (const char *const[]){ "Name", "Display Name", NULL });
	col->first = find(header, (const char *const[]){ "First Name", "Given Name", NULL });
	col->middle = find(header, (const char *const[]){ "Middle Name", "Additional Name", NULL });
	col->last = find(header, (const char *const[]){ "Last Name", "Family Name", NULL });
	col->nick = find(header, (const char *const[]){ "Nickname", NULL });
	col->org = find(header, (const char *const[]){ "Organization Name", "Organization 1 - Name",
	                                               "Company", NULL });
}

static const char *field(GPtrArray *rec, int i)
{
	return i >= 0 && (unsigned)i < rec->len ? g_strstrip((char *)rec->pdata[i]) : "";
}

static char *record_name(GPtrArray *rec, const struct columns *col)
{
	if (*field(rec, col->name))
		return g_strdup(field(rec, col->name));
	GString *s = g_string_new(NULL);
	const int parts[] = { col->first, col->middle, col->last };
	for (unsigned i = 0; i < G_N_ELEMENTS(parts); i++)
		if (*field(rec, parts[i]))
			g_string_append_printf(s, "%s%s", s->len ? " " : "", field(rec, parts[i]));
	if (!s->len)
		g_string_append(s, *field(rec, col->nick) ? field(rec, col->nick)
		                                          : field(rec, col->org));
	return g_string_free(s, FALSE);
}

static void record_numbers(struct sipcid_phonebook_import *imp, GPtrArray *rec,
                           const struct columns *col, unsigned line)
{
	g_autofree char *raw_name = record_name(rec, col);
	g_autofree char *name = sipcid_phonebook_import_clean(raw_name, strlen(raw_name));
	struct phonebook_import_contact contact = { .name = name, .line = line };
	bool any = false;
	for (unsigned i = 0; i < col->phones->len; i++) {
		const struct phone_column *pc = &g_array_index(col->phones, struct phone_column, i);
		const char *value = field(rec, (int)pc->value);
		if (!*value)
			continue;
		g_autofree char *label = sipcid_phonebook_import_label(pc->label ? pc->label
		                                                       : field(rec, pc->type));
		/* Google joins the numbers of one type with " ::: ". */
		const char *s = value;
		while (s) {
			const char *sep = strstr(s, " ::: ");
			g_autofree char *one = sep ? g_strndup(s, (gsize)(sep - s)) : g_strdup(s);
			g_strstrip(one);
			if (*one) {
				sipcid_phonebook_import_add(imp, &contact, label, one);
				any = true;
			}
			s = sep ? sep + 5 : NULL;
			if (contact.taken > SIPCID_PHONEBOOK_IMPORT_PER_CONTACT_MAX || imp->full)
				break;
		}
	}
	if (any || *name)
		imp->contacts++;
}

bool sipcid_phonebook_import_csv(struct sipcid_phonebook_import *imp, const char *text,
                                 size_t len, GError **error)
{
	struct csv c = { .path = imp->path, .p = text, .end = text + len, .line = 1 };
	if (len >= 3 && !memcmp(c.p, "\xef\xbb\xbf", 3))
		c.p += 3;
	c.sep = csv_separator(c.p, c.end);
	g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func(g_free);
	unsigned line = 1;
	GError *err = NULL;
	if (!csv_record(&c, header, &line, &err)) {
		if (!err)
			csv_fail(&c, 1, &err, "the file is empty; expected a vCard or a contacts CSV");
		g_propagate_error(error, err);
		return false;
	}
	struct columns col = { .phones = g_array_new(FALSE, TRUE, sizeof(struct phone_column)) };
	bool google;
	columns_find(header, &col, &google);
	bool ok = col.phones->len > 0;
	if (!ok)
		csv_fail(&c, 1, &err, "expected a vCard (BEGIN:VCARD) or a contacts CSV export "
		         "whose first line names phone columns (Google's \"Phone 1 - Value\", "
		         "Outlook's \"Mobile Phone\"...)");
	imp->format = google ? SIPCID_PHONEBOOK_IMPORT_GOOGLE_CSV
	                     : SIPCID_PHONEBOOK_IMPORT_OUTLOOK_CSV;
	g_autoptr(GPtrArray) rec = g_ptr_array_new_with_free_func(g_free);
	while (ok && csv_record(&c, rec, &line, &err))
		record_numbers(imp, rec, &col, line);
	if (err) {
		g_propagate_error(error, err);
		ok = false;
	}
	for (unsigned i = 0; i < col.phones->len; i++)
		g_free(g_array_index(col.phones, struct phone_column, i).label);
	g_array_unref(col.phones);
	return ok;
}
