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
	char params[160];                /* header parameters after the URI, raw ";a=b;c" (cleaned) */
};

/* Reads one value. Values longer than 2 kB are cut first: an identity never
 * needs more, and the cut keeps the parse bounded. */
void sip_identity_parse(struct sip_span value, struct sip_identity *out);

/* Finds a header parameter (case-insensitive name) in id->params; copies its
 * value (unquoted) into out. Returns false when absent. */
bool sip_identity_param(const struct sip_identity *id, const char *name, char *out,
                        size_t out_size);

/* Splits a header value at top-level commas (outside quotes and <...>), for
 * headers that may carry several values on one line. Returns the count, at most max. */
int sip_split_values(struct sip_span value, struct sip_span *parts, int max);

#endif
