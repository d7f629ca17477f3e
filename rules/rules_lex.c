/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lines, tokens and error messages for the rule file and the phonebook. */
#include "rules_lex.h"

#include "rules.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

void rules_errors_init(struct rules_errors *e, const char *path)
{
	e->path = path;
	e->text = g_string_new(NULL);
	e->count = 0;
}

void rules_errors_clear(struct rules_errors *e)
{
	if (e->text)
		g_string_free(e->text, TRUE);
	e->text = NULL;
}

void rules_errors_add(struct rules_errors *e, unsigned line, unsigned column, const char *fmt, ...)
{
	e->count++;
	if (e->count > SIPCID_RULES_ERRORS_SHOWN)
		return;
	if (e->text->len)
		g_string_append_c(e->text, '\n');
	if (column)
		g_string_append_printf(e->text, "%s:%u:%u: ", e->path, line, column);
	else
		g_string_append_printf(e->text, "%s:%u: ", e->path, line);
	va_list ap;
	va_start(ap, fmt);
	g_string_append_vprintf(e->text, fmt, ap);
	va_end(ap);
}

bool rules_errors_finish(struct rules_errors *e, GError **error)
{
	if (e->count == 0)
		return true;
	if (e->count > SIPCID_RULES_ERRORS_SHOWN)
		g_string_append_printf(e->text, "\n%s: %u more errors not shown; the file was not loaded",
		                       e->path, e->count - SIPCID_RULES_ERRORS_SHOWN);
	g_set_error_literal(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX, e->text->str);
	return false;
}

static void token_free(gpointer p)
{
	struct token *t = p;
	g_free(t->text);
	g_free(t->flags);
	g_free(t);
}

static unsigned column_of(const char *line, const char *p)
{
	return (unsigned)g_utf8_strlen(line, p - line) + 1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Scans up to the unescaped `close` (or the end of the line), copying
 * escapes as written. Returns the position of `close`, or NULL. */
static const char *scan_until(const char *p, char close, GString *out, bool *escaped)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			g_string_append_c(out, p[0]);
			g_string_append_c(out, p[1]);
			*escaped = true;
			p++;
			continue;
		}
		if (*p == close)
			return p;
		g_string_append_c(out, *p);
	}
	return NULL;
}

GPtrArray *rules_lex_line(const char *line, unsigned lineno, bool allow_regex,
                          struct rules_errors *errors)
{
	GPtrArray *tokens = g_ptr_array_new_with_free_func(token_free);
	const char *p = line;
	for (;;) {
		while (is_space(*p))
			p++;
		if (*p == '\0' || *p == '#')
			return tokens;
		struct token *t = g_new0(struct token, 1);
		g_ptr_array_add(tokens, t);
		t->column = column_of(line, p);
		GString *text = g_string_new(NULL);
		if (*p == '"') {
			t->kind = TOKEN_QUOTED;
			const char *end = scan_until(p + 1, '"', text, &t->escaped);
			if (!end) {
				rules_errors_add(errors, lineno, t->column,
				                 "this quoted text has no closing \" (expected \" before "
				                 "the end of the line)");
				goto fail;
			}
			p = end + 1;
		} else if (*p == '/' && allow_regex) {
			t->kind = TOKEN_REGEX;
			const char *end = scan_until(p + 1, '/', text, &t->escaped);
			if (!end) {
				rules_errors_add(errors, lineno, t->column,
				                 "this regular expression has no closing / (expected /, "
				                 "then optionally the flag i, before the end of the line)");
				goto fail;
			}
			p = end + 1;
			const char *flags = p;
			while (*p && !is_space(*p) && *p != '#')
				p++;
			t->flags = g_strndup(flags, p - flags);
		} else {
			t->kind = TOKEN_WORD;
			for (; *p && !is_space(*p); p++) {
				if (*p == '\\') {
					if (!p[1]) {
						rules_errors_add(errors, lineno, column_of(line, p),
						                 "expected a character after \\ (write \\\\ for a "
						                 "backslash)");
						goto fail;
					}
					g_string_append_c(text, *p++);
					t->escaped = true;
				} else if (*p == '"') {
					rules_errors_add(errors, lineno, column_of(line, p),
					                 "unexpected \" inside a word: put the whole pattern in "
					                 "quotes, or write \\\" for a quote character");
					goto fail;
				}
				g_string_append_c(text, *p);
			}
		}
		if (*p && !is_space(*p) && !(t->kind == TOKEN_REGEX && *p == '#')) {
			rules_errors_add(errors, lineno, column_of(line, p),
			                 "expected a space after %s", t->kind == TOKEN_QUOTED
			                 ? "the closing quote" : "the regular expression");
			goto fail;
		}
		t->text = g_string_free(text, FALSE);
		continue;
fail:
		g_string_free(text, TRUE);
		g_ptr_array_unref(tokens);
		return NULL;
	}
}

