/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The [rules] group of sipcid.conf. */
#include "rules_settings.h"

#include "config.h"
#include "log.h"
#include "rules_list.h"
#include "state_dir.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

void sipcid_rules_settings_defaults(struct sipcid_rules_settings *s)
{
	*s = (struct sipcid_rules_settings){
		.rules_path = g_strdup(SIPCID_RULES_DEFAULT_PATH),
		.phonebook_path = g_strdup(SIPCID_PHONEBOOK_DEFAULT_PATH),
		.block_outcome = SIPCID_OUTCOME_DECLINE,
		.list_refresh_s = SIPCID_RULES_LIST_REFRESH_S,
		.list_timeout_s = SIPCID_RULES_LIST_TIMEOUT_S,
		.list_max_bytes = SIPCID_RULES_LIST_MAX_BYTES,
	};
}

void sipcid_rules_settings_clear(struct sipcid_rules_settings *s)
{
	g_free(s->rules_path);
	g_free(s->phonebook_path);
	g_free(s->suggestions_path);
	for (unsigned i = 0; i < s->n_lists; i++) {
		g_free(s->lists[i].name);
		g_free(s->lists[i].path);
		g_free(s->lists[i].url);
	}
	g_free(s->lists);
	*s = (struct sipcid_rules_settings){ 0 };
}

void sipcid_rules_settings_copy(struct sipcid_rules_settings *dst,
                                const struct sipcid_rules_settings *src)
{
	*dst = *src;
	dst->rules_path = g_strdup(src->rules_path);
	dst->phonebook_path = g_strdup(src->phonebook_path);
	dst->suggestions_path = g_strdup(src->suggestions_path);
	dst->lists = g_new0(struct sipcid_rules_list_source, src->n_lists ? src->n_lists : 1);
	for (unsigned i = 0; i < src->n_lists; i++) {
		dst->lists[i].name = g_strdup(src->lists[i].name);
		dst->lists[i].path = g_strdup(src->lists[i].path);
		dst->lists[i].url = g_strdup(src->lists[i].url);
	}
}

static char *config_relative(const struct sipcid_config *cfg, char *v)
{
	if (g_path_is_absolute(v))
		return v;
	g_autofree char *dir = g_path_get_dirname(sipcid_config_path(cfg));
	char *path = g_build_filename(dir, v, NULL);
	g_free(v);
	return path;
}

/* Reads a path key: absent keeps *path, empty turns it off, relative is
 * taken from the configuration's directory. */
static bool load_path(const struct sipcid_config *cfg, const char *key, char **path,
                      bool *named, GError **error)
{
	g_autofree char *v = NULL;
	if (!sipcid_config_string(cfg, "rules", key, &v, error))
		return false;
	if (!v)
		return true;
	g_free(*path);
	*path = NULL;
	if (named)
		*named = v[0] != '\0';
	if (!v[0])
		return true;
	*path = config_relative(cfg, g_steal_pointer(&v));
	return true;
}

/* "90", "90s", "15m", "6h", "1d" (or K, M, G for sizes): *out in units. */
static bool load_amount(const struct sipcid_config *cfg, const char *key, const char *units,
                        const guint64 *scale, guint64 min, guint64 max, guint64 *out,
                        GError **error)
{
	g_autofree char *v = NULL;
	if (!sipcid_config_string(cfg, "lists", key, &v, error))
		return false;
	if (!v)
		return true;
	char *end = NULL;
	guint64 n = g_ascii_strtoull(v, &end, 10);
	guint64 mul = 1;
	const char *u = end && *end ? strchr(units, g_ascii_toupper(*end)) : NULL;
	if (u && end[1] == '\0')
		mul = scale[u - units];
	bool ok = end != v && g_ascii_isdigit(v[0]) && (!*end || (u && end[1] == '\0')) &&
	          n <= max / mul && n * mul >= min && n * mul <= max;
	if (!ok) {
		sipcid_config_set_error(cfg, error, "lists", key,
		                        "expected a number from %" G_GUINT64_FORMAT " to %"
		                        G_GUINT64_FORMAT " (or with a unit: %s), not '%s'",
		                        min, max, units, v);
		return false;
	}
	*out = n * mul;
	return true;
}

