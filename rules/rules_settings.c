/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The [rules] group of sipcid.conf. */
#include "rules_settings.h"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

void sipcid_rules_settings_defaults(struct sipcid_rules_settings *s)
{
	*s = (struct sipcid_rules_settings){
		.rules_path = g_strdup(SIPCID_RULES_DEFAULT_PATH),
		.phonebook_path = g_strdup(SIPCID_PHONEBOOK_DEFAULT_PATH),
		.block_outcome = SIPCID_OUTCOME_DECLINE,
	};
}

void sipcid_rules_settings_clear(struct sipcid_rules_settings *s)
{
	g_free(s->rules_path);
	g_free(s->phonebook_path);
	g_free(s->suggestions_path);
	*s = (struct sipcid_rules_settings){ 0 };
}

void sipcid_rules_settings_copy(struct sipcid_rules_settings *dst,
                                const struct sipcid_rules_settings *src)
{
	*dst = *src;
	dst->rules_path = g_strdup(src->rules_path);
	dst->phonebook_path = g_strdup(src->phonebook_path);
	dst->suggestions_path = g_strdup(src->suggestions_path);
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
	if (g_path_is_absolute(v)) {
		*path = g_steal_pointer(&v);
	} else {
		g_autofree char *dir = g_path_get_dirname(sipcid_config_path(cfg));
		*path = g_build_filename(dir, v, NULL);
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
	    !load_outcome(cfg, outcomes, &s->block_outcome, error)) {
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

struct sipcid_rules *sipcid_rules_load_settings(const struct sipcid_rules_settings *s,
                                                const struct sipcid_number_plan *plan,
                                                GError **error)
{
	struct sipcid_rules *r =
		sipcid_rules_load(existing(s->rules_path, s->rules_required),
		                  existing(s->phonebook_path, s->phonebook_required), plan, error);
	if (r && s->block_outcome != SIPCID_OUTCOME_NONE)  /* NONE: a struct not from _load */
		sipcid_rules_set_block_outcome(r, s->block_outcome);
	return r;
}
