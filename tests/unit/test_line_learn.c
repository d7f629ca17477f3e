/* Learning the line (line_learn.h) and what the packet path does with it:
 * direction, trust in P-Asserted-Identity, the ghost-call shield, and
 * emergency calls that no rule can stop. */
#include "line_learn.h"
#include "pipeline.h"
#include "rules.h"
#include "settings.h"
#include "sip_scan.h"

#include <arpa/inet.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { PORT_PROVIDER = 2, PORT_ATA = 3 };
#define ATA "192.168.1.2"
#define REGISTRAR "203.0.113.10"
#define T0 ((int64_t)1000000000000)

static struct sipcid_settings *defaults;

static struct sipcid_endpoint ep(const char *addr)
{
	struct sipcid_endpoint e = { .port = 5060 };
	e.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	g_assert_cmpint(inet_pton(e.family, addr, e.addr), ==, 1);
	return e;
}

static struct sipcid_packet packet(const char *text, const char *src, const char *dst,
                                   uint32_t ifindex, int64_t t)
{
	struct sipcid_packet p = { 0 };
	p.time_us = t;
	p.transport = SIPCID_TRANSPORT_UDP;
	p.src = ep(src);
	p.dst = ep(dst);
	p.ingress_ifindex = ifindex;
	p.payload = (const uint8_t *)text;
	p.payload_len = strlen(text);
	return p;
}

static char *reg(const char *ata, const char *registrar, const char *contact)
{
	return g_strdup_printf("REGISTER sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bKr\r\n"
	                       "From: <sip:2001@%s>;tag=r\r\nTo: <sip:2001@%s>\r\nCall-ID: reg@ata\r\n"
	                       "CSeq: 2 REGISTER\r\nContact: <sip:2001@%s:5060>;expires=3600\r\n"
	                       "Content-Length: 0\r\n\r\n",
	                       registrar, ata, registrar, registrar, contact);
}

static char *response(int status, const char *cseq)
{
	return g_strdup_printf("SIP/2.0 %d Whatever\r\nVia: SIP/2.0/UDP " ATA ":5060;branch=z9hG4bKr\r\n"
	                       "From: <sip:2001@x>;tag=r\r\nTo: <sip:2001@x>;tag=s\r\n"
	                       "Call-ID: any@ata\r\nCSeq: %s\r\nContent-Length: 0\r\n\r\n",
	                       status, cseq);
}

/* Feeds a response to the learner as the pipeline does: scanned for its CSeq. */
static void learn_response(struct sipcid_line_learn *l, int status, const char *cseq,
                           const char *src, const char *dst, uint32_t ifindex, int64_t t)
{
	g_autofree char *m = response(status, cseq);
	struct sipcid_packet p = packet(m, src, dst, ifindex, t);
	struct sip_scan scan;
	g_assert_true(sip_scan(m, strlen(m), &scan));
	sipcid_line_learn_response(l, &p, &scan);
}

static void learn_register(struct sipcid_line_learn *l, const char *ata, const char *registrar,
                           const char *contact, uint32_t ifindex, int64_t t)
{
	g_autofree char *m = reg(ata, registrar, contact);
	struct sipcid_packet p = packet(m, ata, registrar, ifindex, t);
	sipcid_line_learn_register(l, &p, m, strlen(m));
}

static bool from_ata(const struct sipcid_line_learn *l, const char *src, uint32_t ifindex,
                     int64_t t)
{
	struct sipcid_packet p = packet("", src, REGISTRAR, ifindex, t);
	return sipcid_line_learn_from_ata(l, &p);
}

static bool provider(const struct sipcid_line_learn *l, const char *src, int64_t t)
{
	struct sipcid_endpoint e = ep(src);
	return sipcid_line_learn_is_provider(l, &e, t);
}

