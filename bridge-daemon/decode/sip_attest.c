/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading STIR/SHAKEN facts out of SIP header values (see sip_attest.h). */
#include "sip_attest.h"

#include <glib.h>
#include <string.h>

/* ---- verstat ---------------------------------------------------------- */

enum { VERSTAT_VALUE_MAX = 32 };

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Where a verstat value ends (docs/callerid.md): ';' '>' '@' ',', white
 * space, a quote, or the end of the header value. */
static bool ends_value(char c)
{
	return c == ';' || c == '>' || c == '@' || c == ',' || c == '"' || is_space(c);
}

static bool equals_word(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && !g_ascii_strncasecmp(p, word, n);
}

static char attest_letter(char c)
{
	c = g_ascii_toupper(c);
	return c == 'A' || c == 'B' || c == 'C' ? c : 0;
}

/* TN-Validation-Passed, -Failed, No-TN-Validation; any letter case; an
 * attestation suffix -A/-B/-C. */
static enum sipcid_verstat verstat_word(const char *p, size_t n, char *attest)
{
	*attest = 0;
	if (n >= 2 && p[n - 2] == '-' && attest_letter(p[n - 1])) {
		*attest = attest_letter(p[n - 1]);
		n -= 2;
	}
	if (equals_word(p, n, "TN-Validation-Passed"))
		return SIPCID_VERSTAT_PASSED;
	if (equals_word(p, n, "TN-Validation-Failed"))
		return SIPCID_VERSTAT_FAILED;
	if (equals_word(p, n, "No-TN-Validation"))
		return SIPCID_VERSTAT_NO_VALIDATION;
	*attest = 0;
	return SIPCID_VERSTAT_NONE;
}

/* If a ";verstat=" parameter starts at v[i] (just after a ';'), its value's
 * span; else a span with p == NULL. */
static struct sip_span verstat_param_at(struct sip_span v, size_t i)
{
	static const char name[] = "verstat";
	struct sip_span none = { NULL, 0 };
	while (i < v.len && is_space(v.p[i]))
		i++;
	if (v.len - i < sizeof name - 1 || g_ascii_strncasecmp(v.p + i, name, sizeof name - 1))
		return none;
	i += sizeof name - 1;
	while (i < v.len && is_space(v.p[i]))
		i++;
	if (i >= v.len || v.p[i] != '=')
		return none;
	i++;
	while (i < v.len && is_space(v.p[i]))
		i++;
	size_t start = i;
	while (i < v.len && !ends_value(v.p[i]))
		i++;
	return (struct sip_span){ v.p + start, i - start };
}

enum sipcid_verstat sipcid_sip_attest_verstat(struct sip_span v, char *attest)
{
	struct sip_span first = { NULL, 0 };
	for (size_t i = 0; i < v.len; i++) {
		if (v.p[i] == '"') {
			i = sipcid_sip_skip_quoted(v, i) - 1;
			continue;
		}
		if (v.p[i] != ';')
			continue;
		struct sip_span val = verstat_param_at(v, i + 1);
		if (!val.p)
			continue;
		/* Two verstats that disagree: which one the carrier meant is a guess. */
		if (first.p && (first.len != val.len || g_ascii_strncasecmp(first.p, val.p, val.len)))
			return SIPCID_VERSTAT_NONE;
		first = val;
	}
	if (!first.p || first.len > VERSTAT_VALUE_MAX)
		return SIPCID_VERSTAT_NONE;
	char level = 0;
	enum sipcid_verstat result = verstat_word(first.p, first.len, &level);
	if (level)
		*attest = level;
	return result;
}

/* ---- P-Attestation-Indicator -------------------------------------------- */

char sipcid_sip_attest_indicator(struct sip_span value)
{
	struct sip_span v = sipcid_sip_span_trim(value);
	return v.len == 1 ? attest_letter(v.p[0]) : 0;
}

/* ---- the PASSporT's JSON payload ---------------------------------------- */

/* A strict reader of one JSON text (RFC 8259) that remembers the top-level
 * "attest" member. Recursion is bounded by SIPCID_SIP_ATTEST_JSON_DEPTH. */
struct json {
	const char *p;
	size_t len, i;
	unsigned attest_count;
	char attest;            /* the value, when it was "A", "B" or "C" */
};

enum { KEY_MAX = 16 };

static void json_space(struct json *j)
{
	while (j->i < j->len && is_space(j->p[j->i]))
		j->i++;
}

static int hex_value(char c)
{
	return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* Reads a string at j->i (the opening quote). The first out_size-1 bytes of
 * its value go to out (escapes resolved; a \u escape beyond ASCII as 0xff,
 * so it never equals an ASCII word), *out_len is the whole value's length. */
static bool json_string(struct json *j, char *out, size_t out_size, size_t *out_len)
{
	size_t n = 0;
	if (j->i >= j->len || j->p[j->i] != '"')
		return false;
	j->i++;
	while (j->i < j->len) {
		unsigned char c = (unsigned char)j->p[j->i++];
		if (c == '"') {
			if (out_size)
				out[MIN(n, out_size - 1)] = '\0';
			*out_len = n;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (j->i >= j->len)
				return false;
			char e = j->p[j->i++];
			switch (e) {
			case '"': case '\\': case '/': c = (unsigned char)e; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				unsigned cp = 0;
				for (int k = 0; k < 4; k++) {
					int h = j->i < j->len ? hex_value(j->p[j->i]) : -1;
					if (h < 0)
						return false;
					cp = cp * 16 + (unsigned)h;
					j->i++;
				}
				c = cp < 0x80 ? (unsigned char)cp : 0xff;
				break;
			}
			default:
				return false;
			}
		}
		if (n + 1 < out_size)
			out[n] = (char)c;
		n++;
	}
	return false;
}

