/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Numbers of many countries through libphonenumber (lib/phonenumber.h) and
 * the allocation-free normaliser it configures (lib/number.h): national,
 * international and dialled-with-IDD forms; display, country, type and
 * region; [numbers] country; hostile input. */
#include "config.h"
#include "number.h"
#include "phonenumber.h"

#include <glib.h>
#include <string.h>

static void expect_norm(const char *country, const char *raw, const char *want)
{
	struct sipcid_number_plan plan;
	g_assert_true(sipcid_number_plan_preset(country, &plan));
	char out[SIPCID_NUMBER_MAX];
	sipcid_number_normalise(&plan, raw, out, sizeof out);
	if (strcmp(out, want))
		g_error("%s: '%s' normalised to '%s', expected '%s'", country, raw, out, want);
}

/* Each country: a fixed line and a mobile as dialled at home, the same as
 * sent in E.164, and a foreign number dialled with the country's
 * international prefix. */
static void test_normalise_countries(void)
{
	expect_norm("US", "(212) 555-0123", "+12125550123");
	expect_norm("US", "1 212 555 0123", "+12125550123");
	expect_norm("US", "011 44 20 7946 0000", "+442079460000");
	expect_norm("CA", "613-555-0123", "+16135550123");
	expect_norm("CA", "011 33 1 42 68 53 00", "+33142685300");
	expect_norm("GB", "020 7946 0000", "+442079460000");
	expect_norm("GB", "07400 123456", "+447400123456");
	expect_norm("GB", "00 1 212 555 0123", "+12125550123");
	expect_norm("DE", "030 1234567", "+49301234567");
	expect_norm("DE", "0151 12345678", "+4915112345678");
	expect_norm("DE", "00 44 20 7946 0000", "+442079460000");
	expect_norm("FR", "01 42 68 53 00", "+33142685300");
	expect_norm("FR", "06 12 34 56 78", "+33612345678");
	expect_norm("IT", "06 1234 5678", "+390612345678");   /* Italy keeps its 0 */
	expect_norm("IT", "333 123 4567", "+393331234567");
	expect_norm("IT", "0049 30 1234567", "+49301234567");
	expect_norm("AU", "02 9876 5432", "+61298765432");
	expect_norm("AU", "0412 345 678", "+61412345678");
	expect_norm("AU", "0011 44 20 7946 0000", "+442079460000");
	expect_norm("NL", "020 123 4567", "+31201234567");
	expect_norm("NL", "06 12345678", "+31612345678");
	expect_norm("IN", "022 2345 6789", "+912223456789");
	expect_norm("IN", "098765 43210", "+919876543210");
	expect_norm("IN", "00 1 212 555 0123", "+12125550123");
	expect_norm("BR", "(11) 91234-5678", "+5511912345678");
	expect_norm("BR", "011 91234 5678", "+5511912345678");
	/* Brazil dials abroad with 00 and a carrier's code */
	expect_norm("BR", "0021 44 20 7946 0000", "+442079460000");
	expect_norm("BR", "0014 1 212 555 0123", "+12125550123");
	expect_norm("JP", "03-1234-5678", "+81312345678");
	expect_norm("JP", "090-1234-5678", "+819012345678");
	expect_norm("JP", "010 44 20 7946 0000", "+442079460000");
	expect_norm("RU", "8 916 123-45-67", "+79161234567");  /* trunk prefix 8 */
	expect_norm("RU", "8 10 44 20 7946 0000", "+442079460000");
	expect_norm("JP", "+44 20 7946 0000", "+442079460000");
	/* the contract: what is not a national number stays as it is */
	expect_norm("DE", "101", "101");
	expect_norm("GB", "999", "999");
	expect_norm("IN", "112", "112");
	expect_norm("US", "1234567", "1234567");       /* 7-digit local number */
	expect_norm("AU", "12345", "12345");           /* not a subscriber's length */
	expect_norm("GB", "alice", "alice");
	/* the old plan names are countries */
	expect_norm("uk", "020 7946 0000", "+442079460000");
	expect_norm("nanp", "212 555 0123", "+12125550123");
}

struct facts_case {
	const char *number, *home, *display, *country, *type, *region;
};

