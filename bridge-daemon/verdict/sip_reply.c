/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The response to a blocked INVITE: see sip_reply.h. */
#include "sip_reply.h"

#include "sip_scan.h"

#include <glib.h>
#include <sodium.h>
#include <string.h>

int sipcid_sip_reply_status(enum sipcid_outcome outcome)
{
	switch (outcome) {
	case SIPCID_OUTCOME_BUSY: return 486;
	case SIPCID_OUTCOME_DECLINE: return 603;
	/* 404, not 410: 410 says the number existed once, which providers
	 * turn into "the number you called has changed"; 404 is the plain
	 * "no such number" every provider maps to its not-in-service tone. */
	case SIPCID_OUTCOME_GONE: return 404;
	default: return 0;
	}
}

const char *sipcid_sip_reply_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 404: return "Not Found";
	case 486: return "Busy Here";
	case 603: return "Decline";
	default: return NULL;
	}
}

/* The response being written: bounded, and once full it stays failed. */
struct out {
	char *p;
	size_t size, len;
	bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->failed || n > o->size - o->len) {
		o->failed = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

enum header { H_NONE, H_VIA, H_FROM, H_TO, H_CALL_ID, H_CSEQ };

static enum header header_of(const char *name, size_t n)
{
	static const struct {
		const char *name;
		enum header h;
	} names[] = {
		{ "via", H_VIA }, { "v", H_VIA }, { "from", H_FROM }, { "f", H_FROM },
		{ "to", H_TO }, { "t", H_TO }, { "call-id", H_CALL_ID }, { "i", H_CALL_ID },
		{ "cseq", H_CSEQ },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (strlen(names[i].name) == n && !g_ascii_strncasecmp(names[i].name, name, n))
			return names[i].h;
	return H_NONE;
}

/* One header of the request, its value unfolded into a bounded buffer. */
struct value {
	char text[SIPCID_SIP_REPLY_HEADER_MAX];
	size_t len;
};

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies msg[from..to) (a value, maybe spread over folded lines) into v,
 * each line break and the white space around it made one space. False when
 * it holds a control character or is too long. */
static bool unfold(const char *msg, size_t from, size_t to, struct value *v)
{
	v->len = 0;
	for (size_t i = from; i < to; i++) {
		char c = msg[i];
		if (c == '\r' && i + 1 < to && msg[i + 1] == '\n')
			continue;
		if (c == '\n') {
			while (v->len && is_wsp(v->text[v->len - 1]))
				v->len--;
			while (i + 1 < to && is_wsp(msg[i + 1]))
				i++;
			c = ' ';
		}
		unsigned char u = (unsigned char)c;
		if ((u < 0x20 && c != '\t') || u == 0x7f)
			return false;
		if (v->len == sizeof v->text)
			return false;
		v->text[v->len++] = c;
	}
	while (v->len && is_wsp(v->text[v->len - 1]))
		v->len--;
	size_t lead = 0;
	while (lead < v->len && is_wsp(v->text[lead]))
		lead++;
	memmove(v->text, v->text + lead, v->len - lead);
	v->len -= lead;
	return v->len > 0;
}

/* The end of the logical header starting at line `at`: past every folded
 * continuation line. Sets *next to the first byte of the next header. */
static size_t header_end(const char *msg, size_t len, size_t at, size_t *next)
{
	size_t p = at;
	for (;;) {
		const char *nl = memchr(msg + p, '\n', len - p);
		if (!nl) {
			*next = len;
			return len;
		}
		p = (size_t)(nl - msg) + 1;
		if (p >= len || !is_wsp(msg[p])) {
			*next = p;
			return p;
		}
	}
}

static void put_header(struct out *o, const char *name, const struct value *v)
{
	put_str(o, name);
	put(o, v->text, v->len);
	put_str(o, "\r\n");
}

size_t sipcid_sip_reply_build(const char *msg, size_t len, int status, const uint8_t *key,
                              char *out, size_t size)
{
	const char *why = sipcid_sip_reply_reason(status);
	if (!why || !msg)
		return 0;
	struct out o = { .p = out, .size = size };
	char line[64];
	g_snprintf(line, sizeof line, "SIP/2.0 %d %s\r\n", status, why);
	put_str(&o, line);

	/* Skip leading CRLFs (RFC 5626 keep-alives before the message) and the
	 * request line. */
	size_t at = 0;
	while (at < len && (msg[at] == '\r' || msg[at] == '\n'))
		at++;
	const char *nl = at < len ? memchr(msg + at, '\n', len - at) : NULL;
	if (!nl)
		return 0;
	at = (size_t)(nl - msg) + 1;

	struct value from, to, call_id, cseq, v;
	bool have_from = false, have_to = false, have_call_id = false, have_cseq = false;
	int n_via = 0;
	while (at < len && msg[at] != '\r' && msg[at] != '\n') {
		size_t next;
		size_t end = header_end(msg, len, at, &next);
		const char *colon = memchr(msg + at, ':', end - at);
		if (!colon)
			return 0;
		size_t name_end = (size_t)(colon - msg);
		while (name_end > at && is_wsp(msg[name_end - 1]))
			name_end--;
		enum header h = header_of(msg + at, name_end - at);
		size_t value_at = (size_t)(colon - msg) + 1;
		/* Only the first of a repeated From, To, Call-ID or CSeq is used
		 * (a hostile message; the rules judged every one). */
		struct value *dst = h == H_FROM && !have_from       ? &from
		                    : h == H_TO && !have_to         ? &to
		                    : h == H_CALL_ID && !have_call_id ? &call_id
		                    : h == H_CSEQ && !have_cseq     ? &cseq
		                    : h == H_VIA                    ? &v
		                                                    : NULL;
		if (dst) {
			if (!unfold(msg, value_at, end, dst))
				return 0;
			switch (h) {
			case H_VIA:
				/* Each Via line in order, its comma-separated values as they came. */
				put_header(&o, "Via: ", dst);
				n_via++;
				break;
			case H_FROM: have_from = true; break;
			case H_TO: have_to = true; break;
			case H_CALL_ID: have_call_id = true; break;
			case H_CSEQ: have_cseq = true; break;
			default: break;
			}
		}
		at = next;
	}
	if (!n_via || !have_from || !have_to || !have_call_id || !have_cseq)
		return 0;
	if (!sipcid_sip_value_has_tag((struct sip_span){ to.text, to.len })) {
		uint8_t hash[crypto_shorthash_BYTES];
		crypto_shorthash(hash, (const unsigned char *)call_id.text, call_id.len, key);
		char tag[2 * sizeof hash + 1];
		sodium_bin2hex(tag, sizeof tag, hash, sizeof hash);
		if (to.len + 5 + strlen(tag) > sizeof to.text)
			return 0;
		memcpy(to.text + to.len, ";tag=", 5);
		memcpy(to.text + to.len + 5, tag, strlen(tag));
		to.len += 5 + strlen(tag);
		/* An unclosed < or quote would swallow the tag: such a To is
		 * not one the provider could match a response to. */
		if (!sipcid_sip_value_has_tag((struct sip_span){ to.text, to.len }))
			return 0;
	}
	put_header(&o, "From: ", &from);
	put_header(&o, "To: ", &to);
	put_header(&o, "Call-ID: ", &call_id);
	put_header(&o, "CSeq: ", &cseq);
	put_str(&o, "Content-Length: 0\r\n\r\n");
	return o.failed ? 0 : o.len;
}
