/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the rule file and the phonebook: both are UTF-8 text, one entry a
 * line, words separated by spaces, "quoted text", /regular expressions/ and
 * # comments. This module splits a file into lines and lines into tokens, and
 * collects the errors with FILE:LINE:COLUMN, so the two parsers only deal
 * with meaning. */
#ifndef SIPCID_RULES_LEX_H
#define SIPCID_RULES_LEX_H

#include <glib.h>
#include <stdbool.h>

enum {
	SIPCID_RULES_LINE_MAX = 4096,          /* bytes in one line */
	SIPCID_RULES_FILE_MAX = 64 << 20,      /* bytes in one file */
	SIPCID_RULES_ERRORS_SHOWN = 20,        /* errors listed before "and N more" */
};

/* The errors found in one file. */
struct rules_errors {
	const char *path;
	GString *text;
	unsigned count;
};

void rules_errors_init(struct rules_errors *e, const char *path);
void rules_errors_clear(struct rules_errors *e);
/* column 0: the message names only FILE:LINE. */
void rules_errors_add(struct rules_errors *e, unsigned line, unsigned column, const char *fmt,
                      ...) G_GNUC_PRINTF(4, 5);
/* Moves the collected errors into *error (SIPCID_RULES_ERROR_SYNTAX); false when there were any. */
bool rules_errors_finish(struct rules_errors *e, GError **error);

enum token_kind {
	TOKEN_WORD,    /* unquoted; may hold backslash escapes */
	TOKEN_QUOTED,  /* "..." without the quotes; may hold backslash escapes */
	TOKEN_REGEX,   /* /.../flags: text is the expression, flags what follows */
};

struct token {
	enum token_kind kind;
	char *text;      /* escapes kept as written: the pattern compiler reads them */
	char *flags;     /* TOKEN_REGEX only */
	unsigned column; /* 1-based, in characters */
	bool escaped;    /* text holds at least one backslash escape */
};

/* Splits one line (valid UTF-8, no line break) into tokens, stopping at a #
 * comment. With allow_regex false, a word starting with / is a plain word.
 * On a lexical error, adds it to `errors` and returns NULL. */
GPtrArray *rules_lex_line(const char *line, unsigned lineno, bool allow_regex,
                          struct rules_errors *errors);

/* Is the token the unquoted, unescaped keyword kw (ASCII case ignored)? */
bool rules_token_is_keyword(const struct token *t, const char *kw);
/* The token's text with backslash escapes resolved (\x -> x). */
char *rules_token_unescape(const char *text);

/* Calls fn for each line of text (already checked to be text by
 * rules_read_file or rules_check_text), with the line number. Lines that are
 * too long or not UTF-8 are reported and skipped. */
typedef void (*rules_line_fn)(const char *line, unsigned lineno, void *ctx);
void rules_for_each_line(const char *text, size_t len, struct rules_errors *errors,
                         rules_line_fn fn, void *ctx);

/* Reads a whole file, refusing ones that are too big or hold NUL bytes. */
bool rules_read_file(const char *path, char **text, size_t *len, GError **error);
/* Refuses text holding NUL bytes (len may cover more than strlen). */
bool rules_check_text(const char *name, const char *text, size_t len, GError **error);

#endif
