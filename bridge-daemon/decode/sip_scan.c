/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Start-line and header scanner for SIP (RFC 3261 §7). */
#include "sip_scan.h"

#include <glib.h>
#include <string.h>

struct sip_span sipcid_sip_span_trim(struct sip_span s)
{
	while (s.len && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n')) {
		s.p++;
		s.len--;
	}
	while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' ||
	                 s.p[s.len - 1] == '\r' || s.p[s.len - 1] == '\n'))
		s.len--;
	return s;
}

static const struct {
	const char *name;
	enum sip_method method;
} methods[] = {
	{ "INVITE", SIP_METHOD_INVITE }, { "ACK", SIP_METHOD_ACK },
	{ "BYE", SIP_METHOD_BYE },       { "CANCEL", SIP_METHOD_CANCEL },
	{ "PRACK", SIP_METHOD_PRACK },   { "UPDATE", SIP_METHOD_UPDATE },
	{ "OPTIONS", SIP_METHOD_OPTIONS }, { "REGISTER", SIP_METHOD_REGISTER },
};

enum sip_method sipcid_sip_method_from_text(const char *p, size_t len)
{
	/* Methods are case-sensitive (RFC 3261 §7.1). */
	for (size_t i = 0; i < G_N_ELEMENTS(methods); i++)
		if (strlen(methods[i].name) == len && memcmp(methods[i].name, p, len) == 0)
			return methods[i].method;
	return SIP_METHOD_OTHER;
}

/* RFC 3261 §25.1 token characters, as a table: every header name of every
 * packet is checked character by character. */
static bool token_table[256];

static void init_token_table(void)
{
	static gsize done = 0;
	if (g_once_init_enter(&done)) {
		for (int c = 0; c < 256; c++)
			token_table[c] = g_ascii_isalnum(c) || (c && strchr("-.!%*_+`'~", c));
		g_once_init_leave(&done, 1);
	}
}

static inline bool is_token_char(char c)
{
	return token_table[(unsigned char)c];
}

/* SP or HTAB: RFC 3261's WSP, which LWS is made of. */
static inline bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Finds the end of the line starting at p: returns the offset of the line
 * break, and sets *next to the first byte of the following line. */
static size_t line_end(const char *msg, size_t len, size_t p, size_t *next)
{
	const char *nl = memchr(msg + p, '\n', len - p);
	if (!nl) {
		*next = len;
		return len;
	}
	size_t e = nl - msg;
	*next = e + 1;
	if (e > p && msg[e - 1] == '\r')
		e--;
	return e;
}

static bool parse_start_line(const char *msg, size_t len, struct sipcid_sip_scan *s)
{
	size_t next, end = line_end(msg, len, 0, &next);
	const char *line = msg;
	if (end >= 8 && memcmp(line, "SIP/2.0", 7) == 0 && is_wsp(line[7])) {
		s->is_request = false;
		size_t i = 8;
		while (i < end && is_wsp(line[i]))
			i++;
		int code = 0, digits = 0;
		for (; i < end && g_ascii_isdigit(line[i]) && digits < 4; i++, digits++)
			code = code * 10 + (line[i] - '0');
		s->status = (digits == 3 && code >= 100 && code <= 699) ? code : 0;
		return true;
	}
	size_t sp1 = 0;
	while (sp1 < end && is_token_char(line[sp1]))
		sp1++;
	if (sp1 == 0 || sp1 >= end || !is_wsp(line[sp1]))
		return false;
	/* "METHOD uri SIP/2.0": the version is the last word of the line. The
	 * grammar says one SP, but phones take any run of SP and HTAB, so a
	 * message they would act on is read here too. Trailing spaces (RFC
	 * 4475 trws.dat) are invalid but harmless. */
	while (end > sp1 && is_wsp(line[end - 1]))
		end--;
	size_t vstart = end;
	while (vstart > sp1 && !is_wsp(line[vstart - 1]))
		vstart--;
	if (vstart <= sp1 + 1 || end - vstart < 7 || g_ascii_strncasecmp(line + vstart, "SIP/", 4))
		return false;
	s->is_request = true;
	s->method_text = (struct sip_span){ line, sp1 };
	s->method = sipcid_sip_method_from_text(line, sp1);
	s->request_uri = sipcid_sip_span_trim((struct sip_span){ line + sp1 + 1, vstart - sp1 - 1 });
	return true;
}

enum header_kind {
	H_OTHER,
	H_CALL_ID,
	H_FROM,
	H_TO,
	H_CSEQ,
	H_CONTENT_LENGTH,
	H_PAI,
	H_PPI,
	H_RPID,
	H_PRIVACY,
	H_DIVERSION,
	H_HISTORY,
	H_IDENTITY,
	H_ATTEST_INDICATOR,
};

