/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON and readable renderings of a call record. */
#include "event_format.h"

#include "call_words.h"

#include <time.h>

void sipcid_event_json_string(GString *out, const char *s, bool empty_is_null)
{
	if (empty_is_null && (!s || !*s)) {
		g_string_append(out, "null");
		return;
	}
	g_string_append_c(out, '"');
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		/* Runs of characters that need no escape go out in one piece. */
		const unsigned char *run = p;
		while (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
			p++;
		g_string_append_len(out, (const char *)run, (gssize)(p - run));
		if (!*p)
			break;
		switch (*p++) {
		case '"': g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\r': g_string_append(out, "\\r"); break;
		case '\t': g_string_append(out, "\\t"); break;
		default:
			g_string_append_printf(out, "\\u%04x", p[-1]);
		}
	}
	g_string_append_c(out, '"');
}

void sipcid_event_format_time(GString *out, int64_t time_us)
{
	/* Calls come in bursts within the same second: format each second once. */
	static _Thread_local time_t cached_secs = -1;
	static _Thread_local char cached[32];
	time_t secs = (time_t)(time_us / 1000000);
	int ms = (int)((time_us % 1000000) / 1000);
	if (secs != cached_secs) {
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
		cached_secs = secs;
	}
	char frac[8] = { '.', '0', '0', '0', 'Z', '\0' };
	if (ms > 0) {
		frac[1] = (char)('0' + ms / 100);
		frac[2] = (char)('0' + ms / 10 % 10);
		frac[3] = (char)('0' + ms % 10);
	}
	g_string_append(out, cached);
	g_string_append(out, frac);
}

static void append_int(GString *out, int64_t v)
{
	char buf[24];
	int i = sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	g_string_append_len(out, buf + i, (gssize)(sizeof buf - i));
}

/* ,"name": in one append (the first key has no comma). */
#define KEY(out, name) g_string_append_len(out, ",\"" name "\":", sizeof(",\"" name "\":") - 1)

void sipcid_event_json(GString *out, const struct sipcid_call *c)
{
	g_string_append(out, "{\"event\":");
	sipcid_event_json_string(out, c->kind == SIPCID_EVENT_UPDATE ? "update" : "call", false);
	KEY(out, "call_id");
	sipcid_event_json_string(out, c->call_id, false);
	KEY(out, "time");
	g_string_append_c(out, '"');
	sipcid_event_format_time(out, c->time_us);
	g_string_append_c(out, '"');
	KEY(out, "number");
	sipcid_event_json_string(out, c->number, false);
	KEY(out, "number_raw");
	sipcid_event_json_string(out, c->number_raw, false);
	KEY(out, "name");
	sipcid_event_json_string(out, c->name, false);
	KEY(out, "presentation");
	sipcid_event_json_string(out, sipcid_call_presentation_name(c->presentation), false);
	KEY(out, "source");
	sipcid_event_json_string(out, sipcid_call_source_name(c->source), false);
	KEY(out, "malformed");
	g_string_append(out, c->malformed ? "true" : "false");
	KEY(out, "called");
	sipcid_event_json_string(out, c->called, false);
	KEY(out, "via");
	sipcid_event_json_string(out, c->via, true);
	KEY(out, "direction");
	sipcid_event_json_string(out, sipcid_call_direction_name(c->direction), false);
	KEY(out, "number_display");
	sipcid_event_json_string(out, c->number_display, true);
	KEY(out, "country");
	sipcid_event_json_string(out, c->country, true);
	KEY(out, "number_type");
	sipcid_event_json_string(out, c->number_type, true);
	KEY(out, "region");
	sipcid_event_json_string(out, c->region, true);
	KEY(out, "verstat");
	sipcid_event_json_string(out, c->verstat ? sipcid_call_verstat_name(c->verstat) : "",
	                         true);
	KEY(out, "attest");
	{
		char a[2] = { c->attest, '\0' };
		sipcid_event_json_string(out, a, true);
	}
	KEY(out, "alias");
	sipcid_event_json_string(out, c->alias, true);
	KEY(out, "action");
	sipcid_event_json_string(out, sipcid_call_action_name(c->action), false);
	KEY(out, "outcome");
	sipcid_event_json_string(out, c->outcome ? sipcid_call_outcome_name(c->outcome) : "",
	                         true);
	KEY(out, "rule");
	sipcid_event_json_string(out, c->rule, true);
	KEY(out, "record");
	g_string_append(out, c->record ? "true" : "false");
	KEY(out, "state");
	sipcid_event_json_string(out, sipcid_call_state_name(c->state), false);
	KEY(out, "ring_ms");
	append_int(out, c->ring_ms);
	KEY(out, "talk_ms");
	append_int(out, c->talk_ms);
	KEY(out, "box");
	sipcid_event_json_string(out, c->box, true);
	KEY(out, "line");
	sipcid_event_json_string(out, c->line, true);
	g_string_append_c(out, '}');
}

