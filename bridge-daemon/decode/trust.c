/* Which sources may assert a caller's identity (RFC 3325 §1, §8). */
#include "trust.h"

#include "config.h"

#include <arpa/inet.h>
#include <glib.h>
#include <string.h>
#include <sys/socket.h>

void sipcid_trust_default(struct sipcid_trust *t)
{
	/* Nobody: the provider is learned (line_learn.h), or listed. */
	memset(t, 0, sizeof *t);
}

bool sipcid_trust_parse_net(const char *text, struct sipcid_net *out)
{
	char buf[64];
	if (strlen(text) >= sizeof buf)
		return false;
	g_strlcpy(buf, text, sizeof buf);
	char *slash = strchr(buf, '/');
	int prefix = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		long v = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || v < 0 || v > 128)
			return false;
		prefix = (int)v;
	}
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		out->prefix = prefix < 0 ? 32 : prefix;
		return out->prefix <= 32;
	}
	if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		out->prefix = prefix < 0 ? 128 : prefix;
		return true;
	}
	return false;
}

static bool in_net(const struct sipcid_net *n, int family, const uint8_t *addr)
{
	if (n->family != family)
		return false;
	int bits = n->prefix;
	for (int i = 0; bits > 0; i++, bits -= 8) {
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if ((addr[i] & mask) != (n->addr[i] & mask))
			return false;
	}
	return true;
}

/* RFC 1918, shared (CGNAT), loopback, link-local, unspecified; ULA for IPv6. */
static const struct sipcid_net private_nets[] = {
	{ AF_INET, { 0 }, 8 },           { AF_INET, { 10 }, 8 },
	{ AF_INET, { 100, 64 }, 10 },    { AF_INET, { 127 }, 8 },
	{ AF_INET, { 169, 254 }, 16 },   { AF_INET, { 172, 16 }, 12 },
	{ AF_INET, { 192, 168 }, 16 },   { AF_INET6, { 0 }, 128 },
	{ AF_INET6, { [15] = 1 }, 128 }, { AF_INET6, { 0xfc }, 7 },
	{ AF_INET6, { 0xfe, 0x80 }, 10 },
};

bool sipcid_addr_is_private(int family, const uint8_t *a)
{
	static const struct sipcid_net mapped = { AF_INET6, { [10] = 0xff, [11] = 0xff }, 96 };
	if (family == AF_INET6 && in_net(&mapped, family, a))
		return sipcid_addr_is_private(AF_INET, a + 12);  /* ::ffff:a.b.c.d */
	for (size_t i = 0; i < G_N_ELEMENTS(private_nets); i++)
		if (in_net(&private_nets[i], family, a))
			return true;
	return false;
}

bool sipcid_trust_allows(const struct sipcid_trust *t, int family, const uint8_t *addr)
{
	if (t->any)
		return true;
	if (t->public && !sipcid_addr_is_private(family, addr))
		return true;
	for (int i = 0; i < t->n_nets; i++)
		if (in_net(&t->nets[i], family, addr))
			return true;
	return false;
}

bool sipcid_trust_load(const struct sipcid_config *cfg, const char *group, const char *key,
                       struct sipcid_trust *t, GError **error)
{
	g_auto(GStrv) list = NULL;
	if (!sipcid_config_list(cfg, group, key, &list, error))
		return false;
	if (!list)
		return true;
	memset(t, 0, sizeof *t);
	for (int i = 0; list[i]; i++) {
		const char *item = list[i];
		if (!g_ascii_strcasecmp(item, "any"))
			t->any = true;
		else if (!g_ascii_strcasecmp(item, "public"))
			t->public = true;
		else if (!g_ascii_strcasecmp(item, "none"))
			continue;
		else if (t->n_nets >= SIPCID_TRUST_MAX_NETS) {
			sipcid_config_set_error(cfg, error, group, key, "at most %d networks can be listed",
			                        SIPCID_TRUST_MAX_NETS);
			return false;
		} else if (!sipcid_trust_parse_net(item, &t->nets[t->n_nets++])) {
			sipcid_config_set_error(cfg, error, group, key,
			                        "'%s' is not an address or network; expected e.g. "
			                        "203.0.113.5, 203.0.113.0/24, 2001:db8::/32, public, any "
			                        "or none", item);
			return false;
		}
	}
	return true;
}
