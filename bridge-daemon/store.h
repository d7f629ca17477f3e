/* The outputs that keep calls: the call log and the recorder, wired together
 * (a finished recording's path goes into its call's log row) and to the
 * pipeline (SDP of recorded calls goes to the recorder). Both runners (live
 * and --read) open it the same way. */
#ifndef SIPCID_STORE_H
#define SIPCID_STORE_H

#include "pipeline.h"
#include "recorder.h"
#include "settings.h"

#include <glib.h>

struct sipcid_store {
	struct sipcid_output *log;       /* NULL when [log] enabled = false */
	struct sipcid_recorder *recorder;  /* NULL when [record] enabled is false */
};

bool sipcid_store_open(const struct sipcid_settings *s, struct sipcid_pipeline *pl,
                       struct sipcid_store *out, GError **error);
/* Adds the recorder, then the log: closing outputs in array order lets the
 * recorder report its last files to the log before the log closes. */
void sipcid_store_add_outputs(struct sipcid_store *st, GPtrArray *outputs);

#endif
