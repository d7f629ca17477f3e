/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcidd's live mode from the command line: loads the configuration,
 * builds the outputs and runs live mode (live.h). */
#ifndef SIPCID_LIVE_START_H
#define SIPCID_LIVE_START_H

#include "options.h"

/* Returns the process exit status. */
int sipcid_live_main(const struct sipcid_options *opts);

#endif
