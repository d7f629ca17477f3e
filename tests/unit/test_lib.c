/* Number plans, configuration errors, text cleaning and source trust. */
#include "config.h"
#include "number.h"
#include "text.h"
#include "trust.h"

#include <arpa/inet.h>
#include <glib.h>
#include <string.h>

static char *norm(const char *plan_name, const char *raw)
{
	struct sipcid_number_plan plan;
	g_assert_true(sipcid_number_plan_preset(plan_name, &plan));
	char out[64];
	sipcid_number_normalise(&plan, raw, out, sizeof out);
	return g_strdup(out);
}

#define NORM(plan, raw, want)                               \
	do {                                                \
		g_autofree char *got_ = norm(plan, raw);    \
		g_assert_cmpstr(got_, ==, want);            \
	} while (0)

static void test_number_plans(void)
{
	NORM("nanp", "5551234567", "+15551234567");
	NORM("nanp", "15551234567", "+15551234567");
	NORM("nanp", "+15551234567", "+15551234567");
	NORM("nanp", "(555) 123-4567", "+15551234567");
	NORM("nanp", "011442071234567", "+442071234567");
	NORM("nanp", "1234567", "1234567");          /* 7-digit local: unchanged */
	NORM("nanp", "101", "101");                  /* extension */
	NORM("nanp", "1555123456", "1555123456");    /* 1 + 9 digits is not NANP */
	NORM("nanp", "alice", "alice");              /* not a number: text unchanged */
	NORM("nanp", "+1234567890123456", "+1234567890123456");  /* >15 digits: not E.164, kept */
	NORM("uk", "02071234567", "+442071234567");
	NORM("uk", "00442071234567", "+442071234567");
	NORM("it", "0612345678", "+390612345678");   /* Italy keeps the leading 0 */
	NORM("it", "3331234567", "+393331234567");
	NORM("de", "030123456", "+4930123456");
	NORM("none", "5551234567", "5551234567");
	NORM("none", "+1 555 123 4567", "+15551234567");
}

static struct sipcid_config *cfg_from(const char *text, GError **err)
{
	return sipcid_config_load_data("test.conf", text, err);
}

static void expect_config_error(const char *text, const char *want_substring)
{
	GError *err = NULL;
	struct sipcid_config *cfg = cfg_from(text, &err);
	if (cfg) {
		struct sipcid_number_plan plan;
		bool ok = sipcid_number_plan_load(cfg, &plan, &err);
		sipcid_config_free(cfg);
		g_assert_false(ok);
	}
	g_assert_nonnull(err);
	if (!strstr(err->message, want_substring))
		g_error("error '%s' lacks '%s'", err->message, want_substring);
	g_error_free(err);
}

static void test_config_errors(void)
{
	expect_config_error("[numbers]\nplan = mars\n", "test.conf:2: [numbers] plan: unknown plan 'mars'");
	expect_config_error("# c\n[numbers]\n\nnational-digits = ten\n", "test.conf:4:");
	expect_config_error("[numbers]\ncountry-code = 1a\n", "test.conf:2: [numbers] country-code");
	expect_config_error("[numbers]\nplann = nanp\n", "test.conf:2: [numbers] plann: unknown key");
	expect_config_error("[numbers]\njust words\n", "test.conf:2: expected 'key = value'");
	expect_config_error("plan = nanp\n", "test.conf:1: a key must come after a [group]");
	expect_config_error("[numbers]\nplan = nanp\nplan = uk\n", "test.conf:3: plan is already set on line 2");
	expect_config_error("[numbers\n", "test.conf:1: expected a group name");
	expect_config_error("[numbers]\nplan = \xff\xfe\n", "test.conf:2: the line is not valid UTF-8");

	GError *err = NULL;
	struct sipcid_config *cfg = cfg_from("[numbers]\nplan = custom\ncountry-code = 52\n"
	                                     "international-prefix = 00\ntrunk-prefix = 01\n"
	                                     "national-digits = 10\n", &err);
	g_assert_no_error(err);
	struct sipcid_number_plan plan;
	g_assert_true(sipcid_number_plan_load(cfg, &plan, &err));
	g_assert_no_error(err);
	char out[64];
	sipcid_number_normalise(&plan, "5514540002", out, sizeof out);
	g_assert_cmpstr(out, ==, "+525514540002");
	sipcid_config_free(cfg);

	g_assert_null(sipcid_config_load("/nonexistent/sipcid.conf", &err));
	g_assert_nonnull(strstr(err->message, "/nonexistent/sipcid.conf"));
	g_clear_error(&err);
}