static void test_register_and_200(void)
{
	struct sipcid_line_learn l;
	sipcid_line_learn_init(&l);
	learn_register(&l, ATA, REGISTRAR, "192.168.1.50", PORT_ATA, T0);
	/* nothing is believed before the registrar says 2xx */
	g_assert_false(sipcid_line_learn_knows_provider(&l, T0));
	g_assert_false(from_ata(&l, ATA, 0, T0));
	learn_response(&l, 401, "1 REGISTER", REGISTRAR, ATA, PORT_PROVIDER, T0 + 1000);
	g_assert_false(sipcid_line_learn_knows_provider(&l, T0));
	/* a 200 from anyone else, or to anyone else, teaches nothing */
	learn_response(&l, 200, "2 REGISTER", "198.51.100.9", ATA, PORT_PROVIDER, T0 + 2000);
	learn_response(&l, 200, "2 REGISTER", REGISTRAR, "192.168.1.77", PORT_PROVIDER, T0 + 2000);
	g_assert_false(sipcid_line_learn_knows_provider(&l, T0 + 2000));
	/* the 200 to a REGISTER from the registrar to the ATA */
	learn_response(&l, 200, "2 REGISTER", REGISTRAR, ATA, PORT_PROVIDER, T0 + 3000);
	g_assert_true(sipcid_line_learn_knows_provider(&l, T0 + 3000));
	g_assert_cmpuint(l.ata_ifindex, ==, PORT_ATA);
	g_assert_cmpuint(l.registrations, ==, 1);

	/* the ATA: by bridge port when the packet has one, else by address (--read),
	 * its Contact host included */
	g_assert_true(from_ata(&l, ATA, PORT_ATA, T0));
	g_assert_true(from_ata(&l, "10.9.9.9", PORT_ATA, T0));
	g_assert_false(from_ata(&l, ATA, PORT_PROVIDER, T0));
	g_assert_true(from_ata(&l, ATA, 0, T0));
	g_assert_true(from_ata(&l, "192.168.1.50", 0, T0));
	g_assert_false(from_ata(&l, REGISTRAR, 0, T0));
	g_assert_false(from_ata(&l, "192.168.1.3", 0, T0));

	/* the provider: the registrar and its /24, never the ATA, never elsewhere */
	g_assert_true(provider(&l, REGISTRAR, T0));
	g_assert_true(provider(&l, "203.0.113.200", T0));
	g_assert_false(provider(&l, "203.0.114.10", T0));
	g_assert_false(provider(&l, "198.51.100.9", T0));
	g_assert_false(provider(&l, ATA, T0));
	g_assert_false(provider(&l, "2001:db8::10", T0));

	/* it expires unless the ATA registers again */
	int64_t later = T0 + 3000 + SIPCID_LINE_LEARN_LIFETIME_US;
	g_assert_false(sipcid_line_learn_knows_provider(&l, later));
	g_assert_false(provider(&l, REGISTRAR, later));
	learn_register(&l, ATA, REGISTRAR, ATA, PORT_ATA, later);
	learn_response(&l, 200, "3 REGISTER", REGISTRAR, ATA, PORT_PROVIDER, later + 1000);
	g_assert_true(provider(&l, REGISTRAR, later + 1000));

	GString *out = g_string_new(NULL);
	sipcid_line_learn_format(&l, later + 1000, out);
	g_assert_nonnull(strstr(out->str, "line-registrars:       " REGISTRAR ":5060"));
	g_assert_nonnull(strstr(out->str, "line-ata-port:         3"));
	g_string_free(out, TRUE);
}

/* Both ends on one bridge port is no line: a stranger's REGISTER toward the
 * ATA, answered from that side, teaches nothing. */