static enum header_kind header_kind(const char *name, size_t n)
{
	if (n == 1) {
		switch (g_ascii_tolower(name[0])) {
		case 'i': return H_CALL_ID;
		case 'f': return H_FROM;
		case 't': return H_TO;
		case 'l': return H_CONTENT_LENGTH;
		case 'y': return H_IDENTITY;
		default: return H_OTHER;
		}
	}
	static const struct {
		const char *name;
		size_t len;
		enum header_kind kind;
	} names[] = {
#define NAME(s, k) { s, sizeof s - 1, k }
		NAME("call-id", H_CALL_ID),
		NAME("from", H_FROM),
		NAME("to", H_TO),
		NAME("cseq", H_CSEQ),
		NAME("content-length", H_CONTENT_LENGTH),
		NAME("p-asserted-identity", H_PAI),
		NAME("p-preferred-identity", H_PPI),
		NAME("remote-party-id", H_RPID),
		NAME("privacy", H_PRIVACY),
		NAME("diversion", H_DIVERSION),
		NAME("history-info", H_HISTORY),
		NAME("identity", H_IDENTITY),
		NAME("p-attestation-indicator", H_ATTEST_INDICATOR),
#undef NAME
	};
	/* Every header line of every packet comes here: compare only names of
	 * the same length and first letter. */
	char first = g_ascii_tolower(name[0]);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (names[i].len == n && names[i].name[0] == first &&
		    g_ascii_strncasecmp(names[i].name, name, n) == 0)
			return names[i].kind;
	return H_OTHER;
}

size_t sipcid_sip_skip_quoted(struct sip_span v, size_t i)
{
	for (i++; i < v.len; i++) {
		if (v.p[i] == '\\')
			i++;
		else if (v.p[i] == '"')
			return i + 1;
	}
	return v.len;
}

bool sipcid_sip_value_has_tag(struct sip_span v)
{
	int angle = 0;
	for (size_t i = 0; i < v.len; i++) {
		char c = v.p[i];
		if (c == '"') {
			i = sipcid_sip_skip_quoted(v, i) - 1;
		} else if (c == '<') {
			angle++;
		} else if (c == '>') {
			angle = angle > 0 ? angle - 1 : 0;
		} else if (c == ';' && angle == 0) {
			size_t j = i + 1;
			while (j < v.len && (v.p[j] == ' ' || v.p[j] == '\t'))
				j++;
			if (v.len - j >= 3 && g_ascii_strncasecmp(v.p + j, "tag", 3) == 0) {
				size_t k = j + 3;
				while (k < v.len && (v.p[k] == ' ' || v.p[k] == '\t'))
					k++;
				if (k < v.len && v.p[k] == '=')
					return true;
			}
		}
	}
	return false;
}

static void parse_cseq(struct sip_span v, struct sipcid_sip_scan *s)
{
	size_t i = 0;
	uint64_t n = 0;
	int digits = 0;
	while (i < v.len && g_ascii_isdigit(v.p[i]) && digits < 11) {
		n = n * 10 + (uint64_t)(v.p[i++] - '0');
		digits++;
	}
	if (digits == 0 || n > UINT32_MAX)
		return;
	s->cseq = (uint32_t)n;
	while (i < v.len && (v.p[i] == ' ' || v.p[i] == '\t' || v.p[i] == '\r' || v.p[i] == '\n'))
		i++;
	size_t m = i;
	while (m < v.len && is_token_char(v.p[m]))
		m++;
	s->cseq_method = sipcid_sip_method_from_text(v.p + i, m - i);
}

static long parse_length(struct sip_span v)
{
	long n = 0;
	if (v.len == 0)
		return -1;
	for (size_t i = 0; i < v.len; i++) {
		if (!g_ascii_isdigit(v.p[i]) || n > 100000000)
			return -1;
		n = n * 10 + (v.p[i] - '0');
	}
	return n;
}

static void add_value(struct sip_span *arr, int *n, int max, struct sip_span v)
{
	if (*n < max)
		arr[*n] = v;
	if (*n < 1000000)
		(*n)++;
}

/* Keeps the first values and, in the last slot, the latest one. */
static void keep_repeated(struct sip_span *arr, int *n, struct sip_span v)
{
	arr[MIN(*n, SIP_SCAN_MAX_VALUES - 1)] = v;
	if (*n < 1000000)
		(*n)++;
}

bool sipcid_sip_scan_repeats_singletons(const struct sipcid_sip_scan *s)
{
	return s->n_from > 1 || s->n_to > 1 || s->n_call_id > 1 || s->n_cseq > 1;
}