static bool json_literal(struct json *j, const char *word)
{
	size_t n = strlen(word);
	if (j->len - j->i < n || memcmp(j->p + j->i, word, n))
		return false;
	j->i += n;
	return true;
}

static size_t json_digits(struct json *j)
{
	size_t start = j->i;
	while (j->i < j->len && g_ascii_isdigit(j->p[j->i]))
		j->i++;
	return j->i - start;
}

static bool json_number(struct json *j)
{
	if (j->i < j->len && j->p[j->i] == '-')
		j->i++;
	if (!json_digits(j))
		return false;
	if (j->i < j->len && j->p[j->i] == '.') {
		j->i++;
		if (!json_digits(j))
			return false;
	}
	if (j->i < j->len && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->p[j->i] == '+' || j->p[j->i] == '-'))
			j->i++;
		if (!json_digits(j))
			return false;
	}
	return true;
}

static bool json_value(struct json *j, int depth);

/* An object or an array at j->i; top: the PASSporT's own object. */
static bool json_container(struct json *j, int depth, bool top)
{
	if (depth >= SIPCID_SIP_ATTEST_JSON_DEPTH)
		return false;
	char open = j->p[j->i++];
	char close = open == '{' ? '}' : ']';
	json_space(j);
	if (j->i < j->len && j->p[j->i] == close) {
		j->i++;
		return true;
	}
	for (;;) {
		json_space(j);
		if (open == '{') {
			char key[KEY_MAX];
			size_t key_len = 0;
			if (!json_string(j, key, sizeof key, &key_len))
				return false;
			json_space(j);
			if (j->i >= j->len || j->p[j->i++] != ':')
				return false;
			json_space(j);
			if (top && key_len == 6 && !strcmp(key, "attest")) {
				char val[4];
				size_t val_len = 0;
				j->attest_count++;
				if (j->i < j->len && j->p[j->i] == '"') {
					if (!json_string(j, val, sizeof val, &val_len))
						return false;
					j->attest = val_len == 1 && (val[0] == 'A' || val[0] == 'B' ||
					                             val[0] == 'C') ? val[0] : 0;
				} else {
					j->attest = 0;
					if (!json_value(j, depth + 1))
						return false;
				}
			} else if (!json_value(j, depth + 1)) {
				return false;
			}
		} else if (!json_value(j, depth + 1)) {
			return false;
		}
		json_space(j);
		if (j->i >= j->len)
			return false;
		char c = j->p[j->i++];
		if (c == close)
			return true;
		if (c != ',')
			return false;
	}
}

static bool json_value(struct json *j, int depth)
{
	json_space(j);
	if (j->i >= j->len)
		return false;
	char scratch[1];
	size_t n;
	switch (j->p[j->i]) {
	case '{':
	case '[': return json_container(j, depth, false);
	case '"': return json_string(j, scratch, 0, &n);
	case 't': return json_literal(j, "true");
	case 'f': return json_literal(j, "false");
	case 'n': return json_literal(j, "null");
	default: return json_number(j);
	}
}

char sipcid_sip_attest_json(const char *json, size_t len)
{
	struct json j = { .p = json, .len = len };
	json_space(&j);
	if (j.i >= j.len || j.p[j.i] != '{' || !json_container(&j, 0, true))
		return 0;
	json_space(&j);
	/* Trailing bytes, or the claim twice: not a PASSporT to take a word from. */
	if (j.i != j.len || j.attest_count != 1)
		return 0;
	return j.attest;
}

/* ---- the Identity header ----------------------------------------------- */

static int base64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* Decodes unpadded base64url (RFC 7515 §2) into out; -1 when it is not. */
static long base64url_decode(const char *in, size_t n, unsigned char *out, size_t out_size)
{
	if (n % 4 == 1 || n / 4 * 3 + 2 > out_size)
		return -1;
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = base64url_value(in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)o;
}

char sipcid_sip_attest_identity(struct sip_span value)
{
	struct sip_span v = sipcid_sip_span_trim(value);
	size_t i = 0;
	/* RFC 4474's form quoted the token; RFC 8224's does not. */
	bool quoted = v.len && v.p[0] == '"';
	if (quoted)
		i++;
	size_t start = i;
	size_t dots[2];
	int n_dots = 0;
	for (; i < v.len; i++) {
		char c = v.p[i];
		if (c == '.') {
			if (n_dots == 2)
				return 0;   /* five parts is a JWE, not a PASSporT */
			dots[n_dots++] = i;
			continue;
		}
		if (base64url_value(c) < 0)
			break;
	}
	if (quoted && (i >= v.len || v.p[i] != '"'))
		return 0;
	if (!quoted && i < v.len && v.p[i] != ';' && v.p[i] != ',' && !is_space(v.p[i]))
		return 0;
	/* header.payload.signature; the compact form (header..signature) leaves
	 * the payload to be rebuilt from the SIP message: nothing to read. */
	if (n_dots != 2 || dots[0] == start || dots[1] == dots[0] + 1)
		return 0;
	unsigned char payload[SIPCID_SIP_ATTEST_PAYLOAD_MAX];
	long n = base64url_decode(v.p + dots[0] + 1, dots[1] - dots[0] - 1, payload,
	                          sizeof payload);
	if (n <= 0)
		return 0;
	return sipcid_sip_attest_json((const char *)payload, (size_t)n);
}
