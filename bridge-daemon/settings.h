/* Everything sipcidd reads from its configuration file, loaded and checked
 * once per (re)load. Stages read their part; a reload builds a whole new
 * settings struct and swaps it in, so a broken file changes nothing. */
#ifndef SIPCID_SETTINGS_H
#define SIPCID_SETTINGS_H

#include "call.h"
#include "number.h"
#include "trust.h"

#include <glib.h>
#include <stdbool.h>

struct sipcid_settings {
	char *config_path;                  /* NULL when running on defaults */
	struct sipcid_number_plan numbers;  /* [numbers] */
	struct sipcid_trust trust;          /* [callerid] trusted-sources */
	struct sipcid_trust phone_side;     /* [callerid] phone-side: INVITEs from here are outgoing */
	int table_size;                     /* [datapath] calls remembered at once */
};

/* path NULL: defaults. Errors name the file and line. */
struct sipcid_settings *sipcid_settings_load(const char *path, GError **error);
void sipcid_settings_free(struct sipcid_settings *s);

/* The rules stage: fills call->alias, action, record and rule. No I/O. */
void sipcid_settings_decide(const struct sipcid_settings *s, struct sipcid_call *call);

#endif
