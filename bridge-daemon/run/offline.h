/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --read: replays a capture through the same pipeline and outputs as live mode. */
#ifndef SIPCID_OFFLINE_H
#define SIPCID_OFFLINE_H

#include "options.h"

/* Returns the process exit status. */
int sipcid_offline_run(const struct sipcid_options *opts);

#endif
