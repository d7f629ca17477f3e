/* Loading [ncid]. */
#include "ncid_settings.h"

#include <gio/gio.h>
#include <string.h>

/* NCID writes the month first for the North American Numbering Plan's
 * countries and the day first elsewhere. */
static bool country_is_month_first(const char *cc)
{
	static const char *const nanp[] = { "US", "CA", "PR", "VI", "GU", "AS", "MP", "BS", "BB",
		                            "AI", "AG", "VG", "KY", "BM", "GD", "TC", "MS", "SX",
		                            "LC", "DM", "VC", "DO", "TT", "KN", "JM", NULL };
	return g_strv_contains(nanp, cc);
}

static bool load_listen(const struct sipcid_config *cfg, struct sipcid_ncid_settings *s,
                        GError **error)
{
	g_autofree char *text = NULL;
	if (!sipcid_config_string(cfg, "ncid", "listen", &text, error))
		return false;
	if (!text)
		return true;
	g_autoptr(GSocketConnectable) addr = g_network_address_parse(text, SIPCID_NCID_DEFAULT_PORT,
	                                                             NULL);
	const char *host = addr ? g_network_address_get_hostname(G_NETWORK_ADDRESS(addr)) : NULL;
	g_autoptr(GInetAddress) inet = host ? g_inet_address_new_from_string(host) : NULL;
	if (!inet || strlen(host) >= sizeof s->listen_host) {
		sipcid_config_set_error(cfg, error, "ncid", "listen",
		                        "expected ADDRESS:PORT with a numeric address, like "
		                        "0.0.0.0:3333, 192.168.1.2 or [::]:3333");
		return false;
	}
	g_strlcpy(s->listen_host, host, sizeof s->listen_host);
	s->listen_port = g_network_address_get_port(G_NETWORK_ADDRESS(addr));
	s->enabled = true;
	return true;
}

/* LINE goes into every line a client parses: no field separator, no
 * control characters, something to show. */
static bool line_ok(const char *line)
{
	if (!*line || strlen(line) >= SIPCID_NCID_LINE_MAX || !g_utf8_validate(line, -1, NULL))
		return false;
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '*')
			return false;
	return true;
}

bool sipcid_ncid_settings_load(const struct sipcid_config *cfg, struct sipcid_ncid_settings *s,
                               GError **error)
{
	static const char *const keys[] = { "listen", "allow", "max-clients", "line", "country",
		                            "date-order", "log-calls", NULL };
	static const char *const orders[] = { "mmdd", "ddmm", NULL };
	memset(s, 0, sizeof *s);
	g_strlcpy(s->line, "VOIP", sizeof s->line);
	g_strlcpy(s->country, "US", sizeof s->country);
	long max_clients = 16, log_calls = 100;
	int order = -1;
	g_autofree char *line = NULL, *country = NULL;
	if (!sipcid_config_check_keys(cfg, "ncid", keys, error) || !load_listen(cfg, s, error) ||
	    !sipcid_config_int(cfg, "ncid", "max-clients", 1, 1000, &max_clients, error) ||
	    !sipcid_config_string(cfg, "ncid", "line", &line, error) ||
	    !sipcid_config_string(cfg, "ncid", "country", &country, error) ||
	    !sipcid_config_choice(cfg, "ncid", "date-order", orders, &order, error) ||
	    !sipcid_config_int(cfg, "ncid", "log-calls", 0, 10000, &log_calls, error))
		return false;
	if (sipcid_config_has(cfg, "ncid", "allow")) {
		if (!sipcid_trust_load(cfg, "ncid", "allow", &s->allow, error))
			return false;
		s->allow_set = true;
	}
	if (line) {
		if (!line_ok(line)) {
			sipcid_config_set_error(cfg, error, "ncid", "line",
			                        "expected a short name without '*' (at most %d bytes), "
			                        "like VOIP",
			                        SIPCID_NCID_LINE_MAX - 1);
			return false;
		}
		g_strlcpy(s->line, line, sizeof s->line);
	}
	if (country) {
		if (strlen(country) != 2 || !g_ascii_isalpha(country[0]) ||
		    !g_ascii_isalpha(country[1])) {
			sipcid_config_set_error(cfg, error, "ncid", "country",
			                        "expected a two-letter country code, like US or DE");
			return false;
		}
		s->country[0] = g_ascii_toupper(country[0]);
		s->country[1] = g_ascii_toupper(country[1]);
	}
	s->day_first = order >= 0 ? order == 1 : !country_is_month_first(s->country);
	s->max_clients = (int)max_clients;
	s->log_calls = (int)log_calls;
	return true;
}
