/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libphonenumber (C++) behind a small C interface; no exception crosses it.
 *
 * libphonenumber allocates on every call, and the packet thread must not
 * (docs/hacking.md, "Numbers and the packet thread"). So it is used two ways:
 *  - at load time, sipcid_phonenumber_home() reads what the allocation-free
 *    normaliser (number.c) needs about the home country: its calling code,
 *    trunk prefix, international prefixes and national number lengths;
 *  - sipcid_phonenumber_describe() says what a normalised number is
 *    (display form, country, type, region). The outputs call it on the main
 *    loop;
 *  - sipcid_phonenumber_classify() says the country and type alone, from
 *    tables compiled out of libphonenumber's metadata at load time: what the
 *    rules ask on the packet thread (phonenumber_tables.cpp). */
#ifndef SIPCID_PHONENUMBER_H
#define SIPCID_PHONENUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "call.h"

enum {
	SIPCID_PHONENUMBER_PREFIX_MAX = 8,  /* digits of a prefix and the NUL */
	SIPCID_PHONENUMBER_IDD_MAX = 24,    /* Brazil has 13: 00 and a carrier code */
};

/* What the normaliser needs about one country, from libphonenumber. */
struct sipcid_phonenumber_home {
	char country_code[SIPCID_PHONENUMBER_PREFIX_MAX];  /* "44" */
	char trunk_prefix[SIPCID_PHONENUMBER_PREFIX_MAX];  /* "0"; "" where there is none */
	/* what is dialled before a country code, longest first: "00"; "0011", "0014"... */
	int n_international;
	char international[SIPCID_PHONENUMBER_IDD_MAX][SIPCID_PHONENUMBER_PREFIX_MAX];
	/* bit n set: a national number (without trunk prefix) of n digits is possible;
	 * national: any kind of number; subscriber: fixed-line or mobile numbers,
	 * the only ones read as national when dialled without the trunk prefix */
	uint32_t national_lengths, subscriber_lengths;
};

/* True when iso (ISO 3166 alpha-2, any case) is a country libphonenumber
 * knows. The upper-case code goes to out (SIPCID_COUNTRY_MAX bytes). */
bool sipcid_phonenumber_country_known(const char *iso, char *out);

/* Fills home for the country iso. Costs a few milliseconds the first time
 * for each country (the international prefixes are found by trying them
 * with libphonenumber's parser); cached after that. */
bool sipcid_phonenumber_home(const char *iso, struct sipcid_phonenumber_home *home);

/* Where libphonenumber's lazy set-up happens: loads its metadata (about
 * 15 ms) so that no packet pays for it. Any thread; idempotent. */
void sipcid_phonenumber_warm(void);

enum sipcid_phonenumber_what {
	SIPCID_PHONENUMBER_COUNTRY_TYPE = 0,  /* country and type only: what rules need */
	SIPCID_PHONENUMBER_ALL = 1,           /* and display and region (the geocoder) */
};

struct sipcid_phonenumber_facts {
	char display[SIPCID_NUMBER_MAX];     /* "020 7123 4567", "+44 20 7123 4567" */
	char country[SIPCID_COUNTRY_MAX];    /* "GB"; "" for no country (+800, unassigned) */
	char type[SIPCID_NUMBER_TYPE_MAX];   /* "fixed-line", ... "unknown" */
	char region[SIPCID_REGION_MAX];      /* "London"; "" when the geocoder knows none */
};

/* Describes number when it is in E.164 form ('+' and up to 15 digits, as
 * sipcid_number_normalise writes it); home is the home country's ISO code
 * ("" for none), whose numbers are displayed in national format. Returns
 * false (facts empty) for anything else: SIP users, extensions, short and
 * local numbers. Allocates: main loop, tools, or the rules as said above. */
bool sipcid_phonenumber_describe(const char *number, const char *home,
                                 enum sipcid_phonenumber_what what,
                                 struct sipcid_phonenumber_facts *facts);

/* The country ("" for none) and the type (a number_type word) of a number
 * in E.164 form, exactly as sipcid_phonenumber_describe() says them, from
 * tables compiled out of libphonenumber's metadata: no allocation, no lock,
 * one walk over the digits per candidate country. Returns false (both "")
 * when describe() would: not E.164, or a calling code nobody has. Until
 * sipcid_phonenumber_prepare() has built the tables the first call builds
 * them (and should they fail to build, it asks libphonenumber). */
bool sipcid_phonenumber_classify(const char *number, char *country, char *type);
/* Builds what the first classify() or describe() would otherwise build
 * on the spot: the number tables and the geocoder (100 to 300 ms, once a
 * process). Call it where waiting is allowed: loading rules, opening the
 * outputs. */
void sipcid_phonenumber_prepare(void);

/* number in E.164 form written for reading (what describe() puts in
 * display): national format when its country is home (an ISO code, or ""
 * or NULL for none), international otherwise: "020 7123 4567",
 * "+44 20 7123 4567". False (out "") when number is not E.164. Needs
 * libphonenumber but not its geocoder (phonenumber_format.cpp): a program
 * that only formats numbers does not load the geocoder's 14 MiB. */
bool sipcid_phonenumber_display(const char *number, const char *home, char *out, size_t size);

/* True when name is one of the number_type words (docs/events.md). */
bool sipcid_phonenumber_type_known(const char *name);
/* The number_type words, comma-separated, for error messages. */
const char *sipcid_phonenumber_type_words(void);

#ifdef __cplusplus
}
#endif

#endif
