/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NCID lines of calls, field by field, and [ncid]'s settings. Runs with
 * TZ=UTC (meson.build): NCID's times are local. */
#include "ncid_line.h"
#include "ncid_settings.h"

#include <glib.h>
#include <string.h>

/* 2026-03-04 09:35:59 UTC */
#define T0 INT64_C(1772616959000000)

static struct sipcid_ncid_settings settings(void)
{
	struct sipcid_ncid_settings s;
	struct sipcid_config *cfg = sipcid_config_load_data("test.conf", "", NULL);
	g_assert_true(sipcid_ncid_settings_load(cfg, &s, NULL));
	sipcid_config_free(cfg);
	return s;
}

static struct sipcid_call call(const char *number, const char *name)
{
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	c.time_us = T0;
	g_strlcpy(c.number, number, sizeof c.number);
	g_strlcpy(c.number_raw, number, sizeof c.number_raw);
	g_strlcpy(c.name, name, sizeof c.name);
	return c;
}

static char *event_lines(const struct sipcid_ncid_settings *s, const struct sipcid_call *c)
{
	GString *out = g_string_new(NULL);
	sipcid_ncid_line_event(out, s, c);
	return g_string_free(out, FALSE);
}

static void test_ringing(void)
{
	struct sipcid_ncid_settings s = settings();
	struct sipcid_call c = call("+15551234567", "JOHN DOE");
	g_autofree char *l = event_lines(&s, &c);
	g_assert_cmpstr(l, ==,
	                "CIDINFO: *LINE*VOIP*RING*1*TIME*09:35:59*\r\n"
	                "CID: *DATE*03042026*TIME*0935*LINE*VOIP*NMBR*+15551234567*MESG*NONE*"
	                "NAME*JOHN DOE*\r\n");
}

/* JOHN DOE's call, updated to state after ring_ms and talk_ms. */
static struct sipcid_call update(enum sipcid_state state, int64_t ring_ms, int64_t talk_ms)
{
	struct sipcid_call c = call("+15551234567", "JOHN DOE");
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = state;
	c.ring_ms = ring_ms;
	c.talk_ms = talk_ms;
	return c;
}

static void test_answered_and_ended(void)
{
	struct sipcid_ncid_settings s = settings();
	struct sipcid_call c = update(SIPCID_STATE_ANSWERED, 5000, 0);
	g_autofree char *a = event_lines(&s, &c);
	g_assert_cmpstr(a, ==, "CIDINFO: *LINE*VOIP*RING*0*TIME*09:36:04*\r\n");
	c = update(SIPCID_STATE_ENDED, 5000, 61000);
	g_autofree char *e = event_lines(&s, &c);
	g_assert_cmpstr(e, ==,
	                "CIDINFO: *LINE*VOIP*RING*-2*TIME*09:37:05*\r\n"
	                "END: *HTYPE*BYE*DATE*03042026*TIME*0935*SCALL*03/04/2026 09:35:59*"
	                "ECALL*03/04/2026 09:37:05*CTYPE*IN*LINE*VOIP*NMBR*+15551234567*"
	                "NAME*JOHN DOE*\r\n");
}

static void test_missed(void)
{
	struct sipcid_ncid_settings s = settings();
	struct sipcid_call c = update(SIPCID_STATE_MISSED, 12000, 0);
	g_autofree char *l = event_lines(&s, &c);
	g_assert_true(g_str_has_prefix(l, "CIDINFO: *LINE*VOIP*RING*-1*TIME*09:36:11*\r\nEND: "
	                                  "*HTYPE*CANCEL*"));
	g_assert_nonnull(strstr(l, "*ECALL*03/04/2026 09:36:11*"));
}

