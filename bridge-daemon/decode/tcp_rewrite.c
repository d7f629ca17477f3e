/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Same-length rewrites of SIP messages over TCP: see tcp_rewrite.h. */
#include "tcp_rewrite.h"

#include <glib.h>
#include <string.h>

static const char require_line[] = "Require: " SIPCID_TCP_REWRITE_TAG;
static const char unsupported_line[] = "X-Sipcid: rejected";

/* A line msg[start..end), end at its CR or LF; next is where the next
 * line starts. */
struct line {
	size_t start, end, next;
};

static bool next_line(const char *msg, size_t limit, size_t at, struct line *l)
{
	if (at >= limit)
		return false;
	const char *nl = memchr(msg + at, '\n', limit - at);
	l->start = at;
	l->next = nl ? (size_t)(nl - msg) + 1 : limit;
	l->end = nl ? (size_t)(nl - msg) : limit;
	if (l->end > l->start && msg[l->end - 1] == '\r')
		l->end--;
	return true;
}

static void add_span(struct sipcid_tcp_rewrite *done, size_t at, size_t len)
{
	if (done->n < SIPCID_TCP_REWRITE_SPANS) {
		done->span[done->n].at = at;
		done->span[done->n].len = len;
		done->n++;
	}
}

/* Writes text over msg[at..at+len), padded with pad. */
static void put(uint8_t *out, size_t from, size_t at, size_t len, const char *text, char pad,
                struct sipcid_tcp_rewrite *done)
{
	size_t n = strlen(text);
	if (out) {
		uint8_t *p = out + (at - from);
		memcpy(p, text, MIN(n, len));
		if (len > n)
			memset(p + n, pad, len - n);
	}
	add_span(done, at, len);
}

/* The name of the header on line l (trimmed), or false when the line has no
 * colon or an empty name; *colon is where its value begins, less one. */
static bool header_name(const char *msg, const struct line *l, size_t *name_len, size_t *colon)
{
	const char *c = memchr(msg + l->start, ':', l->end - l->start);
	if (!c)
		return false;
	size_t n = (size_t)(c - (msg + l->start));
	while (n > 0 && (msg[l->start + n - 1] == ' ' || msg[l->start + n - 1] == '\t'))
		n--;
	*name_len = n;
	*colon = (size_t)(c - msg);
	return n > 0;
}

/* Headers the ATA needs to answer at all (RFC 3261 §8.1.1, §8.2.6), and
 * those whose loss changes the meaning of the rest: never the one overwritten. */
static bool needed_header(const char *name, size_t len)
{
	static const char *const needed[] = {
		"via", "v", "from", "f", "to", "t", "call-id", "i", "cseq", "content-length", "l",
		"content-type", "c", "content-encoding", "e", "contact", "m", "route", "record-route",
		"max-forwards", "require", "proxy-require", "authorization", "proxy-authorization",
		NULL,
	};
	for (const char *const *n = needed; *n; n++)
		if (strlen(*n) == len && g_ascii_strncasecmp(*n, name, len) == 0)
			return true;
	return false;
}

/* The header line to give up for Require: the shortest that fits, whole in
 * the segment, of a header the ATA can do without, not continued on the
 * next line (the continuation would join our Require). */
static bool pick_header(const char *msg, size_t headers_end, size_t from, struct line *pick)
{
	struct line l, first;
	if (!next_line(msg, headers_end, 0, &first))
		return false;
	bool found = false;
	for (size_t at = first.next; next_line(msg, headers_end, at, &l); at = l.next) {
		if (l.end == l.start)
			break;  /* the blank line that ends the headers */
		if (msg[l.start] == ' ' || msg[l.start] == '\t')
			continue;
		struct line after;
		if (next_line(msg, headers_end, l.next, &after) && after.end > after.start &&
		    (msg[after.start] == ' ' || msg[after.start] == '\t'))
			continue;
		if (l.start < from || l.end - l.start < sizeof require_line - 1)
			continue;
		size_t name_len, colon;
		if (!header_name(msg, &l, &name_len, &colon) || needed_header(msg + l.start, name_len))
			continue;
		if (!found || l.end - l.start < pick->end - pick->start) {
			*pick = l;
			found = true;
		}
	}
	return found;
}

/* The SDP made unacceptable: every m= line names no media anyone offers
 * (488, RFC 3264 §6), or, when an m= line already passed, a line that is
 * not SDP at all, so the whole description is ignored (RFC 4566 §5). */
static bool spoil_sdp(const char *msg, size_t len, size_t body, size_t from, uint8_t *out,
                      struct sipcid_tcp_rewrite *done)
{
	if (body >= len)
		return false;
	bool every_m_here = true, any_m = false;
	struct line l;
	for (size_t at = body; next_line(msg, len, at, &l); at = l.next) {
		if (l.end - l.start >= 3 && msg[l.start] == 'm' && msg[l.start + 1] == '=') {
			any_m = true;
			every_m_here &= l.start >= from;
		}
	}
	if (any_m && every_m_here) {
		for (size_t at = body; next_line(msg, len, at, &l); at = l.next) {
			if (l.end - l.start < 3 || msg[l.start] != 'm' || msg[l.start + 1] != '=')
				continue;
			const char *sp = memchr(msg + l.start + 2, ' ', l.end - l.start - 2);
			size_t media_end = sp ? (size_t)(sp - msg) : l.end;
			put(out, from, l.start + 2, media_end - l.start - 2, "", 'x', done);
		}
		return done->n > 0;
	}
	for (size_t at = body; next_line(msg, len, at, &l); at = l.next) {
		if (l.start >= from && l.end - l.start >= 2) {
			put(out, from, l.start, 2, "", 'x', done);
			return true;
		}
	}
	return false;
}