static bool list_name_ok(const char *name)
{
	if (!name[0] || strlen(name) >= SIPCID_RULES_LIST_NAME_MAX || !g_ascii_isalnum(name[0]))
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isdigit(*p) && !g_ascii_islower(*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

/* [lists]: the settings, then every other key is a list. */
static bool load_lists(const struct sipcid_config *cfg, struct sipcid_rules_settings *s,
                       GError **error)
{
	static const guint64 time_scale[] = { 1, 60, 3600, 86400 };
	static const guint64 size_scale[] = { 1024, 1024 * 1024, 1024 * 1024 * 1024 };
	guint64 refresh = s->list_refresh_s, timeout = s->list_timeout_s;
	if (!load_amount(cfg, "refresh", "SMHD", time_scale, 60, 30 * 86400, &refresh, error) ||
	    !load_amount(cfg, "timeout", "SMHD", time_scale, 1, 600, &timeout, error) ||
	    !load_amount(cfg, "max-size", "KMG", size_scale, 1024, SIPCID_RULES_LIST_FILE_MAX,
	                 &s->list_max_bytes, error))
		return false;
	s->list_refresh_s = (unsigned)refresh;
	s->list_timeout_s = (unsigned)timeout;
	g_auto(GStrv) keys = sipcid_config_keys(cfg, "lists");
	s->lists = g_new0(struct sipcid_rules_list_source, keys ? g_strv_length(keys) + 1 : 1);
	for (unsigned i = 0; keys && keys[i]; i++) {
		const char *name = keys[i];
		if (!strcmp(name, "refresh") || !strcmp(name, "timeout") || !strcmp(name, "max-size"))
			continue;
		if (!list_name_ok(name)) {
			sipcid_config_set_error(cfg, error, "lists", name,
			                        "a list's name is lowercase letters, digits, - and _ "
			                        "(at most %d), starting with a letter or digit",
			                        SIPCID_RULES_LIST_NAME_MAX - 1);
			return false;
		}
		g_autofree char *v = NULL;
		if (!sipcid_config_string(cfg, "lists", name, &v, error))
			return false;
		if (!v || !v[0]) {
			sipcid_config_set_error(cfg, error, "lists", name,
			                        "expected a file or an http(s):// URL");
			return false;
		}
		struct sipcid_rules_list_source *src = &s->lists[s->n_lists++];
		src->name = g_strdup(name);
		if (g_str_has_prefix(v, "https://") || g_str_has_prefix(v, "http://")) {
			char file[4096];
			g_autofree char *base = g_strconcat("lists/", name, ".list", NULL);
			sipcid_state_path(base, file, sizeof file);
			src->url = g_steal_pointer(&v);
			src->path = g_strdup(file);
		} else {
			src->path = config_relative(cfg, g_steal_pointer(&v));
		}
	}
	return true;
}

static bool load_outcome(const struct sipcid_config *cfg, const char *const *outcomes,
                         enum sipcid_outcome *out, GError **error)
{
	int i = -1;
	if (!sipcid_config_choice(cfg, "rules", "block-outcome", outcomes, &i, error))
		return false;
	if (i >= 0)
		*out = (enum sipcid_outcome)(SIPCID_OUTCOME_DROP + i);
	return true;
}

bool sipcid_rules_settings_load(const struct sipcid_config *cfg,
                                struct sipcid_rules_settings *s, GError **error)
{
	static const char *const keys[] = { "rules", "phonebook", "record-default", "suggestions",
		                            "block-outcome", NULL };
	/* In the order of enum sipcid_outcome, from DROP on. */
	static const char *const outcomes[] = { "drop", "busy", "decline", "gone", NULL };
	sipcid_rules_settings_defaults(s);
	if (!sipcid_config_check_keys(cfg, "rules", keys, error) ||
	    !load_path(cfg, "rules", &s->rules_path, &s->rules_required, error) ||
	    !load_path(cfg, "phonebook", &s->phonebook_path, &s->phonebook_required, error) ||
	    !load_path(cfg, "suggestions", &s->suggestions_path, NULL, error) ||
	    !sipcid_config_bool(cfg, "rules", "record-default", &s->record_default, error) ||
	    !load_outcome(cfg, outcomes, &s->block_outcome, error) ||
	    !load_lists(cfg, s, error)) {
		sipcid_rules_settings_clear(s);
		return false;
	}
	return true;
}

/* An optional file that does not exist is simply not used. */
static const char *existing(const char *path, bool required)
{
	struct stat st;
	if (!path || required)
		return path;
	if (stat(path, &st) < 0 && errno == ENOENT)
		return NULL;
	return path;
}

struct sipcid_rules *sipcid_rules_load_settings_with(const struct sipcid_rules_settings *s,
                                                     const struct sipcid_number_plan *plan,
                                                     GHashTable *lists, GError **error)
{
	struct sipcid_rules *r =
		sipcid_rules_load_with(existing(s->rules_path, s->rules_required),
		                       existing(s->phonebook_path, s->phonebook_required), plan, lists,
		                       error);
	if (r && s->block_outcome != SIPCID_OUTCOME_NONE)  /* NONE: a struct not from _load */
		sipcid_rules_set_block_outcome(r, s->block_outcome);
	return r;
}

struct sipcid_rules_list *sipcid_rules_settings_load_list(const struct sipcid_rules_list_source *src,
                                                          const struct sipcid_number_plan *plan,
                                                          GError **error)
{
	/* Until its first download, a URL list is empty: the rules still load. */
	if (src->url && !existing(src->path, false)) {
		sipcid_log_info("list %s: not downloaded yet from %s; empty until then", src->name,
		                src->url);
		return sipcid_rules_list_new_empty(src->name);
	}
	return sipcid_rules_list_load(src->name, src->path, plan, error);
}

GHashTable *sipcid_rules_settings_load_lists(const struct sipcid_rules_settings *s,
                                             const struct sipcid_number_plan *plan,
                                             GError **error)
{
	GHashTable *lists = sipcid_rules_lists_new();
	for (unsigned i = 0; i < s->n_lists; i++) {
		struct sipcid_rules_list *l = sipcid_rules_settings_load_list(&s->lists[i], plan, error);
		if (!l) {
			g_hash_table_unref(lists);
			return NULL;
		}
		sipcid_rules_lists_put(lists, l);
		sipcid_rules_list_unref(l);
	}
	return lists;
}

struct sipcid_rules *sipcid_rules_load_settings(const struct sipcid_rules_settings *s,
                                                const struct sipcid_number_plan *plan,
                                                GError **error)
{
	g_autoptr(GHashTable) lists = sipcid_rules_settings_load_lists(s, plan, error);
	if (!lists)
		return NULL;
	return sipcid_rules_load_settings_with(s, plan, lists, error);
}
