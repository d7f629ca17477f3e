/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading name-addr / addr-spec values (RFC 3261 §20.10, §25.1). */
#include "sip_identity.h"

#include "text.h"

#include <glib.h>
#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>
#include <string.h>

enum { VALUE_MAX = 2048 };

static bool span_has_escaped_nul(const char *p, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++)
		if (p[i] == '%' && p[i + 1] == '0' && p[i + 2] == '0')
			return true;
	return false;
}

/* The user part up to its first ';' (user parameters such as ;verstat= or
 * ;npdi, or tel-style parameters), percent-decoded and cleaned. */
static void set_user(struct sip_identity *id, const char *raw, size_t len, bool already_decoded)
{
	const char *semi = memchr(raw, ';', len);
	if (semi)
		len = semi - raw;
	char decoded[SIPCID_NUMBER_MAX * 3];
	if (already_decoded) {
		size_t n = MIN(len, sizeof decoded - 1);
		memcpy(decoded, raw, n);
		decoded[n] = '\0';
	} else if (!sipcid_text_percent_decode(raw, len, decoded, sizeof decoded)) {
		id->user_invalid = true;
		id->user[0] = '\0';
		return;
	}
	sipcid_text_clean(decoded, strlen(decoded), id->user, sizeof id->user);
}

/* tel:+1-555-123-4567;phone-context=... -> the number before its parameters. */
static void set_tel_number(struct sip_identity *id, const char *opaque, size_t len)
{
	id->scheme = SIP_URI_TEL;
	set_user(id, opaque, len, false);
}

static enum sip_uri_scheme scheme_of(const char *s, size_t len)
{
	if ((len == 3 && !g_ascii_strncasecmp(s, "sip", 3)) ||
	    (len == 4 && !g_ascii_strncasecmp(s, "sips", 4)))
		return SIP_URI_SIP;
	if (len == 3 && !g_ascii_strncasecmp(s, "tel", 3))
		return SIP_URI_TEL;
	return SIP_URI_OTHER;
}

/* Keeps a parameter sipcid cares about (RPID's party, privacy, screen). */
static void keep_param(struct sip_identity *id, const char *name, size_t name_len,
                       const char *value, size_t value_len)
{
	char *dst = NULL;
	size_t size = 0;
	if (name_len == 5 && !g_ascii_strncasecmp(name, "party", 5))
		dst = id->party, size = sizeof id->party;
	else if (name_len == 7 && !g_ascii_strncasecmp(name, "privacy", 7))
		dst = id->privacy, size = sizeof id->privacy;
	else if (name_len == 6 && !g_ascii_strncasecmp(name, "screen", 6))
		dst = id->screen, size = sizeof id->screen;
	if (!dst || dst[0])
		return;  /* not ours, or already set: the first occurrence counts */
	while (value_len && (*value == '"' || *value == ' '))
		value++, value_len--;
	while (value_len && (value[value_len - 1] == '"' || value[value_len - 1] == ' '))
		value_len--;
	sipcid_text_clean(value, value_len, dst, size);
}

static void keep_osip_params(struct sip_identity *id, const osip_list_t *params)
{
	osip_list_iterator_t it;
	for (osip_generic_param_t *p = osip_list_get_first((osip_list_t *)params, &it); p;
	     p = osip_list_get_next(&it))
		if (p->gname && p->gvalue)
			keep_param(id, p->gname, strlen(p->gname), p->gvalue, strlen(p->gvalue));
}

/* Header parameters after the URI: ";name=value" pairs. */
static void keep_manual_params(struct sip_identity *id, const char *p, size_t len)
{
	const char *end = p + len;
	while (p < end) {
		const char *semi = memchr(p, ';', end - p);
		if (!semi)
			return;
		p = semi + 1;
		const char *stop = memchr(p, ';', end - p);
		if (!stop)
			stop = end;
		const char *eq = memchr(p, '=', stop - p);
		if (eq) {
			const char *n = p;
			size_t nl = eq - p;
			while (nl && (*n == ' ' || *n == '\t'))
				n++, nl--;
			while (nl && (n[nl - 1] == ' ' || n[nl - 1] == '\t'))
				nl--;
			keep_param(id, n, nl, eq + 1, stop - eq - 1);
		}
		p = stop;
	}
}

static bool parse_with_osip(const char *value, struct sip_identity *id)
{
	osip_from_t *from = NULL;
	if (osip_from_init(&from) != 0)
		return false;
	bool ok = osip_from_parse(from, value) == 0 && from->url;
	if (ok) {
		osip_uri_t *u = from->url;
		if (from->displayname)
			sipcid_text_display_name(from->displayname, strlen(from->displayname), id->display,
			                    sizeof id->display);
		id->scheme = u->scheme ? scheme_of(u->scheme, strlen(u->scheme)) : SIP_URI_OTHER;
		if (id->scheme == SIP_URI_TEL && u->string) {
			set_tel_number(id, u->string, strlen(u->string));
		} else if (id->scheme == SIP_URI_SIP) {
			if (u->username)
				set_user(id, u->username, strlen(u->username), true);
			if (u->host)
				sipcid_text_clean(u->host, strlen(u->host), id->host, sizeof id->host);
		}
		keep_osip_params(id, &from->gen_params);
	}
	osip_from_free(from);
	return ok;
}

/* The manual reader, for values libosip2 refuses (unbalanced quotes, spaces
 * inside <...>, junk). It is deliberately simple: display name before '<',
 * URI between '<' and '>', or up to the first ';' without brackets. */
