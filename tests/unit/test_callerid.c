/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Caller-ID rules on synthetic INVITEs: trust order, every anonymous form,
 * Privacy, Remote-Party-ID parameters, tel: URIs, forwarding, text cleaning. */
#include "callerid.h"
#include "number.h"

#include <glib.h>
#include <string.h>

static struct sipcid_number_plan plan;

/* Builds an INVITE with the given extra header lines (each ending in \r\n). */
static char *invite(const char *from, const char *extra)
{
	return g_strdup_printf("INVITE sip:+15550001111@ata.example SIP/2.0\r\n"
	                       "Via: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK1\r\n"
	                       "From: %s;tag=1\r\n"
	                       "To: <sip:+15550001111@ata.example>\r\n"
	                       "Call-ID: test-call@203.0.113.1\r\n"
	                       "CSeq: 1 INVITE\r\n"
	                       "%s"
	                       "Content-Length: 0\r\n\r\n",
	                       from, extra ? extra : "");
}

static struct sipcid_call extract(const char *msg, bool trusted)
{
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	size_t len = strlen(msg);
	char *exact = g_memdup2(msg, len);  /* no NUL: reads must stay inside */
	g_assert_cmpint(sipcid_callerid_extract(&plan, exact, len, trusted, &c, NULL), ==,
	                SIPCID_EXTRACT_OK);
	g_free(exact);
	return c;
}

#define CHECK(from_, extra_, trusted_, number_, name_, pres_, source_)                  \
	do {                                                                               \
		g_autofree char *m_ = invite(from_, extra_);                               \
		struct sipcid_call c_ = extract(m_, trusted_);                             \
		g_assert_cmpstr(c_.number, ==, number_);                                   \
		g_assert_cmpstr(c_.name, ==, name_);                                       \
		g_assert_cmpstr(sipcid_call_presentation_name(c_.presentation), ==, pres_);     \
		g_assert_cmpstr(sipcid_call_source_name(c_.source), ==, source_);               \
	} while (0)

static void test_from_only(void)
{
	CHECK("\"Alice Example\" <sip:+15551234567@provider.example>", NULL, true, "+15551234567",
	      "Alice Example", "allowed", "from");
	/* unquoted token display name, 10 NANP digits */
	CHECK("Bob Smith <sip:5551234567@provider.example>", NULL, false, "+15551234567", "Bob Smith",
	      "allowed", "from");
	/* addr-spec without brackets: parameters belong to the header (§20.10) */
	CHECK("sip:5551234567@provider.example", NULL, false, "+15551234567", "", "allowed", "from");
	/* user parameters are cut off: ;verstat=, ;npdi */
	CHECK("<sip:+15551234567;verstat=TN-Validation-Passed@provider.example;user=phone>", NULL, false,
	      "+15551234567", "", "allowed", "from");
}

static void test_pai_trust(void)
{
	const char *pai = "P-Asserted-Identity: \"Network Name\" <sip:+15559876543@carrier.example>\r\n";
	/* trusted: PAI wins over From */
	CHECK("\"Spoofed\" <sip:+15551112222@x.example>", pai, true, "+15559876543", "Network Name",
	      "allowed", "pai");
	/* untrusted: PAI is ignored entirely */
	CHECK("\"Spoofed\" <sip:+15551112222@x.example>", pai, false, "+15551112222", "Spoofed",
	      "allowed", "from");
	/* PAI without display: the name comes from From, the number from PAI */
	CHECK("\"Carrier CNAM\" <sip:+15551112222@x.example>",
	      "P-Asserted-Identity: <sip:+15559876543@carrier.example>\r\n", true, "+15559876543",
	      "Carrier CNAM", "allowed", "pai");
	/* two PAI values, sip and tel: tel gives the number */
	CHECK("<sip:anonymous@anonymous.invalid>",
	      "P-Asserted-Identity: <sip:5550000000@carrier.example>, <tel:+1-555-987-6543>\r\n", true,
	      "+15559876543", "", "allowed", "pai");
	/* two PAI header lines */
	CHECK("<sip:anonymous@anonymous.invalid>",
	      "P-Asserted-Identity: <sip:5550000000@carrier.example>\r\n"
	      "P-Asserted-Identity: <tel:+15559876543>\r\n",
	      true, "+15559876543", "", "allowed", "pai");
}

