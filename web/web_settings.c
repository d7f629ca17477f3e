/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "web_settings.h"

#include <string.h>

#define GROUP "web"

#ifndef SIPCID_WEB_STATIC_DIR
#define SIPCID_WEB_STATIC_DIR "/usr/share/sipcid/web"
#endif

static void set_defaults(struct sipcid_web_settings *s)
{
	*s = (struct sipcid_web_settings){
		.bridge = g_strdup("br0"),
		.tls = true,
		.certificate = g_strdup(SIPCID_WEB_DEFAULT_CERTIFICATE),
		.key = g_strdup(SIPCID_WEB_DEFAULT_KEY),
		.password_file = g_strdup(SIPCID_WEB_DEFAULT_PASSWORD_FILE),
		.session_hours = 12,
		.login_attempts = 5,
		.lockout_minutes = 15,
		.listen_live = true,
		.static_dir = g_strdup(SIPCID_WEB_STATIC_DIR),
	};
}

static bool load_path(const struct sipcid_config *cfg, const char *key, char **out,
                      GError **error)
{
	if (!sipcid_config_string(cfg, GROUP, key, out, error))
		return false;
	if (!g_path_is_absolute(*out)) {
		sipcid_config_set_error(cfg, error, GROUP, key, "expected an absolute path, like %s",
		                        strcmp(key, "static-dir") == 0 ? SIPCID_WEB_STATIC_DIR
		                                                       : SIPCID_WEB_DEFAULT_KEY);
		return false;
	}
	return true;
}

static bool load_listen(const struct sipcid_config *cfg, struct sipcid_web_settings *s,
                        GError **error)
{
	if (!sipcid_config_list(cfg, GROUP, "listen", &s->listen, error))
		return false;
	if (!s->listen)
		return true;
	if (!s->listen[0]) {
		sipcid_config_set_error(cfg, error, GROUP, "listen",
		                        "expected one or more addresses, like 192.168.1.2 or "
		                        "192.168.1.2:8443, [fd00::2]:8443");
		return false;
	}
	for (char **l = s->listen; *l; l++) {
		GSocketAddress *a = sipcid_web_settings_parse_listen(*l);
		if (!a) {
			sipcid_config_set_error(cfg, error, GROUP, "listen",
			                        "\"%s\" is not an address with an optional port, like "
			                        "192.168.1.2:8443 or [fd00::2]:8443", *l);
			return false;
		}
		g_object_unref(a);
	}
	return true;
}

bool sipcid_web_settings_load(const struct sipcid_config *cfg, struct sipcid_web_settings *s,
                              GError **error)
{
	static const char *const keys[] = { "listen", "tls", "certificate", "key", "password-file",
		                            "session-hours", "login-attempts", "lockout-minutes",
		                            "listen-live", "static-dir", NULL };
	set_defaults(s);
	bool ok = sipcid_config_check_keys(cfg, GROUP, keys, error) &&
	          load_listen(cfg, s, error) &&
	          sipcid_config_bool(cfg, GROUP, "tls", &s->tls, error) &&
	          load_path(cfg, "certificate", &s->certificate, error) &&
	          load_path(cfg, "key", &s->key, error) &&
	          load_path(cfg, "password-file", &s->password_file, error) &&
	          sipcid_config_int(cfg, GROUP, "session-hours", 1, 24 * 366, &s->session_hours,
	                            error) &&
	          sipcid_config_int(cfg, GROUP, "login-attempts", 1, 1000, &s->login_attempts,
	                            error) &&
	          sipcid_config_int(cfg, GROUP, "lockout-minutes", 1, 7 * 24 * 60,
	                            &s->lockout_minutes, error) &&
	          sipcid_config_bool(cfg, GROUP, "listen-live", &s->listen_live, error) &&
	          load_path(cfg, "static-dir", &s->static_dir, error) &&
	          sipcid_config_string(cfg, "notify", "interface", &s->bridge, error);
	if (!ok)
		sipcid_web_settings_clear(s);
	return ok;
}

void sipcid_web_settings_clear(struct sipcid_web_settings *s)
{
	g_strfreev(s->listen);
	g_free(s->bridge);
	g_free(s->certificate);
	g_free(s->key);
	g_free(s->password_file);
	g_free(s->static_dir);
	memset(s, 0, sizeof *s);
}
