/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The suggestions output: numbers not yet in the phonebook go to the
 * [rules] suggestions file (rules/suggestions.h), off the packet path. */
#ifndef SIPCID_OUTPUT_SUGGESTIONS_H
#define SIPCID_OUTPUT_SUGGESTIONS_H

#include "output.h"
#include "rules.h"

/* rules is the ruleset whose phonebook counts; the output keeps a reference
 * and sipcid_output_suggestions_set_rules() replaces it after a reload. */
struct sipcid_output *sipcid_output_suggestions_new(const char *path, struct sipcid_rules *rules);
void sipcid_output_suggestions_set_rules(struct sipcid_output *out, struct sipcid_rules *rules);

#endif