static void test_privacy(void)
{
	const char *pai = "P-Asserted-Identity: <sip:+15559876543@carrier.example>\r\n";
	g_autofree char *id = g_strconcat(pai, "Privacy: id\r\n", NULL);
	CHECK("\"Anonymous\" <sip:anonymous@anonymous.invalid>", id, true, "", "", "restricted", "none");
	g_autofree char *both = g_strconcat(pai, "Privacy: user;id;critical\r\n", NULL);
	CHECK("\"Anonymous\" <sip:anonymous@anonymous.invalid>", both, true, "", "", "restricted", "none");
	g_autofree char *hdr = g_strconcat(pai, "Privacy: header\r\n", NULL);
	CHECK("\"Alice\" <sip:+15551234567@x.example>", hdr, true, "", "", "restricted", "none");
	g_autofree char *none = g_strconcat(pai, "Privacy: none\r\n", NULL);
	CHECK("\"Anonymous\" <sip:anonymous@anonymous.invalid>", none, true, "+15559876543", "",
	      "allowed", "pai");
}

static void test_anonymous_forms(void)
{
	CHECK("\"Anonymous\" <sip:anonymous@anonymous.invalid>", NULL, false, "", "", "restricted", "none");
	CHECK("<sip:anonymous@example.com>", NULL, false, "", "", "restricted", "none");
	CHECK("<sip:ANONYMOUS@example.com>", NULL, false, "", "", "restricted", "none");
	CHECK("<sip:user@anonymous.invalid>", NULL, false, "", "", "restricted", "none");
	CHECK("\"Restricted\" <sip:restricted@carrier.example>", NULL, false, "", "", "restricted", "none");
	CHECK("\"Private\" <sip:private@carrier.example>", NULL, false, "", "", "restricted", "none");
	CHECK("\"Withheld\" <sip:withheld@carrier.example>", NULL, false, "", "", "restricted", "none");
	CHECK("\"Unavailable\" <sip:unavailable@carrier.example>", NULL, false, "", "", "unavailable", "none");
	CHECK("<sip:unavailable@hostportion>", NULL, false, "", "", "unavailable", "none");
	CHECK("\"Unknown\" <sip:unknown@carrier.example>", NULL, false, "", "", "unavailable", "none");
	CHECK("\"Out of area\" <sip:out-of-area@carrier.example>", NULL, false, "", "", "unavailable", "none");
	CHECK("<sip:200.57.7.195:55061;user=phone>", NULL, false, "", "", "unavailable", "none");
	/* an anonymous display name with a real number: the name is withheld, the number shown */
	CHECK("\"Anonymous\" <sip:+15551234567@carrier.example>", NULL, false, "+15551234567", "",
	      "allowed", "from");
	/* a withheld display with an empty user: restricted, not unavailable */
	CHECK("\"Anonymous\" <sip:carrier.example>", NULL, false, "", "", "restricted", "none");
}

