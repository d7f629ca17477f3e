/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Phone-number normalisation: one explicit, configurable policy (the
 * [numbers] group of sipcid.conf), so that rules, the phonebook and the call
 * log compare numbers the same way. The raw number is always kept beside the
 * normalised one. */
#ifndef SIPCID_NUMBER_H
#define SIPCID_NUMBER_H

#include "call.h"
#include "phonenumber.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sipcid_config;
typedef struct _GError GError;

enum {
	SIPCID_PREFIX_MAX = SIPCID_PHONENUMBER_PREFIX_MAX,
	SIPCID_EMERGENCY_MAX = 16,      /* numbers [numbers] emergency may add */
	SIPCID_EMERGENCY_LEN = 17,      /* '+', 15 digits (E.164) and the NUL */
};

/* Plain data, copied by value into each ruleset and settings: the packet
 * path normalises with it without allocating. Its tables come from
 * libphonenumber at load time (phonenumber.h), or from the [numbers] keys. */
struct sipcid_number_plan {
	bool enabled;                                 /* false: numbers are only cleaned */
	char country[SIPCID_COUNTRY_MAX];             /* home, ISO 3166 ("US"); "" if none */
	char country_code[SIPCID_PREFIX_MAX];         /* digits, e.g. "1" */
	/* dialled before a country code, e.g. "011"; longest first */
	int n_international;
	char international_prefix[SIPCID_PHONENUMBER_IDD_MAX][SIPCID_PREFIX_MAX];
	char trunk_prefix[SIPCID_PREFIX_MAX];         /* dialled before a national number, e.g. "1" */
	/* bit n: a national number of n digits, after the trunk prefix
	 * (national) or dialled without it (bare) */
	uint32_t national_lengths, bare_lengths;
	/* [numbers] emergency: added to the built-in list (sipcid_number_is_emergency) */
	int n_emergency;
	char emergency[SIPCID_EMERGENCY_MAX][SIPCID_EMERGENCY_LEN];
};

/* The plan of a country (ISO 3166 code, any case), from libphonenumber. */
bool sipcid_number_plan_country(const char *iso, struct sipcid_number_plan *plan);
/* The names of the hand-written plans before libphonenumber, which keep
 * working: none, nanp (US), uk (GB), de, fr, it, au, nl; or a country code. */
bool sipcid_number_plan_preset(const char *name, struct sipcid_number_plan *plan);
/* The default plan is the United States' (see sipcid.conf(5)). */
void sipcid_number_plan_default(struct sipcid_number_plan *plan);
/* Reads [numbers] over the default plan. Errors name the file and line. */
bool sipcid_number_plan_load(const struct sipcid_config *cfg, struct sipcid_number_plan *plan,
                             GError **error);

/* Fills number_display, country, number_type and region of call from its
 * number (phonenumber.h; allocates: not for the packet thread). Clears them
 * when the number is not in E.164 form. */
void sipcid_number_describe_call(const struct sipcid_number_plan *plan,
                                 struct sipcid_call *call);

/* Writes the normalised form of `raw` (already percent-decoded, valid UTF-8)
 * into out: '+' and digits for a number the plan understands, the digits for
 * a short or local number, and for anything that is not a phone number (a SIP
 * user name such as "alice") the text unchanged. Visual separators
 * (space - . ( ) /) are ignored. Returns true when the result is a
 * phone number (digits, optionally with a leading '+'). */
bool sipcid_number_normalise(const struct sipcid_number_plan *plan, const char *raw, char *out,
                             size_t out_size);

/* True when `number` (normalised, as in a call record) is an emergency
 * number: the numbers every phone treats as emergency (112, 911), those of
 * the plan's country (by its country code; see the table in number_emergency.c),
 * and [numbers] emergency. A call to or from one is never blocked. */
bool sipcid_number_is_emergency(const struct sipcid_number_plan *plan, const char *number);
/* Reads [numbers] emergency into plan (called by sipcid_number_plan_load). */
bool sipcid_number_emergency_load(const struct sipcid_config *cfg,
                                  struct sipcid_number_plan *plan, GError **error);

#endif
