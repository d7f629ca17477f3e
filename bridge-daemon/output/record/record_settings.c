/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading [record]. */
#include "record_settings.h"

#include "state_dir.h"

#include <string.h>

void sipcid_record_settings_default(struct sipcid_record_settings *s)
{
	memset(s, 0, sizeof *s);
	s->enabled = true;
	sipcid_state_path("recordings", s->directory, sizeof s->directory);
	s->max_minutes = 240;
	s->max_calls = 16;
	s->max_call_mb = SIPCID_RECORD_DEFAULT_MAX_CALL_MB;
	s->max_total_mb = SIPCID_RECORD_DEFAULT_MAX_TOTAL_MB;
	s->nflog_group = SIPCID_RECORD_DEFAULT_NFLOG_GROUP;
	s->on_demand = true;
	g_strlcpy(s->dtmf_start, "*1", sizeof s->dtmf_start);
	g_strlcpy(s->dtmf_stop, "*0", sizeof s->dtmf_stop);
}

/* A touch-tone code: up to SIPCID_DTMF_CODE_MAX of 0-9 * # A-D, or empty. */
static bool load_code(const struct sipcid_config *cfg, const char *key, char *out, size_t room,
                      GError **error)
{
	g_autofree char *code = NULL;
	if (!sipcid_config_string(cfg, "record", key, &code, error))
		return false;
	if (!code)
		return true;
	if (!sipcid_dtmf_code_valid(code)) {
		sipcid_config_set_error(cfg, error, "record", key,
		                        "expected up to %d keys of 0-9, *, #, A-D (like *1), or "
		                        "nothing to turn it off, not '%s'", SIPCID_DTMF_CODE_MAX, code);
		return false;
	}
	g_strlcpy(out, code, room);
	return true;
}

bool sipcid_record_settings_load(const struct sipcid_config *cfg, struct sipcid_record_settings *s,
                                 GError **error)
{
	static const char *const keys[] = { "directory", "max-minutes", "max-calls", "max-call-mb",
	                                      "max-total-mb", "nflog-group", "on-demand",
	                                      "dtmf-start", "dtmf-stop", NULL };
	sipcid_record_settings_default(s);
	long minutes = s->max_minutes, calls = s->max_calls, group = s->nflog_group;
	long call_mb = s->max_call_mb, total_mb = s->max_total_mb;
	g_autofree char *dir = NULL;
	if (!sipcid_config_check_keys(cfg, "record", keys, error) ||
	    !sipcid_config_string(cfg, "record", "directory", &dir, error) ||
	    !sipcid_config_int(cfg, "record", "max-minutes", 1, 24 * 60, &minutes, error) ||
	    !sipcid_config_int(cfg, "record", "max-calls", 1, 256, &calls, error) ||
	    !sipcid_config_int(cfg, "record", "max-call-mb", 1, 1024 * 1024, &call_mb, error) ||
	    !sipcid_config_int(cfg, "record", "max-total-mb", 1, 1024 * 1024 * 1024, &total_mb, error) ||
	    !sipcid_config_int(cfg, "record", "nflog-group", 0, 65535, &group, error) ||
	    !sipcid_config_bool(cfg, "record", "on-demand", &s->on_demand, error) ||
	    !load_code(cfg, "dtmf-start", s->dtmf_start, sizeof s->dtmf_start, error) ||
	    !load_code(cfg, "dtmf-stop", s->dtmf_stop, sizeof s->dtmf_stop, error))
		return false;
	if (s->dtmf_start[0] && !strcmp(s->dtmf_start, s->dtmf_stop)) {
		sipcid_config_set_error(cfg, error, "record", "dtmf-stop",
		                        "is the same code as dtmf-start (%s)", s->dtmf_start);
		return false;
	}
	if (dir) {
		if (!g_path_is_absolute(dir) || strlen(dir) >= sizeof s->directory - 256) {
			sipcid_config_set_error(cfg, error, "record", "directory",
			                        "expected an absolute directory path, like %s",
			                        "/var/lib/sipcid/recordings");
			return false;
		}
		g_strlcpy(s->directory, dir, sizeof s->directory);
		s->directory_set = true;
	}
	s->max_minutes = (int)minutes;
	s->max_calls = (int)calls;
	s->max_call_mb = (int)call_mb;
	s->max_total_mb = (int)total_mb;
	s->nflog_group = (int)group;
	return true;
}