static void parse_manually(const char *v, size_t len, struct sip_identity *id)
{
	const char *lt = NULL;
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '"' && (i == 0 || v[i - 1] != '\\'))
			quoted = !quoted;
		else if (v[i] == '<' && !quoted) {
			lt = v + i;
			break;
		}
	}
	const char *uri, *uri_end, *rest;
	if (lt) {
		sipcid_text_display_name(v, lt - v, id->display, sizeof id->display);
		uri = lt + 1;
		uri_end = memchr(uri, '>', len - (uri - v));
		if (!uri_end)
			uri_end = v + len;
		rest = uri_end < v + len ? uri_end + 1 : uri_end;
	} else {
		uri = v;
		uri_end = memchr(v, ';', len);
		if (!uri_end)
			uri_end = v + len;
		rest = uri_end;
	}
	while (uri < uri_end && (*uri == ' ' || *uri == '\t'))
		uri++;
	while (uri_end > uri && (uri_end[-1] == ' ' || uri_end[-1] == '\t'))
		uri_end--;
	const char *colon = memchr(uri, ':', uri_end - uri);
	if (colon) {
		id->scheme = scheme_of(uri, colon - uri);
		const char *body = colon + 1;
		if (id->scheme == SIP_URI_TEL) {
			set_tel_number(id, body, uri_end - body);
		} else if (id->scheme == SIP_URI_SIP) {
			const char *at = memchr(body, '@', uri_end - body);
			const char *host = body;
			if (at) {
				/* userinfo = user [":" password] */
				const char *pw = memchr(body, ':', at - body);
				set_user(id, body, (pw ? pw : at) - body, false);
				host = at + 1;
			}
			size_t hl = 0;
			while (host + hl < uri_end && host[hl] != ';' && host[hl] != '?' &&
			       host[hl] != '>' && hl < sizeof id->host - 1)
				hl++;
			sipcid_text_clean(host, hl, id->host, sizeof id->host);
		}
	}
	keep_manual_params(id, rest, (v + len) - rest);
}

/* Where the URI of a long value begins: its first '<' outside quotes. */
static size_t uri_start(const char *v, size_t len)
{
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		if (quoted && v[i] == '\\')
			i++;
		else if (v[i] == '"')
			quoted = !quoted;
		else if (v[i] == '<' && !quoted)
			return i;
	}
	return len;
}

/* Copies v[0..n) (n <= VALUE_MAX) into buf with each run of linear white
 * space that holds a line break (a folded header, RFC 3261 §7.3.1) made one
 * SP, as a phone reads it; returns the new length. */
static size_t unfold(const char *v, size_t n, char *buf)
{
	size_t out = 0;
	for (size_t i = 0; i < n;) {
		if (v[i] != '\r' && v[i] != '\n') {
			buf[out++] = v[i++];
			continue;
		}
		while (out > 0 && (buf[out - 1] == ' ' || buf[out - 1] == '\t'))
			out--;
		while (i < n && (v[i] == '\r' || v[i] == '\n' || v[i] == ' ' || v[i] == '\t'))
			i++;
		buf[out++] = ' ';
	}
	buf[out] = '\0';
	return out;
}

static void parse_bounded(const char *v, size_t n, struct sip_identity *id)
{
	char buf[VALUE_MAX + 1];
	n = unfold(v, n, buf);
	/* libosip2 decodes %00 into a NUL and silently cuts the user there; a
	 * user part with an escaped NUL is unusable, so keep libosip2 away from it. */
	if (!span_has_escaped_nul(buf, n) && !memchr(buf, '\0', n)) {
		if (parse_with_osip(buf, id))
			return;
		memset(id, 0, sizeof *id);
		id->present = true;
	}
	id->manual = true;
	parse_manually(buf, n, id);
}

void sipcid_sip_identity_parse(struct sip_span value, struct sip_identity *id)
{
	memset(id, 0, sizeof *id);
	value = sipcid_sip_span_trim(value);
	if (value.len == 0)
		return;
	id->present = true;
	if (value.len <= VALUE_MAX) {
		parse_bounded(value.p, value.len, id);
		return;
	}
	/* Too long to hand over whole: read the URI and its parameters on their
	 * own, and the display name from its first part. */
	size_t lt = uri_start(value.p, value.len);
	if (lt < value.len && value.len - lt <= VALUE_MAX)
		parse_bounded(value.p + lt, value.len - lt, id);
	else
		parse_bounded(value.p, VALUE_MAX, id);
	id->present = true;
	if (lt > 0 && lt < value.len)
		sipcid_text_display_name(value.p, MIN(lt, (size_t)VALUE_MAX), id->display, sizeof id->display);
}

void sipcid_sip_identity_parse_quick(struct sip_span value, struct sip_identity *id)
{
	memset(id, 0, sizeof *id);
	value = sipcid_sip_span_trim(value);
	if (value.len == 0)
		return;
	id->present = true;
	id->manual = true;
	char buf[VALUE_MAX + 1];
	parse_manually(buf, unfold(value.p, MIN(value.len, (size_t)VALUE_MAX), buf), id);
}

int sipcid_sip_split_values(struct sip_span value, struct sip_span *parts, int max)
{
	int n = 0;
	bool quoted = false;
	int angle = 0;
	size_t start = 0;
	for (size_t i = 0; i <= value.len && n < max; i++) {
		char c = i < value.len ? value.p[i] : ',';
		if (quoted) {
			if (c == '\\')
				i++;
			else if (c == '"')
				quoted = false;
			if (i < value.len)
				continue;
			c = ',';
		}
		if (c == '"')
			quoted = true;
		else if (c == '<')
			angle++;
		else if (c == '>' && angle > 0)
			angle--;
		else if (c == ',' && (angle == 0 || i >= value.len)) {
			struct sip_span part = sipcid_sip_span_trim((struct sip_span){ value.p + start, MIN(i, value.len) - start });
			if (part.len)
				parts[n++] = part;
			start = i + 1;
		}
	}
	return n;
}
