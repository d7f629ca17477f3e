/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bypass sipcid-guard puts in and takes out: one ACCEPT at the top of
 * sipcid-firewall's chain SIPCID, in iptables and ip6tables, so SIP skips
 * the NFQUEUE rules below it. `sipcid-firewall up` and `down` flush the
 * chain, and with it any bypass left in. */
#ifndef SIPCID_GUARD_BYPASS_H
#define SIPCID_GUARD_BYPASS_H

#include <glib.h>
#include <stdbool.h>

#define SIPCID_GUARD_BYPASS_CHAIN "SIPCID"
/* The rule's comment: how sipcid-guard and sipcid-firewall status tell it
 * from every other rule. */
#define SIPCID_GUARD_BYPASS_COMMENT "sipcid-guard: sipcidd stalled, SIP passes uninspected"

enum { SIPCID_GUARD_BYPASS_FAMILIES = 2 };

struct sipcid_guard_bypass {
	/* The iptables and ip6tables programs ($SIPCID_IPTABLES and
	 * $SIPCID_IP6TABLES, as for sipcid-firewall). */
	const char *program[SIPCID_GUARD_BYPASS_FAMILIES];
	/* Per family: the last attempt failed and said so; said once until it works. */
	bool failing[SIPCID_GUARD_BYPASS_FAMILIES];
};

/* Inserts the rule in every family, both at once (the phone waits). With
 * `check`, first asks whether it is there and inserts only where it is not.
 * Failures are logged (log.h), once until the family works again;
 * true when every family has the rule. */
bool sipcid_guard_bypass_open(struct sipcid_guard_bypass *b, bool check);
/* Deletes every copy of the rule from every family; true when none is left. */
bool sipcid_guard_bypass_close(struct sipcid_guard_bypass *b);

#endif