static void test_same_port_is_no_line(void)
{
	struct sipcid_line_learn l;
	sipcid_line_learn_init(&l);
	learn_register(&l, "198.51.100.9", ATA, "198.51.100.9", PORT_PROVIDER, T0);
	learn_response(&l, 200, "2 REGISTER", ATA, "198.51.100.9", PORT_PROVIDER, T0 + 1000);
	g_assert_false(sipcid_line_learn_knows_provider(&l, T0 + 1000));
	/* and a 200 that comes too late is no answer */
	learn_register(&l, ATA, REGISTRAR, ATA, PORT_ATA, T0);
	learn_response(&l, 200, "2 REGISTER", REGISTRAR, ATA, PORT_PROVIDER,
	               T0 + SIPCID_LINE_LEARN_PENDING_US + 1);
	g_assert_false(sipcid_line_learn_knows_provider(&l, T0 + SIPCID_LINE_LEARN_PENDING_US + 1));
}

static void test_dialog_peer_and_bounds(void)
{
	struct sipcid_line_learn l;
	sipcid_line_learn_init(&l);
	struct sipcid_packet inv = packet("", ATA, "198.51.100.20", PORT_ATA, T0);
	sipcid_line_learn_invite_out(&l, &inv);
	learn_response(&l, 180, "1 INVITE", "198.51.100.20", ATA, PORT_PROVIDER, T0 + 1000);
	g_assert_false(provider(&l, "198.51.100.20", T0 + 1000));
	learn_response(&l, 200, "1 INVITE", "198.51.100.20", ATA, PORT_PROVIDER, T0 + 2000);
	g_assert_true(provider(&l, "198.51.100.20", T0 + 2000));
	g_assert_false(provider(&l, "198.51.100.21", T0 + 2000));  /* a peer is one address */

	/* a flood of REGISTERs to 200 registrars keeps the tables at their size */
	for (int i = 0; i < 200; i++) {
		g_autofree char *r = g_strdup_printf("203.0.%d.1", i);
		learn_register(&l, ATA, r, ATA, PORT_ATA, T0 + i);
		learn_response(&l, 200, "1 REGISTER", r, ATA, PORT_PROVIDER, T0 + i + 1);
	}
	g_assert_cmpuint(l.registrations, ==, 200);
	g_assert_true(provider(&l, "203.0.199.1", T0 + 300));
	g_assert_false(provider(&l, "203.0.0.1", T0 + 300));  /* the oldest made room */
}

/* Every byte is hostile: every prefix of REGISTERs with odd Contact and Via
 * values is read without going past its end (ASan checks the exact-size
 * copies), and names only literal addresses. */
static void test_hostile_register(void)
{
	static const char *const contacts[] = {
		"<sip:2001@[2001:db8::5]:5070;transport=udp>", "sip:2001@192.168.1.9",
		"<sips:x@[2001:db8::", "\"a\" <sip:@>", "<sip:a@b@192.168.1.8:99999999999>",
		"<sip:a@host.example>", "*", "<sip:", "sip",
	};
	for (size_t c = 0; c < G_N_ELEMENTS(contacts); c++) {
		g_autofree char *m = g_strdup_printf(
			"REGISTER sip:r SIP/2.0\r\nv: SIP/2.0/UDP [fe80::1]:5060;branch=z\r\n"
			"m:%s\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n\r\n", contacts[c]);
		size_t len = strlen(m);
		for (size_t n = 0; n <= len; n++) {
			struct sipcid_line_learn l;
			sipcid_line_learn_init(&l);
			char *copy = g_memdup2(m, n ? n : 1);
			struct sipcid_packet p = packet("", ATA, REGISTRAR, PORT_ATA, T0);
			sipcid_line_learn_register(&l, &p, copy, n);
			g_free(copy);
			learn_response(&l, 200, "1 REGISTER", REGISTRAR, ATA, PORT_PROVIDER, T0 + 1);
			g_assert_true(from_ata(&l, ATA, 0, T0));
			g_assert_false(from_ata(&l, "192.0.2.1", 0, T0));
		}
	}
	/* the whole message's Contact and compact Via name the ATA's other addresses */
	struct sipcid_line_learn l;
	sipcid_line_learn_init(&l);
	const char *m = "REGISTER sip:r SIP/2.0\r\nv: SIP/2.0/UDP [2001:db8::7]:5060;branch=z\r\n"
	                "m: <sip:2001@192.168.1.9:5062>\r\n\r\n";
	struct sipcid_packet p = packet(m, ATA, REGISTRAR, 0, T0);
	sipcid_line_learn_register(&l, &p, m, strlen(m));
	learn_response(&l, 200, "1 REGISTER", REGISTRAR, ATA, 0, T0 + 1);
	g_assert_true(from_ata(&l, "192.168.1.9", 0, T0));
	g_assert_true(from_ata(&l, "2001:db8::7", 0, T0));
}

