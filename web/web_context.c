/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The context from sipcid.conf. The groups sipcidd owns are read through
 * their own settings modules where those are light ([log], [record]), so
 * their defaults and errors are sipcidd's; [rules] only for its two paths,
 * since the rules library would bring the number plan along. */
#include "web_context.h"

#include "calllog_settings.h"
#include "config.h"
#include "control_client.h"
#include "record_settings.h"

#include <glib.h>

#ifndef SIPCID_WEB_RULES_PROGRAM
#define SIPCID_WEB_RULES_PROGRAM "/usr/bin/sipcid-rules"
#endif
/* As rules/rules_settings.h. */
#define RULES_DEFAULT_PATH "/etc/sipcid/rules"
#define PHONEBOOK_DEFAULT_PATH "/etc/sipcid/phonebook"

static bool load_rules_path(const struct sipcid_config *cfg, const char *key, const char *def,
                            char **out, GError **error)
{
	*out = g_strdup(def);
	if (!sipcid_config_string(cfg, "rules", key, out, error))
		return false;
	if (!g_path_is_absolute(*out)) {
		sipcid_config_set_error(cfg, error, "rules", key, "expected an absolute path, like %s",
		                        def);
		return false;
	}
	return true;
}

struct sipcid_web_context *sipcid_web_context_new(const struct sipcid_config *cfg,
                                                  const char *control_path,
                                                  const char *sipcid_rules, GError **error)
{
	struct sipcid_calllog_settings log;
	struct sipcid_record_settings rec;
	struct sipcid_web_context *ctx = g_new0(struct sipcid_web_context, 1);
	ctx->listen_live = true;
	if (!sipcid_calllog_settings_load(cfg, &log, error) ||
	    !sipcid_record_settings_load(cfg, &rec, error) ||
	    !load_rules_path(cfg, "rules", RULES_DEFAULT_PATH, &ctx->rules_path, error) ||
	    !load_rules_path(cfg, "phonebook", PHONEBOOK_DEFAULT_PATH, &ctx->phonebook_path, error) ||
	    !sipcid_config_bool(cfg, "web", "listen-live", &ctx->listen_live, error)) {
		sipcid_web_context_free(ctx);
		return NULL;
	}
	const char *path = sipcid_config_path(cfg);
	ctx->config_path = g_strcmp0(path, "(defaults)") == 0 ? NULL : g_strdup(path);
	ctx->calllog_path = g_strdup(log.database);
	ctx->recordings_dir = g_strdup(rec.directory);
	ctx->record_budget_mb = rec.max_total_mb;
	ctx->control_path = g_strdup(control_path ? control_path : SIPCID_CONTROL_DEFAULT_PATH);
	ctx->sipcid_rules = g_strdup(sipcid_rules ? sipcid_rules : SIPCID_WEB_RULES_PROGRAM);
	return ctx;
}

void sipcid_web_context_free(struct sipcid_web_context *ctx)
{
	if (!ctx)
		return;
	if (ctx->calllog)
		sqlite3_close(ctx->calllog);
	g_free(ctx->config_path);
	g_free(ctx->calllog_path);
	g_free(ctx->rules_path);
	g_free(ctx->phonebook_path);
	g_free(ctx->recordings_dir);
	g_free(ctx->control_path);
	g_free(ctx->sipcid_rules);
	g_free(ctx);
}
