// SPDX-License-Identifier: GPL-2.0-or-later
// libphonenumber behind C linkage (phonenumber.h). Every entry point catches
// everything: an exception must never unwind into C.
#include "phonenumber.h"
#include "phonenumber_private.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const PhoneNumberUtil &util()
{
	return *PhoneNumberUtil::GetInstance();
}

// Only describe() with the region asks for it; built on first use.
const PhoneNumberOfflineGeocoder &geocoder()
{
	static const PhoneNumberOfflineGeocoder g;
	return g;
}

const icu::Locale &english()
{
	static const icu::Locale en("en");
	return en;
}

void copy(char *dst, const std::string &src, size_t size)
{
	sipcid_call_strlcpy_utf8(dst, src.c_str(), size);
}

// Without a std::string in between, which would allocate for long words.
void copy(char *dst, const char *src, size_t size)
{
	sipcid_call_strlcpy_utf8(dst, src, size);
}

std::string upper(const char *s)
{
	std::string r(s);
	for (char &c : r)
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
	return r;
}

const struct {
	PhoneNumberUtil::PhoneNumberType type;
	const char *name;
} type_names[] = {
	{ PhoneNumberUtil::FIXED_LINE, "fixed-line" },
	{ PhoneNumberUtil::MOBILE, "mobile" },
	{ PhoneNumberUtil::FIXED_LINE_OR_MOBILE, "fixed-line-or-mobile" },
	{ PhoneNumberUtil::TOLL_FREE, "toll-free" },
	{ PhoneNumberUtil::PREMIUM_RATE, "premium-rate" },
	{ PhoneNumberUtil::SHARED_COST, "shared-cost" },
	{ PhoneNumberUtil::VOIP, "voip" },
	{ PhoneNumberUtil::PERSONAL_NUMBER, "personal-number" },
	{ PhoneNumberUtil::PAGER, "pager" },
	{ PhoneNumberUtil::UAN, "uan" },
	{ PhoneNumberUtil::VOICEMAIL, "voicemail" },
	{ PhoneNumberUtil::UNKNOWN, "unknown" },
};

const char *type_name(PhoneNumberUtil::PhoneNumberType t)
{
	for (const auto &n : type_names)
		if (n.type == t)
			return n.name;
	return "unknown";
}

// The lengths of national numbers of the given kind libphonenumber calls
// possible (not "possible for local dialling only").
uint32_t lengths(int country_code, const PhoneNumberUtil::PhoneNumberType *types, int n_types)
{
	uint32_t mask = 0;
	uint64_t value = 1;
	for (int len = 1; len <= 17; len++, value *= 10) {
		PhoneNumber n;
		n.set_country_code(country_code);
		n.set_national_number(value);
		bool possible = n_types == 0 &&
		                util().IsPossibleNumberWithReason(n) == PhoneNumberUtil::IS_POSSIBLE;
		for (int t = 0; t < n_types && !possible; t++)
			possible = util().IsPossibleNumberForTypeWithReason(n, types[t]) ==
			           PhoneNumberUtil::IS_POSSIBLE;
		if (possible)
			mask |= 1u << len;
	}
	return mask;
}

// Numbers of other countries to dial from home, as E.164 digits without '+'.
struct sample {
	int country_code;
	const char *digits;
	uint64_t national;
};
const sample samples[] = {
	{ 44, "442079460000", 2079460000ULL },
	{ 81, "81312345678", 312345678ULL },
	{ 33, "33142685300", 142685300ULL },
};

// True when dialling prefix + a foreign number from home reaches that number
// in libphonenumber's reading, for two different foreign countries: so the
// prefix is an international prefix there, whatever the metadata's pattern.
bool is_international_prefix(const std::string &region, int home_cc, const std::string &prefix)
{
	int tried = 0;
	for (const auto &s : samples) {
		if (s.country_code == home_cc)
			continue;
		PhoneNumber n;
		if (util().Parse(prefix + s.digits, region, &n) != PhoneNumberUtil::NO_PARSING_ERROR ||
		    n.country_code() != s.country_code || n.national_number() != s.national)
			return false;
		if (++tried == 2)
			return true;
	}
	return false;
}

