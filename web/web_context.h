/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What sipcid-web knows about the box, read from sipcid.conf at start and
 * never changed afterwards. sipcid-web does not load the rules or the number
 * plan itself (libphonenumber alone would triple its memory): it asks
 * sipcid-rules, a child process, for every check, test and change. */
#ifndef SIPCID_WEB_CONTEXT_H
#define SIPCID_WEB_CONTEXT_H

#include <glib.h>
#include <sqlite3.h>
#include <stdbool.h>

struct sipcid_web_context {
	char *config_path;       /* sipcid.conf, passed to sipcid-rules as --config */
	char *calllog_path;      /* [log] database */
	char *rules_path;        /* [rules] rules */
	char *phonebook_path;    /* [rules] phonebook */
	char *recordings_dir;    /* [record] directory */
	long record_budget_mb;   /* [record] max-total-mb */
	char *control_path;      /* sipcidd's control socket */
	char *sipcid_rules;      /* the sipcid-rules program to run */
	bool listen_live;        /* [web] listen-live */
	sqlite3 *calllog;        /* read-only connection; NULL until first needed */
};

struct sipcid_config;


/* Reads [log], [rules], [record] and [web] listen-live from cfg (errors name
 * FILE:LINE). control_path and sipcid_rules may be NULL: the defaults. */
struct sipcid_web_context *sipcid_web_context_new(const struct sipcid_config *cfg,
                                                  const char *control_path,
                                                  const char *sipcid_rules, GError **error);
void sipcid_web_context_free(struct sipcid_web_context *ctx);

#endif
