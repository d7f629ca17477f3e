/* [log] in sipcid.conf: where and how sipcidd keeps its call log.
 *
 *   [log]
 *   enabled = true                        # false: no call log at all
 *   database = /var/lib/sipcid/calls.db
 *   batch-rows = 64                       # commit after this many changes...
 *   batch-ms = 500                        # ...or this long after the first one */
#ifndef SIPCID_CALLLOG_SETTINGS_H
#define SIPCID_CALLLOG_SETTINGS_H

#include "config.h"

#include <stdbool.h>

/* Default: calls.db in the state directory (lib/state_dir.h). */

struct sipcid_calllog_settings {
	bool enabled;
	bool database_set;   /* the configuration names the database */
	char database[4096];
	int batch_rows;
	int batch_ms;
};

void sipcid_calllog_settings_default(struct sipcid_calllog_settings *s);
/* Defaults, then whatever [log] sets. Errors name FILE:LINE. */
bool sipcid_calllog_settings_load(const struct sipcid_config *cfg,
                                  struct sipcid_calllog_settings *s, GError **error);

#endif
