/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hostile input for the SIP decode stage (sipcid_callerid_extract).
 *
 *   hostile_callerid CASE [CORPUS_DIR]
 *
 * Every message is handed to the extractor in a heap buffer of exactly its
 * length, not NUL-terminated, so AddressSanitizer reports any read past the
 * end. After every call these properties must hold:
 *   - the result is one of the four enum values;
 *   - on SIPCID_EXTRACT_OK every string the header promises to fill
 *     (call_id, number, number_raw, name, called, via) is NUL-terminated
 *     inside its buffer, is valid UTF-8 and contains no control character
 *     (C0, DEL, C1) and no bidirectional override, and presentation and
 *     source are valid enum values;
 *   - the fields the extractor does not own (alias, rule, record, action,
 *     state, ring_ms, talk_ms, kind, time_us) are left exactly as they were.
 * Cases whose caller is still readable also check the caller itself; each
 * says why that is the right answer. */
#include "callerid.h"

#include <dirent.h>
#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct sipcid_number_plan plan;
static int failures;
static long calls;

static void fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "FAIL %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	/* Enough to see the pattern without flooding the log. */
	if (++failures > 50) {
		fprintf(stderr, "too many failures, stopping\n");
		exit(1);
	}
}

static bool forbidden_char(gunichar c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

static void check_string(const char *what, const char *field, const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);
	if (!nul) {
		fail(what, "%s is not NUL-terminated inside its %zu bytes (left unset?)", field, size);
		return;
	}
	const char *end;
	if (!g_utf8_validate(s, nul - s, &end)) {
		fail(what, "%s is not valid UTF-8 at byte %td", field, end - s);
		return;
	}
	for (const char *p = s; p < nul; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (forbidden_char(c)) {
			fail(what, "%s contains U+%04X at byte %td", field, c, p - s);
			return;
		}
	}
}

/* The fields outside the extractor's part of the record, as raw bytes, so a
 * change is seen without loading a bool or enum the test itself filled with
 * a pattern. */
struct untouched {
	unsigned char kind[sizeof(enum sipcid_event_kind)];
	unsigned char time_us[sizeof(int64_t)];
	unsigned char alias[SIPCID_NAME_MAX];
	unsigned char action[sizeof(enum sipcid_action)];
	unsigned char record[sizeof(bool)];
	unsigned char rule[SIPCID_RULE_MAX];
	unsigned char state[sizeof(enum sipcid_state)];
	unsigned char ring_ms[sizeof(int64_t)], talk_ms[sizeof(int64_t)];
};

static void snapshot(const struct sipcid_call *c, struct untouched *u)
{
	memcpy(u->kind, &c->kind, sizeof u->kind);
	memcpy(u->time_us, &c->time_us, sizeof u->time_us);
	memcpy(u->alias, c->alias, sizeof u->alias);
	memcpy(u->action, &c->action, sizeof u->action);
	memcpy(u->record, &c->record, sizeof u->record);
	memcpy(u->rule, c->rule, sizeof u->rule);
	memcpy(u->state, &c->state, sizeof u->state);
	memcpy(u->ring_ms, &c->ring_ms, sizeof u->ring_ms);
	memcpy(u->talk_ms, &c->talk_ms, sizeof u->talk_ms);
}

/* Runs the extractor on msg[0..len) copied into an exactly-sized heap buffer
 * and checks the properties above. Returns the result; *out holds the record. */
static enum sipcid_extract_result extract(const char *what, const void *msg, size_t len,
                                          bool trusted, struct sipcid_call *out)
{
	/* malloc(0) may return NULL; one byte that is never part of the message
	 * keeps the pointer valid without giving the extractor bytes to read. */
	char *buf = malloc(len ? len : 1);
	if (!buf) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	memcpy(buf, msg, len);
	/* 0xA5 everywhere: a promised field the extractor forgets to fill shows
	 * up as an unterminated string. */
	memset(out, 0xA5, sizeof *out);
	struct untouched before, after;
	snapshot(out, &before);
	struct sipcid_extract_info info;
	enum sipcid_extract_result r =
		sipcid_callerid_extract(&plan, len ? buf : buf + 1, len, trusted, out, &info);
	calls++;
	free(buf);
	snapshot(out, &after);
	if (memcmp(&before, &after, sizeof before))
		fail(what, "a field outside the SIP decode stage's part of the record changed");
	if ((unsigned)r > SIPCID_EXTRACT_UNREADABLE) {
		fail(what, "result %u is not an enum sipcid_extract_result", (unsigned)r);
		return r;
	}
	if (r != SIPCID_EXTRACT_OK)
		return r;
	check_string(what, "call_id", out->call_id, sizeof out->call_id);
	check_string(what, "number", out->number, sizeof out->number);
	check_string(what, "number_raw", out->number_raw, sizeof out->number_raw);
	check_string(what, "name", out->name, sizeof out->name);
	check_string(what, "called", out->called, sizeof out->called);
	check_string(what, "via", out->via, sizeof out->via);
	unsigned pres, src;
	memcpy(&pres, &out->presentation, sizeof pres);
	memcpy(&src, &out->source, sizeof src);
	if (pres > SIPCID_PRES_UNAVAILABLE)
		fail(what, "presentation %u is not an enum value", pres);
	if (src > SIPCID_SRC_PPI)
		fail(what, "source %u is not an enum value", src);
	return r;
}

