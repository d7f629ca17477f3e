/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The call record that flows through sipcid's pipeline:
 *   capture -> SIP decode -> rules -> verdict and outputs (notify, log, record).
 * Each stage fills its own part and passes the struct on by value. Every string
 * is a fixed, NUL-terminated UTF-8 buffer with no control characters, so the
 * packet path fills it without allocating and outputs never see raw wire bytes. */
#ifndef SIPCID_CALL_H
#define SIPCID_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIPCID_CALLID_MAX = 256,
	SIPCID_NUMBER_MAX = 64,   /* E.164 is 15 digits; room for extensions and SIP users */
	SIPCID_NAME_MAX = 128,    /* carriers send 15 to 50 characters */
	SIPCID_RULE_MAX = 160,    /* "FILE:LINE" */
	SIPCID_BOX_MAX = 64,      /* a host name's first label is at most 63 bytes */
	SIPCID_COUNTRY_MAX = 3,   /* ISO 3166 alpha-2 */
	SIPCID_NUMBER_TYPE_MAX = 24, /* "fixed-line-or-mobile" */
	SIPCID_REGION_MAX = 96,   /* the geocoder's description, e.g. "London" */
};

enum sipcid_presentation {
	SIPCID_PRES_ALLOWED = 0,
	SIPCID_PRES_RESTRICTED,   /* the caller withheld it */
	SIPCID_PRES_UNAVAILABLE,  /* the network could not deliver it */
};

/* Which header the caller's number came from, in the trust order of docs/callerid.md. */
enum sipcid_id_source {
	SIPCID_SRC_NONE = 0,
	SIPCID_SRC_PAI,
	SIPCID_SRC_RPID,
	SIPCID_SRC_FROM,
	SIPCID_SRC_PPI,
};

enum sipcid_state {
	SIPCID_STATE_RINGING = 0,
	SIPCID_STATE_ANSWERED,
	SIPCID_STATE_MISSED,      /* cancelled by the caller or rejected */
	SIPCID_STATE_ENDED,       /* answered, then hung up */
	SIPCID_STATE_BLOCKED,     /* a rule blocked it: the phone never rang */
};

/* How a blocked call is turned away (sipcid-rules(5), "Outcomes").
 * NONE for allowed calls. */
enum sipcid_outcome {
	SIPCID_OUTCOME_NONE = 0,
	SIPCID_OUTCOME_DROP,      /* silence: the provider retries until its Timer B */
	SIPCID_OUTCOME_BUSY,      /* 486 Busy Here */
	SIPCID_OUTCOME_DECLINE,   /* 603 Decline: the provider's voicemail takes over */
	SIPCID_OUTCOME_GONE,      /* the number looks dead */
};

/* STIR/SHAKEN verification status as the carrier passed it on (verstat). */
enum sipcid_verstat {
	SIPCID_VERSTAT_NONE = 0,      /* not sent, or from an untrusted source: null in JSON */
	SIPCID_VERSTAT_PASSED,        /* TN-Validation-Passed */
	SIPCID_VERSTAT_FAILED,        /* TN-Validation-Failed */
	SIPCID_VERSTAT_NO_VALIDATION, /* No-TN-Validation */
};

enum sipcid_action {
	SIPCID_ACTION_ALLOW = 0,
	SIPCID_ACTION_BLOCK,
};

/* Which way the call goes across the bridge (docs/datapath.md, "Direction"). */
enum sipcid_direction {
	SIPCID_DIR_INCOMING = 0,  /* toward the phone; also whenever nothing is known */
	SIPCID_DIR_OUTGOING,      /* the phone (ATA) calling out through the provider */
};

/* Who sent an incoming INVITE, as far as the bridge has learned the line
 * (bridge-daemon/pipeline/line_learn.h). */
enum sipcid_origin {
	SIPCID_ORIGIN_UNKNOWN = 0, /* nothing learned yet: the ATA has not registered */
	SIPCID_ORIGIN_PROVIDER,    /* the registrar, its network, a dialog peer or trusted-sources */
	SIPCID_ORIGIN_STRANGER,    /* anyone else: a scanner's ghost call */
	SIPCID_ORIGIN_PHONE,       /* the ATA itself (an outgoing call) */
};

