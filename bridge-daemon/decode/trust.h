/* Whether an INVITE's network-asserted identity (P-Asserted-Identity,
 * Remote-Party-ID) may be believed. RFC 3325 only lets a trusted network
 * assert identity, so sipcidd believes these headers only from the provider:
 * the addresses the bridge learned from the ATA's registration and calls
 * (bridge-daemon/pipeline/line_learn.h), plus the networks the user lists in
 * [callerid] trusted-sources. "public" (every non-private address) stays an
 * explicit choice; it is no longer the default. docs/callerid.md, "Trust". */
#ifndef SIPCID_TRUST_H
#define SIPCID_TRUST_H

#include <stdbool.h>
#include <stdint.h>

struct sipcid_config;
struct sipcid_endpoint;
typedef struct _GError GError;

enum { SIPCID_TRUST_MAX_NETS = 32 };

struct sipcid_net {
	int family;
	uint8_t addr[16];
	int prefix;
};

struct sipcid_trust {
	bool any;       /* "any": every source */
	bool public;    /* "public": every address that is not private, loopback or link-local */
	int n_nets;
	struct sipcid_net nets[SIPCID_TRUST_MAX_NETS];
};

void sipcid_trust_default(struct sipcid_trust *t);
/* Parses a list like "public, 10.0.0.0/8, 2001:db8::/32" or "any" or "none". */
bool sipcid_trust_load(const struct sipcid_config *cfg, const char *group, const char *key,
                       struct sipcid_trust *t, GError **error);
bool sipcid_trust_parse_net(const char *text, struct sipcid_net *out);
bool sipcid_trust_allows(const struct sipcid_trust *t, int family, const uint8_t *addr);
/* True for RFC 1918, CGNAT, loopback, link-local, ULA and unspecified addresses. */
bool sipcid_addr_is_private(int family, const uint8_t *addr);

#endif