static const char *result_name(enum sipcid_extract_result r)
{
	switch (r) {
	case SIPCID_EXTRACT_OK: return "OK";
	case SIPCID_EXTRACT_NOT_INVITE: return "NOT_INVITE";
	case SIPCID_EXTRACT_IN_DIALOG: return "IN_DIALOG";
	case SIPCID_EXTRACT_UNREADABLE: return "UNREADABLE";
	}
	return "?";
}

static void expect_result(const char *what, enum sipcid_extract_result got,
                          enum sipcid_extract_result want)
{
	if (got != want)
		fail(what, "result %s, expected %s", result_name(got), result_name(want));
}

static void expect_str(const char *what, const char *field, const char *got, const char *want)
{
	if (strcmp(got, want))
		fail(what, "%s is \"%s\", expected \"%s\"", field, got, want);
}

/* A plain, valid initial INVITE from a provider. Cases splice hostile parts
 * into it; everything else stays as a real ATA would see it. */
#define INVITE_START                                                                 \
	"INVITE sip:2125550199@192.168.1.20:5060 SIP/2.0\r\n"                        \
	"Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds\r\n"             \
	"Max-Forwards: 70\r\n"
#define FROM_ALICE "From: \"Alice Smith\" <sip:2125550100@198.51.100.7>;tag=1928301774\r\n"
#define INVITE_REST                                                                  \
	"To: <sip:2125550199@192.168.1.20>\r\n"                                     \
	"Call-ID: a84b4c76e66710@198.51.100.7\r\n"                                 \
	"CSeq: 314159 INVITE\r\n"                                                    \
	"Contact: <sip:2125550100@198.51.100.7:5060>\r\n"
#define INVITE_END                                                                   \
	"Content-Type: application/sdp\r\n"                                          \
	"Content-Length: 129\r\n"                                                    \
	"\r\n"                                                                       \
	"v=0\r\n"                                                                    \
	"o=- 2890844526 2890844526 IN IP4 198.51.100.7\r\n"                          \
	"s=-\r\n"                                                                    \
	"c=IN IP4 198.51.100.7\r\n"                                                  \
	"t=0 0\r\n"                                                                  \
	"m=audio 49170 RTP/AVP 0\r\n"                                                \
	"a=rtpmap:0 PCMU/8000\r\n"

static const char plain_invite[] = INVITE_START FROM_ALICE INVITE_REST INVITE_END;

/* Alice's call, as every hostile-but-readable case below expects it. */
static void expect_alice(const char *what, enum sipcid_extract_result r,
                         const struct sipcid_call *c)
{
	expect_result(what, r, SIPCID_EXTRACT_OK);
	if (r != SIPCID_EXTRACT_OK)
		return;
	expect_str(what, "number_raw", c->number_raw, "2125550100");
	expect_str(what, "number", c->number, "+12125550100");
	expect_str(what, "name", c->name, "Alice Smith");
	if (c->presentation != SIPCID_PRES_ALLOWED)
		fail(what, "presentation is %s, expected allowed",
		     sipcid_call_presentation_name(c->presentation));
}

/* A message built from parts, the way the cases below need it. */
static GString *invite_with(const char *before_from, const char *from, const char *after_from,
                            const char *end)
{
	GString *s = g_string_new(INVITE_START);
	g_string_append(s, before_from);
	g_string_append(s, from);
	g_string_append(s, INVITE_REST);
	g_string_append(s, after_from);
	g_string_append(s, end);
	return s;
}

static GPtrArray *load_corpus(const char *dir)
{
	GPtrArray *msgs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d) {
		fail("corpus", "cannot open the corpus directory %s", dir);
		return msgs;
	}
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	for (const char *n; (n = g_dir_read_name(d));)
		if (g_str_has_suffix(n, ".sip"))
			g_ptr_array_add(names, g_build_filename(dir, n, NULL));
	g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		gchar *data;
		gsize len;
		if (!g_file_get_contents(names->pdata[i], &data, &len, NULL)) {
			fail("corpus", "cannot read %s", (char *)names->pdata[i]);
			continue;
		}
		g_ptr_array_add(msgs, g_bytes_new_take(data, len));
	}
	g_ptr_array_free(names, TRUE);
	/* The real INVITEs of ../shared/corpus/real: a short list means the
	 * corpus was not copied, and the test must not pass on nothing. */
	if (msgs->len < 10)
		fail("corpus", "only %u .sip messages in %s; expected the real INVITEs corpus", msgs->len,
		     dir);
	return msgs;
}

