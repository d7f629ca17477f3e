/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading vCards (RFC 2425/2426 3.0, RFC 6350 4.0, and 2.1 as older phones
 * write it) for their names and telephone numbers.
 *
 * Debian's vCard parsers come with an address-book stack (evolution-data-
 * server's EVCard) or are unmaintained; what is read here is small: logical
 * lines (folding), property name, group, parameters, and the value with its
 * escapes or quoted-printable. Everything but FN, N, ORG, NICKNAME, TEL and
 * Apple's X-ABLabel is skipped (a PHOTO's base64 is only scanned past). */
#include "phonebook_import_private.h"

#include "rules.h"

#include <string.h>

/* One vCard being read. */
struct card {
	unsigned line;
	char *fn, *n, *org, *nickname;
	GPtrArray *tels;            /* struct tel * */
	GHashTable *group_labels;   /* "item1" -> label (Apple's X-ABLabel) */
};

struct tel {
	char *group;  /* or NULL */
	char *label;  /* from TYPE, or NULL */
	char *value;
	unsigned line;
};

static void tel_free(gpointer p)
{
	struct tel *t = p;
	g_free(t->group);
	g_free(t->label);
	g_free(t->value);
	g_free(t);
}

static void card_clear(struct card *c)
{
	g_clear_pointer(&c->fn, g_free);
	g_clear_pointer(&c->n, g_free);
	g_clear_pointer(&c->org, g_free);
	g_clear_pointer(&c->nickname, g_free);
	g_ptr_array_set_size(c->tels, 0);
	g_hash_table_remove_all(c->group_labels);
}

/* A property line taken apart. */
struct prop {
	char *group;       /* or NULL */
	char *name;        /* upper case */
	GPtrArray *params; /* "KEY=VALUE" or a bare 2.1 type, as written */
	const char *value; /* points into the line */
};

static void prop_clear(struct prop *p)
{
	g_clear_pointer(&p->group, g_free);
	g_clear_pointer(&p->name, g_free);
	g_clear_pointer(&p->params, g_ptr_array_unref);
}

/* NAME;PARAM=V;PARAM="a;b:c":VALUE. False when there is no ':'. */
static bool prop_split(char *line, struct prop *p)
{
	char *s = line;
	while (*s && *s != ';' && *s != ':')
		s++;
	if (!*s)
		return false;
	g_autofree char *full = g_strndup(line, (gsize)(s - line));
	char *dot = strrchr(full, '.');
	p->name = g_ascii_strup(dot ? dot + 1 : full, -1);
	p->group = dot ? g_ascii_strdown(full, dot - full) : NULL;
	p->params = g_ptr_array_new_with_free_func(g_free);
	while (*s == ';') {
		char *start = ++s;
		bool quoted = false;
		while (*s && (quoted || (*s != ';' && *s != ':'))) {
			if (*s == '"')
				quoted = !quoted;
			s++;
		}
		if (!*s)
			return false;
		g_ptr_array_add(p->params, g_strndup(start, (gsize)(s - start)));
	}
	p->value = s + 1;
	return true;
}

/* The value of parameter KEY (without quotes), or NULL. Bare 2.1 words
 * count as TYPE, and 2.1's bare QUOTED-PRINTABLE as ENCODING. */
static const char *param(const struct prop *p, const char *key, char *buf, size_t size)
{
	for (unsigned i = 0; i < p->params->len; i++) {
		const char *s = p->params->pdata[i];
		const char *eq = strchr(s, '=');
		if (!eq) {
			if ((!g_ascii_strcasecmp(key, "ENCODING") &&
			     !g_ascii_strcasecmp(s, "QUOTED-PRINTABLE")))
				return g_strlcpy(buf, s, size), buf;
			continue;
		}
		if ((size_t)(eq - s) != strlen(key) || g_ascii_strncasecmp(s, key, eq - s))
			continue;
		const char *v = eq + 1;
		size_t n = strlen(v);
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
			v++, n -= 2;
		g_strlcpy(buf, v, MIN(size, n + 1));
		return buf;
	}
	return NULL;
}

static bool has_qp(const char *line)
{
	const char *colon = strchr(line, ':');
	size_t n = colon ? (size_t)(colon - line) : strlen(line);
	g_autofree char *head = g_ascii_strdown(line, (gssize)n);
	return strstr(head, "quoted-printable") != NULL;
}

/* The TYPE words (TYPE=cell,voice; TYPE=home;TYPE=pref; 2.1's bare CELL)
 * as one label: a place (home, work) and a kind (mobile, fax...). */
