/* Loading sipcid.conf into struct sipcid_settings. */
#include "settings.h"

#include "config.h"

#include <string.h>

static const char *const known_groups[] = { "numbers", "callerid", "datapath", "notify", "rules",
	                                    "log", "record", NULL };

static bool load_callerid(const struct sipcid_config *cfg, struct sipcid_settings *s,
                          GError **error)
{
	static const char *const keys[] = { "trusted-sources", "phone-side", NULL };
	sipcid_trust_default(&s->trust);
	memset(&s->phone_side, 0, sizeof s->phone_side);
	return sipcid_config_check_keys(cfg, "callerid", keys, error) &&
	       sipcid_trust_load(cfg, "callerid", "trusted-sources", &s->trust, error) &&
	       sipcid_trust_load(cfg, "callerid", "phone-side", &s->phone_side, error);
}

static bool load_datapath(const struct sipcid_config *cfg, struct sipcid_settings *s,
                          GError **error)
{
	static const char *const keys[] = { "call-table-size", NULL };
	long n = 4096;
	if (!sipcid_config_check_keys(cfg, "datapath", keys, error) ||
	    !sipcid_config_int(cfg, "datapath", "call-table-size", 16, 1000000, &n, error))
		return false;
	s->table_size = (int)n;
	return true;
}

static bool load_rules(const struct sipcid_config *cfg, const struct sipcid_settings_overrides *o,
                       struct sipcid_settings *s, GError **error)
{
	if (!sipcid_rules_settings_load(cfg, &s->rules_files, error))
		return false;
	/* A file named on the command line must exist. */
	if (o && o->rules_path) {
		g_free(s->rules_files.rules_path);
		s->rules_files.rules_path = g_strdup(o->rules_path);
		s->rules_files.rules_required = true;
	}
	if (o && o->phonebook_path) {
		g_free(s->rules_files.phonebook_path);
		s->rules_files.phonebook_path = g_strdup(o->phonebook_path);
		s->rules_files.phonebook_required = true;
	}
	s->rules = sipcid_rules_load_settings(&s->rules_files, &s->numbers, error);
	return s->rules != NULL;
}

struct sipcid_settings *sipcid_settings_load(const char *path, GError **error)
{
	return sipcid_settings_load_with(path, NULL, error);
}

struct sipcid_settings *sipcid_settings_load_with(const char *path,
                                                  const struct sipcid_settings_overrides *o,
                                                  GError **error)
{
	struct sipcid_config *cfg = sipcid_config_load(path, error);
	if (!cfg)
		return NULL;
	struct sipcid_settings *s = g_new0(struct sipcid_settings, 1);
	s->config_path = g_strdup(path);
	bool ok = sipcid_config_check_groups(cfg, known_groups, error) &&
	          sipcid_number_plan_load(cfg, &s->numbers, error) &&
	          load_callerid(cfg, s, error) && load_datapath(cfg, s, error) &&
	          load_rules(cfg, o, s, error) &&
	          sipcid_calllog_settings_load(cfg, &s->log, error) &&
	          sipcid_record_settings_load(cfg, &s->record, error);
	sipcid_config_free(cfg);
	if (!ok) {
		sipcid_settings_free(s);
		return NULL;
	}
	return s;
}

void sipcid_settings_free(struct sipcid_settings *s)
{
	if (!s)
		return;
	g_free(s->config_path);
	sipcid_rules_settings_clear(&s->rules_files);
	if (s->rules)
		sipcid_rules_unref(s->rules);
	g_free(s);
}
