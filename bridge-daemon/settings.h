/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Everything sipcidd reads from its configuration file, loaded and checked
 * once per (re)load. Stages read their part; a reload builds a whole new
 * settings struct and swaps it in, so a broken file changes nothing. */
#ifndef SIPCID_SETTINGS_H
#define SIPCID_SETTINGS_H

#include "call.h"
#include "calllog_settings.h"
#include "announce_settings.h"
#include "ncid_settings.h"
#include "mqtt_settings.h"
#include "number.h"
#include "record_settings.h"
#include "rules.h"
#include "rules_settings.h"
#include "trust.h"
#include "webhook_settings.h"

#include <glib.h>
#include <stdbool.h>

struct sipcid_settings {
	char *config_path;                  /* NULL when running on defaults */
	struct sipcid_number_plan numbers;  /* [numbers] */
	struct sipcid_trust trust;          /* [callerid] trusted-sources */
	struct sipcid_trust phone_side;     /* [callerid] phone-side: INVITEs from here are outgoing */
	int table_size;                     /* [datapath] calls remembered at once */
	int queue;                          /* [datapath] NFQUEUE number */
	int queue_length;                   /* [datapath] packets the kernel may hold for us */
	int receive_buffer;                 /* [datapath] socket receive buffer, bytes */
	char *user;                         /* [datapath] user to run as; NULL: the default (privdrop.h) */
	int no_sip_warning_s;               /* [datapath] quiet queue before "no SIP seen"; 0: off */
	struct sipcid_announce_settings notify;  /* [notify] */
	struct sipcid_calllog_settings log; /* [log] */
	struct sipcid_record_settings record; /* [record] */
	struct sipcid_ncid_settings ncid;   /* [ncid] */
	struct sipcid_mqtt_settings mqtt;   /* [mqtt]; its box names this box in every event */
	GPtrArray *webhooks;                /* [webhook NAME]: struct sipcid_webhook_settings * */
	struct sipcid_rules_settings rules_files;  /* [rules] */
	struct sipcid_rules *rules;         /* loaded from rules_files at load time */
};

/* What the command line overrides (sipcidd --rules, --phonebook). */
struct sipcid_settings_overrides {
	const char *rules_path;
	const char *phonebook_path;
};

/* path NULL: defaults. Errors name the file and line. Loads the rule file
 * and phonebook too; a broken one fails the whole load. */
struct sipcid_settings *sipcid_settings_load(const char *path, GError **error);
struct sipcid_settings *sipcid_settings_load_with(const char *path,
                                                  const struct sipcid_settings_overrides *o,
                                                  GError **error);
void sipcid_settings_free(struct sipcid_settings *s);



#endif
