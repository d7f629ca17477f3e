/* Phone-number normalisation: one explicit, configurable policy (the
 * [numbers] group of sipcid.conf), so that rules, the phonebook and the call
 * log compare numbers the same way. The raw number is always kept beside the
 * normalised one. */
#ifndef SIPCID_NUMBER_H
#define SIPCID_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

struct sipcid_config;
typedef struct _GError GError;

enum {
	SIPCID_PREFIX_MAX = 8,
	SIPCID_EMERGENCY_MAX = 16,      /* numbers [numbers] emergency may add */
	SIPCID_EMERGENCY_LEN = 17,      /* '+', 15 digits (E.164) and the NUL */
};

struct sipcid_number_plan {
	bool enabled;                                 /* false: numbers are only cleaned */
	char country_code[SIPCID_PREFIX_MAX];         /* digits, e.g. "1" */
	char international_prefix[SIPCID_PREFIX_MAX]; /* dialled before a country code, e.g. "011" */
	char trunk_prefix[SIPCID_PREFIX_MAX];         /* dialled before a national number, e.g. "1" */
	int national_min, national_max;               /* digits of a national number without trunk prefix */
	/* [numbers] emergency: added to the built-in list (sipcid_number_is_emergency) */
	int n_emergency;
	char emergency[SIPCID_EMERGENCY_MAX][SIPCID_EMERGENCY_LEN];
};

/* The built-in plans, by name: none, nanp, uk, de, fr, it, au, nl. */
bool sipcid_number_plan_preset(const char *name, struct sipcid_number_plan *plan);
/* The default plan is NANP (see sipcid.conf(5)). */
void sipcid_number_plan_default(struct sipcid_number_plan *plan);
/* Reads [numbers] over the default plan. Errors name the file and line. */
bool sipcid_number_plan_load(const struct sipcid_config *cfg, struct sipcid_number_plan *plan,
                             GError **error);

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