/* Every prefix of every real INVITE, trusted and not: what a truncated UDP
 * datagram or a TCP segment cut short hands the extractor. */
static void case_prefixes(const char *dir)
{
	GPtrArray *msgs = load_corpus(dir);
	for (guint i = 0; i < msgs->len; i++) {
		gsize len;
		const char *m = g_bytes_get_data(msgs->pdata[i], &len);
		struct sipcid_call c;
		for (size_t n = 0; n <= len; n++) {
			char what[64];
			snprintf(what, sizeof what, "prefix %zu of corpus message %u", n, i);
			extract(what, m, n, true, &c);
			extract(what, m, n, false, &c);
		}
	}
	g_ptr_array_free(msgs, TRUE);
}

/* Empty and near-empty input, and a message of nothing but line breaks. */
static void case_empty(void)
{
	struct sipcid_call c;
	static const char *const tiny[] = {"", "I", "INVITE", "INVITE ", "INVITE sip:", "\r\n",
	                                   "SIP/2.0", "SIP/2.0 200 OK\r\n\r\n", "\n\n\n", ":", "\0"};
	for (size_t i = 0; i < G_N_ELEMENTS(tiny); i++) {
		size_t len = i == G_N_ELEMENTS(tiny) - 1 ? 1 : strlen(tiny[i]);
		enum sipcid_extract_result r = extract("tiny message", tiny[i], len, true, &c);
		if (r == SIPCID_EXTRACT_OK)
			fail("tiny message", "\"%s\" was read as a call", tiny[i]);
	}
	GString *crlf = g_string_new(NULL);
	for (int i = 0; i < 2000; i++)
		g_string_append(crlf, "\r\n");
	enum sipcid_extract_result r = extract("only CRLFs", crlf->str, crlf->len, true, &c);
	if (r == SIPCID_EXTRACT_OK)
		fail("only CRLFs", "4000 bytes of CRLF were read as a call");
	/* RFC 3261 §7.5: CRLFs before the start line are to be ignored; the
	 * INVITE after them is still Alice's call. */
	g_string_append(crlf, plain_invite);
	r = extract("CRLFs before an INVITE", crlf->str, crlf->len, true, &c);
	expect_alice("CRLFs before an INVITE", r, &c);
	g_string_free(crlf, TRUE);
}

/* The baseline: if this fails, every other case's expectations are moot. */
static void case_plain(void)
{
	struct sipcid_call c;
	enum sipcid_extract_result r = extract("plain INVITE", plain_invite, strlen(plain_invite),
	                                       true, &c);
	expect_alice("plain INVITE", r, &c);
	if (r == SIPCID_EXTRACT_OK)
		expect_str("plain INVITE", "call_id", c.call_id, "a84b4c76e66710@198.51.100.7");
}

static char *repeat(char ch, size_t n)
{
	char *s = g_malloc(n + 1);
	memset(s, ch, n);
	s[n] = '\0';
	return s;
}

/* 64 kB in the places a header can grow. The caller's number and name must
 * survive a huge unrelated header; a huge caller field must be cut to fit
 * its buffer on a character boundary, never overflow it. */