// The international prefixes of region: the one libphonenumber prefers
// (how it writes a foreign number dialled from there), and the others its
// pattern allows, found by trying the prefixes of 2 digits, of 3 digits
// starting 0, 1 or 8 (810 in Russia, 119 in Cuba), and 00 followed by two
// (carrier selection codes, as in Brazil): 400 tries, about 15 ms.
std::vector<std::string> international_prefixes(const std::string &region, int cc)
{
	std::vector<std::string> found;
	auto consider = [&](const std::string &p) {
		if (!p.empty() && std::find(found.begin(), found.end(), p) == found.end() &&
		    is_international_prefix(region, cc, p))
			found.push_back(p);
	};
	PhoneNumber foreign;
	const sample &s = samples[samples[0].country_code == cc ? 1 : 0];
	foreign.set_country_code(s.country_code);
	foreign.set_national_number(s.national);
	std::string dialled, preferred;
	util().FormatOutOfCountryCallingNumber(foreign, region, &dialled);
	// "011 44 20...", "8~10 44 20..." (~: wait for a tone), "+44 20..." (no single one)
	for (char c : dialled.substr(0, dialled.find(' ')))
		if (c >= '0' && c <= '9')
			preferred += c;
	if (!dialled.empty() && dialled[0] != '+')
		consider(preferred);
	char p[5];
	for (int v = 0; v < 100; v++) {
		snprintf(p, sizeof p, "%02d", v);
		consider(p);
	}
	for (int v = 0; v < 1000; v++) {
		snprintf(p, sizeof p, "%03d", v);
		if (p[0] == '0' || p[0] == '1' || p[0] == '8')
			consider(p);
	}
	for (int v = 0; v < 100; v++) {
		snprintf(p, sizeof p, "00%02d", v);
		consider(p);
	}
	std::stable_sort(found.begin(), found.end(),
	                 [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
	return found;
}

bool home_uncached(const std::string &region, struct sipcid_phonenumber_home *h)
{
	int cc = util().GetCountryCodeForRegion(region);
	if (cc == 0)
		return false;
	*h = {};
	snprintf(h->country_code, sizeof h->country_code, "%d", cc);
	std::string ndd;
	util().GetNddPrefixForRegion(region, true, &ndd);
	if (ndd.size() < sizeof h->trunk_prefix)
		copy(h->trunk_prefix, ndd, sizeof h->trunk_prefix);
	for (const auto &p : international_prefixes(region, cc)) {
		if (h->n_international == SIPCID_PHONENUMBER_IDD_MAX ||
		    p.size() >= SIPCID_PHONENUMBER_PREFIX_MAX)
			break;
		copy(h->international[h->n_international++], p, SIPCID_PHONENUMBER_PREFIX_MAX);
	}
	h->national_lengths = lengths(cc, nullptr, 0);
	const PhoneNumberUtil::PhoneNumberType subscriber[] = { PhoneNumberUtil::FIXED_LINE,
		                                                PhoneNumberUtil::MOBILE };
	h->subscriber_lengths = lengths(cc, subscriber, 2);
	return true;
}

// An E.164 number to libphonenumber's form without its parser (whose
// regular expressions cost tens of microseconds): country codes are
// prefix-free, so the first 1 to 3 digits that name one are it.
bool from_e164(const char *number, PhoneNumber *n)
{
	const char *d = number + 1;
	size_t len = strlen(d);
	for (size_t k = 1; k <= 3 && k < len; k++) {
		int cc = 0;
		for (size_t i = 0; i < k; i++)
			cc = cc * 10 + (d[i] - '0');
		std::string region;
		util().GetRegionCodeForCountryCode(cc, &region);
		if (region == "ZZ")
			continue;
		const char *national = d + k;
		uint64_t value = 0;
		for (const char *p = national; *p; p++)
			value = value * 10 + (uint64_t)(*p - '0');
		int zeros = 0;
		while (national[zeros] == '0' && national[zeros + 1])
			zeros++;
		n->set_country_code(cc);
		n->set_national_number(value);
		if (zeros) {
			n->set_italian_leading_zero(true);
			if (zeros > 1)
				n->set_number_of_leading_zeros(zeros);
		}
		return true;
	}
	return false;
}

bool e164_shape(const char *number)
{
	if (number[0] != '+')
		return false;
	size_t n = 0;
	for (const char *p = number + 1; *p; p++, n++)
		if (*p < '0' || *p > '9' || n == 15)
			return false;
	return n > 0;
}

// describe()'s country and type when the tables can't be built: the
// country libphonenumber gives, or else the calling code's main one.
void classify_slow(const PhoneNumber &n, char *country, char *type)
{
	std::string region;
	util().GetRegionCodeForNumber(n, &region);
	if (region.empty() || region == "ZZ")
		util().GetRegionCodeForCountryCode(n.country_code(), &region);
	country[0] = '\0';
	if (region.size() == 2 && region != "ZZ")
		copy(country, region, SIPCID_COUNTRY_MAX);
	copy(type, type_name(util().GetNumberType(n)), SIPCID_NUMBER_TYPE_MAX);
}

} // namespace

extern "C" {

void sipcid_phonenumber_prepare(void)
{
	try {
		(void)sipcid_phonenumber_tables_ready();
		(void)geocoder();
		(void)english();
	} catch (...) {
	}
}

bool sipcid_phonenumber_classify(const char *number, char *country, char *type)
{
	int t;
	if (sipcid_phonenumber_tables_ready()) {
		if (sipcid_phonenumber_tables_facts(number, country, &t)) {
			copy(type, type_name((PhoneNumberUtil::PhoneNumberType)t), SIPCID_NUMBER_TYPE_MAX);
			return true;
		}
		country[0] = type[0] = '\0';
		return false;
	}
	struct sipcid_phonenumber_facts f;
	bool ok = sipcid_phonenumber_describe(number, "", SIPCID_PHONENUMBER_COUNTRY_TYPE, &f);
	memcpy(country, f.country, SIPCID_COUNTRY_MAX);
	memcpy(type, f.type, SIPCID_NUMBER_TYPE_MAX);
	return ok;
}

bool sipcid_phonenumber_country_known(const char *iso, char *out)
{
	try {
		if (strlen(iso) != 2)
			return false;
		std::string r = upper(iso);
		if (util().GetCountryCodeForRegion(r) == 0)
			return false;
		copy(out, r, SIPCID_COUNTRY_MAX);
		return true;
	} catch (...) {
		return false;
	}
}

bool sipcid_phonenumber_home(const char *iso, struct sipcid_phonenumber_home *home)
{
	static std::mutex lock;
	static std::map<std::string, struct sipcid_phonenumber_home> cache;
	try {
		std::string region = upper(iso);
		std::lock_guard<std::mutex> hold(lock);
		auto it = cache.find(region);
		if (it == cache.end()) {
			struct sipcid_phonenumber_home h;
			if (!home_uncached(region, &h))
				return false;
			it = cache.emplace(region, h).first;
		}
		*home = it->second;
		return true;
	} catch (...) {
		return false;
	}
}

void sipcid_phonenumber_warm(void)
{
	try {
		(void)util();
	} catch (...) {
	}
}

bool sipcid_phonenumber_describe(const char *number, const char *home,
                                 enum sipcid_phonenumber_what what,
                                 struct sipcid_phonenumber_facts *facts)
{
	memset(facts, 0, sizeof *facts);
	try {
		if (!e164_shape(number))
			return false;
		PhoneNumber n;
		if (!from_e164(number, &n))
			return false;
		int type;
		if (sipcid_phonenumber_tables_ready()) {
			if (!sipcid_phonenumber_tables_facts(number, facts->country, &type))
				return false;
			copy(facts->type, type_name((PhoneNumberUtil::PhoneNumberType)type),
			     sizeof facts->type);
		} else {
			classify_slow(n, facts->country, facts->type);
		}
		if (what == SIPCID_PHONENUMBER_ALL) {
			bool national = facts->country[0] && home && !strcmp(facts->country, home);
			std::string shown;
			util().Format(n, national ? PhoneNumberUtil::NATIONAL
			                          : PhoneNumberUtil::INTERNATIONAL, &shown);
			copy(facts->display, shown, sizeof facts->display);
			copy(facts->region, geocoder().GetDescriptionForNumber(n, english()),
			     sizeof facts->region);
		}
		return true;
	} catch (...) {
		memset(facts, 0, sizeof *facts);
		return false;
	}
}

bool sipcid_phonenumber_type_known(const char *name)
{
	for (const auto &n : type_names)
		if (!strcmp(name, n.name))
			return true;
	return false;
}

const char *sipcid_phonenumber_type_words(void)
{
	return "fixed-line, mobile, fixed-line-or-mobile, toll-free, premium-rate, shared-cost, "
	       "voip, personal-number, pager, uan, voicemail or unknown";
}

} // extern "C"