bool rules_token_is_keyword(const struct token *t, const char *kw)
{
	return t->kind == TOKEN_WORD && !t->escaped && !g_ascii_strcasecmp(t->text, kw);
}

char *rules_token_unescape(const char *text)
{
	char *out = g_malloc(strlen(text) + 1), *o = out;
	for (const char *p = text; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

void rules_for_each_line(const char *text, size_t len, struct rules_errors *errors,
                         rules_line_fn fn, void *ctx)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	/* A UTF-8 byte order mark is an editor's habit, not content. */
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		lineno++;
		const char *nl = memchr(p, '\n', end - p);
		const char *stop = nl ? nl : end;
		size_t n = stop - p;
		if (n && p[n - 1] == '\r')
			n--;
		if (n > SIPCID_RULES_LINE_MAX) {
			rules_errors_add(errors, lineno, 0,
			                 "this line is %zu bytes long; a line can hold at most %d",
			                 n, SIPCID_RULES_LINE_MAX);
		} else {
			char line[SIPCID_RULES_LINE_MAX + 1];
			memcpy(line, p, n);
			line[n] = '\0';
			const char *bad = NULL;
			if (!g_utf8_validate(line, n, &bad)) {
				rules_errors_add(errors, lineno, (unsigned)g_utf8_strlen(line, bad - line) + 1,
				                 "expected UTF-8 text (this file holds bytes that are not text "
				                 "in UTF-8)");
			} else if (memchr(line, '\r', n)) {
				rules_errors_add(errors, lineno,
				                 (unsigned)g_utf8_strlen(line, strchr(line, '\r') - line) + 1,
				                 "expected text: a carriage return in the middle of a line");
			} else {
				fn(line, lineno, ctx);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

bool rules_check_text(const char *name, const char *text, size_t len, GError **error)
{
	const char *nul = memchr(text, '\0', len);
	if (!nul)
		return true;
	unsigned line = 1;
	for (const char *p = text; p < nul; p++)
		line += *p == '\n';
	g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX,
	            "%s:%u: this is not a text file (it contains a NUL byte); expected one rule "
	            "or phonebook entry a line", name, line);
	return false;
}

bool rules_read_file(const char *path, char **text, size_t *len, GError **error)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_READ,
		            "%s: is a directory; expected a file", path);
		return false;
	}
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > SIPCID_RULES_FILE_MAX) {
		g_set_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_READ,
		            "%s: the file is %lld bytes; at most %d are read", path,
		            (long long)st.st_size, SIPCID_RULES_FILE_MAX);
		return false;
	}
	GError *ferr = NULL;
	gsize n = 0;
	if (!g_file_get_contents(path, text, &n, &ferr)) {
		g_set_error_literal(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_READ, ferr->message);
		g_error_free(ferr);
		return false;
	}
	*len = n;
	if (!rules_check_text(path, *text, n, error)) {
		g_free(*text);
		*text = NULL;
		return false;
	}
	return true;
}