/* ---- the packet path ---- */

static char *invite(const char *call_id, const char *from, const char *ruri_user,
                    const char *extra)
{
	return g_strdup_printf("INVITE sip:%s@example.net SIP/2.0\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK%s\r\n"
	                       "From: %s;tag=f\r\nTo: <sip:%s@example.net>\r\nCall-ID: %s\r\n"
	                       "CSeq: 1 INVITE\r\n%sContent-Length: 0\r\n\r\n",
	                       ruri_user, call_id, from, ruri_user, call_id, extra);
}

static int send_invite(struct sipcid_pipeline *pl, const char *call_id, const char *from,
                       const char *called, const char *extra, const char *src, uint32_t ifindex,
                       struct sipcid_call *event)
{
	g_autofree char *m = invite(call_id, from, called, extra);
	struct sipcid_packet p = packet(m, src, strcmp(src, ATA) ? ATA : REGISTRAR, ifindex, T0 + 5000);
	int v = sipcid_pipeline_handle(pl, &p);
	struct sipcid_call c;
	int n = 0;
	while (sipcid_pipeline_next_event(pl, &c))
		if (c.kind == SIPCID_EVENT_CALL && !strcmp(c.call_id, call_id)) {
			n++;
			if (event)
				*event = c;
		}
	g_assert_cmpint(n, ==, 1);
	return v;
}

/* The ATA registers through the pipeline (REGISTER, then its 200). */
static void register_line(struct sipcid_pipeline *pl)
{
	g_autofree char *r = reg(ATA, REGISTRAR, ATA);
	struct sipcid_packet p = packet(r, ATA, REGISTRAR, PORT_ATA, T0);
	g_assert_cmpint(sipcid_pipeline_handle(pl, &p), ==, SIPCID_VERDICT_ACCEPT);
	g_autofree char *ok = response(200, "2 REGISTER");
	p = packet(ok, REGISTRAR, ATA, PORT_PROVIDER, T0 + 1000);
	g_assert_cmpint(sipcid_pipeline_handle(pl, &p), ==, SIPCID_VERDICT_ACCEPT);
}

static struct sipcid_pipeline *pipeline_with(const struct sipcid_settings *s, const char *rules,
                                             const char *phonebook)
{
	struct sipcid_pipeline *pl = sipcid_pipeline_new(s);
	GError *error = NULL;
	struct sipcid_rules *r =
		sipcid_rules_load_data("rules", rules, "phonebook", phonebook, &s->numbers, &error);
	g_assert_no_error(error);
	sipcid_pipeline_set_rules(pl, r);
	sipcid_rules_unref(r);
	return pl;
}

#define ALICE "\"Alice\" <sip:+15551234567@example.net>"
#define ANON "\"Anonymous\" <sip:anonymous@anonymous.invalid>"

