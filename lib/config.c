/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading sipcid.conf. GKeyFile does the value syntax; a line scan done first
 * gives every group and key its line number, because GKeyFile's own errors
 * don't say where the problem is. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK(sipcid-config-error-quark, sipcid_config_error)

struct sipcid_config {
	char *path;
	GKeyFile *kf;
	GHashTable *lines;  /* "group\nkey" or "group" -> line number */
};

static char *line_key(const char *group, const char *key)
{
	return key ? g_strconcat(group, "\n", key, NULL) : g_strdup(group);
}

static int line_of(const struct sipcid_config *cfg, const char *group, const char *key)
{
	g_autofree char *k = line_key(group, key);
	return GPOINTER_TO_INT(g_hash_table_lookup(cfg->lines, k));
}

void sipcid_config_set_error(const struct sipcid_config *cfg, GError **error, const char *group,
                             const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	int line = line_of(cfg, group, key);
	if (line > 0 && key)
		g_set_error(error, SIPCID_CONFIG_ERROR, 0, "%s:%d: [%s] %s: %s", cfg->path, line, group,
		            key, msg);
	else if (line > 0)
		g_set_error(error, SIPCID_CONFIG_ERROR, 0, "%s:%d: [%s]: %s", cfg->path, line, group, msg);
	else
		g_set_error(error, SIPCID_CONFIG_ERROR, 0, "%s: [%s] %s: %s", cfg->path, group,
		            key ? key : "", msg);
}

/* Indexes groups and keys by line, and rejects what GKeyFile would reject
 * (or silently accept, like a repeated key) with the line number. */
static bool index_lines(struct sipcid_config *cfg, const char *text, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	const char *group = NULL;
	for (int i = 0; lines[i]; i++) {
		int lineno = i + 1;
		char *line = g_strstrip(lines[i]);
		if (!g_utf8_validate(line, -1, NULL)) {
			g_set_error(error, SIPCID_CONFIG_ERROR, 0, "%s:%d: the line is not valid UTF-8 text",
			            cfg->path, lineno);
			return false;
		}
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (line[0] == '[') {
			char *end = strchr(line, ']');
			if (!end || end[1] != '\0' || end == line + 1) {
				g_set_error(error, SIPCID_CONFIG_ERROR, 0,
				            "%s:%d: expected a group name in brackets, like [numbers]", cfg->path,
				            lineno);
				return false;
			}
			*end = '\0';
			group = line + 1;
			g_autofree char *k = line_key(group, NULL);
			if (g_hash_table_contains(cfg->lines, k)) {
				g_set_error(error, SIPCID_CONFIG_ERROR, 0,
				            "%s:%d: group [%s] appears twice (first on line %d)", cfg->path,
				            lineno, group, GPOINTER_TO_INT(g_hash_table_lookup(cfg->lines, k)));
				return false;
			}
			g_hash_table_insert(cfg->lines, g_steal_pointer(&k), GINT_TO_POINTER(lineno));
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq || eq == line) {
			g_set_error(error, SIPCID_CONFIG_ERROR, 0,
			            "%s:%d: expected 'key = value', a [group] or a # comment", cfg->path,
			            lineno);
			return false;
		}
		if (!group) {
			g_set_error(error, SIPCID_CONFIG_ERROR, 0,
			            "%s:%d: a key must come after a [group] line", cfg->path, lineno);
			return false;
		}
		*eq = '\0';
		char *key = g_strstrip(line);
		g_autofree char *k = line_key(group, key);
		if (g_hash_table_contains(cfg->lines, k)) {
			g_set_error(error, SIPCID_CONFIG_ERROR, 0, "%s:%d: %s is already set on line %d",
			            cfg->path, lineno, key,
			            GPOINTER_TO_INT(g_hash_table_lookup(cfg->lines, k)));
			return false;
		}
		g_hash_table_insert(cfg->lines, g_steal_pointer(&k), GINT_TO_POINTER(lineno));
	}
	return true;
}

struct sipcid_config *sipcid_config_load_data(const char *name, const char *text, GError **error)
{
	struct sipcid_config *cfg = g_new0(struct sipcid_config, 1);
	cfg->path = g_strdup(name);
	cfg->kf = g_key_file_new();
	cfg->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!text)
		return cfg;
	GError *kerr = NULL;
	if (!index_lines(cfg, text, error))
		goto fail;
	if (!g_key_file_load_from_data(cfg->kf, text, strlen(text), G_KEY_FILE_NONE, &kerr)) {
		g_set_error(error, SIPCID_CONFIG_ERROR, 0, "%s: %s", cfg->path, kerr->message);
		g_error_free(kerr);
		goto fail;
	}
	return cfg;
fail:
	sipcid_config_free(cfg);
	return NULL;
}

struct sipcid_config *sipcid_config_load(const char *path, GError **error)
{
	if (!path)
		return sipcid_config_load_data("(defaults)", NULL, error);
	g_autofree char *text = NULL;
	gsize len = 0;
	GError *ferr = NULL;
	if (!g_file_get_contents(path, &text, &len, &ferr)) {
		g_set_error(error, SIPCID_CONFIG_ERROR, 0, "cannot read the configuration file: %s",
		            ferr->message);
		g_error_free(ferr);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		g_set_error(error, SIPCID_CONFIG_ERROR, 0,
		            "%s: this is not a text file (it contains NUL bytes)", path);
		return NULL;
	}
	return sipcid_config_load_data(path, text, error);
}

void sipcid_config_free(struct sipcid_config *cfg)
{
	if (!cfg)
		return;
	g_free(cfg->path);
	g_key_file_unref(cfg->kf);
	g_hash_table_unref(cfg->lines);
	g_free(cfg);
}