bool sipcid_tcp_rewrite_invite(const char *msg, size_t len, size_t headers_end, size_t from,
                               uint8_t *out, struct sipcid_tcp_rewrite *done)
{
	done->n = 0;
	if (headers_end > len || from > len)
		return false;
	struct line pick = { 0 };
	if (pick_header(msg, headers_end, from, &pick)) {
		put(out, from, pick.start, pick.end - pick.start, require_line, ' ', done);
		return true;
	}
	return spoil_sdp(msg, len, headers_end, MAX(from, headers_end), out, done);
}

bool sipcid_tcp_rewrite_response(const char *msg, size_t len, size_t headers_end, size_t from,
                                 int code, const char *reason, uint8_t *out,
                                 struct sipcid_tcp_rewrite *done)
{
	static const char version[] = "SIP/2.0 ";
	done->n = 0;
	struct line status;
	if (from != 0 || headers_end > len || code < 100 || code > 699 ||
	    !next_line(msg, headers_end, 0, &status))
		return false;
	/* "SIP/2.0 NNN " and then the reason phrase, which may be empty. */
	size_t head = sizeof version - 1 + 4;
	if (status.end - status.start < head || g_ascii_strncasecmp(msg, version, sizeof version - 1) != 0)
		return false;
	char code_text[5];
	g_snprintf(code_text, sizeof code_text, "%03d ", code);
	put(out, from, sizeof version - 1, 4, code_text, ' ', done);
	put(out, from, head, status.end - head, reason, ' ', done);

	struct line l;
	for (size_t at = status.next; next_line(msg, headers_end, at, &l); at = l.next) {
		static const char name[] = "Unsupported:";
		size_t n = l.end - l.start;
		if (n >= sizeof name - 1 + sizeof SIPCID_TCP_REWRITE_TAG - 1 &&
		    g_ascii_strncasecmp(msg + l.start, name, sizeof name - 1) == 0 &&
		    g_strstr_len(msg + l.start, (gssize)n, SIPCID_TCP_REWRITE_TAG))
			put(out, from, l.start, n, unsupported_line, ' ', done);
	}
	return true;
}

/* The value of the first header named name (or its compact form), as the
 * span msg[*at..*at+*n). */
static bool find_value(const char *msg, size_t headers_end, const char *name, const char *compact,
                       size_t *at, size_t *n)
{
	struct line l;
	if (!next_line(msg, headers_end, 0, &l))
		return false;
	for (size_t pos = l.next; next_line(msg, headers_end, pos, &l); pos = l.next) {
		size_t name_len, colon;
		if (!header_name(msg, &l, &name_len, &colon))
			continue;
		if (!((name_len == strlen(name) && !g_ascii_strncasecmp(msg + l.start, name, name_len)) ||
		      (name_len == strlen(compact) && !g_ascii_strncasecmp(msg + l.start, compact, name_len))))
			continue;
		size_t v = colon + 1;
		while (v < l.end && (msg[v] == ' ' || msg[v] == '\t'))
			v++;
		size_t e = l.end;
		while (e > v && (msg[e - 1] == ' ' || msg[e - 1] == '\t'))
			e--;
		*at = v;
		*n = e - v;
		return e > v;
	}
	return false;
}

bool sipcid_tcp_rewrite_stray(const char *msg, size_t len, size_t headers_end, size_t from,
                              uint8_t *out, struct sipcid_tcp_rewrite *done)
{
	done->n = 0;
	size_t cseq, cseq_n, cid, cid_n;
	if (from != 0 || headers_end > len ||
	    !find_value(msg, headers_end, "CSeq", "CSeq", &cseq, &cseq_n) ||
	    !find_value(msg, headers_end, "Call-ID", "i", &cid, &cid_n))
		return false;
	/* "1 INVITE": the method is the token after the number. */
	size_t m = cseq;
	while (m < cseq + cseq_n && g_ascii_isdigit(msg[m]))
		m++;
	while (m < cseq + cseq_n && (msg[m] == ' ' || msg[m] == '\t'))
		m++;
	size_t m_end = m;
	while (m_end < cseq + cseq_n && msg[m_end] != ' ' && msg[m_end] != '\t')
		m_end++;
	bool call_id_moves = false;
	for (size_t i = cid; i < cid + cid_n; i++)
		call_id_moves |= g_ascii_isalnum(msg[i]);
	if (m_end == m || !call_id_moves)
		return false;
	put(out, from, m, m_end - m, "", 'X', done);
	if (out) {
		for (size_t i = cid; i < cid + cid_n; i++) {
			char c = msg[i];
			uint8_t *o = out + (i - from);
			if (c >= 'a' && c <= 'z')
				*o = (uint8_t)(c == 'z' ? 'a' : c + 1);
			else if (c >= 'A' && c <= 'Z')
				*o = (uint8_t)(c == 'Z' ? 'A' : c + 1);
			else if (c >= '0' && c <= '9')
				*o = (uint8_t)(c == '9' ? '0' : c + 1);
		}
	}
	add_span(done, cid, cid_n);
	return true;
}