static void test_blocked(void)
{
	struct sipcid_ncid_settings s = settings();
	struct sipcid_call c = call("+15550001111", "SPAM");
	c.action = SIPCID_ACTION_BLOCK;
	c.state = SIPCID_STATE_BLOCKED;
	c.outcome = SIPCID_OUTCOME_DROP;
	g_autofree char *l = event_lines(&s, &c);
	/* Only BLK: the phone never rang and sipcid sees no end of the call. */
	g_assert_cmpstr(l, ==,
	                "BLK: *DATE*03042026*TIME*0935*LINE*VOIP*NMBR*+15550001111*MESG*NONE*"
	                "NAME*SPAM*\r\n");
	GString *log = g_string_new(NULL);
	sipcid_ncid_line_logged(log, &s, &c);
	g_assert_true(g_str_has_prefix(log->str, "BLKLOG: *DATE*"));
	g_assert_null(strstr(log->str, "ENDLOG"));
	g_string_free(log, TRUE);

	/* Answered with a reject, it is a HUP: (hung up at once), alone too. */
	const enum sipcid_outcome rejects[] = { SIPCID_OUTCOME_BUSY, SIPCID_OUTCOME_DECLINE,
		                                SIPCID_OUTCOME_GONE };
	for (size_t i = 0; i < G_N_ELEMENTS(rejects); i++) {
		c.outcome = rejects[i];
		g_autofree char *h = event_lines(&s, &c);
		g_assert_cmpstr(h, ==,
		                "HUP: *DATE*03042026*TIME*0935*LINE*VOIP*NMBR*+15550001111*MESG*NONE*"
		                "NAME*SPAM*\r\n");
		log = g_string_new(NULL);
		sipcid_ncid_line_logged(log, &s, &c);
		g_assert_true(g_str_has_prefix(log->str, "HUPLOG: *DATE*"));
		g_assert_null(strstr(log->str, "ENDLOG"));
		g_string_free(log, TRUE);
	}
	/* A blocked call from an older log, outcome unknown: BLK: as before. */
	c.outcome = SIPCID_OUTCOME_NONE;
	c.state = SIPCID_STATE_MISSED;
	g_autofree char *old = event_lines(&s, &c);
	g_assert_true(g_str_has_prefix(old, "BLK: *"));
}

static void test_log_lines(void)
{
	struct sipcid_ncid_settings s = settings();
	struct sipcid_call c = call("101", "");
	c.state = SIPCID_STATE_ENDED;
	c.ring_ms = 1000;
	c.talk_ms = 2000;
	GString *log = g_string_new(NULL);
	sipcid_ncid_line_logged(log, &s, &c);
	g_assert_cmpstr(log->str, ==,
	                "CIDLOG: *DATE*03042026*TIME*0935*LINE*VOIP*NMBR*101*MESG*NONE*"
	                "NAME*NO NAME*\r\n"
	                "ENDLOG: *HTYPE*BYE*DATE*03042026*TIME*0935*SCALL*03/04/2026 09:35:59*"
	                "ECALL*03/04/2026 09:36:02*CTYPE*IN*LINE*VOIP*NMBR*101*NAME*NO NAME*\r\n");
	g_string_free(log, TRUE);
}

static void test_special_values(void)
{
	struct sipcid_ncid_settings s = settings();
	struct sipcid_call c = call("", "");
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_autofree char *p = event_lines(&s, &c);
	g_assert_nonnull(strstr(p, "*NMBR*PRIVATE*"));
	g_assert_nonnull(strstr(p, "*NAME*PRIVATE*"));
	c.presentation = SIPCID_PRES_UNAVAILABLE;
	g_autofree char *o = event_lines(&s, &c);
	g_assert_nonnull(strstr(o, "*NMBR*OUT-OF-AREA*"));
	g_assert_nonnull(strstr(o, "*NAME*OUT-OF-AREA*"));
	/* A withheld number the network still sent stays private. */
	c = call("+15551234567", "");
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_autofree char *w = event_lines(&s, &c);
	g_assert_nonnull(strstr(w, "*NMBR*PRIVATE*"));
	g_assert_null(strstr(w, "5551234567"));
	c = call("anonymous", "Anonymous");
	c.presentation = SIPCID_PRES_RESTRICTED;
	g_autofree char *a = event_lines(&s, &c);
	g_assert_nonnull(strstr(a, "*NMBR*ANONYMOUS*"));
	c = call("", "");
	g_autofree char *none = event_lines(&s, &c);
	g_assert_nonnull(strstr(none, "*NMBR*NO-NUMBER*"));
	g_assert_nonnull(strstr(none, "*NAME*NO NAME*"));
	/* The phonebook's alias is NCID's alias: it replaces the name. */
	c = call("+15551234567", "ALICE SMITH");
	g_strlcpy(c.alias, "Aunt Alice", sizeof c.alias);
	g_autofree char *al = event_lines(&s, &c);
	g_assert_nonnull(strstr(al, "*NAME*Aunt Alice*"));
}

/* Counts the '*' of the CID: line and checks each label is where a parser
 * expects it, whatever the caller sent. */
