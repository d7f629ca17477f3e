// SPDX-License-Identifier: GPL-2.0-or-later
// The tables the rules read a number's country and type from
// (lib/phonenumber_tables.cpp) against libphonenumber itself: every
// region's example number of every type, and numbers around each (the same
// leading digits, the rest random; one digit shorter or longer), must get
// the country and the type libphonenumber gives, and deciding must not
// allocate.
extern "C" {
#include "alloc_count.h"
}
#include "phonenumber.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>

#include <glib.h>
#include <cstring>
#include <list>
#include <set>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const PhoneNumberUtil &util()
{
	return *PhoneNumberUtil::GetInstance();
}

const PhoneNumberUtil::PhoneNumberType all_types[] = {
	PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE, PhoneNumberUtil::FIXED_LINE_OR_MOBILE,
	PhoneNumberUtil::TOLL_FREE, PhoneNumberUtil::PREMIUM_RATE, PhoneNumberUtil::SHARED_COST,
	PhoneNumberUtil::VOIP, PhoneNumberUtil::PERSONAL_NUMBER, PhoneNumberUtil::PAGER,
	PhoneNumberUtil::UAN, PhoneNumberUtil::VOICEMAIL,
};

// The numbers: libphonenumber's examples in E.164, and what they found.
struct examples {
	std::vector<std::string> numbers;
	std::set<std::string> countries;  // regions with at least one example
};

examples &the_examples()
{
	static examples e;
	if (!e.numbers.empty())
		return e;
	std::set<std::string> regions;
	util().GetSupportedRegions(&regions);
	for (const std::string &region : regions)
		for (auto type : all_types) {
			PhoneNumber n;
			if (!util().GetExampleNumberForType(region, type, &n))
				continue;
			std::string s;
			util().Format(n, PhoneNumberUtil::E164, &s);
			e.numbers.push_back(s);
			e.countries.insert(region);
		}
	std::set<int> codes;
	util().GetSupportedGlobalNetworkCallingCodes(&codes);
	for (int cc : codes) {
		PhoneNumber n;
		if (!util().GetExampleNumberForNonGeoEntity(cc, &n))
			continue;
		std::string s;
		util().Format(n, PhoneNumberUtil::E164, &s);
		e.numbers.push_back(s);
	}
	return e;
}

const char *type_word(PhoneNumberUtil::PhoneNumberType t)
{
	static const char *const words[] = { "fixed-line", "mobile", "fixed-line-or-mobile",
		                             "toll-free", "premium-rate", "shared-cost", "voip",
		                             "personal-number", "pager", "uan", "voicemail" };
	return (size_t)t < G_N_ELEMENTS(words) ? words[t] : "unknown";
}

