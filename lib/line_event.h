/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Events about the phone line itself rather than a call: whether the ATA is
 * registered with its provider (`line`), and how many voicemails wait
 * (`voicemail`). They travel beside call records (lib/call.h) — on their own
 * ring in the pipeline, to outputs through output.h's emit_line, on the wire
 * as their own datagram kinds — so no call field is borrowed for them.
 * docs/events.md, "Line events". Every string is fixed-size, clean UTF-8. */
#ifndef SIPCID_LINE_EVENT_H
#define SIPCID_LINE_EVENT_H

#include "call.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
	SIPCID_LINE_REASON_MAX = 64,     /* "403 Forbidden", "no answer from the registrar" */
	SIPCID_LINE_REGISTRAR_MAX = 48,  /* "[2001:db8::1]:5060" */
};

enum sipcid_line_event_kind {
	SIPCID_LINE_EVENT_LINE = 0,      /* the registration went up or down */
	SIPCID_LINE_EVENT_VOICEMAIL,     /* the count of waiting messages changed */
};

enum sipcid_line_state {
	SIPCID_LINE_UNKNOWN = 0,         /* nothing seen yet (never in an event) */
	SIPCID_LINE_UP,
	SIPCID_LINE_DOWN,
};

struct sipcid_line_event {
	enum sipcid_line_event_kind kind;
	int64_t time_us;                 /* when it was announced (capture clock with --read) */

	/* kind line */
	enum sipcid_line_state state;
	char reason[SIPCID_LINE_REASON_MAX];  /* why down; empty when up */
	char registrar[SIPCID_LINE_REGISTRAR_MAX];  /* "ADDRESS:PORT"; empty when unknown */
	int64_t since_us;                /* when the line entered this state */
	int64_t expires_us;              /* up: the registration's end; 0 when unknown */
	bool first;                      /* the first state learned since sipcidd started */

	/* kind voicemail: -1 where the provider sent no count */
	bool waiting;                    /* Messages-Waiting: yes */
	int new_messages, old_messages, urgent_new, urgent_old;

	/* where (filled by the outputs stage, like a call's) */
	char box[SIPCID_BOX_MAX];
};

const char *sipcid_line_event_kind_name(enum sipcid_line_event_kind k);   /* "line", "voicemail" */
bool sipcid_line_event_kind_parse(const char *s, enum sipcid_line_event_kind *out);
const char *sipcid_line_event_state_name(enum sipcid_line_state s);       /* "up", "down" */
bool sipcid_line_event_state_parse(const char *s, enum sipcid_line_state *out);

/* What a person is told, the same in popups, Growl and the readable line:
 * "Phone line down since 14:02 (403 Forbidden)", "Phone line back up" (or
 * "Phone line up" for the first state learned, `first`), "2 new voicemails",
 * "1 new voicemail", "No new voicemail". Times are local, HH:MM. */
void sipcid_line_event_words(GString *out, const struct sipcid_line_event *ev);

/* The JSON object (docs/events.md) and the readable line, no newline. */
void sipcid_line_event_json(GString *out, const struct sipcid_line_event *ev);
void sipcid_line_event_line(GString *out, const struct sipcid_line_event *ev);

#endif
