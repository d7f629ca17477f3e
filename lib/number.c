/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Phone-number normalisation by national numbering plan: the plan comes
 * from libphonenumber at load time, the normalising allocates nothing. */
#include "number.h"

#include "call.h"
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <glib.h>
#include <string.h>

/* The plan names of the hand-written plans libphonenumber replaced. */
static const struct {
	const char *name, *country;
} old_names[] = {
	{ "nanp", "US" }, { "uk", "GB" }, { "de", "DE" }, { "fr", "FR" },
	{ "it", "IT" },   { "au", "AU" }, { "nl", "NL" },
};

bool sipcid_number_plan_country(const char *iso, struct sipcid_number_plan *plan)
{
	struct sipcid_phonenumber_home home;
	char country[SIPCID_COUNTRY_MAX];
	if (!sipcid_phonenumber_country_known(iso, country) ||
	    !sipcid_phonenumber_home(country, &home))
		return false;
	*plan = (struct sipcid_number_plan){ .enabled = true };
	g_strlcpy(plan->country, country, sizeof plan->country);
	g_strlcpy(plan->country_code, home.country_code, sizeof plan->country_code);
	g_strlcpy(plan->trunk_prefix, home.trunk_prefix, sizeof plan->trunk_prefix);
	plan->n_international = home.n_international;
	memcpy(plan->international_prefix, home.international, sizeof plan->international_prefix);
	plan->national_lengths = home.national_lengths;
	/* Where there is no trunk prefix (Italy keeps its leading 0), every
	 * national number is dialled bare; elsewhere a bare number could be a
	 * local number or an extension, so only a subscriber's length counts. */
	plan->bare_lengths = home.trunk_prefix[0] ? home.subscriber_lengths : home.national_lengths;
	return true;
}

/* none, or one of old_names */
static bool plan_named(const char *name, struct sipcid_number_plan *plan)
{
	if (!g_ascii_strcasecmp(name, "none")) {
		*plan = (struct sipcid_number_plan){ .enabled = false };
		return true;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(old_names); i++)
		if (!g_ascii_strcasecmp(name, old_names[i].name))
			return sipcid_number_plan_country(old_names[i].country, plan);
	return false;
}

bool sipcid_number_plan_preset(const char *name, struct sipcid_number_plan *plan)
{
	return plan_named(name, plan) || sipcid_number_plan_country(name, plan);
}

