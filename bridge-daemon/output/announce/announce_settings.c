/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading [notify]. */
#include "announce_settings.h"

#include <stdlib.h>
#include <string.h>

static const char GROUP[] = "notify";

static const char *const known_keys[] = {
	"interface", "udp", "growl", "gntp",
	"growl-password", "growl-hash", "growl-flags-byte-order", "growl-register-interval",
	"gntp-password", "gntp-hash", "gntp-timeout",
	"auth-key-file",
	"incoming-priority", "incoming-sticky", "blocked-priority", "blocked-sticky",
	"update-priority", "update-sticky",
	"flood-burst", "flood-per-minute",
	NULL,
};

static void clear_dest(void *p)
{
	struct sipcid_announce_dest *d = p;
	g_free(d->host);
}

static GArray *dest_array(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct sipcid_announce_dest));
	g_array_set_clear_func(a, clear_dest);
	return a;
}

bool sipcid_announce_dest_parse(const char *text, uint16_t default_port,
                                struct sipcid_announce_dest *out, char **why)
{
	g_autofree char *host = NULL;
	const char *port_text = NULL;
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close) {
			*why = g_strdup("an IPv6 address needs a closing ']', like [fe80::1]:9887");
			return false;
		}
		host = g_strndup(text + 1, (gsize)(close - text - 1));
		if (close[1] == ':')
			port_text = close + 2;
		else if (close[1]) {
			*why = g_strdup("expected ':PORT' after ']'");
			return false;
		}
		if (!g_hostname_is_ip_address(host) || !strchr(host, ':')) {
			*why = g_strdup_printf("'%s' is not an IPv6 address", host);
			return false;
		}
	} else {
		const char *colon = strchr(text, ':');
		if (colon && strchr(colon + 1, ':')) {
			*why = g_strdup("write an IPv6 address in brackets, like [ff02::1]:7651");
			return false;
		}
		host = colon ? g_strndup(text, (gsize)(colon - text)) : g_strdup(text);
		port_text = colon ? colon + 1 : NULL;
	}
	if (!*host) {
		*why = g_strdup("the host is missing");
		return false;
	}
	for (const char *p = host; *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr(".-_:%", *p)) {
			*why = g_strdup_printf("'%s' is not a host name or address", host);
			return false;
		}
	}
	long port = default_port;
	if (port_text) {
		char *end = NULL;
		port = strtol(port_text, &end, 10);
		if (!*port_text || *end || port < 1 || port > 65535) {
			*why = g_strdup_printf("'%s' is not a port number from 1 to 65535", port_text);
			return false;
		}
	}
	out->host = g_steal_pointer(&host);
	out->port = (uint16_t)port;
	return true;
}

static bool load_dests(const struct sipcid_config *cfg, const char *key, uint16_t port,
                       GArray **out, GError **error)
{
	if (!sipcid_config_has(cfg, GROUP, key))
		return true;
	g_auto(GStrv) list = NULL;
	if (!sipcid_config_list(cfg, GROUP, key, &list, error))
		return false;
	GArray *a = dest_array();
	for (int i = 0; list && list[i]; i++) {
		struct sipcid_announce_dest d;
		g_autofree char *why = NULL;
		if (!sipcid_announce_dest_parse(list[i], port, &d, &why)) {
			sipcid_config_set_error(cfg, error, GROUP, key,
			                        "'%s': %s (expected HOST:PORT entries separated by commas)",
			                        list[i], why);
			g_array_unref(a);
			return false;
		}
		g_array_append_val(a, d);
	}
	if (*out)
		g_array_unref(*out);
	*out = a;
	return true;
}

static bool load_int(const struct sipcid_config *cfg, const char *key, long min, long max,
                     int *out, GError **error)
{
	long v = *out;
	if (!sipcid_config_int(cfg, GROUP, key, min, max, &v, error))
		return false;
	*out = (int)v;
	return true;
}

static bool load_choice(const struct sipcid_config *cfg, const char *key,
                        const char *const *choices, int *out, GError **error)
{
	return sipcid_config_choice(cfg, GROUP, key, choices, out, error);
}

static void set_defaults(struct sipcid_announce_settings *s)
{
	memset(s, 0, sizeof *s);
	s->interface = g_strdup("br0");
	s->gntp = dest_array();
	s->growl_password = g_strdup("");
	s->gntp_password = g_strdup("");
	s->growl_auth = GROWL_AUTH_MD5;
	s->growl_flags_order = GROWL_FLAGS_BIG_ENDIAN;
	s->growl_register_interval_s = 600;
	s->gntp_hash = GNTP_HASH_SHA256;
	s->gntp_timeout_s = 5;
	/* A home line has a few calls an hour; ten at once is already unusual
	 * (output_rate.h). */
	s->flood_burst = 10;
	s->flood_per_minute = 10;
	/* A blocked call is worth a look but never needs dismissing. */
	s->priority[SIPCID_ANNOUNCE_INCOMING] = 1;
	s->priority[SIPCID_ANNOUNCE_BLOCKED] = 0;
	s->priority[SIPCID_ANNOUNCE_UPDATE] = -1;
}

