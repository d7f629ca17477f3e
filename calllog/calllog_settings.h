/* [log] in sipcid.conf: where and how sipcidd keeps its call log.
 *
 *   [log]
 *   enabled = true                        # false: no call log at all
 *   database = /var/lib/sipcid/calls.db
 *   batch-rows = 64                       # commit after this many changes...
 *   batch-ms = 500                        # ...or this long after the first one
 *   keep-days = 365                       # older calls are removed; 0: kept forever
 *   keep-rows = 100000                    # beyond, the oldest go; 0: no limit */
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
	int keep_days;       /* 0: no age limit */
	int keep_rows;       /* 0: no row limit */
};

enum {
	/* A home line's year of calls is a few thousand rows. */
	SIPCID_CALLLOG_DEFAULT_KEEP_DAYS = 365,
	/* About 40 MB of database: nothing for the box's disk, and the end of
	 * what a flood of INVITEs can make it grow to. */
	SIPCID_CALLLOG_DEFAULT_KEEP_ROWS = 100000,
};

void sipcid_calllog_settings_default(struct sipcid_calllog_settings *s);
/* Defaults, then whatever [log] sets. Errors name FILE:LINE. */
bool sipcid_calllog_settings_load(const struct sipcid_config *cfg,
                                  struct sipcid_calllog_settings *s, GError **error);

#endif
