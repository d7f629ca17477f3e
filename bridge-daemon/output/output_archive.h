/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The outputs that keep calls: the call log and the recorder, wired together
 * (a finished recording's path goes into its call's log row) and to the
 * pipeline (SDP of recorded calls goes to the recorder). Both runners (live
 * and --read) open it the same way. */
#ifndef SIPCID_OUTPUT_ARCHIVE_H
#define SIPCID_OUTPUT_ARCHIVE_H

#include "pipeline.h"
#include "recorder.h"
#include "settings.h"

#include <glib.h>

struct sipcid_output_archive {
	struct sipcid_output *log;       /* NULL when [log] enabled = false */
	struct sipcid_recorder *recorder;  /* NULL when [record] enabled is false */
};

bool sipcid_output_archive_open(const struct sipcid_settings *s, struct sipcid_pipeline *pl,
                       struct sipcid_output_archive *out, GError **error);
/* Adds the recorder, then the log: closing outputs in array order lets the
 * recorder report its last files to the log before the log closes. */
void sipcid_output_archive_add_outputs(struct sipcid_output_archive *st, GPtrArray *outputs);

#endif