static void case_long_headers(void)
{
	enum { BIG = 65536 };
	struct sipcid_call c;
	enum sipcid_extract_result r;
	char *pad = repeat('x', BIG);

	/* An unrelated 64 kB header before and after From. */
	gchar *h = g_strdup_printf("X-Padding: %s\r\n", pad);
	GString *m = invite_with(h, FROM_ALICE, h, INVITE_END);
	r = extract("64 kB unrelated headers", m->str, m->len, true, &c);
	expect_alice("64 kB unrelated headers", r, &c);
	g_string_free(m, TRUE);
	g_free(h);

	/* A 64 kB display name: cut to fit, and only ever a prefix of it. */
	h = g_strdup_printf("From: \"%s\" <sip:2125550100@198.51.100.7>;tag=1\r\n", pad);
	m = invite_with("", h, "", INVITE_END);
	r = extract("64 kB display name", m->str, m->len, true, &c);
	expect_result("64 kB display name", r, SIPCID_EXTRACT_OK);
	if (r == SIPCID_EXTRACT_OK) {
		expect_str("64 kB display name", "number_raw", c.number_raw, "2125550100");
		if (strspn(c.name, "x") != strlen(c.name))
			fail("64 kB display name", "name \"%.20s...\" is not a prefix of the display name",
			     c.name);
	}
	g_string_free(m, TRUE);
	g_free(h);

	/* The same with two-byte characters: a cut must not split one. */
	GString *wide = g_string_new(NULL);
	for (int i = 0; i < BIG / 2; i++)
		g_string_append(wide, "\xc3\xa9"); /* é */
	h = g_strdup_printf("From: \"%s\" <sip:2125550100@198.51.100.7>;tag=1\r\n", wide->str);
	m = invite_with("", h, "", INVITE_END);
	r = extract("64 kB UTF-8 display name", m->str, m->len, true, &c);
	expect_result("64 kB UTF-8 display name", r, SIPCID_EXTRACT_OK);
	g_string_free(m, TRUE);
	g_free(h);
	g_string_free(wide, TRUE);

	/* Huge user part, Call-ID, Request-URI, PAI and RPID: only the
	 * properties; what a 64 kB number normalises to is not defined. */
	char *digits = repeat('7', BIG);
	static const char *const forms[] = {
		"From: <sip:%s@198.51.100.7>;tag=1\r\n",
		"From: <tel:+%s>;tag=1\r\n",
		FROM_ALICE "P-Asserted-Identity: <sip:%s@198.51.100.7>\r\n",
		FROM_ALICE "Remote-Party-ID: <sip:%s@198.51.100.7>;party=calling;privacy=off\r\n",
		FROM_ALICE "Diversion: <sip:%s@198.51.100.7>;reason=unconditional\r\n",
		FROM_ALICE "History-Info: <sip:%s@198.51.100.7>;index=1\r\n",
		FROM_ALICE "Privacy: %s\r\n",
		FROM_ALICE "Call-ID: %s\r\n",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
		h = g_strdup_printf(forms[i], digits);
		m = invite_with("", h, "", INVITE_END);
		char what[64];
		snprintf(what, sizeof what, "64 kB field, form %zu", i);
		extract(what, m->str, m->len, true, &c);
		extract(what, m->str, m->len, false, &c);
		g_string_free(m, TRUE);
		g_free(h);
	}
	GString *ruri = g_string_new("INVITE sip:");
	g_string_append(ruri, digits);
	g_string_append(ruri, "@192.168.1.20 SIP/2.0\r\n" FROM_ALICE INVITE_REST INVITE_END);
	extract("64 kB Request-URI", ruri->str, ruri->len, true, &c);
	g_string_free(ruri, TRUE);
	g_free(digits);
	g_free(pad);
}

/* A NUL in every position of the plain INVITE and of a real one. Any answer
 * is allowed where the NUL breaks a header, but a NUL inside the SDP body
 * is none of the caller's business: the caller must be exactly what it was. */
static void case_nul_bytes(const char *dir)
{
	struct sipcid_call c, clean;
	size_t len = strlen(plain_invite);
	const char *body = strstr(plain_invite, "\r\n\r\n") + 4;
	char *m = g_memdup2(plain_invite, len);
	enum sipcid_extract_result r0 = extract("NUL: original", m, len, true, &clean);
	expect_alice("NUL: original", r0, &clean);
	for (size_t i = 0; i < len; i++) {
		char what[64];
		snprintf(what, sizeof what, "NUL at byte %zu", i);
		m[i] = '\0';
		enum sipcid_extract_result r = extract(what, m, len, true, &c);
		m[i] = plain_invite[i];
		if (plain_invite + i >= body) {
			expect_alice(what, r, &c);
			if (r == SIPCID_EXTRACT_OK)
				expect_str(what, "call_id", c.call_id, clean.call_id);
		}
	}
	g_free(m);

	/* The same sweep over the real messages, for the properties. */
	GPtrArray *msgs = load_corpus(dir);
	for (guint k = 0; k < msgs->len; k++) {
		gsize n;
		const char *orig = g_bytes_get_data(msgs->pdata[k], &n);
		char *copy = g_memdup2(orig, n);
		for (size_t i = 0; i < n; i++) {
			char what[64];
			snprintf(what, sizeof what, "NUL at byte %zu of corpus message %u", i, k);
			copy[i] = '\0';
			extract(what, copy, n, true, &c);
			copy[i] = orig[i];
		}
		g_free(copy);
	}
	g_ptr_array_free(msgs, TRUE);
}

/* Invalid UTF-8 and control characters in display names and user parts.
 * lib/text.h defines the answer: an invalid byte becomes U+FFFD, control
 * characters and bidirectional overrides are dropped, the rest stays. */