static void test_text(void)
{
	char out[16];
	/* truncation never splits a character */
	sipcid_text_clean("abcdefghijklm\xc3\xa9z", 16, out, 15);
	g_assert_true(g_utf8_validate(out, -1, NULL));
	g_assert_cmpstr(out, ==, "abcdefghijklm");
	sipcid_text_clean("  a\t\r\n b  ", 10, out, sizeof out);
	g_assert_cmpstr(out, ==, "a b");
	sipcid_text_clean("a\0b", 3, out, sizeof out);
	g_assert_cmpstr(out, ==, "ab");
	sipcid_display_name("\"q\\\"uote\"", 9, out, sizeof out);
	g_assert_cmpstr(out, ==, "q\"uote");
	sipcid_display_name("\"unterminated", 13, out, sizeof out);
	g_assert_cmpstr(out, ==, "unterminated");
	g_assert_false(sipcid_percent_decode("a%00b", 5, out, sizeof out));
	g_assert_true(sipcid_percent_decode("a%2Bb%zz%4", 10, out, sizeof out));
	g_assert_cmpstr(out, ==, "a+b%zz%4");
}

static bool trusted(const struct sipcid_trust *t, const char *addr)
{
	uint8_t a[16];
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	g_assert_cmpint(inet_pton(family, addr, a), ==, 1);
	return sipcid_trust_allows(t, family, a);
}

static void test_trust(void)
{
	struct sipcid_trust t;
	/* By default nobody: the provider is learned from the line (line_learn.h). */
	sipcid_trust_default(&t);
	g_assert_false(trusted(&t, "203.0.113.5"));
	g_assert_false(trusted(&t, "2001:db8::1"));
	g_assert_false(trusted(&t, "192.168.1.10"));
	/* "public" is an explicit choice: every address that is not private */
	GError *perr = NULL;
	struct sipcid_config *pcfg =
		sipcid_config_load_data("p.conf", "[callerid]\ntrusted-sources = public\n", &perr);
	g_assert_true(sipcid_trust_load(pcfg, "callerid", "trusted-sources", &t, &perr));
	sipcid_config_free(pcfg);
	g_assert_true(trusted(&t, "203.0.113.5"));
	g_assert_false(trusted(&t, "192.168.1.10"));
	g_assert_false(trusted(&t, "10.77.0.1"));
	g_assert_false(trusted(&t, "fe80::1"));
	g_assert_false(trusted(&t, "::ffff:192.168.1.1"));
	g_assert_true(trusted(&t, "2001:db8::1"));

	GError *err = NULL;
	struct sipcid_config *cfg = sipcid_config_load_data(
		"t.conf", "[callerid]\ntrusted-sources = 10.77.0.0/24, 2001:db8:1::/48\n", &err);
	g_assert_true(sipcid_trust_load(cfg, "callerid", "trusted-sources", &t, &err));
	g_assert_true(trusted(&t, "10.77.0.1"));
	g_assert_false(trusted(&t, "10.77.1.1"));
	g_assert_false(trusted(&t, "203.0.113.5"));  /* a list replaces the default */
	g_assert_true(trusted(&t, "2001:db8:1::9"));
	sipcid_config_free(cfg);

	cfg = sipcid_config_load_data("t.conf", "[callerid]\n\ntrusted-sources = 10.0.0.0/33\n", &err);
	g_assert_false(sipcid_trust_load(cfg, "callerid", "trusted-sources", &t, &err));
	g_assert_nonnull(strstr(err->message, "t.conf:3:"));
	g_clear_error(&err);
	sipcid_config_free(cfg);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/lib/number-plans", test_number_plans);
	g_test_add_func("/lib/config-errors", test_config_errors);
	g_test_add_func("/lib/text", test_text);
	g_test_add_func("/lib/trust", test_trust);
	return g_test_run();
}