const char *sipcid_config_path(const struct sipcid_config *cfg)
{
	return cfg->path;
}

static char *join_choices(const char *const *list)
{
	return g_strjoinv(", ", (char **)list);
}

/* "WORD *" in known matches "WORD NAME" for any NAME without spaces at its ends. */
static bool matches_named_group(const char *const *known, const char *group)
{
	for (int i = 0; known[i]; i++) {
		size_t len = strlen(known[i]);
		if (len < 3 || strcmp(known[i] + len - 2, " *"))
			continue;
		if (!strncmp(group, known[i], len - 1) && group[len - 1] && group[len - 1] != ' ')
			return true;
	}
	return false;
}

char **sipcid_config_groups(const struct sipcid_config *cfg)
{
	return g_key_file_get_groups(cfg->kf, NULL);
}

char **sipcid_config_keys(const struct sipcid_config *cfg, const char *group)
{
	return g_key_file_get_keys(cfg->kf, group, NULL, NULL);
}

bool sipcid_config_check_groups(const struct sipcid_config *cfg, const char *const *known,
                                GError **error)
{
	gsize n = 0;
	g_auto(GStrv) groups = g_key_file_get_groups(cfg->kf, &n);
	for (gsize i = 0; i < n; i++) {
		if (g_strv_contains(known, groups[i]) || matches_named_group(known, groups[i]))
			continue;
		g_autofree char *all = join_choices(known);
		sipcid_config_set_error(cfg, error, groups[i], NULL,
		                        "unknown group; expected one of: %s", all);
		return false;
	}
	return true;
}

bool sipcid_config_check_keys(const struct sipcid_config *cfg, const char *group,
                              const char *const *known, GError **error)
{
	if (!g_key_file_has_group(cfg->kf, group))
		return true;
	gsize n = 0;
	g_auto(GStrv) keys = g_key_file_get_keys(cfg->kf, group, &n, NULL);
	for (gsize i = 0; i < n; i++) {
		if (g_strv_contains(known, keys[i]))
			continue;
		g_autofree char *all = join_choices(known);
		sipcid_config_set_error(cfg, error, group, keys[i], "unknown key; expected one of: %s",
		                        all);
		return false;
	}
	return true;
}

bool sipcid_config_has(const struct sipcid_config *cfg, const char *group, const char *key)
{
	return g_key_file_has_key(cfg->kf, group, key, NULL);
}

static char *raw_value(const struct sipcid_config *cfg, const char *group, const char *key,
                       GError **error)
{
	GError *kerr = NULL;
	char *v = g_key_file_get_string(cfg->kf, group, key, &kerr);
	if (!v) {
		sipcid_config_set_error(cfg, error, group, key, "%s", kerr->message);
		g_error_free(kerr);
		return NULL;
	}
	return g_strstrip(v);
}

bool sipcid_config_string(const struct sipcid_config *cfg, const char *group, const char *key,
                          char **out, GError **error)
{
	if (!sipcid_config_has(cfg, group, key))
		return true;
	char *v = raw_value(cfg, group, key, error);
	if (!v)
		return false;
	g_free(*out);
	*out = v;
	return true;
}

bool sipcid_config_list(const struct sipcid_config *cfg, const char *group, const char *key,
                        char ***out, GError **error)
{
	if (!sipcid_config_has(cfg, group, key))
		return true;
	g_autofree char *v = raw_value(cfg, group, key, error);
	if (!v)
		return false;
	g_auto(GStrv) parts = g_strsplit_set(v, ",;", -1);
	GPtrArray *list = g_ptr_array_new();
	for (int i = 0; parts[i]; i++) {
		char *p = g_strstrip(parts[i]);
		if (*p)
			g_ptr_array_add(list, g_strdup(p));
	}
	g_ptr_array_add(list, NULL);
	g_strfreev(*out);
	*out = (char **)g_ptr_array_free(list, FALSE);
	return true;
}

bool sipcid_config_bool(const struct sipcid_config *cfg, const char *group, const char *key,
                        bool *out, GError **error)
{
	if (!sipcid_config_has(cfg, group, key))
		return true;
	g_autofree char *v = raw_value(cfg, group, key, error);
	if (!v)
		return false;
	if (!g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") || !strcmp(v, "1"))
		*out = true;
	else if (!g_ascii_strcasecmp(v, "false") || !g_ascii_strcasecmp(v, "no") || !strcmp(v, "0"))
		*out = false;
	else {
		sipcid_config_set_error(cfg, error, group, key, "expected true or false, not '%s'", v);
		return false;
	}
	return true;
}

bool sipcid_config_int(const struct sipcid_config *cfg, const char *group, const char *key,
                       long min, long max, long *out, GError **error)
{
	if (!sipcid_config_has(cfg, group, key))
		return true;
	g_autofree char *v = raw_value(cfg, group, key, error);
	if (!v)
		return false;
	char *end = NULL;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max) {
		sipcid_config_set_error(cfg, error, group, key,
		                        "expected a whole number from %ld to %ld, not '%s'", min, max, v);
		return false;
	}
	*out = n;
	return true;
}

bool sipcid_config_choice(const struct sipcid_config *cfg, const char *group, const char *key,
                          const char *const *choices, int *out, GError **error)
{
	if (!sipcid_config_has(cfg, group, key))
		return true;
	g_autofree char *v = raw_value(cfg, group, key, error);
	if (!v)
		return false;
	for (int i = 0; choices[i]; i++) {
		if (!g_ascii_strcasecmp(v, choices[i])) {
			*out = i;
			return true;
		}
	}
	g_autofree char *all = join_choices(choices);
	sipcid_config_set_error(cfg, error, group, key, "expected one of %s, not '%s'", all, v);
	return false;
}
