/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading sipcid.conf into struct sipcid_settings. */
#include "settings.h"

#include "config.h"

#include <errno.h>
#include <string.h>

static const char *const known_groups[] = { "numbers", "callerid", "datapath", "notify", "rules",
                                    "lists", "log", "record", "ncid", "mqtt", "webhook",
                                    "webhook *", "line",
                                    "web" /* sipcid-web's, checked by sipcid-web --check */, NULL };

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
	static const char *const keys[] = { "call-table-size", "queue", "queue-length",
		                            "receive-buffer-mb", "user", "no-sip-warning-seconds", NULL };
	/* Queue length and buffer as measured in docs/datapath.md: 8192 packets
	 * overflow the queue before a 32 MiB socket does, and that is the
	 * failure the kernel counts. The call table: 2048 calls at 1 KiB each
	 * is 500 times what a busy small office has ringing and talking at
	 * once, and a flood fills it in a second whatever its size; at 4096 a
	 * flood left sipcidd above 16 MiB resident (bench/datapath_bench.sh). */
	long n = 2048, queue = 0, length = 8192, rcvbuf_mb = 32, no_sip = 600;
	if (!sipcid_config_check_keys(cfg, "datapath", keys, error) ||
	    !sipcid_config_int(cfg, "datapath", "call-table-size", 16, 1000000, &n, error) ||
	    !sipcid_config_int(cfg, "datapath", "queue", 0, 65535, &queue, error) ||
	    !sipcid_config_int(cfg, "datapath", "queue-length", 64, 1000000, &length, error) ||
	    !sipcid_config_int(cfg, "datapath", "receive-buffer-mb", 1, 1024, &rcvbuf_mb, error) ||
	    !sipcid_config_string(cfg, "datapath", "user", &s->user, error) ||
	    !sipcid_config_int(cfg, "datapath", "no-sip-warning-seconds", 0, 7 * 86400, &no_sip, error))
		return false;
	if (s->user && !*s->user) {
		sipcid_config_set_error(cfg, error, "datapath", "user",
		                        "expected a user name, like sipcid (or root to keep root)");
		return false;
	}
	s->table_size = (int)n;
	s->queue = (int)queue;
	s->queue_length = (int)length;
	s->receive_buffer = (int)rcvbuf_mb * 1024 * 1024;
	s->no_sip_warning_s = (int)no_sip;
	return true;
}

/* [line] (bridge-daemon/pipeline/line_health.h). down-after is a duration:
 * "60s", "2m" or plain seconds. */
static bool load_line(const struct sipcid_config *cfg, struct sipcid_settings *s, GError **error)
{
	static const char *const keys[] = { "down-after", NULL };
	s->line_down_after_us = 60 * G_USEC_PER_SEC;  /* a refresh that needs a retry or two is not news */
	g_autofree char *text = NULL;
	if (!sipcid_config_check_keys(cfg, "line", keys, error) ||
	    !sipcid_config_string(cfg, "line", "down-after", &text, error))
		return false;
	if (!text)
		return true;
	char *end = NULL;
	guint64 n = 0;
	errno = 0;
	if (g_ascii_isdigit(text[0]))
		n = g_ascii_strtoull(text, &end, 10);
	long unit = !end ? 0 : !*end || !strcmp(end, "s") ? 1 : !strcmp(end, "m") ? 60 : 0;
	if (!unit || errno || n > 86400 / (guint64)unit) {
		sipcid_config_set_error(cfg, error, "line", "down-after",
		                        "expected a time up to a day, like 60s or 2m");
		return false;
	}
	s->line_down_after_us = (int64_t)n * unit * G_USEC_PER_SEC;
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
	          load_line(cfg, s, error) &&
	          load_rules(cfg, o, s, error) &&
	          sipcid_announce_settings_load(cfg, &s->notify, error) &&
	          sipcid_calllog_settings_load(cfg, &s->log, error) &&
	          sipcid_record_settings_load(cfg, &s->record, error) &&
	          sipcid_ncid_settings_load(cfg, &s->ncid, error) &&
	          sipcid_mqtt_settings_load(cfg, &s->mqtt, error) &&
	          sipcid_webhook_settings_load(cfg, &s->webhooks, error);
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
	g_free(s->user);
	sipcid_rules_settings_clear(&s->rules_files);
	sipcid_announce_settings_clear(&s->notify);
	sipcid_mqtt_settings_clear(&s->mqtt);
	if (s->webhooks)
		g_ptr_array_unref(s->webhooks);
	if (s->rules)
		sipcid_rules_unref(s->rules);
	g_free(s);
}