void sipcid_number_plan_default(struct sipcid_number_plan *plan)
{
	if (!sipcid_number_plan_country("US", plan))
		*plan = (struct sipcid_number_plan){ .enabled = false };
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool load_prefix(const struct sipcid_config *cfg, const char *key, char *dst,
                        GError **error)
{
	g_autofree char *v = NULL;
	if (!sipcid_config_string(cfg, "numbers", key, &v, error))
		return false;
	if (!v)
		return true;
	if (!all_digits(v) || strlen(v) >= SIPCID_PREFIX_MAX) {
		sipcid_config_set_error(cfg, error, "numbers", key,
		                        "expected up to %d digits (or nothing), not '%s'",
		                        SIPCID_PREFIX_MAX - 1, v);
		return false;
	}
	g_strlcpy(dst, v, SIPCID_PREFIX_MAX);
	return true;
}

/* country = ISO code, or the old plan = NAME; both is an error. */
static bool load_country(const struct sipcid_config *cfg, struct sipcid_number_plan *plan,
                         GError **error)
{
	g_autofree char *name = NULL, *country = NULL;
	if (!sipcid_config_string(cfg, "numbers", "plan", &name, error) ||
	    !sipcid_config_string(cfg, "numbers", "country", &country, error))
		return false;
	if (name && country) {
		sipcid_config_set_error(cfg, error, "numbers", "plan",
		                        "plan and country both say which country's numbers these "
		                        "are; keep only country = %s", country);
		return false;
	}
	if (country && !sipcid_number_plan_country(country, plan)) {
		sipcid_config_set_error(cfg, error, "numbers", "country",
		                        "unknown country '%s'; expected a two-letter ISO 3166 code "
		                        "such as US, CA, GB, DE or IN", country);
		return false;
	}
	if (name && !g_ascii_strcasecmp(name, "custom")) {
		*plan = (struct sipcid_number_plan){ .enabled = true };
		return true;
	}
	if (name && !plan_named(name, plan)) {
		sipcid_config_set_error(cfg, error, "numbers", "plan",
		                        "unknown plan '%s'; expected none, nanp, uk, de, fr, it, au, "
		                        "nl or custom (or country = an ISO 3166 code instead)", name);
		return false;
	}
	return true;
}

/* "10" or "9-11": the digits of a national number, for a custom plan. */
static bool load_national_digits(const struct sipcid_config *cfg,
                                 struct sipcid_number_plan *plan, GError **error)
{
	g_autofree char *digits = NULL;
	if (!sipcid_config_string(cfg, "numbers", "national-digits", &digits, error))
		return false;
	if (!digits)
		return true;
	int lo = 0, hi = 0, used = 0;
	if (sscanf(digits, "%d-%d%n", &lo, &hi, &used) == 2 && digits[used] == '\0') {
	} else if (sscanf(digits, "%d%n", &lo, &used) == 1 && digits[used] == '\0') {
		hi = lo;
	} else {
		lo = -1;
	}
	if (lo < 1 || hi < lo || hi > 14) {
		sipcid_config_set_error(cfg, error, "numbers", "national-digits",
		                        "expected a digit count like 10 or a range like 9-11 "
		                        "(1 to 14), not '%s'", digits);
		return false;
	}
	plan->national_lengths = 0;
	for (int n = lo; n <= hi; n++)
		plan->national_lengths |= 1u << n;
	plan->bare_lengths = plan->national_lengths;
	return true;
}

bool sipcid_number_plan_load(const struct sipcid_config *cfg, struct sipcid_number_plan *plan,
                             GError **error)
{
	static const char *const keys[] = { "country", "plan", "country-code",
		                            "international-prefix", "trunk-prefix",
		                            "national-digits", "emergency", NULL };
	sipcid_number_plan_default(plan);
	if (!sipcid_config_check_keys(cfg, "numbers", keys, error) ||
	    !load_country(cfg, plan, error))
		return false;
	char idd[SIPCID_PREFIX_MAX] = "\1";  /* not a digit: not set */
	if (!load_prefix(cfg, "country-code", plan->country_code, error) ||
	    !load_prefix(cfg, "international-prefix", idd, error) ||
	    !load_prefix(cfg, "trunk-prefix", plan->trunk_prefix, error) ||
	    !load_national_digits(cfg, plan, error))
		return false;
	if (idd[0] != '\1') {
		/* one the user names replaces libphonenumber's */
		plan->n_international = idd[0] ? 1 : 0;
		g_strlcpy(plan->international_prefix[0], idd, SIPCID_PREFIX_MAX);
	}
	if (plan->enabled && !plan->country_code[0]) {
		sipcid_config_set_error(cfg, error, "numbers", "plan",
		                        "a numbering plan needs country-code");
		return false;
	}
	/* libphonenumber reads its metadata now rather than on the first call */
	sipcid_phonenumber_warm();
	return sipcid_number_emergency_load(cfg, plan, error);
}

static bool is_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

static bool has_length(uint32_t lengths, size_t n)
{
	return n < 32 && (lengths >> n & 1u);
}

static bool starts_with(const char *s, const char *prefix)
{
	return *prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* out = prefix + a + b, cut to fit; cheaper than printf on the packet path. */
static void join3(char *out, size_t out_size, const char *a, const char *b, const char *c)
{
	size_t o = 0;
	const char *parts[] = { a, b, c };
	for (int i = 0; i < 3; i++)
		for (const char *p = parts[i]; *p && o + 1 < out_size; p++)
			out[o++] = *p;
	if (out_size)
		out[o] = '\0';
}

bool sipcid_number_normalise(const struct sipcid_number_plan *plan, const char *raw, char *out,
                             size_t out_size)
{
	/* E.164 has at most 15 digits; anything longer is not a phone number. */
	char digits[SIPCID_NUMBER_MAX];
	size_t n = 0;
	bool plus = false;
	const char *p = raw;
	while (*p == ' ')
		p++;
	if (*p == '+') {
		plus = true;
		p++;
	}
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof digits)
				goto not_a_number;
			digits[n++] = *p;
		} else if (!is_separator(*p)) {
			goto not_a_number;
		}
	}
	digits[n] = '\0';
	if (n == 0)
		goto not_a_number;
	if (plus) {
		if (n > 15)
			goto not_a_number;
		join3(out, out_size, "+", digits, "");
		return true;
	}
	if (plan->enabled) {
		const char *cc = plan->country_code;
		size_t trunk = strlen(plan->trunk_prefix);
		for (int i = 0; i < plan->n_international && i < SIPCID_PHONENUMBER_IDD_MAX; i++) {
			const char *idd = plan->international_prefix[i];
			size_t intl = strlen(idd);
			/* no country code starts with 0 */
			if (starts_with(digits, idd) && n > intl && n - intl <= 15 &&
			    digits[intl] != '0') {
				join3(out, out_size, "+", digits + intl, "");
				return true;
			}
		}
		bool has_trunk = starts_with(digits, plan->trunk_prefix);
		if (has_trunk && has_length(plan->national_lengths, n - trunk)) {
			join3(out, out_size, "+", cc, digits + trunk);
			return true;
		}
		/* Without the trunk prefix a national number can't start with it
		 * (NANP numbers never start with 1); where there is none (Italy keeps
		 * its leading 0), every national-length number is national. */
		if (!has_trunk && has_length(plan->bare_lengths, n)) {
			join3(out, out_size, "+", cc, digits);
			return true;
		}
	}
	g_strlcpy(out, digits, out_size);
	return true;

not_a_number:
	sipcid_call_strlcpy_utf8(out, raw, out_size);
	return false;
}

void sipcid_number_describe_call(const struct sipcid_number_plan *plan, struct sipcid_call *call)
{
	struct sipcid_phonenumber_facts f;
	sipcid_phonenumber_describe(call->number, plan->country, SIPCID_PHONENUMBER_ALL, &f);
	g_strlcpy(call->number_display, f.display, sizeof call->number_display);
	g_strlcpy(call->country, f.country, sizeof call->country);
	g_strlcpy(call->number_type, f.type, sizeof call->number_type);
	g_strlcpy(call->region, f.region, sizeof call->region);
}