static void test_rpid(void)
{
	const char *from = "\"From Name\" <sip:+15551112222@x.example>";
	CHECK(from, "Remote-Party-ID: \"RPID Name\" <sip:+15553334444@gw.example>;party=calling;screen=yes;privacy=off\r\n",
	      true, "+15553334444", "RPID Name", "allowed", "rpid");
	CHECK(from, "Remote-Party-ID: <sip:+15553334444@gw.example>;party=calling;privacy=full\r\n", true, "",
	      "", "restricted", "none");
	CHECK(from, "Remote-Party-ID: \"RPID Name\" <sip:+15553334444@gw.example>;party=calling;privacy=name\r\n",
	      true, "+15553334444", "", "allowed", "rpid");
	CHECK(from, "Remote-Party-ID: \"RPID Name\" <sip:+15553334444@gw.example>;party=calling;privacy=uri\r\n",
	      true, "", "", "restricted", "none");
	/* party=called describes the called party: ignored */
	CHECK(from, "Remote-Party-ID: <sip:+15553334444@gw.example>;party=called\r\n", true, "+15551112222",
	      "From Name", "allowed", "from");
	/* screen=no: the caller's own unverified claim ranks below From */
	CHECK(from, "Remote-Party-ID: <sip:+15553334444@gw.example>;party=calling;screen=no\r\n", true,
	      "+15551112222", "From Name", "allowed", "from");
	/* untrusted: ignored, privacy included */
	CHECK(from, "Remote-Party-ID: <sip:+15553334444@gw.example>;party=calling;privacy=full\r\n", false,
	      "+15551112222", "From Name", "allowed", "from");
	/* PAI outranks RPID */
	CHECK(from, "Remote-Party-ID: <sip:+15553334444@gw.example>;party=calling\r\n"
	            "P-Asserted-Identity: <sip:+15559876543@carrier.example>\r\n",
	      true, "+15559876543", "From Name", "allowed", "pai");
}

static void test_ppi_last_resort(void)
{
	CHECK("<sip:anonymous@anonymous.invalid>",
	      "P-Preferred-Identity: <sip:+15557778888@phone.example>\r\n", false, "+15557778888", "",
	      "allowed", "ppi");
	CHECK("<sip:+15551112222@x.example>", "P-Preferred-Identity: <sip:+15557778888@phone.example>\r\n",
	      false, "+15551112222", "", "allowed", "from");
}

static void test_tel_and_escapes(void)
{
	CHECK("<tel:+1-555-123-4567>", NULL, false, "+15551234567", "", "allowed", "from");
	CHECK("<tel:555.123.4567;phone-context=example.com>", NULL, false, "+15551234567", "",
	      "allowed", "from");
	CHECK("<sip:%2B1%20555%201234567@x.example>", NULL, false, "+15551234567", "", "allowed", "from");
	CHECK("\"J Rosenberg \\\\\\\"\" <sip:+15551234567@x.example>", NULL, false, "+15551234567",
	      "J Rosenberg \\\"", "allowed", "from");
	/* an escaped NUL makes the user unusable: unavailable, never a truncated number */
	CHECK("<sip:555%0012@x.example>", NULL, false, "", "", "unavailable", "none");
	/* 011 is NANP's international prefix */
	CHECK("<sip:011442071234567@x.example>", NULL, false, "+442071234567", "", "allowed", "from");
}

static void test_text_cleaning(void)
{
	/* invalid UTF-8 is replaced, control characters and bidi overrides dropped */
	CHECK("\"Bad\xff\xfe Name\" <sip:+15551234567@x.example>", NULL, false, "+15551234567",
	      "Bad\xef\xbf\xbd\xef\xbf\xbd Name", "allowed", "from");
	CHECK("\"Evil\x1b[31m\" <sip:+15551234567@x.example>", NULL, false, "+15551234567", "Evil[31m",
	      "allowed", "from");
	CHECK("\"\xe2\x80\xae" "gnp.exe\" <sip:+15551234567@x.example>", NULL, false, "+15551234567",
	      "gnp.exe", "allowed", "from");
	CHECK("\"Zo\xc3\xab M\xc3\xbcller\" <sip:+15551234567@x.example>", NULL, false, "+15551234567",
	      "Zo\xc3\xab M\xc3\xbcller", "allowed", "from");
}