static void record_header(enum header_kind kind, struct sip_span v, struct sipcid_sip_scan *s)
{
	switch (kind) {
	case H_CALL_ID:
		if (s->n_call_id++ == 0)
			s->call_id = v;
		break;
	case H_FROM:
		if (s->n_from == 0)
			s->from = v;
		keep_repeated(s->from_all, &s->n_from, v);
		break;
	case H_TO:
		if (s->n_to == 0) {
			s->to = v;
			s->to_tag = sipcid_sip_value_has_tag(v);
		}
		keep_repeated(s->to_all, &s->n_to, v);
		break;
	case H_CSEQ:
		if (s->n_cseq < 1000000)
			s->n_cseq++;
		if (s->cseq == 0)
			parse_cseq(v, s);
		break;
	case H_CONTENT_LENGTH: {
		/* Conflicting Content-Length values make the message unframeable. */
		long n = parse_length(v);
		if (s->length_conflict)
			break;
		if (s->content_length >= 0 && n != s->content_length) {
			s->length_conflict = true;
			s->content_length = -1;
		} else {
			s->content_length = n;
		}
		break;
	}
	case H_PAI: add_value(s->pai, &s->n_pai, SIP_SCAN_MAX_VALUES, v); break;
	case H_PPI: add_value(s->ppi, &s->n_ppi, SIP_SCAN_MAX_VALUES, v); break;
	case H_RPID: add_value(s->rpid, &s->n_rpid, SIP_SCAN_MAX_VALUES, v); break;
	case H_PRIVACY: add_value(s->privacy, &s->n_privacy, SIP_SCAN_MAX_VALUES, v); break;
	case H_DIVERSION:
		if (!s->diversion.p)
			s->diversion = v;
		break;
	case H_HISTORY: add_value(s->history, &s->n_history, SIP_SCAN_MAX_HISTORY, v); break;
	case H_IDENTITY: add_value(s->identity, &s->n_identity, SIP_SCAN_MAX_VALUES, v); break;
	case H_ATTEST_INDICATOR:
		add_value(s->attest_indicator, &s->n_attest_indicator, SIP_SCAN_MAX_VALUES, v);
		break;
	case H_OTHER: break;
	}
}

bool sipcid_sip_scan(const char *msg, size_t len, struct sipcid_sip_scan *s)
{
	return sipcid_sip_scan_partial(msg, len, ~0u, s);
}

static bool has_all(const struct sipcid_sip_scan *s, unsigned want)
{
	if ((want & SIP_WANT_CALL_ID) && !s->n_call_id)
		return false;
	if ((want & SIP_WANT_CSEQ) && !s->cseq)
		return false;
	return want != ~0u;
}

/* Reads header lines from s->resume until `want` is met or the headers end. */
static void scan_headers(const char *msg, size_t len, unsigned want, struct sipcid_sip_scan *s)
{
	size_t pos = s->resume, next;
	while (pos && pos < len) {
		if (has_all(s, want)) {
			s->resume = pos;
			return;
		}
		size_t end = line_end(msg, len, pos, &next);
		if (end == pos) {  /* the blank line */
			s->headers_end = next;
			break;
		}
		/* A header value runs on over continuation lines (leading SP or HTAB). */
		size_t vend = end, more = next;
		while (more < len && (msg[more] == ' ' || msg[more] == '\t')) {
			size_t n2, e2 = line_end(msg, len, more, &n2);
			vend = e2;
			next = n2;
			more = n2;
		}
		size_t n = pos;
		while (n < end && is_token_char(msg[n]))
			n++;
		size_t colon = n;
		while (colon < end && (msg[colon] == ' ' || msg[colon] == '\t'))
			colon++;
		if (n > pos && colon < end && msg[colon] == ':') {
			enum header_kind kind = header_kind(msg + pos, n - pos);
			struct sip_span v = sipcid_sip_span_trim((struct sip_span){ msg + colon + 1, vend - colon - 1 });
			record_header(kind, v, s);
		}
		pos = next;
	}
	s->resume = 0;
}

bool sipcid_sip_scan_partial(const char *msg, size_t len, unsigned want, struct sipcid_sip_scan *s)
{
	init_token_table();
	memset(s, 0, sizeof *s);
	s->content_length = -1;
	size_t pos = 0;
	/* RFC 3261 §7.5: ignore CRLFs before the start line (keep-alives too). */
	while (pos < len && (msg[pos] == '\r' || msg[pos] == '\n'))
		pos++;
	if (!parse_start_line(msg + pos, len - pos, s))
		return false;
	line_end(msg, len, pos, &s->resume);
	scan_headers(msg, len, want, s);
	return true;
}

void sipcid_sip_scan_more(const char *msg, size_t len, unsigned want, struct sipcid_sip_scan *s)
{
	scan_headers(msg, len, want, s);
}
