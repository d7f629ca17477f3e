/* [ncid] in sipcid.conf: the NCID-compatible server (docs/ncid.md).
 *
 *   [ncid]
 *   listen = 0.0.0.0:3333        # absent: no NCID server
 *   allow = 192.168.1.0/24       # client addresses; absent: private and loopback only
 *   max-clients = 16
 *   line = VOIP                  # NCID's LINE field
 *   country = US                 # OPT: country:, and the DATE order
 *   date-order = mmdd            # or ddmm; absent: mmdd for NANP countries, else ddmm
 *   log-calls = 100              # calls replayed from the call log at connect; 0: none
 *
 * Plain data, no pointers: the server and its log-reading thread each keep
 * a copy. */
#ifndef SIPCID_NCID_SETTINGS_H
#define SIPCID_NCID_SETTINGS_H

#include "config.h"
#include "trust.h"

#include <stdbool.h>
#include <stdint.h>

enum {
	SIPCID_NCID_DEFAULT_PORT = 3333,
	SIPCID_NCID_LINE_MAX = 32,
};

struct sipcid_ncid_settings {
	bool enabled;                      /* listen is set */
	char listen_host[64];              /* an IPv4 or IPv6 literal */
	uint16_t listen_port;              /* 0 only in tests: any free port */
	bool allow_set;                    /* false: private and loopback addresses */
	struct sipcid_trust allow;
	int max_clients;
	char line[SIPCID_NCID_LINE_MAX];
	char country[3];                   /* two upper-case letters */
	bool day_first;                    /* DATE is ddmmyyyy */
	int log_calls;
};

/* Defaults (no server), then whatever [ncid] sets. Errors name FILE:LINE. */
bool sipcid_ncid_settings_load(const struct sipcid_config *cfg, struct sipcid_ncid_settings *s,
                               GError **error);

#endif
