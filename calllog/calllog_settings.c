/* Loading [log]. */
#include "calllog_settings.h"

#include "state_dir.h"

#include <string.h>

void sipcid_calllog_settings_default(struct sipcid_calllog_settings *s)
{
	memset(s, 0, sizeof *s);
	s->enabled = true;
	sipcid_state_path("calls.db", s->database, sizeof s->database);
	s->batch_rows = 64;
	s->batch_ms = 500;
	s->keep_days = SIPCID_CALLLOG_DEFAULT_KEEP_DAYS;
	s->keep_rows = SIPCID_CALLLOG_DEFAULT_KEEP_ROWS;
}

bool sipcid_calllog_settings_load(const struct sipcid_config *cfg,
                                  struct sipcid_calllog_settings *s, GError **error)
{
	static const char *const keys[] = { "enabled",  "database",  "batch-rows", "batch-ms",
	                                      "keep-days", "keep-rows", NULL };
	sipcid_calllog_settings_default(s);
	long rows = s->batch_rows, ms = s->batch_ms, days = s->keep_days, keep = s->keep_rows;
	g_autofree char *db = NULL;
	if (!sipcid_config_check_keys(cfg, "log", keys, error) ||
	    !sipcid_config_bool(cfg, "log", "enabled", &s->enabled, error) ||
	    !sipcid_config_string(cfg, "log", "database", &db, error) ||
	    !sipcid_config_int(cfg, "log", "batch-rows", 1, 100000, &rows, error) ||
	    !sipcid_config_int(cfg, "log", "batch-ms", 10, 60000, &ms, error) ||
	    !sipcid_config_int(cfg, "log", "keep-days", 0, 100 * 366, &days, error) ||
	    !sipcid_config_int(cfg, "log", "keep-rows", 0, 1000000000, &keep, error))
		return false;
	if (db) {
		if (!g_path_is_absolute(db) || strlen(db) >= sizeof s->database) {
			sipcid_config_set_error(cfg, error, "log", "database",
			                        "expected an absolute file path, like %s",
			                        "/var/lib/sipcid/calls.db");
			return false;
		}
		g_strlcpy(s->database, db, sizeof s->database);
		s->database_set = true;
	}
	s->batch_rows = (int)rows;
	s->batch_ms = (int)ms;
	s->keep_days = (int)days;
	s->keep_rows = (int)keep;
	return true;
}
