/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared words for a call (see call_words.h). */
#include "call_words.h"

const char *sipcid_call_words_withheld(enum sipcid_presentation p)
{
	switch (p) {
	case SIPCID_PRES_RESTRICTED: return "Withheld number";
	case SIPCID_PRES_UNAVAILABLE: return "Number unavailable";
	case SIPCID_PRES_ALLOWED: break;
	}
	return "Unknown caller";
}

const char *sipcid_call_words_shaken(const struct sipcid_call *c)
{
	/* indexed by attestation: none, A, B, C */
	static const char *const passed[] = { "Verified", "Verified (attestation A)",
		                              "Verified (attestation B)",
		                              "Verified (attestation C)" };
	static const char *const level_only[] = { NULL, "Attestation A", "Attestation B",
		                                  "Attestation C" };
	int level = c->attest >= 'A' && c->attest <= 'C' ? c->attest - 'A' + 1 : 0;
	switch (c->verstat) {
	case SIPCID_VERSTAT_PASSED: return passed[level];
	case SIPCID_VERSTAT_FAILED: return "Failed verification";
	case SIPCID_VERSTAT_NO_VALIDATION: return "Not verified";
	case SIPCID_VERSTAT_NONE: break;
	}
	return level_only[level];
}

const char *sipcid_call_words_who(const struct sipcid_call *c)
{
	if (c->direction == SIPCID_DIR_OUTGOING)
		return c->alias[0] ? c->alias : c->called[0] ? c->called : "Unknown number";
	if (c->alias[0])
		return c->alias;
	if (c->name[0])
		return c->name;
	if (c->number[0])
		return c->number;
	return sipcid_call_words_withheld(c->presentation);
}

static const char *outgoing_what(enum sipcid_state s)
{
	switch (s) {
	case SIPCID_STATE_RINGING: return "Calling";
	case SIPCID_STATE_ANSWERED: return "Call answered";
	case SIPCID_STATE_MISSED: return "No answer";
	case SIPCID_STATE_ENDED: return "Call ended";
	case SIPCID_STATE_BLOCKED: return "No answer"; /* outgoing calls are never blocked */
	}
	return "Calling";
}

static const char *blocked_what(enum sipcid_outcome o)
{
	switch (o) {
	case SIPCID_OUTCOME_BUSY: return "Blocked call (busy signal)";
	case SIPCID_OUTCOME_DECLINE: return "Blocked call (declined)";
	case SIPCID_OUTCOME_GONE: return "Blocked call (not in service)";
	case SIPCID_OUTCOME_DROP: return "Blocked call (dropped)";
	case SIPCID_OUTCOME_NONE: break;
	}
	return "Blocked call";
}

const char *sipcid_call_words_heard(enum sipcid_outcome o)
{
	switch (o) {
	case SIPCID_OUTCOME_BUSY: return "They heard a busy signal.";
	case SIPCID_OUTCOME_DECLINE: return "Declined: their provider's voicemail or announcement "
		                            "took over.";
	case SIPCID_OUTCOME_GONE: return "They heard that the number is not in service.";
	case SIPCID_OUTCOME_DROP: return "No answer: they heard ringing until their provider gave "
		                         "up.";
	case SIPCID_OUTCOME_NONE: break;
	}
	return NULL;
}

const char *sipcid_call_words_what(const struct sipcid_call *c)
{
	if (c->direction == SIPCID_DIR_OUTGOING)
		return outgoing_what(c->state);  /* never blocked */
	if (c->action == SIPCID_ACTION_BLOCK || c->state == SIPCID_STATE_BLOCKED)
		return blocked_what(c->outcome);
	switch (c->state) {
	case SIPCID_STATE_RINGING: return "Incoming call";
	case SIPCID_STATE_ANSWERED: return "Call answered";
	case SIPCID_STATE_MISSED: return "Missed call";
	case SIPCID_STATE_ENDED: return "Call ended";
	case SIPCID_STATE_BLOCKED: return "Blocked call";
	}
	return "Incoming call";
}

void sipcid_call_words_title(GString *out, const struct sipcid_call *c)
{
	g_string_append(out, sipcid_call_words_what(c));
	bool calling = c->direction == SIPCID_DIR_OUTGOING && c->state == SIPCID_STATE_RINGING;
	g_string_append(out, calling ? " " : ": ");
	g_string_append(out, sipcid_call_words_who(c));
}

void sipcid_call_words_duration(GString *out, int64_t ms)
{
	/* Truncated, not rounded: a call that lasted 59.6 s did not last a minute. */
	int64_t s = ms > 0 ? ms / 1000 : 0;
	if (s < 60)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " s", s);
	else if (s < 3600)
		g_string_append_printf(out, "%" G_GINT64_FORMAT ":%02d", s / 60, (int)(s % 60));
	else
		g_string_append_printf(out, "%" G_GINT64_FORMAT ":%02d:%02d", s / 3600,
		                       (int)(s / 60 % 60), (int)(s % 60));
}
