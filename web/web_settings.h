/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-web's own group of sipcid.conf, [web] (sipcid-web(8)), and where it
 * listens. */
#ifndef SIPCID_WEB_SETTINGS_H
#define SIPCID_WEB_SETTINGS_H

#include "config.h"

#include <gio/gio.h>
#include <stdbool.h>

#define SIPCID_WEB_DEFAULT_PORT 8443
#define SIPCID_WEB_DEFAULT_CERTIFICATE "/etc/sipcid/web.crt"
#define SIPCID_WEB_DEFAULT_KEY "/etc/sipcid/web.key"
#define SIPCID_WEB_DEFAULT_PASSWORD_FILE "/var/lib/sipcid/web-password"

struct sipcid_web_settings {
	char **listen;            /* ADDRESS[:PORT] as written; NULL: the bridge's addresses */
	char *bridge;             /* [notify] interface: the LAN bridge (default br0) */
	bool tls;
	char *certificate, *key;
	char *password_file;
	long session_hours;
	long login_attempts;      /* failures from one address ... */
	long lockout_minutes;     /* ... within this many minutes lock it out as long */
	bool listen_live;
	char *static_dir;
};

/* The defaults, then [web] and [notify] interface from cfg. Errors name FILE:LINE. */
bool sipcid_web_settings_load(const struct sipcid_config *cfg, struct sipcid_web_settings *s,
                              GError **error);
void sipcid_web_settings_clear(struct sipcid_web_settings *s);

/* Where to listen, as a GPtrArray of GInetSocketAddress: the `listen`
 * entries, or without them every address of the bridge (never the wildcard:
 * on a box with a WAN port that would serve the internet). An error when the
 * bridge has none, naming the key to set. */
GPtrArray *sipcid_web_settings_listen_addresses(const struct sipcid_web_settings *s,
                                                const char *config_path, GError **error);
/* One listen entry, "ADDRESS", "ADDRESS:PORT" or "[IPV6]:PORT"; NULL when it is not one. */
GSocketAddress *sipcid_web_settings_parse_listen(const char *text);

#endif
