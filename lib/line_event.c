/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names, words and renderings of line events. */
#include "line_event.h"

#include "event_format.h"

#include <time.h>

const char *sipcid_line_event_kind_name(enum sipcid_line_event_kind k)
{
	return k == SIPCID_LINE_EVENT_VOICEMAIL ? "voicemail" : "line";
}

bool sipcid_line_event_kind_parse(const char *s, enum sipcid_line_event_kind *out)
{
	if (!g_ascii_strcasecmp(s, "line"))
		*out = SIPCID_LINE_EVENT_LINE;
	else if (!g_ascii_strcasecmp(s, "voicemail"))
		*out = SIPCID_LINE_EVENT_VOICEMAIL;
	else
		return false;
	return true;
}

const char *sipcid_line_event_state_name(enum sipcid_line_state s)
{
	switch (s) {
	case SIPCID_LINE_UP: return "up";
	case SIPCID_LINE_DOWN: return "down";
	case SIPCID_LINE_UNKNOWN: break;
	}
	return "unknown";
}

bool sipcid_line_event_state_parse(const char *s, enum sipcid_line_state *out)
{
	if (!g_ascii_strcasecmp(s, "up"))
		*out = SIPCID_LINE_UP;
	else if (!g_ascii_strcasecmp(s, "down"))
		*out = SIPCID_LINE_DOWN;
	else
		return false;
	return true;
}

static void local_hhmm(GString *out, int64_t time_us)
{
	time_t secs = (time_t)(time_us / G_USEC_PER_SEC);
	struct tm tm;
	char buf[8];
	if (localtime_r(&secs, &tm) && strftime(buf, sizeof buf, "%H:%M", &tm))
		g_string_append(out, buf);
}

void sipcid_line_event_words(GString *out, const struct sipcid_line_event *ev)
{
	if (ev->kind == SIPCID_LINE_EVENT_VOICEMAIL) {
		int n = ev->new_messages;
		if (n < 0)  /* "Messages-Waiting: yes" without counts */
			g_string_append(out, ev->waiting ? "New voicemail" : "No new voicemail");
		else if (n == 0)
			g_string_append(out, "No new voicemail");
		else
			g_string_append_printf(out, "%d new voicemail%s", n, n == 1 ? "" : "s");
		if (ev->urgent_new > 0)
			g_string_append_printf(out, " (%d urgent)", ev->urgent_new);
		return;
	}
	if (ev->state == SIPCID_LINE_UP) {
		g_string_append(out, ev->first ? "Phone line up" : "Phone line back up");
		return;
	}
	g_string_append(out, "Phone line down since ");
	local_hhmm(out, ev->since_us);
	if (ev->reason[0]) {
		g_string_append(out, " (");
		g_string_append(out, ev->reason);
		g_string_append_c(out, ')');
	}
}

#define KEY(out, name) g_string_append(out, ",\"" name "\":")

static void json_time(GString *out, int64_t time_us)
{
	if (time_us <= 0) {
		g_string_append(out, "null");
		return;
	}
	g_string_append_c(out, '"');
	sipcid_event_format_time(out, time_us);
	g_string_append_c(out, '"');
}

static void json_count(GString *out, int n)
{
	if (n < 0)
		g_string_append(out, "null");
	else
		g_string_append_printf(out, "%d", n);
}

void sipcid_line_event_json(GString *out, const struct sipcid_line_event *ev)
{
	g_string_append(out, "{\"event\":");
	sipcid_event_json_string(out, sipcid_line_event_kind_name(ev->kind), false);
	KEY(out, "time");
	json_time(out, ev->time_us);
	if (ev->kind == SIPCID_LINE_EVENT_LINE) {
		KEY(out, "state");
		sipcid_event_json_string(out, sipcid_line_event_state_name(ev->state), false);
		KEY(out, "reason");
		sipcid_event_json_string(out, ev->reason, true);
		KEY(out, "registrar");
		sipcid_event_json_string(out, ev->registrar, true);
		KEY(out, "since");
		json_time(out, ev->since_us);
		KEY(out, "expires");
		json_time(out, ev->expires_us);
		KEY(out, "first");
		g_string_append(out, ev->first ? "true" : "false");
	} else {
		KEY(out, "waiting");
		g_string_append(out, ev->waiting ? "true" : "false");
		KEY(out, "new");
		json_count(out, ev->new_messages);
		KEY(out, "old");
		json_count(out, ev->old_messages);
		KEY(out, "urgent");
		json_count(out, ev->urgent_new);
		KEY(out, "urgent_old");
		json_count(out, ev->urgent_old);
	}
	KEY(out, "box");
	sipcid_event_json_string(out, ev->box, true);
	g_string_append_c(out, '}');
}

void sipcid_line_event_line(GString *out, const struct sipcid_line_event *ev)
{
	sipcid_event_format_time(out, ev->time_us);
	g_string_append(out, ev->kind == SIPCID_LINE_EVENT_LINE ? "  line   " : "  vmail  ");
	sipcid_line_event_words(out, ev);
	if (ev->kind == SIPCID_LINE_EVENT_LINE && ev->registrar[0]) {
		g_string_append(out, "  registrar ");
		g_string_append(out, ev->registrar);
	}
}
