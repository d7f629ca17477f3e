/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SIP INFO touch-tones (see dtmf_info.h). */
#include "dtmf_info.h"

#include <glib.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* [p, end) without spaces around it. */
static void trim(const char **p, const char **end)
{
	while (*p < *end && (is_space(**p) || **p == '\r' || **p == '\n'))
		(*p)++;
	while (*end > *p && (is_space((*end)[-1]) || (*end)[-1] == '\r' || (*end)[-1] == '\n'))
		(*end)--;
}

static bool span_is(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) == n && !g_ascii_strncasecmp(p, word, n);
}

/* The header's value when the line is NAME: value (NAME in any case,
 * spaces before the colon allowed). */
static bool header_value(const char *line, const char *end, const char *name, const char **v)
{
	size_t n = strlen(name);
	if ((size_t)(end - line) <= n || g_ascii_strncasecmp(line, name, n))
		return false;
	const char *p = line + n;
	while (p < end && is_space(*p))
		p++;
	if (p >= end || *p != ':')
		return false;
	*v = p + 1;
	return true;
}

enum sipcid_dtmf_info_type sipcid_dtmf_info_type(const char *msg, size_t headers_end)
{
	const char *p = msg, *end = msg + headers_end;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		const char *v;
		if (header_value(p, line_end, "content-type", &v) || header_value(p, line_end, "c", &v)) {
			/* The media type ends at its parameters. */
			const char *semi = memchr(v, ';', (size_t)(line_end - v));
			const char *vend = semi ? semi : line_end;
			trim(&v, &vend);
			if (span_is(v, vend, "application/dtmf-relay"))
				return SIPCID_DTMF_INFO_RELAY;
			if (span_is(v, vend, "application/dtmf"))
				return SIPCID_DTMF_INFO_PLAIN;
			return SIPCID_DTMF_INFO_NONE;  /* the first Content-Type decides */
		}
		p = line_end + 1;
	}
	return SIPCID_DTMF_INFO_NONE;
}

static char key_of(const char *p, const char *end)
{
	trim(&p, &end);
	if (end - p == 1) {
		char c = g_ascii_toupper(*p);
		if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D'))
			return c;
		return 0;
	}
	if (span_is(p, end, "10"))
		return '*';
	if (span_is(p, end, "11"))
		return '#';
	return 0;
}

char sipcid_dtmf_info_body(enum sipcid_dtmf_info_type type, const char *body, size_t len)
{
	if (len > SIPCID_DTMF_INFO_MAX_BODY)
		len = SIPCID_DTMF_INFO_MAX_BODY;
	const char *end = body + len;
	if (type == SIPCID_DTMF_INFO_PLAIN)
		return key_of(body, end);
	if (type != SIPCID_DTMF_INFO_RELAY)
		return 0;
	for (const char *p = body; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		const char *k = p, *eq = memchr(p, '=', (size_t)(line_end - p));
		if (eq) {
			const char *kend = eq;
			trim(&k, &kend);
			if (span_is(k, kend, "signal"))
				return key_of(eq + 1, line_end);
		}
		p = line_end + 1;
	}
	return 0;
}

char sipcid_dtmf_info_digit(const char *msg, size_t headers_end, size_t body_len)
{
	enum sipcid_dtmf_info_type type = sipcid_dtmf_info_type(msg, headers_end);
	return type ? sipcid_dtmf_info_body(type, msg + headers_end, body_len) : 0;
}
