/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Wording of network popups. The call record's strings are already clean
 * UTF-8 without control characters; nothing here adds any. */
#include "announce_text.h"

#include "call_words.h"

static const char *const type_names[] = { "Incoming Call", "Blocked Call", "Call Update", NULL };

enum sipcid_announce_type sipcid_announce_type_of(const struct sipcid_call *c)
{
	if (c->kind == SIPCID_EVENT_UPDATE)
		return SIPCID_ANNOUNCE_UPDATE;
	return c->action == SIPCID_ACTION_BLOCK ? SIPCID_ANNOUNCE_BLOCKED : SIPCID_ANNOUNCE_INCOMING;
}

const char *sipcid_announce_type_name(enum sipcid_announce_type t)
{
	return (unsigned)t < SIPCID_ANNOUNCE_TYPES ? type_names[t] : type_names[0];
}

const char *const *sipcid_announce_type_names(void)
{
	return type_names;
}

void sipcid_announce_title(GString *out, const struct sipcid_call *c)
{
	sipcid_call_words_title(out, c);
}

static void line(GString *out, const char *label, const char *value)
{
	if (out->len)
		g_string_append_c(out, '\n');
	if (label)
		g_string_append_printf(out, "%s: ", label);
	g_string_append(out, value);
}

/* The phone calling out: the number dialled, then the line it went out on. */
static void outgoing_description(GString *out, const struct sipcid_call *c)
{
	line(out, NULL, c->called[0] ? c->called : "Unknown number");
	if (c->number[0])
		line(out, "From line", c->number);
}

/* How long it rang and talked, once the call has moved on. */
static void durations(GString *out, const struct sipcid_call *c)
{
	if (c->kind != SIPCID_EVENT_UPDATE)
		return;
	if (c->ring_ms > 0) {
		line(out, "Rang", "");
		sipcid_call_words_duration(out, c->ring_ms);
	}
	if (c->talk_ms > 0) {
		line(out, "Talked", "");
		sipcid_call_words_duration(out, c->talk_ms);
	}
}

void sipcid_announce_description(GString *out, const struct sipcid_call *c)
{
	if (c->direction == SIPCID_DIR_OUTGOING) {
		outgoing_description(out, c);
		durations(out, c);
		return;
	}
	line(out, NULL, c->number[0] ? c->number : sipcid_call_words_withheld(c->presentation));
	if (c->number[0] && c->presentation == SIPCID_PRES_RESTRICTED)
		g_string_append(out, " (withheld)");
	if (c->alias[0] && c->name[0] && g_strcmp0(c->alias, c->name))
		line(out, "Caller ID", c->name);
	const char *shaken = sipcid_call_words_shaken(c);
	if (shaken)
		line(out, NULL, shaken);
	if (c->called[0])
		line(out, "To", c->called);
	if (c->via[0])
		line(out, "Forwarded by", c->via);
	if (c->kind == SIPCID_EVENT_CALL && c->action == SIPCID_ACTION_BLOCK) {
		line(out, NULL, "Blocked: the phone did not ring");
		const char *heard = sipcid_call_words_heard(c->outcome);
		if (heard)
			line(out, NULL, heard);
	}
	durations(out, c);
}
