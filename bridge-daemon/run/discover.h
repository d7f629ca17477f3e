/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcidd --discover: the C half of `sipcid-firewall discover`. The script
 * puts rules in place that copy UDP and TCP crossing the bridge to an NFLOG
 * group (copies: the phone keeps working); this reads the copies for up to
 * `seconds`, stops early once a registration was answered, and prints what
 * it found (discover_tally.h). Run as root, without the configuration. */
#ifndef SIPCID_DISCOVER_H
#define SIPCID_DISCOVER_H

#include <stdint.h>

/* Returns the exit status: 0 SIP was read, 3 none was, 1 the group could
 * not be bound (logged). */
int sipcid_discover_run(unsigned seconds, uint16_t nflog_group);

#endif
