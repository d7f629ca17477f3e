/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where sipcidd keeps its state (call log, recordings): systemd's
 * StateDirectory= hands it over in $STATE_DIRECTORY; otherwise
 * /var/lib/sipcid. */
#ifndef SIPCID_STATE_DIR_H
#define SIPCID_STATE_DIR_H

#include <stddef.h>

/* Writes "<state directory>/<name>" into out. */
void sipcid_state_path(const char *name, char *out, size_t out_size);

#endif