static void test_describe(void)
{
	static const struct facts_case cases[] = {
		{ "+12125550123", "US", "(212) 555-0123", "US", "fixed-line-or-mobile", "New York, NY" },
		{ "+16135550123", "US", "+1 613-555-0123", "CA", "fixed-line-or-mobile", "Ontario" },
		{ "+18005550123", "US", "(800) 555-0123", "US", "toll-free", NULL },
		{ "+19005550123", "US", "(900) 555-0123", "US", "premium-rate", NULL },
		{ "+442079460000", "GB", "020 7946 0000", "GB", "fixed-line", "London" },
		{ "+442079460000", "US", "+44 20 7946 0000", "GB", "fixed-line", "London" },
		{ "+447400123456", "GB", "07400 123456", "GB", "mobile", NULL },
		{ "+449098790000", "GB", "0909 879 0000", "GB", "premium-rate", NULL },
		{ "+448001234567", "GB", "0800 123 4567", "GB", "toll-free", NULL },
		{ "+49301234567", "DE", "030 1234567", "DE", "fixed-line", "Berlin" },
		{ "+4915112345678", "DE", "01511 2345678", "DE", "mobile", NULL },
		{ "+33142685300", "FR", "01 42 68 53 00", "FR", "fixed-line", "Paris" },
		{ "+33612345678", "DE", "+33 6 12 34 56 78", "FR", "mobile", NULL },
		{ "+390612345678", "IT", "06 1234 5678", "IT", "fixed-line", "Rome" },
		{ "+61298765432", "AU", "(02) 9876 5432", "AU", "fixed-line", "Sydney" },
		{ "+31201234567", "NL", "020 123 4567", "NL", "fixed-line", "Amsterdam" },
		{ "+912223456789", "IN", "022 2345 6789", "IN", "fixed-line", "Mumbai" },
		{ "+919876543210", "US", "+91 98765 43210", "IN", "mobile", NULL },
		{ "+5511912345678", "BR", "(11) 91234-5678", "BR", "mobile", "São Paulo" },
		{ "+81312345678", "JP", "03-1234-5678", "JP", "fixed-line", "Tokyo" },
		{ "+819012345678", "JP", "090-1234-5678", "JP", "mobile", NULL },
		{ "+41446681800", "DE", "+41 44 668 18 00", "CH", "fixed-line", "Zurich" },
		/* international freephone: a type, no country */
		{ "+80012345678", "US", "+800 1234 5678", "", "toll-free", "" },
		/* no home country: always international */
		{ "+12125550123", "", "+1 212-555-0123", "US", "fixed-line-or-mobile", NULL },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const struct facts_case *c = &cases[i];
		struct sipcid_phonenumber_facts f;
		g_assert_true(sipcid_phonenumber_describe(c->number, c->home, SIPCID_PHONENUMBER_ALL,
		                                          &f));
		g_assert_cmpstr(f.display, ==, c->display);
		g_assert_cmpstr(f.country, ==, c->country);
		g_assert_cmpstr(f.type, ==, c->type);
		if (c->region)
			g_assert_cmpstr(f.region, ==, c->region);
		/* what the rules ask for costs no formatting and no geocoding */
		g_assert_true(sipcid_phonenumber_describe(c->number, c->home,
		                                          SIPCID_PHONENUMBER_COUNTRY_TYPE, &f));
		g_assert_cmpstr(f.country, ==, c->country);
		g_assert_cmpstr(f.type, ==, c->type);
		g_assert_cmpstr(f.display, ==, "");
		g_assert_cmpstr(f.region, ==, "");
	}
	/* an invalid number keeps its calling code's country, of unknown type */
	struct sipcid_phonenumber_facts f;
	g_assert_true(sipcid_phonenumber_describe("+15550000000", "US", SIPCID_PHONENUMBER_ALL, &f));
	g_assert_cmpstr(f.country, ==, "US");
	g_assert_cmpstr(f.type, ==, "unknown");
	g_assert_cmpstr(f.region, ==, "");
}

/* The tables the rules read a country and a type from agree with
 * describe(), shared calling codes included (tests/unit/
 * test_phonenumber_tables.cpp holds them against libphonenumber itself). */
