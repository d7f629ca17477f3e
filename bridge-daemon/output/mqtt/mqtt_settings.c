/* Loading [mqtt]. */
#include "mqtt_settings.h"

#include "announce_settings.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char GROUP[] = "mqtt";

static const char *const known_keys[] = {
	"broker", "username", "password-file", "ca-file", "cert-file", "key-file",
	"topic-prefix", "discovery-prefix", "box", "queue", NULL,
};

/* Box names and prefixes become MQTT topic levels and Home Assistant ids:
 * no '/', '+' or '#', nothing a unique_id would mangle. */
static bool is_name_char(char c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '_';
}

void sipcid_mqtt_default_box(char out[SIPCID_BOX_MAX])
{
	size_t n = 0;
	for (const char *p = g_get_host_name(); *p && *p != '.' && n < SIPCID_BOX_MAX - 1; p++)
		out[n++] = is_name_char(*p) ? *p : '_';
	out[n] = '\0';
	if (n == 0)
		g_strlcpy(out, "sipcid", SIPCID_BOX_MAX);
}

static bool load_name(const struct sipcid_config *cfg, const char *key, bool empty_ok,
                      size_t max, char **value, GError **error)
{
	if (!sipcid_config_string(cfg, GROUP, key, value, error))
		return false;
	const char *v = *value;
	bool ok = (*v || empty_ok) && strlen(v) <= max;
	for (const char *p = v; ok && *p; p++)
		ok = is_name_char(*p);
	if (!ok)
		sipcid_config_set_error(cfg, error, GROUP, key,
		                        "'%s': expected 1 to %zu letters, digits, '-' or '_' "
		                        "(it becomes an MQTT topic level)", v, max);
	return ok;
}

static bool load_file(const struct sipcid_config *cfg, const char *key, char **path,
                      GError **error)
{
	if (!sipcid_config_string(cfg, GROUP, key, path, error))
		return false;
	if (*path && access(*path, R_OK) != 0) {
		sipcid_config_set_error(cfg, error, GROUP, key, "%s: %s", *path, g_strerror(errno));
		return false;
	}
	return true;
}

/* The password lives in its own file so the configuration can stay
 * readable; that file must be its owner's alone. */
static bool load_password(const struct sipcid_config *cfg, struct sipcid_mqtt_settings *s,
                          GError **error)
{
	if (!sipcid_config_string(cfg, GROUP, "password-file", &s->password_file, error))
		return false;
	if (!s->password_file)
		return true;
	const char *f = s->password_file;
	struct stat st;
	if (stat(f, &st) != 0) {
		sipcid_config_set_error(cfg, error, GROUP, "password-file", "%s: %s", f,
		                        g_strerror(errno));
		return false;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		sipcid_config_set_error(cfg, error, GROUP, "password-file",
		                        "%s is open to group or others (mode %04o); "
		                        "make it its owner's alone: chmod 600 %s",
		                        f, (unsigned)(st.st_mode & 07777), f);
		return false;
	}
	g_autoptr(GError) ferr = NULL;
	char *text = NULL;
	if (!g_file_get_contents(f, &text, NULL, &ferr)) {
		sipcid_config_set_error(cfg, error, GROUP, "password-file", "%s", ferr->message);
		return false;
	}
	text[strcspn(text, "\r\n")] = '\0';  /* the first line */
	s->password = text;
	if (!s->username) {
		sipcid_config_set_error(cfg, error, GROUP, "password-file",
		                        "a password needs a username (add username = NAME)");
		return false;
	}
	return true;
}

static bool load_broker(const struct sipcid_config *cfg, struct sipcid_mqtt_settings *s,
                        GError **error)
{
	g_autofree char *broker = NULL;
	if (!sipcid_config_string(cfg, GROUP, "broker", &broker, error))
		return false;
	if (!broker)
		return true;
	struct sipcid_announce_dest d;
	g_autofree char *why = NULL;
	if (!sipcid_announce_dest_parse(broker, 0, &d, &why)) {
		sipcid_config_set_error(cfg, error, GROUP, "broker", "'%s': %s (expected HOST:PORT)",
		                        broker, why);
		return false;
	}
	s->host = d.host;
	s->port = d.port;
	return true;
}

bool sipcid_mqtt_settings_load(const struct sipcid_config *cfg, struct sipcid_mqtt_settings *s,
                               GError **error)
{
	memset(s, 0, sizeof *s);
	s->topic_prefix = g_strdup("sipcid");
	s->discovery_prefix = g_strdup("homeassistant");
	s->queue = SIPCID_MQTT_QUEUE_DEFAULT;
	sipcid_mqtt_default_box(s->box);
	g_autofree char *box = g_strdup(s->box);
	long queue = s->queue;
	if (!sipcid_config_check_keys(cfg, GROUP, known_keys, error) ||
	    !load_broker(cfg, s, error) ||
	    !sipcid_config_string(cfg, GROUP, "username", &s->username, error) ||
	    !load_password(cfg, s, error) ||
	    !load_file(cfg, "ca-file", &s->ca_file, error) ||
	    !load_file(cfg, "cert-file", &s->cert_file, error) ||
	    !load_file(cfg, "key-file", &s->key_file, error) ||
	    !load_name(cfg, "topic-prefix", false, 64, &s->topic_prefix, error) ||
	    !load_name(cfg, "discovery-prefix", true, 64, &s->discovery_prefix, error) ||
	    !load_name(cfg, "box", false, SIPCID_BOX_MAX - 1, &box, error) ||
	    !sipcid_config_int(cfg, GROUP, "queue", 1, 100000, &queue, error))
		goto fail;
	g_strlcpy(s->box, box, sizeof s->box);
	s->queue = (int)queue;
	if (!s->cert_file != !s->key_file) {
		sipcid_config_set_error(cfg, error, GROUP, s->cert_file ? "cert-file" : "key-file",
		                        "a client certificate needs both cert-file and key-file");
		goto fail;
	}
	if (s->cert_file && !s->ca_file) {
		sipcid_config_set_error(cfg, error, GROUP, "cert-file",
		                        "a client certificate is for TLS: add ca-file, the CA that "
		                        "signed the broker's certificate");
		goto fail;
	}
	if (s->host && !s->port)
		s->port = s->ca_file ? SIPCID_MQTT_TLS_PORT : SIPCID_MQTT_PORT;
	return true;
fail:
	sipcid_mqtt_settings_clear(s);
	return false;
}

void sipcid_mqtt_settings_clear(struct sipcid_mqtt_settings *s)
{
	g_free(s->host);
	g_free(s->username);
	g_free(s->password_file);
	if (s->password)
		explicit_bzero(s->password, strlen(s->password));
	g_free(s->password);
	g_free(s->ca_file);
	g_free(s->cert_file);
	g_free(s->key_file);
	g_free(s->topic_prefix);
	g_free(s->discovery_prefix);
	memset(s, 0, sizeof *s);
}
