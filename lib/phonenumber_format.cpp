// SPDX-License-Identifier: GPL-2.0-or-later
// Numbers written for reading, and country codes: the part of lib/phonenumber
// that needs libphonenumber but not its geocoder, whose library costs a
// process about 14 MiB of memory the moment it is loaded (its data are
// relocated pointers). sipcid-notify links this file only.
#include "phonenumber.h"
#include "phonenumber_private.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const PhoneNumberUtil &util()
{
	return *PhoneNumberUtil::GetInstance();
}

} // namespace

extern "C" {

const char *sipcid_phonenumber_e164_digits(const char *number, size_t *len)
{
	if (number[0] != '+')
		return nullptr;
	const char *d = number + 1;
	for (*len = 0; d[*len]; (*len)++)
		if (d[*len] < '0' || d[*len] > '9' || *len == 15)
			return nullptr;
	return *len ? d : nullptr;
}

// Country codes are prefix-free, so the first 1 to 3 digits that name one
// are it; the national number keeps its leading zeros (Italy).
bool sipcid_phonenumber_from_e164(const char *number, PhoneNumber *n)
{
	size_t len;
	const char *d = sipcid_phonenumber_e164_digits(number, &len);
	if (!d)
		return false;
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

bool sipcid_phonenumber_country_known(const char *iso, char *out)
{
	try {
		if (strlen(iso) != 2)
			return false;
		char r[3] = { iso[0], iso[1], '\0' };
		for (char &c : r)
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
		if (util().GetCountryCodeForRegion(r) == 0)
			return false;
		memcpy(out, r, 3);
		return true;
	} catch (...) {
		return false;
	}
}

bool sipcid_phonenumber_display(const char *number, const char *home, char *out, size_t size)
{
	if (size)
		out[0] = '\0';
	try {
		PhoneNumber n;
		if (!sipcid_phonenumber_from_e164(number, &n))
			return false;
		char country[SIPCID_COUNTRY_MAX] = "";
		char type[SIPCID_NUMBER_TYPE_MAX];
		sipcid_phonenumber_classify(number, country, type);
		bool national = country[0] && home && !strcmp(country, home);
		std::string shown;
		util().Format(n, national ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL,
		              &shown);
		sipcid_call_strlcpy_utf8(out, shown.c_str(), size);
		return out[0] != '\0';
	} catch (...) {
		if (size)
			out[0] = '\0';
		return false;
	}
}

} // extern "C"