enum sipcid_event_kind {
	SIPCID_EVENT_CALL = 0,    /* a new call */
	SIPCID_EVENT_UPDATE,      /* a known call changed state */
};

struct sipcid_call {
	enum sipcid_event_kind kind;
	int64_t time_us;                      /* wall clock of the initial INVITE, µs since the epoch */

	/* SIP decode */
	char call_id[SIPCID_CALLID_MAX];
	char number[SIPCID_NUMBER_MAX];       /* normalised by the configured number plan */
	char number_raw[SIPCID_NUMBER_MAX];   /* as the network sent it, cleaned of unsafe bytes */
	char name[SIPCID_NAME_MAX];           /* empty when withheld or not sent */
	enum sipcid_presentation presentation;
	enum sipcid_id_source source;
	bool malformed;                       /* repeated From/To/Call-ID/CSeq: judged by every value */
	char called[SIPCID_NUMBER_MAX];       /* Request-URI or To user, normalised */
	char via[SIPCID_NUMBER_MAX];          /* who forwarded the call (Diversion, History-Info) */
	enum sipcid_direction direction;      /* outgoing: number is the line, called the far end */
	/* what the number is (libphonenumber); empty when not known */
	char number_display[SIPCID_NUMBER_MAX]; /* formatted for reading */
	char country[SIPCID_COUNTRY_MAX];     /* ISO 3166 alpha-2 */
	char number_type[SIPCID_NUMBER_TYPE_MAX]; /* "mobile", "toll-free", ... */
	char region[SIPCID_REGION_MAX];
	/* STIR/SHAKEN, only from trusted sources */
	enum sipcid_verstat verstat;
	char attest;                          /* 'A', 'B', 'C', or 0 when not known */
	/* for the rules only (not in events): who sent it, and whether no rule may block it */
	enum sipcid_origin origin;
	bool emergency;                       /* number or called is an emergency number */

	/* rules */
	char alias[SIPCID_NAME_MAX];          /* phonebook name; empty when not listed */
	enum sipcid_action action;
	enum sipcid_outcome outcome;          /* how a block was carried out; NONE when allowed */
	bool record;
	char rule[SIPCID_RULE_MAX];           /* "FILE:LINE" of the deciding rule; empty when none */

	/* call state */
	enum sipcid_state state;
	int64_t ring_ms;
	int64_t talk_ms;

	/* where (filled by the outputs stage, docs/events.md): the bridge box
	 * ([mqtt] box) and the line the call is on; empty when unknown */
	char box[SIPCID_BOX_MAX];
	char line[SIPCID_NUMBER_MAX];
};

const char *sipcid_call_presentation_name(enum sipcid_presentation p);
bool sipcid_call_presentation_parse(const char *s, enum sipcid_presentation *out);
const char *sipcid_call_source_name(enum sipcid_id_source s);
const char *sipcid_call_state_name(enum sipcid_state s);
bool sipcid_call_state_parse(const char *s, enum sipcid_state *out);
const char *sipcid_call_direction_name(enum sipcid_direction d);
bool sipcid_call_direction_parse(const char *s, enum sipcid_direction *out);
const char *sipcid_call_origin_name(enum sipcid_origin o);
bool sipcid_call_origin_parse(const char *s, enum sipcid_origin *out);
const char *sipcid_call_outcome_name(enum sipcid_outcome o);
bool sipcid_call_outcome_parse(const char *s, enum sipcid_outcome *out);
const char *sipcid_call_verstat_name(enum sipcid_verstat v);
bool sipcid_call_verstat_parse(const char *s, enum sipcid_verstat *out);
const char *sipcid_call_action_name(enum sipcid_action a);
bool sipcid_call_action_parse(const char *s, enum sipcid_action *out);

/* Copies at most dst_size-1 bytes, never splitting a UTF-8 sequence. */
void sipcid_call_strlcpy_utf8(char *dst, const char *src, size_t dst_size);

#endif