static void test_classify(void)
{
	sipcid_phonenumber_prepare();
	GRand *rand = g_rand_new_with_seed(18);
	GPtrArray *numbers = g_ptr_array_new_with_free_func(g_free);
	for (int npa = 200; npa < 1000; npa++)
		g_ptr_array_add(numbers, g_strdup_printf("+1%03d%07d", npa,
		                                         g_rand_int_range(rand, 0, 10000000)));
	static const char *const more[] = { "+442079460000", "+441481256789", "+447400123456",
		                            "+79161234567", "+77011234567", "+33142685300",
		                            "+4915112345678", "+819012345678", "+5511912345678",
		                            "+912223456789", "+61298765432", "+80012345678",
		                            "+1212555012", "+999123456", "+390612345678",
		                            "+35312345678", "+2125", "+1" };
	for (size_t i = 0; i < G_N_ELEMENTS(more); i++)
		g_ptr_array_add(numbers, g_strdup(more[i]));
	unsigned told = 0;
	for (guint i = 0; i < numbers->len; i++) {
		const char *n = numbers->pdata[i];
		char country[SIPCID_COUNTRY_MAX], type[SIPCID_NUMBER_TYPE_MAX];
		struct sipcid_phonenumber_facts f;
		bool described = sipcid_phonenumber_describe(n, "US", SIPCID_PHONENUMBER_COUNTRY_TYPE, &f);
		bool classified = sipcid_phonenumber_classify(n, country, type);
		if (described != classified || strcmp(country, f.country) || strcmp(type, f.type))
			g_error("%s: the tables say '%s' '%s', describe() '%s' '%s'", n, country, type,
			        f.country, f.type);
		told += classified;
	}
	/* all but +999, a code nobody has, and "+1", no number */
	g_assert_cmpuint(told, ==, numbers->len - 2);
	char country[SIPCID_COUNTRY_MAX], type[SIPCID_NUMBER_TYPE_MAX];
	g_assert_true(sipcid_phonenumber_classify("+441481256789", country, type));  /* shared +44 */
	g_assert_cmpstr(country, ==, "GG");
	g_assert_false(sipcid_phonenumber_classify("alice", country, type));
	g_assert_false(sipcid_phonenumber_classify("+12345678901234567", country, type));
	g_assert_true(sipcid_phonenumber_classify("+16135550123", country, type));
	g_assert_cmpstr(country, ==, "CA");
	g_ptr_array_unref(numbers);
	g_rand_free(rand);
}

/* A call record's fields, as the outputs fill them. */
static void test_describe_call(void)
{
	struct sipcid_number_plan plan;
	g_assert_true(sipcid_number_plan_country("gb", &plan));
	g_assert_cmpstr(plan.country, ==, "GB");
	struct sipcid_call call = { 0 };
	g_strlcpy(call.number, "+442079460000", sizeof call.number);
	sipcid_number_describe_call(&plan, &call);
	g_assert_cmpstr(call.number_display, ==, "020 7946 0000");
	g_assert_cmpstr(call.country, ==, "GB");
	g_assert_cmpstr(call.number_type, ==, "fixed-line");
	g_assert_cmpstr(call.region, ==, "London");
	/* a SIP user clears what an earlier number left */
	g_strlcpy(call.number, "alice", sizeof call.number);
	sipcid_number_describe_call(&plan, &call);
	g_assert_cmpstr(call.number_display, ==, "");
	g_assert_cmpstr(call.country, ==, "");
	g_assert_cmpstr(call.number_type, ==, "");
	g_assert_cmpstr(call.region, ==, "");
}

