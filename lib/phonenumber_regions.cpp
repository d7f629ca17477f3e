// SPDX-License-Identifier: GPL-2.0-or-later
// The region of a number (phonenumber_regions.h): what libphonenumber's
// offline geocoder answers in English, from the arrays generated at build
// time, the number tables (phonenumber_tables.cpp) and ICU's country names.
// tests/unit/test_phonenumber_tables.cpp holds it against the geocoder.
#include "phonenumber_regions.h"

#include "phonenumber.h"
#include "phonenumber_private.h"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <cstdlib>
#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// AreaCodeMap::BinarySearch, to the letter: the index of value, or of the
// last prefix below it (-1 for none).
int binary_search(const int32_t *prefix, int start, int end, int64_t value)
{
	int current = 0;
	while (start <= end) {
		current = (start + end) / 2;
		if (prefix[current] == value)
			return current;
		if (prefix[current] > value)
			end = --current;
		else
			start = current + 1;
	}
	return current;
}

// AreaCodeMap::Lookup: the longest prefix of the number the map has.
const char *lookup(const sipcid_phonenumber_regions_map &m, const char *digits)
{
	if (!m.count)
		return nullptr;
	const int32_t *prefix = sipcid_phonenumber_regions_prefix + m.first;
	const int32_t *lengths = sipcid_phonenumber_regions_lengths + m.lengths_first;
	int64_t phone_prefix = strtoll(digits, nullptr, 10);
	int current = m.count - 1;
	for (int li = m.lengths_count - 1; li >= 0; li--) {
		char s[24];
		int n = snprintf(s, sizeof s, "%lld", (long long)phone_prefix);
		if (n > lengths[li]) {
			s[lengths[li]] = '\0';
			phone_prefix = strtoll(s, nullptr, 10);
		}
		current = binary_search(prefix, 0, current, phone_prefix);
		if (current < 0)
			return nullptr;
		if (prefix[current] == phone_prefix)
			return sipcid_phonenumber_regions_text +
			       sipcid_phonenumber_regions_desc[m.first + current];
	}
	return nullptr;
}

// GetCountryNameForNumber: ICU's English name of the number's region.
std::string country_name(const char *number)
{
	char region[4];
	sipcid_phonenumber_tables_named_region(number, region);
	if (!region[0])
		return "";
	icu::UnicodeString name;
	icu::Locale("", region).getDisplayCountry(icu::Locale("en"), name);
	char utf8[SIPCID_REGION_MAX * 2];
	int32_t len = 0;
	UErrorCode error = U_ZERO_ERROR;
	u_strToUTF8(utf8, (int32_t)sizeof utf8, &len, name.getBuffer(), name.length(), &error);
	if (U_FAILURE(error) || len >= (int32_t)sizeof utf8)
		return "";
	utf8[len] = '\0';
	return utf8;
}

} // namespace

extern "C" void sipcid_phonenumber_region(const char *number, char *out, size_t size)
{
	if (size)
		out[0] = '\0';
	try {
		char country[SIPCID_COUNTRY_MAX];
		int type;
		if (!sipcid_phonenumber_tables_ready() ||
		    !sipcid_phonenumber_tables_facts(number, country, &type) ||
		    type == PhoneNumberUtil::UNKNOWN)
			return;
		i18n::phonenumbers::PhoneNumber n;
		if (!sipcid_phonenumber_from_e164(number, &n))
			return;
		const char *area = nullptr;
		if (PhoneNumberUtil::GetInstance()->IsNumberGeographical(
			    (PhoneNumberUtil::PhoneNumberType)type, n.country_code())) {
			for (int i = 0; i < sipcid_phonenumber_regions_n_maps && !area; i++)
				if (sipcid_phonenumber_regions_maps[i].country_code == n.country_code())
					area = lookup(sipcid_phonenumber_regions_maps[i], number + 1);
		}
		if (area && *area)
			sipcid_call_strlcpy_utf8(out, area, size);
		else
			sipcid_call_strlcpy_utf8(out, country_name(number).c_str(), size);
	} catch (...) {
		if (size)
			out[0] = '\0';
	}
}