static void test_hostile_text(void)
{
	struct sipcid_ncid_settings s = settings();
	struct sipcid_call c = call("*67*555", "EVIL*NMBR*666*NAME*x");
	/* lib/call.h promises no control characters; the line holds even so. */
	g_strlcpy(c.alias, "Bad\r\nCID: *NMBR*1*\x7f", sizeof c.alias);
	g_autofree char *l = event_lines(&s, &c);
	g_auto(GStrv) lines = g_strsplit(l, "\r\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 3);   /* two lines and the empty rest */
	g_assert_cmpstr(lines[2], ==, "");
	g_assert_nonnull(strstr(lines[1], "*NMBR*_67_555*"));
	g_assert_nonnull(strstr(lines[1], "*NAME*Bad  CID: _NMBR_1_ *"));
	g_assert_null(strchr(l, '\x7f'));
	g_assert_null(strchr(lines[1], '\n'));
	/* 6 pairs, 13 stars */
	unsigned stars = 0;
	for (const char *p = lines[1]; *p; p++)
		stars += *p == '*';
	g_assert_cmpuint(stars, ==, 13);
}

static void test_name_limit(void)
{
	struct sipcid_ncid_settings s = settings();
	/* 60 characters, each two bytes: the limit counts characters. */
	GString *name = g_string_new(NULL);
	for (int i = 0; i < 60; i++)
		g_string_append(name, "\xc3\xa9");
	struct sipcid_call c = call("+15551234567", name->str);
	g_autofree char *l = event_lines(&s, &c);
	const char *n = strstr(l, "*NAME*") + 6;
	const char *end = strchr(n, '*');
	g_assert_cmpint(g_utf8_strlen(n, end - n), ==, SIPCID_NCID_NAME_MAX_CHARS);
	g_assert_true(g_utf8_validate(n, end - n, NULL));
	g_string_free(name, TRUE);
}

static struct sipcid_ncid_settings load(const char *text, GError **error)
{
	struct sipcid_ncid_settings s;
	memset(&s, 0, sizeof s);
	struct sipcid_config *cfg = sipcid_config_load_data("test.conf", text, NULL);
	g_assert_nonnull(cfg);
	bool ok = sipcid_ncid_settings_load(cfg, &s, error);
	sipcid_config_free(cfg);
	if (!ok)
		s.max_clients = -1;
	return s;
}

static void test_settings(void)
{
	GError *e = NULL;
	struct sipcid_ncid_settings s = load("", NULL);
	g_assert_false(s.enabled);
	g_assert_cmpstr(s.line, ==, "VOIP");
	g_assert_cmpstr(s.country, ==, "US");
	g_assert_false(s.day_first);
	g_assert_cmpint(s.max_clients, ==, 16);
	g_assert_cmpint(s.log_calls, ==, 100);
	s = load("[ncid]\nlisten = 192.168.1.2\n", NULL);
	g_assert_true(s.enabled);
	g_assert_cmpstr(s.listen_host, ==, "192.168.1.2");
	g_assert_cmpuint(s.listen_port, ==, 3333);
	s = load("[ncid]\nlisten = [::]:4444\ncountry = de\nline = HOME\n", NULL);
	g_assert_cmpstr(s.listen_host, ==, "::");
	g_assert_cmpuint(s.listen_port, ==, 4444);
	g_assert_cmpstr(s.country, ==, "DE");
	g_assert_true(s.day_first);
	g_assert_cmpstr(s.line, ==, "HOME");
	s = load("[ncid]\nlisten = 10.0.0.1:3333\ncountry = DE\ndate-order = mmdd\n", NULL);
	g_assert_false(s.day_first);

	struct sipcid_call c = call("+4930123456", "X");
	s = load("[ncid]\ncountry = GB\n", NULL);
	g_autofree char *l = event_lines(&s, &c);
	g_assert_nonnull(strstr(l, "*DATE*04032026*"));

	/* Each mistake names the file, line, group and key. */
	static const struct {
		const char *text, *error;
	} bad[] = {
		{ "[ncid]\nlisten = phone.example:3333\n",
		  "test.conf:2: [ncid] listen: expected ADDRESS:PORT" },
		{ "[ncid]\nline = A*B\n", "test.conf:2: [ncid] line:" },
		{ "[ncid]\ncountry = USA\n", "test.conf:2: [ncid] country:" },
		{ "[ncid]\nallow = 10.0.0.0/8, nonsense\n", "test.conf:2: [ncid] allow:" },
		{ "[ncid]\nmax-clients = 0\n", "test.conf:2: [ncid] max-clients" },
		{ "[ncid]\nlisen = 1.2.3.4\n", "test.conf:2: [ncid] lisen" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		s = load(bad[i].text, &e);
		g_assert_cmpint(s.max_clients, ==, -1);
		g_assert_nonnull(e);
		g_assert_nonnull(strstr(e->message, bad[i].error));
		g_clear_error(&e);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ncid/ringing", test_ringing);
	g_test_add_func("/ncid/answered-and-ended", test_answered_and_ended);
	g_test_add_func("/ncid/missed", test_missed);
	g_test_add_func("/ncid/blocked", test_blocked);
	g_test_add_func("/ncid/log-lines", test_log_lines);
	g_test_add_func("/ncid/special-values", test_special_values);
	g_test_add_func("/ncid/hostile-text", test_hostile_text);
	g_test_add_func("/ncid/name-limit", test_name_limit);
	g_test_add_func("/ncid/settings", test_settings);
	return g_test_run();
}
