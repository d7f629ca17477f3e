/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libphonenumber's geocoding data in English, generated at build time
 * (phonenumber_regions_gen.cpp) as arrays without pointers, and the lookup
 * that gives sipcid_phonenumber_describe() its region. */
#ifndef SIPCID_PHONENUMBER_REGIONS_H
#define SIPCID_PHONENUMBER_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One calling code's prefixes: sorted prefixes (calling code and the first
 * digits of the national number) with their descriptions, and the prefix
 * lengths present, ascending. */
struct sipcid_phonenumber_regions_map {
	int country_code, first, count, lengths_first, lengths_count;
};
extern const struct sipcid_phonenumber_regions_map sipcid_phonenumber_regions_maps[];
extern const int sipcid_phonenumber_regions_n_maps;
extern const int32_t sipcid_phonenumber_regions_prefix[];
extern const uint32_t sipcid_phonenumber_regions_desc[];   /* offsets into _text */
extern const int32_t sipcid_phonenumber_regions_lengths[];
extern const char sipcid_phonenumber_regions_text[];

/* What libphonenumber's geocoder says of a number in E.164 form in
 * English (PhoneNumberOfflineGeocoder::GetDescriptionForNumber): "London";
 * the country's name where it knows no place or the number is not
 * geographic; "" for an invalid number. */
void sipcid_phonenumber_region(const char *number, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