// libphonenumber's answer, as sipcid_phonenumber_describe() reports it: the
// region of the number; when it has none ("ZZ"), for +1 the country of its
// area code if two numbers there agree, else the calling code's main one.
bool expected(const std::string &e164, std::string *country, std::string *type)
{
	PhoneNumber n;
	if (util().Parse(e164, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
		return false;
	std::string nsn;
	util().GetNationalSignificantNumber(n, &nsn);
	if ("+" + std::to_string(n.country_code()) + nsn != e164)
		return false;  // the parser read it otherwise: not one to compare
	*type = type_word(util().GetNumberType(n));
	std::string region;
	util().GetRegionCodeForNumber(n, &region);
	if (region == "ZZ" && n.country_code() == 1 && nsn.size() == 10 && nsn.compare(0, 3, "200") >= 0) {
		std::string seen[2];
		for (int i = 0; i < 2; i++) {
			PhoneNumber probe;
			probe.set_country_code(1);
			probe.set_national_number(std::stoull(nsn.substr(0, 3) + (i ? "8765432" : "2345678")));
			util().GetRegionCodeForNumber(probe, &seen[i]);
			if (seen[i] == "ZZ")
				seen[i] = "US";
		}
		if (seen[0] == seen[1])
			region = seen[0];
	}
	if (region == "ZZ")
		util().GetRegionCodeForCountryCode(n.country_code(), &region);
	*country = region.size() == 2 ? region : "";
	return true;
}

unsigned compare(const std::string &number)
{
	std::string want_country, want_type;
	if (!expected(number, &want_country, &want_type))
		return 0;
	char country[SIPCID_COUNTRY_MAX], type[SIPCID_NUMBER_TYPE_MAX];
	if (!sipcid_phonenumber_classify(number.c_str(), country, type))
		g_error("%s: the tables can't tell; libphonenumber says %s, %s", number.c_str(),
		        want_country.c_str(), want_type.c_str());
	if (want_country != country || want_type != type)
		g_error("%s: the tables say %s, %s; libphonenumber %s, %s", number.c_str(), country,
		        type, want_country.c_str(), want_type.c_str());
	return 1;
}

void test_examples()
{
	sipcid_phonenumber_prepare();
	const examples &e = the_examples();
	unsigned checked = 0;
	for (const std::string &n : e.numbers)
		checked += compare(n);
	// every region libphonenumber has (about 245) and each of its types
	g_assert_cmpuint(e.countries.size(), >=, 200);
	g_assert_cmpuint(checked, >=, 1300);
	g_test_message("%u example numbers of %zu regions agree", checked, e.countries.size());
}

// Around each example: the same first digits and random others, and one
// digit fewer or more: where one type's pattern ends and another's begins,
// and numbers no pattern has (unknown, or no region of a shared code).
void test_neighbours()
{
	const examples &e = the_examples();
	GRand *rand = g_rand_new_with_seed(18);
	unsigned checked = 0, unknown = 0;
	std::set<std::string> types;
	for (const std::string &n : e.numbers) {
		for (int i = 0; i < 6; i++) {
			std::string m = n;
			size_t keep = (size_t)g_rand_int_range(rand, 2, (gint32)m.size());
			for (size_t k = keep; k < m.size(); k++)
				m[k] = (char)('0' + g_rand_int_range(rand, 0, 10));
			if (i == 4 && m.size() > 4)
				m.pop_back();
			if (i == 5 && m.size() < 16)
				m.push_back((char)('0' + g_rand_int_range(rand, 0, 10)));
			checked += compare(m);
			char country[SIPCID_COUNTRY_MAX], type[SIPCID_NUMBER_TYPE_MAX];
			if (sipcid_phonenumber_classify(m.c_str(), country, type)) {
				types.insert(type);
				unknown += !strcmp(type, "unknown");
			}
		}
	}
	g_rand_free(rand);
	g_assert_cmpuint(checked, >=, 8000);
	g_assert_cmpuint(unknown, >, 100);       // the borders were crossed
	g_assert_cmpuint(types.size(), ==, 12);  // every type word came out
	g_test_message("%u numbers around the examples agree (%u unknown)", checked, unknown);
}

// The region describe() gives (generated arrays and ICU's country names)
// against libphonenumber's geocoder in English, on the same numbers.
void test_regions()
{
	static const i18n::phonenumbers::PhoneNumberOfflineGeocoder geocoder;
	const icu::Locale english("en");
	const examples &e = the_examples();
	GRand *rand = g_rand_new_with_seed(1812);
	unsigned checked = 0, places = 0, countries = 0;
	for (const std::string &example : e.numbers) {
		for (int i = 0; i < 4; i++) {
			std::string m = example;
			size_t keep = (size_t)g_rand_int_range(rand, 2, (gint32)m.size());
			for (size_t k = i ? keep : m.size(); k < m.size(); k++)
				m[k] = (char)('0' + g_rand_int_range(rand, 0, 10));
			PhoneNumber n;
			std::string nsn;
			if (util().Parse(m, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
				continue;
			util().GetNationalSignificantNumber(n, &nsn);
			if ("+" + std::to_string(n.country_code()) + nsn != m)
				continue;
			struct sipcid_phonenumber_facts f;
			sipcid_phonenumber_describe(m.c_str(), "", SIPCID_PHONENUMBER_ALL, &f);
			// cut as describe() cuts a long one
			char want[sizeof f.region];
			sipcid_call_strlcpy_utf8(want, geocoder.GetDescriptionForNumber(n, english).c_str(),
			                         sizeof want);
			if (strcmp(want, f.region))
				g_error("%s: region '%s', the geocoder says '%s'", m.c_str(), f.region, want);
			checked++;
			countries += !strcmp(f.region, "United Kingdom");
			places += want[0] != '\0';
		}
	}
	g_rand_free(rand);
	g_assert_cmpuint(checked, >=, 5000);
	g_assert_cmpuint(places, >=, 2000);
	g_assert_cmpuint(countries, >, 0);
	g_test_message("%u regions agree with the geocoder (%u not empty)", checked, places);
}

// Numbers the tables refuse, as describe() does; and shared calling codes,
// which the tables now tell.
void test_edges()
{
	char country[SIPCID_COUNTRY_MAX], type[SIPCID_NUMBER_TYPE_MAX];
	static const char *const refused[] = { "alice", "", "+", "+1", "+12a4567890",
		                               "+1234567890123456", "12125550123", "+9991234567" };
	for (const char *n : refused) {
		strcpy(country, "XX");
		g_assert_false(sipcid_phonenumber_classify(n, country, type));
		g_assert_cmpstr(country, ==, "");
		g_assert_cmpstr(type, ==, "");
	}
	static const struct {
		const char *number, *country, *type;
	} known[] = {
		{ "+441481256789", "GG", "fixed-line" },
		{ "+447624123456", "IM", "mobile" },
		{ "+77011234567", "KZ", "mobile" },
		{ "+79161234567", "RU", "mobile" },
		{ "+16135550123", "CA", "fixed-line-or-mobile" },
		{ "+19005550123", "US", "premium-rate" },
		{ "+80012345678", "", "toll-free" },
		{ "+442079460000", "GB", "fixed-line" },
	};
	for (const auto &k : known) {
		g_assert_true(sipcid_phonenumber_classify(k.number, country, type));
		g_assert_cmpstr(country, ==, k.country);
		g_assert_cmpstr(type, ==, k.type);
		compare(k.number);
	}
}

// What the rules do per call on the packet thread allocates nothing.
void test_no_allocation()
{
	if (!alloc_count_available()) {
		g_test_skip("allocations are not counted under the sanitizers");
		return;
	}
	const examples &e = the_examples();
	char country[SIPCID_COUNTRY_MAX], type[SIPCID_NUMBER_TYPE_MAX];
	sipcid_phonenumber_classify("+442079460000", country, type);
	unsigned long before = alloc_count();
	for (const std::string &n : e.numbers)
		sipcid_phonenumber_classify(n.c_str(), country, type);
	g_assert_cmpuint(alloc_count() - before, ==, 0);
}

} // namespace

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/phonenumber-tables/examples", test_examples);
	g_test_add_func("/phonenumber-tables/neighbours", test_neighbours);
	g_test_add_func("/phonenumber-tables/regions", test_regions);
	g_test_add_func("/phonenumber-tables/edges", test_edges);
	g_test_add_func("/phonenumber-tables/no-allocation", test_no_allocation);
	return g_test_run();
}
