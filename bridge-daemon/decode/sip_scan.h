/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A fast, forgiving scan of a SIP message's start line and headers.
 *
 * Every SIP packet passes through it, so it neither allocates nor copies: it
 * records where things are. It serves three needs: classifying a message
 * (method, status, Call-ID, CSeq, To tag) before any expensive parse, framing
 * SIP messages in a TCP stream (Content-Length), and reading the caller from
 * a message that libosip2 rejects. Compact header names, any letter case,
 * leading CRLFs, bare LF line ends and folded lines are accepted. */
#ifndef SIPCID_SIP_SCAN_H
#define SIPCID_SIP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sip_span {
	const char *p;
	size_t len;
};

enum {
	SIP_SCAN_MAX_VALUES = 4, /* of each identity header kept; more are ignored */
	SIP_SCAN_MAX_HISTORY = 8,
};

enum sip_method {
	SIP_METHOD_OTHER = 0,
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_PRACK,
	SIP_METHOD_UPDATE,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_REGISTER,
};

struct sipcid_sip_scan {
	bool is_request;
	enum sip_method method;          /* request method, or 0 for a response */
	struct sip_span method_text;
	struct sip_span request_uri;
	int status;                      /* responses: 100..699; 0 if unreadable */

	struct sip_span call_id;
	struct sip_span from, to;        /* the first From and To values */
	int n_from, n_to, n_call_id, n_cseq;
	/* Every From and To value, for a message that repeats them (hostile:
	 * one phone shows the first, another the last). Past
	 * SIP_SCAN_MAX_VALUES the last slot holds the latest value, so the
	 * first and the last are always kept. */
	struct sip_span from_all[SIP_SCAN_MAX_VALUES], to_all[SIP_SCAN_MAX_VALUES];
	bool to_tag;                     /* the first To value carries a tag parameter */
	uint32_t cseq;
	enum sip_method cseq_method;
	long content_length;             /* -1 when absent or unreadable */

	struct sip_span pai[SIP_SCAN_MAX_VALUES];
	int n_pai;
	struct sip_span ppi[SIP_SCAN_MAX_VALUES];
	int n_ppi;
	struct sip_span rpid[SIP_SCAN_MAX_VALUES];
	int n_rpid;
	struct sip_span privacy[SIP_SCAN_MAX_VALUES];
	int n_privacy;
	struct sip_span diversion;
	struct sip_span history[SIP_SCAN_MAX_HISTORY];  /* one per header line */
	int n_history;
	/* STIR/SHAKEN (sip_attest.h) */
	struct sip_span identity[SIP_SCAN_MAX_VALUES];
	int n_identity;
	struct sip_span attest_indicator[SIP_SCAN_MAX_VALUES];  /* P-Attestation-Indicator */
	int n_attest_indicator;

	size_t headers_end;              /* offset of the body; 0 until the blank line */

	/* Where a partial scan stopped (the next header line), so that
	 * sipcid_sip_scan_more() goes on from there; 0 when the headers are done. */
	size_t resume;
	bool length_conflict;            /* Content-Length values disagree */
};

/* Scans msg[0..len). Returns false when this does not look like SIP at all
 * (no request or status line). A message cut short still returns true with
 * what was seen; headers_end stays 0 then. */
bool sipcid_sip_scan(const char *msg, size_t len, struct sipcid_sip_scan *out);

/* What a partial scan needs before it may stop early. */
enum sip_scan_want {
	SIP_WANT_START_LINE = 0,         /* the start line alone */
	SIP_WANT_CALL_ID = 1 << 0,
	SIP_WANT_CSEQ = 1 << 1,
};
/* Like sipcid_sip_scan, but stops as soon as everything in `want` was seen: the
 * packet path needs only Call-ID and CSeq from most messages. Fields after
 * the stop are not filled and headers_end stays 0. */
bool sipcid_sip_scan_partial(const char *msg, size_t len, unsigned want, struct sipcid_sip_scan *out);
/* Goes on with a partial scan of the same message, up to the new `want`
 * (~0u: to the end of the headers). Nothing is read twice. */
void sipcid_sip_scan_more(const char *msg, size_t len, unsigned want, struct sipcid_sip_scan *s);

enum sip_method sipcid_sip_method_from_text(const char *p, size_t len);

/* Where the quoted string that starts at v.p[i] (a '"') ends: the index just
 * past its closing quote, backslash escapes included; v.len when unclosed. */
size_t sipcid_sip_skip_quoted(struct sip_span v, size_t i);

/* True when the header value has a ;tag= parameter outside <...> and quotes. */
bool sipcid_sip_value_has_tag(struct sip_span value);

/* True when a header that RFC 3261 allows once (From, To, Call-ID, CSeq)
 * came more than once: the message is hostile (docs/callerid.md). */
bool sipcid_sip_scan_repeats_singletons(const struct sipcid_sip_scan *s);

/* Trims spaces, tabs and line breaks at both ends. */
struct sip_span sipcid_sip_span_trim(struct sip_span s);

#endif