static void case_invalid_utf8(void)
{
	static const struct {
		const char *display; /* inside the quotes */
		const char *want;
	} names[] = {
		{"Bob\xff" "Smith", "Bob\xef\xbf\xbd" "Smith"},
		{"Bob\xc0\xaf" "Smith", "Bob\xef\xbf\xbd\xef\xbf\xbd" "Smith"},      /* overlong '/' */
		{"Bob\xed\xa0\x80" "Smith", "Bob\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "Smith"}, /* surrogate */
		{"Bob\xe2\x82" "Smith", "Bob\xef\xbf\xbd\xef\xbf\xbd" "Smith"},      /* cut sequence */
		{"Bob\xf4\x90\x80\x80" "Smith",                                      /* > U+10FFFF */
		 "Bob\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "Smith"},
		{"Bob\x1b[31mSmith", "Bob[31mSmith"},                                /* terminal escape */
		{"Bob\x07\x08\x7f" "Smith", "BobSmith"},                             /* BEL BS DEL */
		{"Bob\xc2\x9b" "Smith", "BobSmith"},                                 /* C1 CSI */
		{"Bob\xe2\x80\xae" "htimS", "BobhtimS"},                             /* RIGHT-TO-LEFT OVERRIDE */
		{"José Müller", "José Müller"},                                      /* valid stays valid */
	};
	struct sipcid_call c;
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char what[64];
		snprintf(what, sizeof what, "display name %zu", i);
		gchar *from = g_strdup_printf("From: \"%s\" <sip:2125550100@198.51.100.7>;tag=1\r\n",
		                              names[i].display);
		GString *m = invite_with("", from, "", INVITE_END);
		enum sipcid_extract_result r = extract(what, m->str, m->len, true, &c);
		expect_result(what, r, SIPCID_EXTRACT_OK);
		if (r == SIPCID_EXTRACT_OK) {
			expect_str(what, "name", c.name, names[i].want);
			expect_str(what, "number_raw", c.number_raw, "2125550100");
		}
		g_string_free(m, TRUE);
		g_free(from);
	}

	/* User parts, raw and percent-encoded: only the properties, since the
	 * number of a user part that is not a number is whatever cleaning leaves. */
	static const char *const users[] = {
		"212\xff" "5550100", "%ff%fe", "212%c0%af", "%ed%a0%80", "%1b[31m", "%e2%80%ae" "0010",
		"%00", "2125550100%00", "%", "%%", "%4", "%zz", "\xc3", "\x1b", "%0d%0aX-Evil: 1",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(users); i++) {
		char what[64];
		snprintf(what, sizeof what, "user part %zu", i);
		gchar *from = g_strdup_printf("From: \"Bob\" <sip:%s@198.51.100.7>;tag=1\r\n", users[i]);
		GString *m = invite_with("", from, "", INVITE_END);
		extract(what, m->str, m->len, true, &c);
		g_string_free(m, TRUE);
		g_free(from);
		from = g_strdup_printf("From: <tel:%s>;tag=1\r\n", users[i]);
		m = invite_with("", from, "", INVITE_END);
		extract(what, m->str, m->len, true, &c);
		g_string_free(m, TRUE);
		g_free(from);
		from = g_strdup_printf(FROM_ALICE "P-Asserted-Identity: \"Bob\" <sip:%s@198.51.100.7>\r\n",
		                       users[i]);
		m = invite_with("", from, "", INVITE_END);
		extract(what, m->str, m->len, true, &c);
		g_string_free(m, TRUE);
		g_free(from);
	}
}

/* 100 From headers. RFC 3261 §7.3 allows one; a message with more is
 * malformed. The defined answer is the FIRST From: it is the one the
 * sender's user agent wrote before anything was appended, and one fixed rule
 * means rules and popups can never disagree about which caller they saw. */
static void case_many_from(void)
{
	GString *froms = g_string_new(FROM_ALICE);
	for (int i = 1; i < 100; i++)
		g_string_append_printf(froms, "From: \"Mallory %d\" <sip:66600%05d@203.0.113.9>;tag=m%d\r\n",
		                       i, i, i);
	GString *m = invite_with("", froms->str, "", INVITE_END);
	struct sipcid_call c;
	enum sipcid_extract_result r = extract("100 From headers", m->str, m->len, true, &c);
	expect_alice("100 From headers", r, &c);
	r = extract("100 From headers, untrusted", m->str, m->len, false, &c);
	expect_alice("100 From headers, untrusted", r, &c);
	g_string_free(m, TRUE);

	/* Compact and long forms mixed: still the first. */
	m = invite_with("", FROM_ALICE "f: \"Mallory\" <sip:6660000001@203.0.113.9>;tag=m\r\n", "",
	                INVITE_END);
	r = extract("From then f:", m->str, m->len, true, &c);
	expect_alice("From then f:", r, &c);
	g_string_free(m, TRUE);
	g_string_free(froms, TRUE);
}

/* No From at all (RFC 4475's insuf.dat is one; libosip2 accepts it with
 * msg->from == NULL). With a trusted P-Asserted-Identity the caller is
 * still known. */
static void case_missing_from(void)
{
	struct sipcid_call c;
	GString *m = invite_with("", "", "P-Asserted-Identity: \"Alice Smith\" <sip:2125550100@198.51.100.7>\r\n",
	                         INVITE_END);
	enum sipcid_extract_result r = extract("no From, trusted PAI", m->str, m->len, true, &c);
	expect_alice("no From, trusted PAI", r, &c);
	if (r == SIPCID_EXTRACT_OK && c.source != SIPCID_SRC_PAI)
		fail("no From, trusted PAI", "source is %s, expected pai", sipcid_call_source_name(c.source));
	g_string_free(m, TRUE);

	/* Nothing identifies the caller: never an invented number. */
	m = invite_with("", "", "", INVITE_END);
	r = extract("no From, nothing else", m->str, m->len, true, &c);
	if (r == SIPCID_EXTRACT_OK && c.number_raw[0])
		fail("no From, nothing else", "number \"%s\" came from nowhere", c.number_raw);
	g_string_free(m, TRUE);
}

/* Lines without a colon, among the headers and in place of From. A broken
 * unrelated line must not cost the caller: the phone still rings and the
 * popup should still say who it is. */
static void case_no_colon(void)
{
	struct sipcid_call c;
	static const char *const junk[] = {
		"ThisIsNotAHeader\r\n", "X-Broken header value\r\n", "\r\t\r\n", "::::\r\n",
		"Via SIP/2.0/UDP 10.0.0.1\r\n", ": value without a name\r\n",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(junk); i++) {
		char what[64];
		snprintf(what, sizeof what, "colonless line %zu before From", i);
		GString *m = invite_with(junk[i], FROM_ALICE, "", INVITE_END);
		enum sipcid_extract_result r = extract(what, m->str, m->len, true, &c);
		expect_alice(what, r, &c);
		g_string_free(m, TRUE);
		snprintf(what, sizeof what, "colonless line %zu after From", i);
		m = invite_with("", FROM_ALICE, junk[i], INVITE_END);
		r = extract(what, m->str, m->len, true, &c);
		expect_alice(what, r, &c);
		g_string_free(m, TRUE);
	}
	/* From without its colon is no From: the answer is that of a missing From. */
	GString *m = invite_with("", "From \"Alice Smith\" <sip:2125550100@198.51.100.7>;tag=1\r\n", "",
	                         INVITE_END);
	enum sipcid_extract_result r = extract("From without colon", m->str, m->len, true, &c);
	if (r == SIPCID_EXTRACT_OK && c.number_raw[0] && strcmp(c.number_raw, "2125550100"))
		fail("From without colon", "number \"%s\" came from nowhere", c.number_raw);
	g_string_free(m, TRUE);
}

/* Content-Length that lies: the caller is in the headers and must be read
 * whatever the body length claims. */
static void case_content_length(void)
{
	static const char *const lengths[] = {
		"99999999999999999999999999", "4294967296", "4294967295", "2147483648", "-1",
		"-99999999999", "0", "1", "12abc", "", "0x10", "1e9", "  129  ", "129, 129",
	};
	struct sipcid_call c;
	for (size_t i = 0; i < G_N_ELEMENTS(lengths); i++) {
		char what[64];
		snprintf(what, sizeof what, "Content-Length \"%.20s\"", lengths[i]);
		gchar *end = g_strdup_printf("Content-Type: application/sdp\r\nContent-Length: %s\r\n\r\n"
		                             "v=0\r\n",
		                             lengths[i]);
		GString *m = invite_with("", FROM_ALICE, "", end);
		enum sipcid_extract_result r = extract(what, m->str, m->len, true, &c);
		expect_alice(what, r, &c);
		g_string_free(m, TRUE);
		g_free(end);
	}
}

/* Other shapes seen in fuzzers and broken gateways: unterminated quotes and
 * brackets, folding, thousands of parameters, LF-only lines, duplicated and
 * comma-stuffed identity headers. Properties only. */
static void case_odd_shapes(void)
{
	GString *params = g_string_new("From: <sip:2125550100@198.51.100.7>");
	for (int i = 0; i < 3000; i++)
		g_string_append_printf(params, ";p%d=%d", i, i);
	g_string_append(params, "\r\n");
	GString *commas = g_string_new(FROM_ALICE "P-Asserted-Identity: ");
	for (int i = 0; i < 3000; i++)
		g_string_append(commas, "<sip:1@h>,");
	g_string_append(commas, "\r\n");
	GString *manypai = g_string_new(FROM_ALICE);
	for (int i = 0; i < 200; i++)
		g_string_append_printf(manypai, "P-Asserted-Identity: <tel:+1212555%04d>\r\n"
		                                "Remote-Party-ID: <sip:%d@h>;party=calling\r\n"
		                                "Privacy: id;user;header;critical\r\n",
		                       i, i);
	const char *const froms[] = {
		"From: \"Alice <sip:2125550100@198.51.100.7>;tag=1\r\n",
		"From: \"Alice\\\" <sip:2125550100@198.51.100.7>;tag=1\r\n",
		"From: \"\\\r\n",
		"From: <sip:2125550100@198.51.100.7;tag=1\r\n",
		"From: sip:2125550100@198.51.100.7>>>;tag=1\r\n",
		"From: <<<<sip:@>;tag=1\r\n",
		"From: <>\r\n",
		"From: <sip:>\r\n",
		"From: <tel:>\r\n",
		"From: <tel:;phone-context=>\r\n",
		"From: \"\"\r\n",
		"From:\r\n",
		"From: \r\n \r\n \"Alice\"\r\n <sip:2125550100@198.51.100.7>\r\n",
		"From: \"Alice\"\r\n\t<sip:2125550100@198.51.100.7>;tag=1\r\n",
		"From: Anonymous <sip:anonymous@anonymous.invalid>;tag=1\r\n",
		"From: <sip:%41%42@[::1]:5060;user=phone?X=Y>;tag=1\r\n",
		"From: <sip:2125550100@[::1>;tag=1\r\n",
		"From: <sips:2125550100@h;transport=tls>;tag=1\r\n",
		"From: <mailto:alice@example.com>;tag=1\r\n",
		"From: <sip:2125550100@198.51.100.7>;tag=1\n",
		params->str,
		commas->str,
		manypai->str,
	};
	struct sipcid_call c;
	for (size_t i = 0; i < G_N_ELEMENTS(froms); i++) {
		char what[64];
		snprintf(what, sizeof what, "odd From %zu", i);
		GString *m = invite_with("", froms[i], "", INVITE_END);
		extract(what, m->str, m->len, true, &c);
		extract(what, m->str, m->len, false, &c);
		g_string_free(m, TRUE);
	}
	/* The whole message with bare LF line ends (RFC 3261 §7: implementations
	 * should accept them); the caller is still Alice. */
	GString *lf = g_string_new(NULL);
	for (const char *p = plain_invite; *p; p++)
		if (*p != '\r')
			g_string_append_c(lf, *p);
	enum sipcid_extract_result r = extract("LF line ends", lf->str, lf->len, true, &c);
	expect_alice("LF line ends", r, &c);
	g_string_free(lf, TRUE);
	g_string_free(params, TRUE);
	g_string_free(commas, TRUE);
	g_string_free(manypai, TRUE);
}

/* Header parameters: one longer than any fixed buffer, and so many short
 * ones that they fill one. Neither may cost the caller, and neither may hide
 * a trusted Remote-Party-ID's privacy=full behind it: a caller who asked to
 * be withheld must stay withheld (docs/callerid.md: full hides name and
 * number). libFuzzer found the long one reading past a stack buffer. */
static void case_long_params(void)
{
	struct sipcid_call c;
	enum sipcid_extract_result r;
	/* 140 bytes overflow a 128-byte scratch buffer but fit a 160-byte
	 * parameter store; 300 fit neither; 40 short ones fill the store. */
	char *v140 = repeat('A', 137), *v300 = repeat('A', 297);
	gchar *p140 = g_strdup_printf(";x=%s", v140), *p300 = g_strdup_printf(";x=%s", v300);
	GString *shortp = g_string_new(NULL);
	for (int i = 0; i < 40; i++)
		g_string_append_printf(shortp, ";p%02d=%d", i, i);
	const char *const junk[] = {p140, p300, shortp->str};
	static const char *const junk_name[] = {"a 140-byte parameter", "a 300-byte parameter",
	                                        "40 short parameters"};
	for (size_t i = 0; i < G_N_ELEMENTS(junk); i++) {
		char what[80];
		snprintf(what, sizeof what, "%s in From", junk_name[i]);
		gchar *from = g_strdup_printf("From: \"Alice Smith\" <sip:2125550100@198.51.100.7>%s;tag=1\r\n",
		                              junk[i]);
		GString *m = invite_with("", from, "", INVITE_END);
		r = extract(what, m->str, m->len, true, &c);
		expect_alice(what, r, &c);
		g_string_free(m, TRUE);
		g_free(from);

		snprintf(what, sizeof what, "privacy=full after %s in RPID", junk_name[i]);
		gchar *rpid = g_strdup_printf("Remote-Party-ID: \"Bob\" <sip:2125550101@198.51.100.7>%s"
		                              ";party=calling;screen=yes;privacy=full\r\n",
		                              junk[i]);
		m = invite_with("", FROM_ALICE, rpid, INVITE_END);
		r = extract(what, m->str, m->len, true, &c);
		expect_result(what, r, SIPCID_EXTRACT_OK);
		if (r == SIPCID_EXTRACT_OK) {
			if (c.presentation != SIPCID_PRES_RESTRICTED)
				fail(what, "presentation is %s, expected restricted",
				     sipcid_call_presentation_name(c.presentation));
			expect_str(what, "name", c.name, "");
		}
		g_string_free(m, TRUE);
		g_free(rpid);

		/* The same long parameters in PAI, Diversion and History-Info. */
		static const char *const forms[] = {
			"P-Asserted-Identity: <sip:2125550102@198.51.100.7>%s\r\n",
			"Diversion: <sip:2125550150@198.51.100.7>%s;reason=unconditional\r\n",
			"History-Info: <sip:2125550150@198.51.100.7>%s;index=1\r\n",
		};
		for (size_t k = 0; k < G_N_ELEMENTS(forms); k++) {
			gchar *h = g_strdup_printf(forms[k], junk[i]);
			m = invite_with("", FROM_ALICE, h, INVITE_END);
			snprintf(what, sizeof what, "%s, header form %zu", junk_name[i], k);
			extract(what, m->str, m->len, true, &c);
			g_string_free(m, TRUE);
			g_free(h);
		}
	}
	g_free(p140);
	g_free(p300);
	g_free(v140);
	g_free(v300);
	g_string_free(shortp, TRUE);
}

/* Deterministic random damage to the real messages: flipped, dropped and
 * duplicated bytes. A small, repeatable fuzzer run inside the test suite;
 * tests/fuzz/ runs the real one. */
static void case_mutations(const char *dir)
{
	GPtrArray *msgs = load_corpus(dir);
	GRand *rng = g_rand_new_with_seed(20240601);
	struct sipcid_call c;
	static const char interesting[] = {'\0', '\r', '\n', ':', ';', ',', '<', '>', '"', '\\',
	                                   '%', '@', ' ', '\t', (char)0xff, (char)0xc3};
	for (int iter = 0; iter < 20000 && msgs->len; iter++) {
		gsize len;
		const char *orig = g_bytes_get_data(msgs->pdata[g_rand_int_range(rng, 0, msgs->len)], &len);
		GByteArray *m = g_byte_array_new();
		g_byte_array_append(m, (const guint8 *)orig, len);
		int edits = g_rand_int_range(rng, 1, 9);
		for (int e = 0; e < edits && m->len > 1; e++) {
			guint pos = g_rand_int_range(rng, 0, m->len);
			switch (g_rand_int_range(rng, 0, 4)) {
			case 0: m->data[pos] = (guint8)g_rand_int_range(rng, 0, 256); break;
			case 1: m->data[pos] = (guint8)interesting[g_rand_int_range(rng, 0, sizeof interesting)]; break;
			case 2: g_byte_array_remove_index(m, pos); break;
			default: { /* duplicate a run of up to 64 bytes in place */
				guint n = g_rand_int_range(rng, 1, MIN(64u, m->len - pos) + 1);
				g_byte_array_set_size(m, m->len + n);
				memmove(m->data + pos + n, m->data + pos, m->len - n - pos);
				break;
			}
			}
		}
		char what[64];
		snprintf(what, sizeof what, "mutation %d", iter);
		extract(what, m->data, m->len, g_rand_boolean(rng), &c);
		g_byte_array_free(m, TRUE);
	}
	g_rand_free(rng);
	g_ptr_array_free(msgs, TRUE);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: hostile_callerid CASE [CORPUS_DIR]\n");
		return 2;
	}
	const char *which = argv[1];
	const char *dir = argc > 2 ? argv[2] : NULL;
	sipcid_callerid_init();
	sipcid_number_plan_default(&plan);

	static const struct {
		const char *name;
		void (*run)(void);
		void (*run_dir)(const char *dir);
	} cases[] = {
		{"plain", case_plain, NULL},
		{"prefixes", NULL, case_prefixes},
		{"empty", case_empty, NULL},
		{"long-headers", case_long_headers, NULL},
		{"nul-bytes", NULL, case_nul_bytes},
		{"invalid-utf8", case_invalid_utf8, NULL},
		{"many-from", case_many_from, NULL},
		{"missing-from", case_missing_from, NULL},
		{"no-colon", case_no_colon, NULL},
		{"content-length", case_content_length, NULL},
		{"odd-shapes", case_odd_shapes, NULL},
		{"long-params", case_long_params, NULL},
		{"mutations", NULL, case_mutations},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (strcmp(which, cases[i].name))
			continue;
		if (cases[i].run_dir) {
			if (!dir) {
				fprintf(stderr, "FAIL %s: needs the corpus directory as its second argument\n", which);
				return 1;
			}
			cases[i].run_dir(dir);
		} else {
			cases[i].run();
		}
		printf("%s: %ld extractions, %d failures\n", which, calls, failures);
		if (calls == 0) {
			fprintf(stderr, "FAIL %s: ran no extraction\n", which);
			return 1;
		}
		return failures ? 1 : 0;
	}
	fprintf(stderr, "hostile_callerid: no case named %s\n", which);
	return 2;
}
