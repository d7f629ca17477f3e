/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Appending unknown numbers to the suggestions file. */
#include "suggestions.h"

#include "event_format.h"
#include "rules_lex.h"
#include "rules_pattern.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct sipcid_suggestions {
	char *path;
	GHashTable *known;          /* lowercase numbers already in the file */
	struct timespec mtime;      /* of the file when `known` was read */
	off_t size;
	bool read;
};

struct sipcid_suggestions *sipcid_suggestions_new(const char *path)
{
	struct sipcid_suggestions *s = g_new0(struct sipcid_suggestions, 1);
	s->path = g_strdup(path);
	s->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return s;
}

void sipcid_suggestions_free(struct sipcid_suggestions *s)
{
	if (!s)
		return;
	g_free(s->path);
	g_hash_table_unref(s->known);
	g_free(s);
}

/* The number of a line, entry or commented-out entry ("#NUMBER", while
 * "# text" is a comment): its first word. */
static void learn_line(struct sipcid_suggestions *s, const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#') {
		line++;
		if (*line == ' ' || *line == '\t' || *line == '#')
			return;
	}
	if (*line == '"')
		line++;
	size_t n = strcspn(line, " \t\"#");
	if (n == 0 || n >= SIPCID_NUMBER_MAX)
		return;
	char key[SIPCID_NUMBER_MAX];
	memcpy(key, line, n);
	key[n] = '\0';
	rules_ascii_lower(key, key, sizeof key);
	g_hash_table_add(s->known, g_strdup(key));
}

static bool same_file(const struct sipcid_suggestions *s, const struct stat *st)
{
	return s->read && st->st_size == s->size && st->st_mtim.tv_sec == s->mtime.tv_sec &&
	       st->st_mtim.tv_nsec == s->mtime.tv_nsec;
}

static bool refresh(struct sipcid_suggestions *s, GError **error)
{
	struct stat st;
	if (stat(s->path, &st) < 0) {
		if (errno != ENOENT) {
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			            "%s: %s", s->path, g_strerror(errno));
			return false;
		}
		g_hash_table_remove_all(s->known);
		s->read = false;
		return true;
	}
	if (same_file(s, &st))
		return true;
	g_autofree char *text = NULL;
	size_t len = 0;
	if (!g_file_get_contents(s->path, &text, &len, error))
		return false;
	g_hash_table_remove_all(s->known);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++)
		learn_line(s, lines[i]);
	s->read = true;
	s->size = st.st_size;
	s->mtime = st.st_mtim;
	return true;
}

static void quoted(GString *out, const char *name)
{
	g_string_append_c(out, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

bool sipcid_suggestions_add(struct sipcid_suggestions *s, const struct sipcid_rules *rules,
                            const struct sipcid_call *call, GError **error)
{
	if (!call->number[0] || call->presentation != SIPCID_PRES_ALLOWED ||
	    sipcid_rules_alias(rules, call->number))
		return true;
	/* A number that would not read back as one word is not worth suggesting. */
	if (strpbrk(call->number, " \t\"#\\"))
		return true;
	if (!refresh(s, error))
		return false;
	char key[SIPCID_NUMBER_MAX];
	rules_ascii_lower(call->number, key, sizeof key);
	if (g_hash_table_contains(s->known, key))
		return true;

	GString *line = g_string_new(NULL);
	g_autoptr(GString) when = g_string_new(NULL);
	sipcid_event_format_time(when, call->time_us);
	/* 2026-11-21T22:54:43.123Z -> 2026-11-21 22:54 UTC */
	if (when->len >= 16) {
		g_string_truncate(when, 16);
		when->str[10] = ' ';
		g_string_append(when, " UTC");
	}
	if (call->name[0]) {
		g_string_append_printf(line, "%s ", call->number);
		quoted(line, call->name);
		g_string_append_printf(line, "  # first call %s\n", when->str);
	} else {
		g_string_append_printf(line, "#%s  # no name; first call %s\n", call->number,
		                       when->str);
	}
	int fd = open(s->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	bool ok = fd >= 0;
	if (ok) {
		/* Keep the user's last line whole if it has no line break. */
		struct stat st;
		if (fstat(fd, &st) == 0 && st.st_size > 0) {
			char last = '\n';
			int rfd = open(s->path, O_RDONLY | O_CLOEXEC);
			if (rfd >= 0) {
				if (pread(rfd, &last, 1, st.st_size - 1) != 1)
					last = '\n';
				close(rfd);
			}
			if (last != '\n')
				g_string_prepend_c(line, '\n');
		} else if (fstat(fd, &st) == 0) {
			g_string_prepend(line, "# Numbers that called and are not in the phonebook "
			                       "(written by sipcidd).\n# Edit the names and move the "
			                       "lines you want into the phonebook.\n");
		}
		ok = write(fd, line->str, line->len) == (ssize_t)line->len;
		int saved = errno;
		if (close(fd) < 0 && ok) {
			ok = false;
			saved = errno;
		}
		errno = saved;
	}
	if (!ok) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "cannot add to the suggestions file %s: %s", s->path, g_strerror(e));
		g_string_free(line, TRUE);
		return false;
	}
	g_string_free(line, TRUE);
	g_hash_table_add(s->known, g_strdup(key));
	/* Our own write must not make the next call re-read the whole file. */
	struct stat st;
	if (stat(s->path, &st) == 0) {
		s->read = true;
		s->size = st.st_size;
		s->mtime = st.st_mtim;
	}
	return true;
}