static void test_hostile(void)
{
	struct sipcid_number_plan plan;
	sipcid_number_plan_default(&plan);
	char out[SIPCID_NUMBER_MAX];
	GString *huge = g_string_new("+");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(huge, (char)('0' + i % 10));
	/* too long for E.164: not a number, kept (cut to fit) */
	g_assert_false(sipcid_number_normalise(&plan, huge->str, out, sizeof out));
	g_assert_cmpuint(strlen(out), <, sizeof out);
	g_assert_false(sipcid_number_normalise(&plan, huge->str + 1, out, sizeof out));
	static const char *const odd[] = {
		"+\xd9\xa1\xd9\xa2\xd9\xa3",                 /* Arabic-Indic digits */
		"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96\xef"
		"\xbc\x97",                                  /* fullwidth digits */
		"1-800-FLOWERS", "+1 212 555 0123 ext. 5", "++12125550123", "+", "", "+0",
		"+1234567890123456", "0011", "00", "011",
	};
	struct sipcid_phonenumber_facts f;
	for (size_t i = 0; i < G_N_ELEMENTS(odd); i++) {
		sipcid_number_normalise(&plan, odd[i], out, sizeof out);
		g_assert_true(g_utf8_validate(out, -1, NULL));
		if (sipcid_phonenumber_describe(out, "US", SIPCID_PHONENUMBER_ALL, &f)) {
			/* only E.164 numbers are described */
			g_assert_true(out[0] == '+');
			g_assert_cmpuint(strspn(out + 1, "0123456789"), ==, strlen(out + 1));
		}
		g_assert_false(sipcid_phonenumber_describe(odd[i], "US", SIPCID_PHONENUMBER_ALL, &f) &&
		               odd[i][0] != '+');
	}
	g_assert_false(sipcid_phonenumber_describe(huge->str, "US", SIPCID_PHONENUMBER_ALL, &f));
	g_assert_cmpstr(f.display, ==, "");
	g_assert_false(sipcid_phonenumber_describe("+1234567890123456", "US",
	                                           SIPCID_PHONENUMBER_ALL, &f));
	g_assert_false(sipcid_phonenumber_describe("+12a", "US", SIPCID_PHONENUMBER_ALL, &f));
	/* every prefix of every length: nothing crashes, nothing unterminated */
	for (size_t n = 0; n < 40; n++) {
		char cut[48];
		g_strlcpy(cut, huge->str, n + 1);
		sipcid_number_normalise(&plan, cut, out, sizeof out);
		sipcid_phonenumber_describe(out, "US", SIPCID_PHONENUMBER_ALL, &f);
		g_assert_cmpuint(strlen(f.display), <, sizeof f.display);
	}
	g_string_free(huge, TRUE);
	char iso[SIPCID_COUNTRY_MAX];
	g_assert_false(sipcid_phonenumber_country_known("XX", iso));
	g_assert_false(sipcid_phonenumber_country_known("USA", iso));
	g_assert_false(sipcid_phonenumber_country_known("", iso));
	g_assert_false(sipcid_phonenumber_country_known("\xc3\xa9", iso));
	g_assert_true(sipcid_phonenumber_country_known("jp", iso));
	g_assert_cmpstr(iso, ==, "JP");
}

static bool load(const char *text, struct sipcid_number_plan *plan, GError **err)
{
	struct sipcid_config *cfg = sipcid_config_load_data("test.conf", text, err);
	if (!cfg)
		return false;
	bool ok = sipcid_number_plan_load(cfg, plan, err);
	sipcid_config_free(cfg);
	return ok;
}

static void expect_error(const char *text, const char *want)
{
	struct sipcid_number_plan plan;
	GError *err = NULL;
	g_assert_false(load(text, &plan, &err));
	if (!strstr(err->message, want))
		g_error("error '%s' lacks '%s'", err->message, want);
	g_error_free(err);
}

static void test_config(void)
{
	struct sipcid_number_plan plan;
	GError *err = NULL;
	g_assert_true(load("[numbers]\ncountry = br\n", &plan, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(plan.country, ==, "BR");
	char out[SIPCID_NUMBER_MAX];
	sipcid_number_normalise(&plan, "011 91234 5678", out, sizeof out);
	g_assert_cmpstr(out, ==, "+5511912345678");
	/* the default is the United States, as the NANP plan was */
	g_assert_true(load("[numbers]\n", &plan, &err));
	g_assert_cmpstr(plan.country, ==, "US");
	g_assert_true(load("[numbers]\nplan = au\n", &plan, &err));
	g_assert_cmpstr(plan.country, ==, "AU");
	/* international-prefix replaces libphonenumber's */
	g_assert_true(load("[numbers]\ncountry = GB\ninternational-prefix = 011\n", &plan, &err));
	sipcid_number_normalise(&plan, "011 1 212 555 0123", out, sizeof out);
	g_assert_cmpstr(out, ==, "+12125550123");
	sipcid_number_normalise(&plan, "00 1 212 555 0123", out, sizeof out);
	g_assert_cmpstr(out, !=, "+12125550123");
	expect_error("[numbers]\ncountry = XX\n", "test.conf:2: [numbers] country: unknown country 'XX'");
	expect_error("[numbers]\ncountry = United Kingdom\n", "test.conf:2:");
	expect_error("[numbers]\nplan = uk\ncountry = GB\n", "[numbers] plan: plan and country both");
	expect_error("[numbers]\nplan = gb\n", "test.conf:2: [numbers] plan: unknown plan 'gb'");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/phonenumber/normalise-countries", test_normalise_countries);
	g_test_add_func("/phonenumber/describe", test_describe);
	g_test_add_func("/phonenumber/describe-call", test_describe_call);
	g_test_add_func("/phonenumber/classify", test_classify);
	g_test_add_func("/phonenumber/hostile", test_hostile);
	g_test_add_func("/phonenumber/config", test_config);
	return g_test_run();
}
