/* SPDX-License-Identifier: GPL-2.0-or-later */
/* STIR/SHAKEN from synthetic INVITEs: every verstat form (user part, URI
 * parameter, tel:, From, P-Asserted-Identity, suffixes, letter case),
 * P-Attestation-Indicator, the Identity header's PASSporT, hostile forms of
 * each, and trust (a stranger's claims count for nothing). */
#include "callerid.h"
#include "number.h"
#include "sip_attest.h"

#include <glib.h>
#include <string.h>

static struct sipcid_number_plan plan;

/* Real-shaped PASSporTs (RFC 8588): header.payload.signature, signed with
 * a throwaway P-256 key that was not kept. Payload:
 * {"attest":"A","dest":{"tn":["12155550131"]},"iat":1443208345,
 *  "orig":{"tn":"12155550121"},"origid":"123e4567-e89b-12d3-a456-426655440000"} */
#define JWS_HEADER                                                                             \
	"eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0" \
	"LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LmNlciJ9"
#define PAYLOAD_TAIL                                                                           \
	"iwiZGVzdCI6eyJ0biI6WyIxMjE1NTU1MDEzMSJdfSwiaWF0IjoxNDQzMjA4MzQ1LCJvcmlnIjp7InRuIjoiMTIx" \
	"NTU1NTAxMjEifSwib3JpZ2lkIjoiMTIzZTQ1NjctZTg5Yi0xMmQzLWE0NTYtNDI2NjU1NDQwMDAwIn0"
static const char jws_a[] =
	JWS_HEADER ".eyJhdHRlc3QiOiJBI" PAYLOAD_TAIL
	".yKtiDOTWLnJMtaEL5YemYiA7xQ9zBQWGx5cAyVXWdqBs6p25L__AcyGRrDp25ePfj-jV1AI2AkmcS58PnffUiw";
static const char jws_b[] =
	JWS_HEADER ".eyJhdHRlc3QiOiJCI" PAYLOAD_TAIL
	".Xm1fHT68WqANerU840x31NHG1xUthG5I4Lfjk6LVBd6Fb3w-SRFHWQJzCANv876mPtotLaGGMoF0N_Pp2qIrcw";
static const char jws_c[] =
	JWS_HEADER ".eyJhdHRlc3QiOiJDI" PAYLOAD_TAIL
	".2C-Yfmn1Vjc0uZvvzHa2-tibhks3wAfvAPMlqF6i-rzLkL8TQNu4nEL0H3wWnh-mqaQr-VxLaRF1XGpQcMH1SQ";
#define IDENTITY_PARAMS ";info=<https://cert.example.org/passport.cer>;alg=ES256;ppt=\"shaken\""

static struct sip_span span(const char *s)
{
	return (struct sip_span){ s, strlen(s) };
}