static char *types_label(const struct prop *p)
{
	const char *place = NULL, *kind = NULL;
	for (unsigned i = 0; i < p->params->len; i++) {
		const char *s = p->params->pdata[i];
		const char *eq = strchr(s, '=');
		if (eq && (eq - s != 4 || g_ascii_strncasecmp(s, "TYPE", 4)))
			continue;
		g_autofree char *v = g_ascii_strdown(eq ? eq + 1 : s, -1);
		g_strdelimit(v, "\"", ' ');
		g_auto(GStrv) words = g_strsplit(v, ",", 0);
		for (char **w = words; *w; w++) {
			g_strstrip(*w);
			if (!strcmp(*w, "home"))
				place = "home";
			else if (!strcmp(*w, "work"))
				place = "work";
			else if (!strcmp(*w, "cell") || !strcmp(*w, "iphone") || !strcmp(*w, "mobile"))
				kind = kind && !strcmp(kind, "fax") ? kind : "mobile";
			else if (!strcmp(*w, "fax"))
				kind = "fax";
			else if (!kind && (!strcmp(*w, "pager") || !strcmp(*w, "car") ||
			                   !strcmp(*w, "main") || !strcmp(*w, "other")))
				kind = !strcmp(*w, "pager") ? "pager" : !strcmp(*w, "car") ? "car"
				       : !strcmp(*w, "main") ? "main" : "other";
		}
	}
	if (place && kind)
		return g_strdup_printf("%s %s", place, kind);
	return place || kind ? g_strdup(place ? place : kind) : NULL;
}

/* Resolves \, \; \\ \n (RFC 6350 3.4) in s[0..len). */
static char *unescape(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
			g_string_append_c(out, s[i] == 'n' || s[i] == 'N' ? ' ' : s[i]);
		} else {
			g_string_append_c(out, s[i]);
		}
	}
	return g_string_free(out, FALSE);
}

/* The value as UTF-8 text: quoted-printable decoded, CHARSET converted.
 * NULL when the result is not text. */
static char *decoded_value(const struct sipcid_phonebook_import *imp, const struct prop *p,
                           unsigned line, GError **error)
{
	char enc[32], charset[48];
	if (!param(p, "ENCODING", enc, sizeof enc) || g_ascii_strcasecmp(enc, "QUOTED-PRINTABLE"))
		return g_strdup(p->value);
	GString *raw = g_string_new(NULL);
	for (const char *s = p->value; *s; s++) {
		if (*s == '=' && g_ascii_isxdigit(s[1]) && g_ascii_isxdigit(s[2])) {
			g_string_append_c(raw, (char)(g_ascii_xdigit_value(s[1]) * 16 +
			                              g_ascii_xdigit_value(s[2])));
			s += 2;
		} else {
			g_string_append_c(raw, *s);
		}
	}
	g_autofree char *bytes = g_string_free(raw, FALSE);
	char *text = NULL;
	if (param(p, "CHARSET", charset, sizeof charset) && g_ascii_strcasecmp(charset, "UTF-8"))
		text = g_convert(bytes, -1, "UTF-8", charset, NULL, NULL, NULL);
	else
		text = g_strdup(bytes);
	if (!text || !g_utf8_validate(text, -1, NULL)) {
		g_free(text);
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
		            "%s:%u: the quoted-printable %s is not text in %s", imp->path, line,
		            p->name, param(p, "CHARSET", charset, sizeof charset) ? charset : "UTF-8");
		return NULL;
	}
	return text;
}

/* N is family;given;additional;prefix;suffix: read as "given additional family". */
static char *name_from_n(const char *n)
{
	GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
	const char *start = n;
	for (const char *s = n;; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (*s == ';' || !*s) {
			g_ptr_array_add(parts, unescape(start, (size_t)(s - start)));
			if (!*s)
				break;
			start = s + 1;
		}
	}
	GString *out = g_string_new(NULL);
	static const unsigned order[] = { 3, 1, 2, 0, 4 };
	for (unsigned i = 0; i < G_N_ELEMENTS(order); i++) {
		if (order[i] >= parts->len)
			continue;
		const char *w = g_strstrip((char *)parts->pdata[order[i]]);
		if (*w)
			g_string_append_printf(out, "%s%s", out->len ? " " : "", w);
	}
	g_ptr_array_unref(parts);
	return g_string_free(out, FALSE);
}

static void card_finish(struct sipcid_phonebook_import *imp, struct card *c)
{
	imp->contacts++;
	const char *name = c->fn && *c->fn ? c->fn : c->n && *c->n ? c->n
	                 : c->org && *c->org ? c->org : c->nickname;
	g_autofree char *clean = name ? sipcid_phonebook_import_clean(name, strlen(name)) : NULL;
	struct phonebook_import_contact contact = { .name = clean, .line = c->line };
	for (unsigned i = 0; i < c->tels->len; i++) {
		const struct tel *t = c->tels->pdata[i];
		const char *label = t->group ? g_hash_table_lookup(c->group_labels, t->group) : NULL;
		g_autofree char *nice = sipcid_phonebook_import_label(label ? label
		                                                      : t->label ? t->label : "");
		contact.line = t->line;  /* a skipped number is shown at its TEL line */
		sipcid_phonebook_import_add(imp, &contact, nice, t->value);
	}
	card_clear(c);
}

/* A TEL value: a tel: URI (4.0 VALUE=uri) loses its scheme and parameters. */
static char *tel_number(const char *value)
{
	g_autofree char *v = unescape(value, strlen(value));
	const char *s = g_strstrip(v);
	if (!g_ascii_strncasecmp(s, "tel:", 4)) {
		s += 4;
		return g_strndup(s, strcspn(s, ";"));
	}
	return g_strdup(s);
}