static void test_outgoing_never_blocked(void)
{
	struct sipcid_pipeline *pl =
		pipeline_with(defaults, "record direction outgoing called +15559876543\nblock *\n",
		              "+15559876543 Mom\n");
	struct sipcid_call c;
	/* Before the line is known an INVITE from the ATA counts as incoming. */
	g_assert_cmpint(send_invite(pl, "early", "<sip:2001@x>", "5550001111", "", ATA, PORT_ATA, &c),
	                ==, SIPCID_VERDICT_DROP);
	g_assert_cmpint(c.direction, ==, SIPCID_DIR_INCOMING);
	register_line(pl);
	g_assert_cmpint(send_invite(pl, "mom", "<sip:2001@x>", "5559876543", "", ATA, PORT_ATA, &c),
	                ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(c.direction, ==, SIPCID_DIR_OUTGOING);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_cmpstr(c.alias, ==, "Mom");  /* the phonebook names whom the phone called */
	g_assert_true(c.record);              /* the rule said direction outgoing */
	g_assert_cmpint(send_invite(pl, "other", "<sip:2001@x>", "5550001111", "", ATA, PORT_ATA, &c),
	                ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_false(c.record);
	g_assert_cmpstr(c.rule, ==, "");
	/* the provider's calls are still judged */
	g_assert_cmpint(send_invite(pl, "in", ALICE, "2001", "", REGISTRAR, PORT_PROVIDER, &c), ==,
	                SIPCID_VERDICT_DROP);
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.outgoing_calls, ==, 2);
	sipcid_pipeline_free(pl);
}

/* No rule of any kind blocks a call to an emergency number, withheld caller
 * ID or not, whatever the direction is taken to be. */
static void test_emergency_never_blocked(void)
{
	static const struct {
		const char *rule;
		bool blocks_plain;  /* it blocks the same call to an ordinary number */
	} rules[] = {
		{ "block *\n", true },
		{ "block number anonymous\n", true },
		{ "block presentation restricted\n", true },
		{ "block presentation anonymous\n", true },
		{ "block called 911\n", false },
		{ "block called /^9/\n", false },
		{ "block called 9*\n", false },
		{ "block name *\n", true },
		{ "block name /.*/\n", true },
		{ "block via *\n", true },
		{ "block source unknown\n", true },
		{ "block direction incoming\n", true },
		{ "block number anonymous called ?11 presentation restricted\n", false },
		{ "norecord *\nblock *\n", false },
	};
	static const char *const numbers[] = { "911", "112", "999", "000", "933", "08", "110" };
	for (size_t i = 0; i < G_N_ELEMENTS(rules); i++) {
		struct sipcid_pipeline *pl = pipeline_with(defaults, rules[i].rule, NULL);
		for (size_t k = 0; k < G_N_ELEMENTS(numbers); k++) {
			g_autofree char *id = g_strdup_printf("sos-%zu-%zu", i, k);
			struct sipcid_call c;
			int v = send_invite(pl, id, ANON, numbers[k], "Privacy: id\r\n", "198.51.100.66",
			                    0, &c);
			if (v != SIPCID_VERDICT_ACCEPT)
				g_error("rule '%s' blocked a call to %s", rules[i].rule, numbers[k]);
			g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
			g_assert_cmpint(c.presentation, ==, SIPCID_PRES_RESTRICTED);
		}
		/* the same rule still blocks the same call to an ordinary number */
		struct sipcid_call c;
		int v = send_invite(pl, "plain", ANON, "5550001111", "Privacy: id\r\n", "198.51.100.66",
		                    0, &c);
		if (v != (rules[i].blocks_plain ? SIPCID_VERDICT_DROP : SIPCID_VERDICT_ACCEPT))
			g_error("rule '%s' gave the wrong verdict for an ordinary call", rules[i].rule);
		sipcid_pipeline_free(pl);
	}
	/* RFC 5031: urn:service:sos, and a number the configuration adds */
	struct sipcid_pipeline *pl = pipeline_with(defaults, "block *\n", NULL);
	g_autofree char *m = g_strdup_printf(
		"INVITE urn:service:sos.police SIP/2.0\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKu\r\n"
		"From: " ANON ";tag=f\r\nTo: <urn:service:sos.police>\r\nCall-ID: urn\r\n"
		"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
	struct sipcid_packet p = packet(m, ATA, REGISTRAR, 0, T0);
	g_assert_cmpint(sipcid_pipeline_handle(pl, &p), ==, SIPCID_VERDICT_ACCEPT);
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.emergency_calls, ==, 1);
	g_assert_cmpuint(st.emergency_overrides, ==, 1);
	sipcid_pipeline_free(pl);
}

static struct sipcid_settings *settings_from(const char *text)
{
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("sipcid-learn-XXXXXX.conf", &path, NULL);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, text, strlen(text)), ==, (ssize_t)strlen(text));
	close(fd);
	GError *error = NULL;
	struct sipcid_settings *s = sipcid_settings_load(path, &error);
	g_assert_no_error(error);
	g_unlink(path);
	return s;
}

