/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a call's popup says: the words, the icon, the freedesktop category and
 * urgency, and how long it stays. Every backend (libnotify, osascript,
 * terminal-notifier) shows the same text, so a caller looks the same on every
 * desktop. Caller text is hostile: each field is cleaned, capped and, for
 * notification body markup, escaped here, and nowhere else. */
#ifndef SIPCID_POPUP_TEXT_H
#define SIPCID_POPUP_TEXT_H

#include "call.h"
#include "line_event.h"

#include <stdbool.h>
#include <stdint.h>

enum {
	/* Characters of one caller field in a popup; longer ones end in "…".
	 * The wire already caps names at 127 bytes; this keeps a line readable. */
	NOTIFY_POPUP_FIELD_MAX_CHARS = 64,
};

enum notify_popup_urgency {
	NOTIFY_POPUP_URGENCY_LOW = 0,
	NOTIFY_POPUP_URGENCY_NORMAL = 1,
	NOTIFY_POPUP_URGENCY_CRITICAL = 2
};

struct notify_popup_text {
	char *summary;        /* plain text, fixed words only: "Incoming call", "Missed call"... */
	char *who;            /* sipcid_call_words_who: alias, name, number or withheld words; escaped */
	char *body;           /* who in bold, then the details; escaped when markup */
	char *details;        /* time first, then number, line and flags; never markup */
	const char *icon;     /* a freedesktop icon name */
	const char *category; /* a freedesktop notification category */
	enum notify_popup_urgency urgency;
	int timeout_ms;       /* -1: the server's default, 0: stays until dismissed */
};

/* Fills t for call c. markup: the body is for a server with "body-markup".
 * now_us decides whether the call's date is shown next to its time. */
void notify_popup_text_make(struct notify_popup_text *t, const struct sipcid_call *c, bool markup,
                            int64_t now_us);
/* Fills t for a line or voicemail event: summary "Phone line" or
 * "Voicemail", who and body the words (line_event.h: "Phone line down
 * since 14:02 (403 Forbidden)", "2 new voicemails"), details the time. A
 * line that went down, and new voicemail, stay until dismissed. */
void notify_popup_text_make_line(struct notify_popup_text *t, const struct sipcid_line_event *ev,
                                 bool markup);
void notify_popup_text_clear(struct notify_popup_text *t);

/* One caller field as a popup shows it: valid UTF-8 without control
 * characters, at most max_chars characters, escaped for markup when asked.
 * Exposed for tests. */
char *notify_popup_text_field(const char *s, size_t max_chars, bool markup);

#endif
