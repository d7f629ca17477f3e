/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The words every renderer uses for a call: who is calling, what happened,
 * and how long it lasted. Growl/GNTP titles (announce_text.c), desktop
 * popups (notifiers/popup_text.c) and the readable event line
 * (event_format.c) all say them the same way; each renderer keeps its own
 * layout, escaping and urgency. The strings returned are fixed words or the
 * call's own fields, which are already clean UTF-8 (call.h). */
#ifndef SIPCID_CALL_WORDS_H
#define SIPCID_CALL_WORDS_H

#include "call.h"

#include <glib.h>
#include <stdint.h>

/* What to say for a caller without a number: "Withheld number" when the
 * caller withheld it, "Number unavailable" when the network could not send
 * it, else "Unknown caller". */
const char *sipcid_call_words_withheld(enum sipcid_presentation p);

/* The best name for the other end. For an incoming call the caller: the
 * user's own phonebook alias, then the network's name, then the number, then
 * the withheld words. For an outgoing call (the phone calling out) whom it
 * called: the phonebook's name for the number dialled, then that number, then
 * "Unknown number". */
const char *sipcid_call_words_who(const struct sipcid_call *call);

/* What happened, as a headline: "Incoming call", "Blocked call",
 * "Call answered", "Missed call" or "Call ended". A blocked call stays
 * "Blocked call" in every state: the phone never rang; with its outcome
 * when known: "Blocked call (busy signal)", "(declined)", "(not in
 * service)", "(dropped)". An outgoing call is "Calling", then
 * "Call answered", "No answer" or "Call ended". */
const char *sipcid_call_words_what(const struct sipcid_call *call);

/* What the blocked caller heard, as a sentence: "They heard a busy signal.",
 * "Declined: their provider's voicemail took over.", ...; NULL for
 * SIPCID_OUTCOME_NONE (not blocked, or not known). */
const char *sipcid_call_words_heard(enum sipcid_outcome outcome);

/* Appends the one-line title: "WHAT: WHO" ("Incoming call: Mom"), and for
 * the phone starting a call "Calling WHO" ("Calling Mom"). */
void sipcid_call_words_title(GString *out, const struct sipcid_call *call);

/* What the carrier's STIR/SHAKEN check said of the caller's number:
 * "Verified", "Verified (attestation A)", "Failed verification", "Not
 * verified" (the carrier did not check), "Attestation B" (a level without a
 * verstat), or NULL when nothing is known. */
const char *sipcid_call_words_shaken(const struct sipcid_call *call);

/* Appends a duration truncated to whole seconds: "42 s" under a minute,
 * "1:05" under an hour, "1:02:03" from an hour on. Negative counts as 0. */
void sipcid_call_words_duration(GString *out, int64_t ms);

#endif