bool sipcid_announce_settings_load(const struct sipcid_config *cfg,
                                 struct sipcid_announce_settings *s, GError **error)
{
	static const char *const growl_hashes[] = { "md5", "sha256", "none", NULL };
	static const char *const orders[] = { "big-endian", "little-endian", NULL };
	static const char *const gntp_hashes[] = { "md5", "sha1", "sha256", "sha512", NULL };
	static const char *const type_keys[] = { "incoming", "blocked", "update" };

	set_defaults(s);
	if (!sipcid_config_check_keys(cfg, GROUP, known_keys, error))
		goto fail;
	if (!sipcid_config_string(cfg, GROUP, "interface", &s->interface, error))
		goto fail;
	s->interface_set = sipcid_config_has(cfg, GROUP, "interface");
	if (!*s->interface) {
		sipcid_config_set_error(cfg, error, GROUP, "interface",
		                        "expected the name of the LAN interface, like br0");
		goto fail;
	}
	if (!load_dests(cfg, "udp", SIPCID_WIRE_PORT, &s->udp, error) ||
	    !load_dests(cfg, "growl", GROWL_UDP_PORT, &s->growl, error) ||
	    !load_dests(cfg, "gntp", GNTP_PORT, &s->gntp, error))
		goto fail;
	if (!sipcid_config_string(cfg, GROUP, "growl-password", &s->growl_password, error) ||
	    !sipcid_config_string(cfg, GROUP, "gntp-password", &s->gntp_password, error))
		goto fail;
	int v = (int)s->growl_auth;
	if (!load_choice(cfg, "growl-hash", growl_hashes, &v, error))
		goto fail;
	s->growl_auth = (enum growl_auth)v;
	v = (int)s->growl_flags_order;
	if (!load_choice(cfg, "growl-flags-byte-order", orders, &v, error))
		goto fail;
	s->growl_flags_order = (enum growl_flags_order)v;
	v = (int)s->gntp_hash;
	if (!load_choice(cfg, "gntp-hash", gntp_hashes, &v, error))
		goto fail;
	s->gntp_hash = (enum gntp_hash)v;
	if (!load_int(cfg, "growl-register-interval", 10, 86400, &s->growl_register_interval_s,
	              error) ||
	    !load_int(cfg, "gntp-timeout", 1, 60, &s->gntp_timeout_s, error) ||
	    !load_int(cfg, "flood-burst", 1, 1000000, &s->flood_burst, error) ||
	    !load_int(cfg, "flood-per-minute", 1, 1000000, &s->flood_per_minute, error))
		goto fail;
	if (s->growl_auth == GROWL_AUTH_NONE && *s->growl_password) {
		sipcid_config_set_error(cfg, error, GROUP, "growl-hash",
		                        "'none' sends no digest, so growl-password would be ignored; "
		                        "choose md5 or sha256, or remove growl-password");
		goto fail;
	}
	for (int t = 0; t < SIPCID_ANNOUNCE_TYPES; t++) {
		g_autofree char *pk = g_strdup_printf("%s-priority", type_keys[t]);
		g_autofree char *sk = g_strdup_printf("%s-sticky", type_keys[t]);
		if (!load_int(cfg, pk, -2, 2, &s->priority[t], error) ||
		    !sipcid_config_bool(cfg, GROUP, sk, &s->sticky[t], error))
			goto fail;
	}
	if (!sipcid_config_string(cfg, GROUP, "auth-key-file", &s->auth_key_file, error))
		goto fail;
	if (s->auth_key_file) {
		g_autoptr(GError) kerr = NULL;
		if (!*s->auth_key_file) {
			sipcid_config_set_error(cfg, error, GROUP, "auth-key-file",
			                        "expected the path of a key file");
			goto fail;
		}
		if (!sipcid_wire_key_load(s->auth_key_file, &s->key, &kerr)) {
			sipcid_config_set_error(cfg, error, GROUP, "auth-key-file", "%s", kerr->message);
			goto fail;
		}
		s->has_key = true;
	}
	return true;
fail:
	sipcid_announce_settings_clear(s);
	return false;
}

void sipcid_announce_settings_keep_named(struct sipcid_announce_settings *s)
{
	if (s->interface_set)
		return;
	/* NULL means "the default"; an empty list means "none". */
	if (!s->udp)
		s->udp = dest_array();
	if (!s->growl)
		s->growl = dest_array();
}

void sipcid_announce_settings_clear(struct sipcid_announce_settings *s)
{
	g_free(s->interface);
	if (s->udp)
		g_array_unref(s->udp);
	if (s->growl)
		g_array_unref(s->growl);
	if (s->gntp)
		g_array_unref(s->gntp);
	g_free(s->growl_password);
	g_free(s->gntp_password);
	g_free(s->auth_key_file);
	explicit_bzero(&s->key, sizeof s->key);
	memset(s, 0, sizeof *s);
}
