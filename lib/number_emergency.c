/* Emergency numbers: a call to or from one is never blocked, whatever the
 * rules say (docs/callerid.md, "Emergency numbers"). The lists err on the
 * side of letting a call through: a number here that is not an emergency
 * number in the user's country only means a rule cannot block it.
 *
 * Sources:
 *  - everywhere: 3GPP TS 22.101 §10.1.1 makes every mobile phone treat 112
 *    and 911 as emergency numbers, and 000, 08, 110, 999, 118 and 119 too
 *    when it has no SIM; households that dial these expect them to work.
 *  - NANP (+1): 911; 933, the 911 address read-back test number that US
 *    VoIP carriers answer (it checks the registered E911 address); 988, the
 *    Suicide & Crisis Lifeline (FCC 20-100, 2020).
 *  - UK (+44): 999 and 112 (Ofcom General Conditions, C4 "Emergency call
 *    numbers"); 18000, the emergency relay number for text users.
 *  - Germany (+49): 110 police, 112 fire and ambulance (TKG §164, NotrufV).
 *  - France (+33): 15 SAMU, 17 police, 18 fire, 112, 114 (deaf users),
 *    115 emergency shelter, 119 children at risk, 191 aviation, 196 sea
 *    (ARCEP's list of "numéros d'urgence").
 *  - Italy (+39): 112, 113 police, 115 fire, 118 medical, 1530 coast guard,
 *    114 children (AGCOM numbering plan, delibera 8/15/CIR).
 *  - Australia (+61): 000, 112, and 106 for text users (ACMA,
 *    Telecommunications (Emergency Call Service) Determination 2019).
 *  - Netherlands (+31): 112 (Telecommunicatiewet art. 7.9).
 * [numbers] emergency adds more (sipcid.conf(5)). */
#include "number.h"

#include "config.h"

#include <glib.h>
#include <string.h>

static const char *const everywhere[] = { "112", "911", "000", "08", "110", "999", "118", "119" };

struct country_list {
	const char *country_code;
	const char *numbers[10];
};

static const struct country_list countries[] = {
	{ "1", { "933", "988" } },
	{ "44", { "18000" } },
	{ "49", { NULL } },
	{ "33", { "15", "17", "18", "114", "115", "191", "196" } },
	{ "39", { "113", "114", "115", "1530" } },
	{ "61", { "106" } },
	{ "31", { NULL } },
};

bool sipcid_number_is_emergency(const struct sipcid_number_plan *plan, const char *number)
{
	if (!number[0] || strlen(number) >= SIPCID_EMERGENCY_LEN)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(everywhere); i++)
		if (!strcmp(number, everywhere[i]))
			return true;
	if (plan->enabled) {
		for (size_t c = 0; c < G_N_ELEMENTS(countries); c++) {
			if (strcmp(plan->country_code, countries[c].country_code))
				continue;
			for (size_t i = 0; i < G_N_ELEMENTS(countries[c].numbers) &&
			                   countries[c].numbers[i]; i++)
				if (!strcmp(number, countries[c].numbers[i]))
					return true;
		}
	}
	for (int i = 0; i < plan->n_emergency && i < SIPCID_EMERGENCY_MAX; i++)
		if (!strcmp(number, plan->emergency[i]))
			return true;
	return false;
}

bool sipcid_number_emergency_load(const struct sipcid_config *cfg,
                                  struct sipcid_number_plan *plan, GError **error)
{
	g_auto(GStrv) list = NULL;
	plan->n_emergency = 0;
	if (!sipcid_config_list(cfg, "numbers", "emergency", &list, error))
		return false;
	for (int i = 0; list && list[i]; i++) {
		if (plan->n_emergency == SIPCID_EMERGENCY_MAX) {
			sipcid_config_set_error(cfg, error, "numbers", "emergency",
			                        "at most %d numbers can be added", SIPCID_EMERGENCY_MAX);
			return false;
		}
		/* Compared with the normalised called and calling numbers, as the
		 * rules compare theirs. */
		char normal[SIPCID_EMERGENCY_LEN + 8];
		if (!sipcid_number_normalise(plan, list[i], normal, sizeof normal) ||
		    strlen(normal) >= SIPCID_EMERGENCY_LEN) {
			sipcid_config_set_error(cfg, error, "numbers", "emergency",
			                        "'%s' is not a phone number; expected numbers like "
			                        "112, 911 or +44999, separated by commas", list[i]);
			return false;
		}
		g_strlcpy(plan->emergency[plan->n_emergency++], normal, SIPCID_EMERGENCY_LEN);
	}
	return true;
}