static void append_alias(GString *out, const struct sipcid_call *c)
{
	if (c->alias[0]) {
		g_string_append(out, "  \"");
		g_string_append(out, c->alias);
		g_string_append_c(out, '"');
	}
}

/* The household calling out: whom (the phonebook's name for the number
 * dialled) first, then the line it went out on. */
static void outgoing_line(GString *out, const struct sipcid_call *c)
{
	g_string_append(out, "outgoing to ");
	g_string_append(out, c->called[0] ? c->called : "(no number)");
	append_alias(out, c);
	if (c->number[0]) {
		g_string_append(out, "  from ");
		g_string_append(out, c->number);
	}
}

static void incoming_line(GString *out, const struct sipcid_call *c)
{
	g_string_append(out, c->number[0] ? c->number
	                                  : sipcid_call_words_withheld(c->presentation));
	append_alias(out, c);
	if (c->name[0]) {
		g_string_append(out, c->alias[0] ? "  (" : "  ");
		g_string_append(out, c->name);
		if (c->alias[0])
			g_string_append_c(out, ')');
	}
	if (c->presentation != SIPCID_PRES_ALLOWED && c->number[0]) {
		g_string_append(out, "  [");
		g_string_append(out, sipcid_call_presentation_name(c->presentation));
		g_string_append_c(out, ']');
	}
	const char *shaken = sipcid_call_words_shaken(c);
	if (shaken) {
		g_string_append(out, "  [");
		g_string_append(out, shaken);
		g_string_append_c(out, ']');
	}
	if (c->called[0]) {
		g_string_append(out, "  -> ");
		g_string_append(out, c->called);
	}
	if (c->via[0]) {
		g_string_append(out, "  via ");
		g_string_append(out, c->via);
	}
}

void sipcid_event_line(GString *out, const struct sipcid_call *c)
{
	sipcid_event_format_time(out, c->time_us);
	g_string_append(out, c->kind == SIPCID_EVENT_UPDATE ? "  update " : "  call   ");
	/* Plain appends, no printf: in live mode every event is printed, and
	 * at thousands of calls a second printf was most of the main loop. */
	if (c->direction == SIPCID_DIR_OUTGOING)
		outgoing_line(out, c);
	else
		incoming_line(out, c);
	if (c->action == SIPCID_ACTION_BLOCK) {
		g_string_append(out, "  BLOCKED");
		if (c->outcome != SIPCID_OUTCOME_NONE) {
			g_string_append(out, " (");
			g_string_append(out, sipcid_call_outcome_name(c->outcome));
			g_string_append_c(out, ')');
		}
	}
	if (c->kind == SIPCID_EVENT_UPDATE) {
		g_string_append(out, "  ");
		g_string_append(out, sipcid_call_state_name(c->state));
		g_string_append(out, " after ");
		sipcid_call_words_duration(out, c->ring_ms);
		if (c->state == SIPCID_STATE_ENDED) {
			g_string_append(out, ", talked ");
			sipcid_call_words_duration(out, c->talk_ms);
		}
	}
}

