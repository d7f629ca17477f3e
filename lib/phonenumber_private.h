/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What phonenumber.cpp and phonenumber_tables.cpp share: the number facts
 * the rules need, from tables compiled out of libphonenumber's metadata. */
#ifndef SIPCID_PHONENUMBER_PRIVATE_H
#define SIPCID_PHONENUMBER_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Builds the tables, once a process (about 100 ms; thread-safe). False
 * when libphonenumber's metadata holds a pattern the compiler does not
 * know: then nothing may read them, and callers ask libphonenumber. */
bool sipcid_phonenumber_tables_ready(void);

/* The country (SIPCID_COUNTRY_MAX bytes, "" for none) and the type (a
 * PhoneNumberUtil::PhoneNumberType) of a number in E.164 form, exactly as
 * sipcid_phonenumber_describe() says them (libphonenumber's
 * GetRegionCodeForNumber and GetNumberType): no allocation, no lock, one
 * walk of a DFA per candidate region. False (nothing written) when number
 * is not E.164 or its calling code is nobody's. Only after
 * sipcid_phonenumber_tables_ready() returned true. */
bool sipcid_phonenumber_tables_facts(const char *number, char *country, int *type);

/* The digits of a number in E.164 form ('+' and 1 to 15 digits) and
 * their count, or NULL when it is not one. */
const char *sipcid_phonenumber_e164_digits(const char *number, size_t *len);

/* The region whose name the geocoder gives a number it knows no place
 * for (GetCountryNameForNumber: GetRegionCodeForNumber's, without
 * describe()'s fallbacks); "" for none ("ZZ") or "001". out: 4 bytes. */
void sipcid_phonenumber_tables_named_region(const char *number, char *out);

#ifdef __cplusplus
}

#include <phonenumbers/phonenumber.pb.h>

/* A number in E.164 form ('+' and 1 to 15 digits) in libphonenumber's form,
 * without its parser (whose regular expressions cost tens of
 * microseconds). False when it is not, or its calling code is nobody's. */
extern "C" bool sipcid_phonenumber_from_e164(const char *number,
                                             i18n::phonenumbers::PhoneNumber *n);
#endif

#endif
