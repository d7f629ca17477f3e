// SPDX-License-Identifier: GPL-2.0-or-later
// libphonenumber behind C linkage (phonenumber.h). Every entry point catches
// everything: an exception must never unwind into C.
#include "phonenumber.h"
#include "phonenumber_private.h"
#include "phonenumber_regions.h"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const PhoneNumberUtil &util()
{
	return *PhoneNumberUtil::GetInstance();
}

void copy(char *dst, const std::string &src, size_t size)
{
	sipcid_call_strlcpy_utf8(dst, src.c_str(), size);
}

std::string upper(const char *s)
{
	std::string r(s);
	for (char &c : r)
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
	return r;
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

} // namespace

extern "C" {

void sipcid_phonenumber_prepare(void)
{
	try {
		(void)sipcid_phonenumber_tables_ready();
		// and ICU's country names (a British mobile is named by its country)
		char region[SIPCID_REGION_MAX];
		sipcid_phonenumber_region("+447400123456", region, sizeof region);
	} catch (...) {
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
		if (!sipcid_phonenumber_classify(number, facts->country, facts->type))
			return false;
		if (what == SIPCID_PHONENUMBER_ALL) {
			sipcid_phonenumber_display(number, home, facts->display, sizeof facts->display);
			sipcid_phonenumber_region(number, facts->region, sizeof facts->region);
		}
		return true;
	} catch (...) {
		memset(facts, 0, sizeof *facts);
		return false;
	}
}

} // extern "C"
