/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Phonebook suggestions: numbers that called but are not in the phonebook,
 * appended once each to a file the user edits and copies from, the way VOIP
 * Recorder filled its phonebook from caller ID. Each line is a phonebook
 * entry with the network's name as the name:
 *
 *   +15551234567 "ACME CORP"  # first call 2026-11-21 22:54 UTC
 *
 * and a caller that sent no name gets the line commented out, since a
 * phonebook entry needs a name:
 *
 *   #+15557654321  # no name; first call 2026-11-21 22:55 UTC
 *
 * This does file I/O: call it from an output stage, never the packet path. */
#ifndef SIPCID_SUGGESTIONS_H
#define SIPCID_SUGGESTIONS_H

#include "call.h"
#include "rules.h"

#include <glib.h>
#include <stdbool.h>

struct sipcid_suggestions;

/* Nothing is read or created until the first suggestion. */
struct sipcid_suggestions *sipcid_suggestions_new(const char *path);
void sipcid_suggestions_free(struct sipcid_suggestions *s);

/* Appends call's number unless it is withheld, empty, already in the
 * phonebook of `rules`, or already in the file (the file is read again when
 * it changed, so numbers the user deleted come back when they call again).
 * Returns false with an error only when the file can't be read or written. */
bool sipcid_suggestions_add(struct sipcid_suggestions *s, const struct sipcid_rules *rules,
                            const struct sipcid_call *call, GError **error);

#endif