static void test_configured_emergency_and_phone_side(void)
{
	struct sipcid_settings *s = settings_from(
		"[numbers]\nemergency = 5550199\n[callerid]\nphone-side = 192.168.1.0/24\n");
	struct sipcid_pipeline *pl = pipeline_with(s, "block *\n", NULL);
	struct sipcid_call c;
	g_assert_cmpint(send_invite(pl, "poison", ANON, "5550199", "", "198.51.100.66", 0, &c), ==,
	                SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(send_invite(pl, "x", ANON, "5550198", "", "198.51.100.66", 0, &c), ==,
	                SIPCID_VERDICT_DROP);
	/* phone-side decides direction without any learning */
	g_assert_cmpint(send_invite(pl, "out", "<sip:2001@x>", "5550198", "", "192.168.1.9", 0, &c), ==,
	                SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(c.direction, ==, SIPCID_DIR_OUTGOING);
	sipcid_pipeline_free(pl);
	sipcid_settings_free(s);

	GError *error = NULL;
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp("sipcid-learn-XXXXXX.conf", &path, NULL);
	const char *bad = "[numbers]\nemergency = 911, police\n";
	g_assert_cmpint(write(fd, bad, strlen(bad)), ==, (ssize_t)strlen(bad));
	close(fd);
	g_assert_null(sipcid_settings_load(path, &error));
	g_assert_nonnull(strstr(error->message, ":2"));
	g_assert_nonnull(strstr(error->message, "'police' is not a phone number"));
	g_error_free(error);
	g_unlink(path);
}

/* PAI counts only from the provider: learned, or listed in trusted-sources. */
static void test_pai_trusted_only_from_provider(void)
{
	struct sipcid_pipeline *pl = pipeline_with(defaults, "block number anonymous\n", NULL);
	const char *pai = "P-Asserted-Identity: <sip:+15557654321@example.net>\r\n";
	struct sipcid_call c;
	/* a public address that is not the provider: From counts, not PAI */
	send_invite(pl, "p1", ALICE, "2001", pai, "198.51.100.66", PORT_PROVIDER, &c);
	g_assert_cmpint(c.source, ==, SIPCID_SRC_FROM);
	g_assert_cmpstr(c.number, ==, "+15551234567");
	/* an anonymous caller who adds a PAI stays anonymous, and blocked */
	g_assert_cmpint(send_invite(pl, "p2", ANON, "2001", pai, "198.51.100.66", PORT_PROVIDER, &c),
	                ==, SIPCID_VERDICT_DROP);
	register_line(pl);
	send_invite(pl, "p3", ALICE, "2001", pai, REGISTRAR, PORT_PROVIDER, &c);
	g_assert_cmpint(c.source, ==, SIPCID_SRC_PAI);
	g_assert_cmpstr(c.number, ==, "+15557654321");
	send_invite(pl, "p4", ALICE, "2001", pai, "198.51.100.66", PORT_PROVIDER, &c);
	g_assert_cmpint(c.source, ==, SIPCID_SRC_FROM);
	sipcid_pipeline_free(pl);

	/* trusted-sources lists the provider; public stays a choice */
	struct sipcid_settings *s = settings_from("[callerid]\ntrusted-sources = public\n");
	pl = pipeline_with(s, NULL, NULL);
	send_invite(pl, "p5", ALICE, "2001", pai, "198.51.100.66", PORT_PROVIDER, &c);
	g_assert_cmpint(c.source, ==, SIPCID_SRC_PAI);
	sipcid_pipeline_free(pl);
	sipcid_settings_free(s);
}

/* block source stranger: silent until the line is known, then every INVITE
 * that is not the provider's. */
static void test_ghost_call_shield(void)
{
	struct sipcid_pipeline *pl = pipeline_with(defaults, "block source stranger\n", NULL);
	struct sipcid_call c;
	g_assert_cmpint(send_invite(pl, "g0", "<sip:100@198.51.100.66>", "2001", "", "198.51.100.66",
	                            PORT_PROVIDER, &c), ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(c.origin, ==, SIPCID_ORIGIN_UNKNOWN);
	register_line(pl);
	g_assert_cmpint(send_invite(pl, "g1", "<sip:100@198.51.100.66>", "2001", "", "198.51.100.66",
	                            PORT_PROVIDER, &c), ==, SIPCID_VERDICT_DROP);
	g_assert_cmpint(c.origin, ==, SIPCID_ORIGIN_STRANGER);
	g_assert_cmpint(send_invite(pl, "p1", ALICE, "2001", "", REGISTRAR, PORT_PROVIDER, &c), ==,
	                SIPCID_VERDICT_ACCEPT);
	/* a stranger that writes 911 in From is still a stranger (docs/callerid.md)... */
	g_assert_cmpint(send_invite(pl, "g2", "<sip:911@198.51.100.66>", "2001", "", "198.51.100.66",
	                            PORT_PROVIDER, &c), ==, SIPCID_VERDICT_DROP);
	g_assert_false(c.emergency);
	/* ...while the provider's PSAP callback rings */
	g_assert_cmpint(send_invite(pl, "p0", "<sip:911@203.0.113.10>", "2001", "", REGISTRAR,
	                            PORT_PROVIDER, &c), ==, SIPCID_VERDICT_ACCEPT);
	g_assert_true(c.emergency);
	/* the provider's second address, next to its registrar */
	g_assert_cmpint(send_invite(pl, "p2", ALICE, "2001", "", "203.0.113.77", PORT_PROVIDER, &c),
	                ==, SIPCID_VERDICT_ACCEPT);
	g_assert_cmpint(c.origin, ==, SIPCID_ORIGIN_PROVIDER);
	struct sipcid_pipeline_stats st;
	sipcid_pipeline_get_stats(pl, &st);
	g_assert_cmpuint(st.stranger_blocks, ==, 2);
	g_assert_cmpuint(st.line.registrations, ==, 1);
	sipcid_pipeline_free(pl);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	defaults = sipcid_settings_load(NULL, NULL);
	g_test_add_func("/line-learn/register-and-200", test_register_and_200);
	g_test_add_func("/line-learn/same-port-is-no-line", test_same_port_is_no_line);
	g_test_add_func("/line-learn/dialog-peer-and-bounds", test_dialog_peer_and_bounds);
	g_test_add_func("/line-learn/hostile-register", test_hostile_register);
	g_test_add_func("/line-learn/outgoing-never-blocked", test_outgoing_never_blocked);
	g_test_add_func("/line-learn/emergency-never-blocked", test_emergency_never_blocked);
	g_test_add_func("/line-learn/configured-emergency-phone-side",
	                test_configured_emergency_and_phone_side);
	g_test_add_func("/line-learn/pai-only-from-provider", test_pai_trusted_only_from_provider);
	g_test_add_func("/line-learn/ghost-call-shield", test_ghost_call_shield);
	int rc = g_test_run();
	sipcid_settings_free(defaults);
	return rc;
}
