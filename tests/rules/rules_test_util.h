/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the rule engine's tests. */
#ifndef SIPCID_RULES_TEST_UTIL_H
#define SIPCID_RULES_TEST_UTIL_H

#include "number.h"
#include "rules.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

static inline struct sipcid_number_plan nanp(void)
{
	struct sipcid_number_plan p;
	sipcid_number_plan_preset("nanp", &p);
	return p;
}

/* Loads rules (and a phonebook) from text under NANP; fails the test on error. */
static inline struct sipcid_rules *load_ok(const char *rules, const char *phonebook)
{
	struct sipcid_number_plan plan = nanp();
	GError *error = NULL;
	struct sipcid_rules *r = sipcid_rules_load_data("rules", rules, "phonebook", phonebook,
	                                                &plan, &error);
	g_assert_no_error(error);
	g_assert_nonnull(r);
	return r;
}

/* Loads rules that must fail; returns the error message (free it). */
static inline char *load_error(const char *rules, const char *phonebook)
{
	struct sipcid_number_plan plan = nanp();
	GError *error = NULL;
	struct sipcid_rules *r = sipcid_rules_load_data("rules", rules, "phonebook", phonebook,
	                                                &plan, &error);
	g_assert_null(r);
	g_assert_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX);
	char *msg = g_strdup(error->message);
	g_error_free(error);
	return msg;
}

/* A call as the SIP decode stage hands it over (numbers already normalised). */
static inline struct sipcid_call make_call(const char *number, const char *name)
{
	struct sipcid_call c = { 0 };
	g_strlcpy(c.number, number, sizeof c.number);
	g_strlcpy(c.number_raw, number, sizeof c.number_raw);
	g_strlcpy(c.name, name, sizeof c.name);
	g_strlcpy(c.called, "+15550001000", sizeof c.called);
	return c;
}

/* The deciding rule's line, 0 when none; checks the FILE part. */
static inline int decided_line(const struct sipcid_call *c)
{
	if (!c->rule[0])
		return 0;
	g_assert_true(g_str_has_prefix(c->rule, "rules:"));
	return atoi(c->rule + strlen("rules:"));
}

#endif