static void test_compact_and_called_via(void)
{
	const char *msg = "\r\n\r\nINVITE sip:bob@10.0.0.2 SIP/2.0\r\n"
	                  "v: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK1\r\n"
	                  "f: \"Carol\"\r\n <sip:+15551230000@x.example>;tag=9\r\n"
	                  "t: <sip:2125550199@ata.example>\r\n"
	                  "i: compact@x\r\n"
	                  "CSeq: 1 INVITE\r\n"
	                  "Diversion: <sip:+12125550100@carrier.example>;reason=unconditional\r\n"
	                  "l: 0\r\n\r\n";
	struct sipcid_call c = extract(msg, false);
	g_assert_cmpstr(c.call_id, ==, "compact@x");
	g_assert_cmpstr(c.name, ==, "Carol");
	g_assert_cmpstr(c.number, ==, "+15551230000");
	g_assert_cmpstr(c.called, ==, "+12125550199");
	g_assert_cmpstr(c.via, ==, "+12125550100");

	const char *hi = "INVITE sip:bob@10.0.0.2 SIP/2.0\r\n"
	                 "From: <sip:+15551230000@x.example>;tag=9\r\n"
	                 "To: <sip:bob@10.0.0.2>\r\n"
	                 "Call-ID: hi@x\r\nCSeq: 1 INVITE\r\n"
	                 "History-Info: <sip:+12125550100@carrier.example>;index=1,"
	                 " <sip:+13125550111@carrier.example;cause=302>;index=1.1\r\n"
	                 "History-Info: <sip:bob@10.0.0.2>;index=1.1.1\r\n\r\n";
	c = extract(hi, false);
	g_assert_cmpstr(c.via, ==, "+13125550111");
	g_assert_cmpstr(c.called, ==, "bob");
}

static void test_classification(void)
{
	struct sipcid_call c;
	const char *reinv = "INVITE sip:a@b SIP/2.0\r\nFrom: <sip:1@x>;tag=1\r\nTo: <sip:2@y>;tag=2\r\n"
	                    "Call-ID: r\r\nCSeq: 2 INVITE\r\n\r\n";
	g_assert_cmpint(sipcid_callerid_extract(&plan, reinv, strlen(reinv), false, &c, NULL), ==,
	                SIPCID_EXTRACT_IN_DIALOG);
	const char *resp = "SIP/2.0 200 OK\r\nFrom: <sip:1@x>;tag=1\r\nTo: <sip:2@y>\r\n"
	                   "Call-ID: r\r\nCSeq: 1 INVITE\r\n\r\n";
	g_assert_cmpint(sipcid_callerid_extract(&plan, resp, strlen(resp), false, &c, NULL), ==,
	                SIPCID_EXTRACT_NOT_INVITE);
	/* a To tag hidden in a quoted display name or inside <> is not a tag */
	const char *fake = "INVITE sip:a@b SIP/2.0\r\nFrom: <sip:1@x>;tag=1\r\n"
	                   "To: \"x;tag=y\" <sip:2@y;tag=z>\r\nCall-ID: f\r\nCSeq: 1 INVITE\r\n\r\n";
	g_assert_cmpint(sipcid_callerid_extract(&plan, fake, strlen(fake), false, &c, NULL), ==,
	                SIPCID_EXTRACT_OK);
	const char *junk = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
	g_assert_cmpint(sipcid_callerid_extract(&plan, junk, 11, false, &c, NULL), ==,
	                SIPCID_EXTRACT_UNREADABLE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	sipcid_number_plan_default(&plan);
	g_test_add_func("/callerid/from", test_from_only);
	g_test_add_func("/callerid/pai-trust", test_pai_trust);
	g_test_add_func("/callerid/privacy", test_privacy);
	g_test_add_func("/callerid/anonymous", test_anonymous_forms);
	g_test_add_func("/callerid/rpid", test_rpid);
	g_test_add_func("/callerid/ppi", test_ppi_last_resort);
	g_test_add_func("/callerid/tel-escapes", test_tel_and_escapes);
	g_test_add_func("/callerid/text", test_text_cleaning);
	g_test_add_func("/callerid/compact-called-via", test_compact_and_called_via);
	g_test_add_func("/callerid/classification", test_classification);
	return g_test_run();
}