static bool card_property(struct sipcid_phonebook_import *imp, struct card *c,
                          const struct prop *p, unsigned line, GError **error)
{
	const char *n = p->name;
	if (strcmp(n, "FN") && strcmp(n, "N") && strcmp(n, "ORG") && strcmp(n, "NICKNAME") &&
	    strcmp(n, "TEL") && strcmp(n, "X-ABLABEL"))
		return true;
	g_autofree char *value = decoded_value(imp, p, line, error);
	if (!value)
		return false;
	if (!strcmp(n, "TEL")) {
		struct tel *t = g_new0(struct tel, 1);
		t->group = g_strdup(p->group);
		t->label = types_label(p);
		t->value = tel_number(value);
		t->line = line;
		/* A hostile card with millions of TELs costs no more than the cap. */
		if (c->tels->len <= SIPCID_PHONEBOOK_IMPORT_PER_CONTACT_MAX)
			g_ptr_array_add(c->tels, t);
		else
			tel_free(t);
	} else if (!strcmp(n, "X-ABLABEL")) {
		if (p->group)
			g_hash_table_replace(c->group_labels, g_strdup(p->group),
			                     unescape(value, strlen(value)));
	} else if (!strcmp(n, "N")) {
		g_free(c->n);
		c->n = name_from_n(value);
	} else {
		char **slot = !strcmp(n, "FN") ? &c->fn : !strcmp(n, "ORG") ? &c->org : &c->nickname;
		/* ORG is company;unit: the company names the contact. */
		size_t len = strlen(value);
		if (slot == &c->org) {
			for (size_t i = 0; i < len; i++) {
				if (value[i] == '\\' && value[i + 1])
					i++;
				else if (value[i] == ';')
					len = i;
			}
		}
		g_free(*slot);
		*slot = unescape(value, len);
	}
	return true;
}

struct reader {
	struct sipcid_phonebook_import *imp;
	struct card card;
	unsigned depth;       /* BEGIN:VCARD nesting (2.1 AGENT cards nest) */
	unsigned in_line;     /* where the open card starts */
};

static bool logical_line(struct reader *r, char *line, unsigned lineno, GError **error)
{
	if (!*line)
		return true;
	struct prop p = { 0 };
	bool ok = true;
	if (!prop_split(line, &p)) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
		            "%s:%u: expected a vCard property (NAME:VALUE), found no ':'",
		            r->imp->path, lineno);
		prop_clear(&p);
		return false;
	}
	bool card_kw = !p.group && !g_ascii_strcasecmp(g_strstrip((char *)p.value), "VCARD");
	if (!strcmp(p.name, "BEGIN") && card_kw) {
		if (r->depth++ == 0) {
			r->card.line = lineno;
			r->in_line = lineno;
		}
	} else if (!strcmp(p.name, "END") && card_kw && r->depth > 0) {
		if (--r->depth == 0)
			card_finish(r->imp, &r->card);
	} else if (r->depth == 0) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
		            "%s:%u: expected BEGIN:VCARD, found %s outside a vCard", r->imp->path,
		            lineno, p.name);
		ok = false;
	} else if (r->depth == 1) {
		ok = card_property(r->imp, &r->card, &p, lineno, error);
	}
	prop_clear(&p);
	return ok;
}

bool sipcid_phonebook_import_vcard(struct sipcid_phonebook_import *imp, const char *text,
                                   size_t len, GError **error)
{
	struct reader r = { .imp = imp };
	r.card.tels = g_ptr_array_new_with_free_func(tel_free);
	r.card.group_labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GString *logical = g_string_new(NULL);
	unsigned logical_start = 0, lineno = 0;
	bool ok = true;
	const char *p = text, *end = text + len;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (ok && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		if (n && p[n - 1] == '\r')
			n--;
		lineno++;
		if (n && (*p == ' ' || *p == '\t') && logical_start) {
			/* RFC 6350 3.2: a line starting with white space continues the last. */
			g_string_append_len(logical, p + 1, (gssize)n - 1);
		} else if (logical_start && logical->len &&
		           logical->str[logical->len - 1] == '=' && has_qp(logical->str)) {
			/* vCard 2.1: quoted-printable's soft line break. */
			g_string_truncate(logical, logical->len - 1);
			g_string_append_len(logical, p, (gssize)n);
		} else {
			if (logical_start)
				ok = logical_line(&r, logical->str, logical_start, error);
			g_string_assign(logical, "");
			g_string_append_len(logical, p, (gssize)n);
			logical_start = lineno;
		}
		p = nl ? nl + 1 : end;
	}
	if (ok && logical_start)
		ok = logical_line(&r, logical->str, logical_start, error);
	if (ok && r.depth > 0) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
		            "%s:%u: this vCard has no END:VCARD (the file ends inside it)", imp->path,
		            r.in_line);
		ok = false;
	}
	g_string_free(logical, TRUE);
	card_clear(&r.card);
	g_ptr_array_unref(r.card.tels);
	g_hash_table_unref(r.card.group_labels);
	return ok;
}
