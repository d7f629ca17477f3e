/* Phone-number normalisation by national numbering plan. */
#include "number.h"

#include "call.h"
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <glib.h>
#include <string.h>

struct preset {
	const char *name;
	struct sipcid_number_plan plan;
};

/* national_min/max count the digits after the trunk prefix. Where a country
 * has no trunk prefix that can be dropped (Italy keeps its leading 0), any
 * number of national length gets the country code put in front. */
static const struct preset presets[] = {
	{ "none", { .enabled = false } },
	{ "nanp", { true, "1", "011", "1", 10, 10, 0, { "" } } },
	{ "uk", { true, "44", "00", "0", 9, 10, 0, { "" } } },
	{ "de", { true, "49", "00", "0", 5, 11, 0, { "" } } },
	{ "fr", { true, "33", "00", "0", 9, 9, 0, { "" } } },
	{ "it", { true, "39", "00", "", 6, 11, 0, { "" } } },
	{ "au", { true, "61", "0011", "0", 9, 9, 0, { "" } } },
	{ "nl", { true, "31", "00", "0", 9, 9, 0, { "" } } },
};

bool sipcid_number_plan_preset(const char *name, struct sipcid_number_plan *plan)
{
	for (size_t i = 0; i < G_N_ELEMENTS(presets); i++) {
		if (!g_ascii_strcasecmp(name, presets[i].name)) {
			*plan = presets[i].plan;
			return true;
		}
	}
	return false;
}

void sipcid_number_plan_default(struct sipcid_number_plan *plan)
{
	sipcid_number_plan_preset("nanp", plan);
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

bool sipcid_number_plan_load(const struct sipcid_config *cfg, struct sipcid_number_plan *plan,
                             GError **error)
{
	static const char *const keys[] = { "plan", "country-code", "international-prefix",
		                            "trunk-prefix", "national-digits", "emergency", NULL };
	sipcid_number_plan_default(plan);
	if (!sipcid_config_check_keys(cfg, "numbers", keys, error))
		return false;
	g_autofree char *name = NULL;
	if (!sipcid_config_string(cfg, "numbers", "plan", &name, error))
		return false;
	if (name && !sipcid_number_plan_preset(name, plan)) {
		sipcid_config_set_error(cfg, error, "numbers", "plan",
		                        "unknown plan '%s'; expected none, nanp, uk, de, fr, it, au, nl "
		                        "or custom", name);
		if (g_ascii_strcasecmp(name, "custom"))
			return false;
		g_clear_error(error);
		*plan = (struct sipcid_number_plan){ .enabled = true, .national_min = 0,
			                             .national_max = 0 };
	}
	if (!load_prefix(cfg, "country-code", plan->country_code, error) ||
	    !load_prefix(cfg, "international-prefix", plan->international_prefix, error) ||
	    !load_prefix(cfg, "trunk-prefix", plan->trunk_prefix, error))
		return false;
	g_autofree char *digits = NULL;
	if (!sipcid_config_string(cfg, "numbers", "national-digits", &digits, error))
		return false;
	if (digits) {
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
		plan->national_min = lo;
		plan->national_max = hi;
	}
	if (plan->enabled && !plan->country_code[0]) {
		sipcid_config_set_error(cfg, error, "numbers", "plan",
		                        "a numbering plan needs country-code");
		return false;
	}
	return sipcid_number_emergency_load(cfg, plan, error);
}

static bool is_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

static bool national_length(const struct sipcid_number_plan *plan, size_t n)
{
	return plan->national_max > 0 && (int)n >= plan->national_min && (int)n <= plan->national_max;
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
		size_t intl = strlen(plan->international_prefix), trunk = strlen(plan->trunk_prefix);
		if (starts_with(digits, plan->international_prefix) && n > intl && n - intl <= 15) {
			join3(out, out_size, "+", digits + intl, "");
			return true;
		}
		bool has_trunk = starts_with(digits, plan->trunk_prefix);
		if (has_trunk && national_length(plan, n - trunk)) {
			join3(out, out_size, "+", cc, digits + trunk);
			return true;
		}
		/* Without the trunk prefix a national number can't start with it
		 * (NANP numbers never start with 1); where there is none (Italy keeps
		 * its leading 0), every national-length number is national. */
		if (!has_trunk && national_length(plan, n)) {
			join3(out, out_size, "+", cc, digits);
			return true;
		}
	}
	g_strlcpy(out, digits, out_size);
	return true;

not_a_number:
	sipcid_strlcpy_utf8(out, raw, out_size);
	return false;
}
