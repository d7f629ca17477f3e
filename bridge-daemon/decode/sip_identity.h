/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One identity header value (From, P-Asserted-Identity, Remote-Party-ID,
 * Diversion, History-Info...) read into cleaned parts. libosip2's
 * osip_from_parse() reads it; when it refuses, a careful manual reader takes
 * the display name, the URI's user part and the header parameters. */
#ifndef SIPCID_SIP_IDENTITY_H
#define SIPCID_SIP_IDENTITY_H

#include "call.h"
#include "sip_scan.h"

#include <stdbool.h>

enum sip_uri_scheme { SIP_URI_OTHER = 0, SIP_URI_SIP, SIP_URI_TEL };

struct sip_identity {
	bool present;
	enum sip_uri_scheme scheme;
	char display[SIPCID_NAME_MAX];   /* unquoted, unescaped, cleaned */
	char user[SIPCID_NUMBER_MAX];    /* percent-decoded, cut at ';', cleaned; tel: number */
	char host[64];
	bool user_invalid;               /* held an escaped NUL: unusable as a number */
	bool manual;                     /* libosip2 refused it; the manual reader read it */
	/* Remote-Party-ID's header parameters; empty when absent. Kept by name,
	 * whatever else precedes them, so padding can't push them out. */
	char party[16], privacy[16], screen[8];
};

/* Reads one value. A value longer than 2 kB (a padded display name) is read
 * as its display name's first part plus its URI, so the URI is never lost. */
void sipcid_sip_identity_parse(struct sip_span value, struct sip_identity *out);

/* Reads a value with the manual reader only (for the called party's To and
 * Request-URI, which need no more). */
void sipcid_sip_identity_parse_quick(struct sip_span value, struct sip_identity *out);

/* Splits a header value at top-level commas (outside quotes and <...>), for
 * headers that may carry several values on one line. Returns the count, at most max. */
int sipcid_sip_split_values(struct sip_span value, struct sip_span *parts, int max);

#endif
