/* Everything sipcidd reads from its configuration file, loaded and checked
 * once per (re)load. Stages read their part; a reload builds a whole new
 * settings struct and swaps it in, so a broken file changes nothing. */
#ifndef SIPCID_SETTINGS_H
#define SIPCID_SETTINGS_H

#include "number.h"
#include "trust.h"

#include <glib.h>
#include <stdbool.h>

struct sipcid_settings {
	char *config_path;                  /* NULL when running on defaults */
	struct sipcid_number_plan numbers;  /* [numbers] */
	struct sipcid_trust trust;          /* [callerid] trusted-sources */
	bool announce_outgoing;             /* [callerid] announce INVITEs from the phone side too */
	int table_size;                     /* [datapath] calls remembered at once */
};

/* path NULL: defaults. Errors name the file and line. */
struct sipcid_settings *sipcid_settings_load(const char *path, GError **error);
void sipcid_settings_free(struct sipcid_settings *s);

#endif