static char *b64url(const char *json)
{
	g_autofree char *b = g_base64_encode((const guchar *)json, strlen(json));
	for (char *p = b; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	char *eq = strchr(b, '=');
	if (eq)
		*eq = '\0';
	return g_strdup(b);
}

/* An Identity value whose payload is json (any bytes). */
static char *identity_with(const char *json)
{
	g_autofree char *p = b64url(json);
	return g_strdup_printf("%s.%s.c2ln" IDENTITY_PARAMS, JWS_HEADER, p);
}

static char json_attest(const char *json)
{
	return sipcid_sip_attest_json(json, strlen(json));
}

/* ---- the value readers -------------------------------------------------- */

static void test_verstat_forms(void)
{
	struct {
		const char *value;
		enum sipcid_verstat v;
		char attest;
	} cases[] = {
		/* in the user part */
		{ "<sip:+16313841232;verstat=TN-Validation-Passed@msg.pc.t-mobile.com>",
		  SIPCID_VERSTAT_PASSED, 0 },
		/* as a URI parameter, with ;user=phone after it or before it */
		{ "<sip:+18889809750@sip.example.net;verstat=TN-Validation-Passed>",
		  SIPCID_VERSTAT_PASSED, 0 },
		{ "<sip:+18889809750@sip.example.net;user=phone;verstat=TN-Validation-Failed>",
		  SIPCID_VERSTAT_FAILED, 0 },
		{ "\"Bob\" <sip:+18889809750@sip.example.net;verstat=No-TN-Validation;user=phone>",
		  SIPCID_VERSTAT_NO_VALIDATION, 0 },
		/* tel: URIs */
		{ "<tel:+12125550103;verstat=No-TN-Validation>", SIPCID_VERSTAT_NO_VALIDATION, 0 },
		{ "tel:+12125550103;verstat=TN-Validation-Passed", SIPCID_VERSTAT_PASSED, 0 },
		/* vendor suffixes carry the attestation level */
		{ "<sip:+12125550103;verstat=TN-Validation-Passed-A@h>", SIPCID_VERSTAT_PASSED, 'A' },
		{ "<sip:+12125550103@h;verstat=TN-Validation-Passed-B>", SIPCID_VERSTAT_PASSED, 'B' },
		{ "<sip:+12125550103@h;verstat=TN-Validation-Failed-C>", SIPCID_VERSTAT_FAILED, 'C' },
		{ "<sip:+12125550103@h;verstat=tn-validation-passed-c>", SIPCID_VERSTAT_PASSED, 'C' },
		/* any letter case, white space around = */
		{ "<sip:+12125550103@h;VERSTAT=tn-VALIDATION-passed>", SIPCID_VERSTAT_PASSED, 0 },
		{ "<sip:+12125550103@h; verstat = TN-Validation-Passed>", SIPCID_VERSTAT_PASSED, 0 },
		/* the same value twice is still that value */
		{ "<sip:+1212;verstat=TN-Validation-Passed@h;verstat=TN-Validation-Passed>",
		  SIPCID_VERSTAT_PASSED, 0 },
		/* absent, unknown, or not a parameter */
		{ "<sip:+12125550103@h>", SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+12125550103@h;verstat=>", SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+12125550103@h;verstat=Passed>", SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+12125550103@h;verstat=TN-Validation-Passed-D>", SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+12125550103@h;verstat=TN-Validation-PassedX>", SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+12125550103@h;xverstat=TN-Validation-Passed>", SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+12125550103@h;verstat>", SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+12125550103@h;verstat", SIPCID_VERSTAT_NONE, 0 },
		/* hostile: inside the display name's quotes, even with an escaped quote */
		{ "\"x;verstat=TN-Validation-Passed\" <sip:+12125550103@h>", SIPCID_VERSTAT_NONE, 0 },
		{ "\"x\\\";verstat=TN-Validation-Passed\" <sip:+12125550103@h>", SIPCID_VERSTAT_NONE,
		  0 },
		/* two that disagree: no guess */
		{ "<sip:+1212;verstat=TN-Validation-Passed@h;verstat=TN-Validation-Failed>",
		  SIPCID_VERSTAT_NONE, 0 },
		{ "<sip:+1212;verstat=TN-Validation-Passed-A@h;verstat=TN-Validation-Passed-C>",
		  SIPCID_VERSTAT_NONE, 0 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char attest = 0;
		enum sipcid_verstat v = sipcid_sip_attest_verstat(span(cases[i].value), &attest);
		if (v != cases[i].v || attest != cases[i].attest)
			g_error("%s: got %s/%c, expected %s/%c", cases[i].value,
			        sipcid_call_verstat_name(v), attest ? attest : '-',
			        sipcid_call_verstat_name(cases[i].v),
			        cases[i].attest ? cases[i].attest : '-');
	}
	/* a huge value is read to its end, and refused */
	GString *huge = g_string_new("<sip:+12125550103@h;verstat=TN-Validation-Passed");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(huge, 'A');
	g_string_append_c(huge, '>');
	char attest = 0;
	g_assert_cmpint(sipcid_sip_attest_verstat((struct sip_span){ huge->str, huge->len }, &attest),
	                ==, SIPCID_VERSTAT_NONE);
	g_string_free(huge, TRUE);
}

static void test_indicator(void)
{
	g_assert_cmpint(sipcid_sip_attest_indicator(span("A")), ==, 'A');
	g_assert_cmpint(sipcid_sip_attest_indicator(span(" B \r\n")), ==, 'B');
	g_assert_cmpint(sipcid_sip_attest_indicator(span("c")), ==, 'C');
	g_assert_cmpint(sipcid_sip_attest_indicator(span("D")), ==, 0);
	g_assert_cmpint(sipcid_sip_attest_indicator(span("AB")), ==, 0);
	g_assert_cmpint(sipcid_sip_attest_indicator(span("")), ==, 0);
	g_assert_cmpint(sipcid_sip_attest_indicator(span("\"A\"")), ==, 0);
}

static void test_identity_header(void)
{
	g_autofree char *a = g_strconcat(jws_a, IDENTITY_PARAMS, NULL);
	g_assert_cmpint(sipcid_sip_attest_identity(span(a)), ==, 'A');
	g_autofree char *b = g_strconcat(" ", jws_b, " ;info=<https://x.example/c.pem>", NULL);
	g_assert_cmpint(sipcid_sip_attest_identity(span(b)), ==, 'B');
	g_assert_cmpint(sipcid_sip_attest_identity(span(jws_c)), ==, 'C');
	/* RFC 4474's quoted form */
	g_autofree char *q = g_strconcat("\"", jws_a, "\";info=<https://x.example/c.pem>", NULL);
	g_assert_cmpint(sipcid_sip_attest_identity(span(q)), ==, 'A');

	/* compact form: the payload is left out */
	g_assert_cmpint(sipcid_sip_attest_identity(span(JWS_HEADER "..c2ln" IDENTITY_PARAMS)), ==, 0);
	/* not three parts */
	g_assert_cmpint(sipcid_sip_attest_identity(span(JWS_HEADER ".eyJhdHRlc3QiOiJBIn0")), ==, 0);
	g_assert_cmpint(sipcid_sip_attest_identity(span(JWS_HEADER ".eyJhdHRlc3QiOiJBIn0.c2ln.eA.eA")),
	                ==, 0);
	g_assert_cmpint(sipcid_sip_attest_identity(span(".eyJhdHRlc3QiOiJBIn0.c2ln")), ==, 0);
	/* bad base64url: standard alphabet, padding, a stray byte, bad length */
	g_assert_cmpint(sipcid_sip_attest_identity(span(JWS_HEADER ".eyJhdHRlc3QiOiJBIn0=.c2ln")), ==,
	                0);
	g_assert_cmpint(sipcid_sip_attest_identity(span(JWS_HEADER ".eyJhdHRl+3QiOiJBIn0.c2ln")), ==,
	                0);
	g_assert_cmpint(sipcid_sip_attest_identity(span(JWS_HEADER ".eyJhdHRlc3QiOiJBIn0x.c2ln")), ==,
	                0);
	g_assert_cmpint(sipcid_sip_attest_identity(span(JWS_HEADER ".eyJhdHRlc3QiOiJBIn0.c2ln\"")), ==,
	                0);
	/* a payload bigger than the reader takes */
	GString *big = g_string_new("{\"attest\":\"A\",\"x\":\"");
	for (int i = 0; i < 4000; i++)
		g_string_append_c(big, 'x');
	g_string_append(big, "\"}");
	g_autofree char *huge = identity_with(big->str);
	g_assert_cmpint(sipcid_sip_attest_identity(span(huge)), ==, 0);
	g_string_free(big, TRUE);
	/* one that fits is read */
	g_autofree char *small = identity_with("{\"orig\":{\"tn\":\"12155550121\"},\"attest\":\"B\"}");
	g_assert_cmpint(sipcid_sip_attest_identity(span(small)), ==, 'B');
}

static void test_passport_json(void)
{
	g_assert_cmpint(json_attest("{\"attest\":\"A\"}"), ==, 'A');
	g_assert_cmpint(json_attest(" \r\n{ \"attest\" :\t\"C\" , \"iat\":1.5e3 } \n"), ==, 'C');
	g_assert_cmpint(json_attest("{\"dest\":{\"tn\":[\"1\",\"2\"]},\"attest\":\"B\",\"x\":null,"
	                            "\"y\":[true,false,-0.5E-2,{}],\"z\":[]}"),
	                ==, 'B');
	/* an escaped key spells the same name */
	g_assert_cmpint(json_attest("{\"att\\u0065st\":\"A\"}"), ==, 'A');
	/* an attest claim nested deeper is not the PASSporT's */
	g_assert_cmpint(json_attest("{\"orig\":{\"attest\":\"A\"}}"), ==, 0);
	g_assert_cmpint(json_attest("[{\"attest\":\"A\"}]"), ==, 0);
	/* a key that only looks like it */
	g_assert_cmpint(json_attest("{\"Attest\":\"A\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest \":\"A\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"att\\u0000st\":\"A\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\\u00e9\":\"A\"}"), ==, 0);
	/* values that are not A, B or C */
	g_assert_cmpint(json_attest("{\"attest\":\"a\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":\"D\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":\"AB\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":\"\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":1}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":[\"A\"]}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":\"\\u0041\"}"), ==, 'A');
	/* duplicate keys: no guess, whether they agree or not */
	g_assert_cmpint(json_attest("{\"attest\":\"A\",\"attest\":\"C\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":\"A\",\"attest\":\"A\"}"), ==, 0);
	g_assert_cmpint(json_attest("{\"attest\":\"C\",\"att\\u0065st\":\"A\"}"), ==, 0);
	/* nested quotes and escapes inside other values do not end them early */
	g_assert_cmpint(json_attest("{\"x\":\"\\\",\\\"attest\\\":\\\"A\",\"attest\":\"C\"}"), ==,
	                'C');
	g_assert_cmpint(json_attest("{\"x\":\"\\\"attest\\\":\\\"A\\\"\"}"), ==, 0);
	/* not JSON: any of it spoils all of it */
	const char *broken[] = {
		"", "{", "}", "{\"attest\":\"A\"", "{\"attest\":\"A\"}}", "{\"attest\":\"A\"} x",
		"{\"attest\":\"A\",}", "{,\"attest\":\"A\"}", "{\"attest\" \"A\"}", "{attest:\"A\"}",
		"{'attest':'A'}", "{\"attest\":\"A\" \"x\":1}", "{\"attest\":\"A\",\"x\":tru}",
		"{\"attest\":\"A\",\"x\":01x}", "{\"attest\":\"A\",\"x\":-}", "{\"attest\":\"A\",\"x\":1.}",
		"{\"attest\":\"A\",\"x\":\"\\q\"}", "{\"attest\":\"A\",\"x\":\"\\u12\"}",
		"{\"attest\":\"A\",\"x\":\"a\nb\"}", "{\"attest\":\"A\",\"x\":[1,2}",
		"{\"attest\":\"A\",\"x\":\"unterminated}",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(broken); i++)
		if (json_attest(broken[i]))
			g_error("read an attestation from broken JSON: %s", broken[i]);
	/* NUL bytes inside */
	g_assert_cmpint(sipcid_sip_attest_json("{\"attest\":\"A\"}\0", 15), ==, 0);
	g_assert_cmpint(sipcid_sip_attest_json("{\"attest\":\"A\0\"}", 15), ==, 0);
	/* deep nesting is refused, not recursed into without end */
	GString *deep = g_string_new("{\"attest\":\"A\",\"x\":");
	for (int i = 0; i < 10000; i++)
		g_string_append_c(deep, '[');
	for (int i = 0; i < 10000; i++)
		g_string_append_c(deep, ']');
	g_string_append_c(deep, '}');
	g_assert_cmpint(sipcid_sip_attest_json(deep->str, deep->len), ==, 0);
	g_string_free(deep, TRUE);
	/* nesting within the limit is fine */
	g_assert_cmpint(json_attest("{\"x\":[[[[{\"y\":[1]}]]]],\"attest\":\"B\"}"), ==, 'B');
}

/* ---- whole INVITEs ------------------------------------------------------ */

static char *invite(const char *from, const char *extra)
{
	return g_strdup_printf("INVITE sip:+12125551234@ata.example SIP/2.0\r\n"
	                       "Via: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK1\r\n"
	                       "From: %s;tag=1\r\n"
	                       "To: <sip:+12125551234@ata.example>\r\n"
	                       "Call-ID: shaken@203.0.113.1\r\n"
	                       "CSeq: 1 INVITE\r\n"
	                       "%s"
	                       "Content-Length: 0\r\n\r\n",
	                       from, extra ? extra : "");
}

static struct sipcid_call extract(const char *from, const char *extra, bool trusted)
{
	g_autofree char *msg = invite(from, extra);
	struct sipcid_call c;
	memset(&c, 0xa5, sizeof c);  /* the decode stage must set both fields itself */
	size_t len = strlen(msg);
	g_autofree char *exact = g_memdup2(msg, len);
	g_assert_cmpint(sipcid_callerid_extract(&plan, exact, len, trusted, &c, NULL), ==,
	                SIPCID_EXTRACT_OK);
	return c;
}

#define EXPECT(from_, extra_, trusted_, verstat_, attest_)                                      \
	do {                                                                                   \
		struct sipcid_call c_ = extract(from_, extra_, trusted_);                      \
		if (c_.verstat != (verstat_) || c_.attest != (attest_))                        \
			g_error("line %d: got %s/%c, expected %s/%c", __LINE__,                \
			        sipcid_call_verstat_name(c_.verstat), c_.attest ? c_.attest : '-', \
			        sipcid_call_verstat_name(verstat_), (attest_) ? (attest_) : '-');  \
	} while (0)

static void test_invites(void)
{
	const char *from_passed = "<sip:+12125550100;verstat=TN-Validation-Passed@carrier.example>";
	const char *from_plain = "\"Caller\" <sip:+12125550100@carrier.example>";
	/* From only */
	EXPECT(from_passed, NULL, true, SIPCID_VERSTAT_PASSED, 0);
	EXPECT("<sip:+12125550100@carrier.example;verstat=TN-Validation-Failed-C>", NULL, true,
	       SIPCID_VERSTAT_FAILED, 'C');
	/* in P-Asserted-Identity, the header that gives the number */
	EXPECT(from_plain,
	       "P-Asserted-Identity: <sip:+12125550100;verstat=No-TN-Validation@carrier.example>\r\n",
	       true, SIPCID_VERSTAT_NO_VALIDATION, 0);
	EXPECT(from_plain,
	       "P-Asserted-Identity: <tel:+12125550100;verstat=TN-Validation-Passed-A>\r\n", true,
	       SIPCID_VERSTAT_PASSED, 'A');
	/* PAI gives the number, From the verstat, for the same number */
	EXPECT(from_passed, "P-Asserted-Identity: <sip:+12125550100@carrier.example>\r\n", true,
	       SIPCID_VERSTAT_PASSED, 0);
	/* ... but a verstat on another number says nothing of this one */
	EXPECT("<sip:+13135550100;verstat=TN-Validation-Passed@carrier.example>",
	       "P-Asserted-Identity: <sip:+12125550100@carrier.example>\r\n", true,
	       SIPCID_VERSTAT_NONE, 0);
	/* the chosen header's own verstat wins over From's */
	EXPECT(from_passed,
	       "P-Asserted-Identity: <sip:+12125550100;verstat=TN-Validation-Failed@c.example>\r\n",
	       true, SIPCID_VERSTAT_FAILED, 0);
	/* a sip: and a tel: PAI: tel gives the number, the sip: one the verstat */
	EXPECT(from_plain,
	       "P-Asserted-Identity: <sip:+12125550100;verstat=TN-Validation-Passed@c.example>, "
	       "<tel:+12125550100>\r\n",
	       true, SIPCID_VERSTAT_PASSED, 0);
	/* compact From */
	{
		g_autofree char *m = g_strdup_printf(
			"INVITE sip:+12125551234@ata.example SIP/2.0\r\n"
			"v: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK1\r\n"
			"f: <sip:+12125550100;verstat=TN-Validation-Passed@c.example>;tag=1\r\n"
			"t: <sip:+12125551234@ata.example>\r\ni: compact@x\r\nCSeq: 1 INVITE\r\n"
			"y: %s" IDENTITY_PARAMS "\r\nl: 0\r\n\r\n",
			jws_b);
		struct sipcid_call c = { 0 };
		g_assert_cmpint(sipcid_callerid_extract(&plan, m, strlen(m), true, &c, NULL), ==,
		                SIPCID_EXTRACT_OK);
		g_assert_cmpint(c.verstat, ==, SIPCID_VERSTAT_PASSED);
		g_assert_cmpint(c.attest, ==, 'B');
	}

	/* P-Attestation-Indicator, in any letter case of the header name */
	EXPECT(from_passed, "P-Attestation-Indicator: A\r\n", true, SIPCID_VERSTAT_PASSED, 'A');
	EXPECT(from_plain, "p-attestation-indicator:  c \r\n", true, SIPCID_VERSTAT_NONE, 'C');
	EXPECT(from_plain, "P-Attestation-Indicator: A\r\nP-Attestation-Indicator: A\r\n", true,
	       SIPCID_VERSTAT_NONE, 'A');
	EXPECT(from_plain, "P-Attestation-Indicator: A\r\nP-Attestation-Indicator: C\r\n", true,
	       SIPCID_VERSTAT_NONE, 0);
	/* the verstat's own suffix comes first */
	EXPECT("<sip:+12125550100@carrier.example;verstat=TN-Validation-Passed-B>",
	       "P-Attestation-Indicator: A\r\n", true, SIPCID_VERSTAT_PASSED, 'B');

	/* Identity */
	g_autofree char *id_a = g_strdup_printf("Identity: %s" IDENTITY_PARAMS "\r\n", jws_a);
	g_autofree char *id_c = g_strdup_printf("Identity: %s" IDENTITY_PARAMS "\r\n", jws_c);
	g_autofree char *id_ac = g_strconcat(id_a, id_c, NULL);
	g_autofree char *id_aa = g_strconcat(id_a, id_a, NULL);
	g_autofree char *ind_b_id_a = g_strconcat("P-Attestation-Indicator: B\r\n", id_a, NULL);
	EXPECT(from_passed, id_a, true, SIPCID_VERSTAT_PASSED, 'A');
	EXPECT(from_plain, id_c, true, SIPCID_VERSTAT_NONE, 'C');
	EXPECT(from_plain, id_aa, true, SIPCID_VERSTAT_NONE, 'A');
	EXPECT(from_plain, id_ac, true, SIPCID_VERSTAT_NONE, 0);
	EXPECT(from_plain, ind_b_id_a, true, SIPCID_VERSTAT_NONE, 'B');
	/* folded over two lines */
	g_autofree char *folded = g_strdup_printf("Identity: %s\r\n " IDENTITY_PARAMS "\r\n", jws_a);
	EXPECT(from_plain, folded, true, SIPCID_VERSTAT_NONE, 'A');
	/* hostile Identity values */
	EXPECT(from_plain, "Identity: !!!.###.$$$\r\n", true, SIPCID_VERSTAT_NONE, 0);
	EXPECT(from_plain, "Identity: \r\n", true, SIPCID_VERSTAT_NONE, 0);
	g_autofree char *dup = identity_with("{\"attest\":\"A\",\"attest\":\"C\"}");
	g_autofree char *dup_line = g_strdup_printf("Identity: %s\r\n", dup);
	EXPECT(from_plain, dup_line, true, SIPCID_VERSTAT_NONE, 0);

	/* Trust: from a stranger, none of it counts */
	EXPECT(from_passed, NULL, false, SIPCID_VERSTAT_NONE, 0);
	EXPECT(from_plain,
	       "P-Asserted-Identity: <sip:+12125550100;verstat=TN-Validation-Passed@c.example>\r\n",
	       false, SIPCID_VERSTAT_NONE, 0);
	EXPECT(from_plain, "P-Attestation-Indicator: A\r\n", false, SIPCID_VERSTAT_NONE, 0);
	EXPECT(from_plain, id_a, false, SIPCID_VERSTAT_NONE, 0);
	/* the number as read is unchanged by the verstat */
	struct sipcid_call c = extract(from_passed, NULL, true);
	g_assert_cmpstr(c.number, ==, "+12125550100");
	g_assert_cmpstr(c.number_raw, ==, "+12125550100");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	sipcid_number_plan_preset("nanp", &plan);
	g_test_add_func("/attest/verstat-forms", test_verstat_forms);
	g_test_add_func("/attest/indicator", test_indicator);
	g_test_add_func("/attest/identity-header", test_identity_header);
	g_test_add_func("/attest/passport-json", test_passport_json);
	g_test_add_func("/attest/invites", test_invites);
	return g_test_run();
}
