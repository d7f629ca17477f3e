/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CSV, JSON and readable renderings of call log rows. */
#include "calllog_export.h"

#include "call_words.h"
#include "event_format.h"

#include <string.h>
#include <time.h>

void sipcid_calllog_csv_field(GString *out, const char *s)
{
	bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		g_string_append(out, s);
		return;
	}
	g_string_append_c(out, '"');
	if (formula)
		g_string_append_c(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *s);
	}
	g_string_append_c(out, '"');
}

static const char *const csv_columns[] = {
	"time", "number", "number_raw", "name", "alias", "presentation", "source", "called", "via",
	"action", "rule", "record", "state", "ring_ms", "talk_ms", "recording", "call_id",
	"direction", "verstat", "attest", "outcome", NULL,
};

void sipcid_calllog_csv_header(GString *out)
{
	for (int i = 0; csv_columns[i]; i++) {
		if (i)
			g_string_append_c(out, ',');
		g_string_append(out, csv_columns[i]);
	}
	g_string_append(out, "\r\n");
}

void sipcid_calllog_csv_row(GString *out, const struct sipcid_calllog_row *r)
{
	const struct sipcid_call *c = &r->call;
	GString *t = g_string_new(NULL);
	sipcid_event_format_time(t, c->time_us);
	char ring[24], talk[24];
	g_snprintf(ring, sizeof ring, "%" G_GINT64_FORMAT, c->ring_ms);
	g_snprintf(talk, sizeof talk, "%" G_GINT64_FORMAT, c->talk_ms);
	char attest[2] = { c->attest, '\0' };
	const char *fields[] = {
		t->str, c->number, c->number_raw, c->name, c->alias,
		sipcid_call_presentation_name(c->presentation), sipcid_call_source_name(c->source), c->called,
		c->via, sipcid_call_action_name(c->action), c->rule, c->record ? "1" : "0",
		sipcid_call_state_name(c->state), ring, talk, r->recording, c->call_id,
		sipcid_call_direction_name(c->direction),
		c->verstat ? sipcid_call_verstat_name(c->verstat) : "", attest,
		c->outcome != SIPCID_OUTCOME_NONE ? sipcid_call_outcome_name(c->outcome) : "",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (i)
			g_string_append_c(out, ',');
		sipcid_calllog_csv_field(out, fields[i]);
	}
	g_string_append(out, "\r\n");
	g_string_free(t, TRUE);
}

void sipcid_calllog_json_row(GString *out, const struct sipcid_calllog_row *r)
{
	sipcid_event_json(out, &r->call);
	g_string_truncate(out, out->len - 1); /* the closing brace */
	g_string_append(out, ",\"recording\":");
	sipcid_event_json_string(out, r->recording, true);
	g_string_append(out, "}\n");
}

/* Text for a terminal: the file may have been edited by hand, so control
 * characters (escape sequences) are shown as '?'. */
static void append_safe(GString *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		g_string_append_c(out, (*p < 0x20 || *p == 0x7f) ? '?' : (char)*p);
}

void sipcid_calllog_text_row(GString *out, const struct sipcid_calllog_row *r)
{
	const struct sipcid_call *c = &r->call;
	time_t secs = (time_t)(c->time_us / G_USEC_PER_SEC);
	struct tm tm;
	localtime_r(&secs, &tm);
	char when[32];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	g_string_append_printf(out, "%s  ", when);
	GString *who = g_string_new(NULL);
	/* An outgoing call is listed by whom the phone called. */
	if (c->direction == SIPCID_DIR_OUTGOING)
		g_string_append_printf(who, "to %s", c->called[0] ? c->called : "?");
	else if (c->number[0])
		g_string_append(who, c->number);
	else
		g_string_append_printf(who, "(%s)", sipcid_call_presentation_name(c->presentation));
	append_safe(out, who->str);
	for (gsize i = who->len; i < 16; i++)
		g_string_append_c(out, ' ');
	g_string_free(who, TRUE);
	g_string_append_c(out, ' ');
	if (c->alias[0]) {
		g_string_append_c(out, '"');
		append_safe(out, c->alias);
		g_string_append(out, "\" ");
	}
	if (c->name[0]) {
		g_string_append(out, c->alias[0] ? "(" : "");
		append_safe(out, c->name);
		g_string_append(out, c->alias[0] ? ") " : " ");
	}
	/* Fixed words (call_words.h): nothing from the file reaches the terminal. */
	const char *shaken = sipcid_call_words_shaken(c);
	if (shaken)
		g_string_append_printf(out, "[%s] ", shaken);
	if (c->action == SIPCID_ACTION_BLOCK || c->state == SIPCID_STATE_BLOCKED) {
		g_string_append(out, " BLOCKED");
		if (c->outcome != SIPCID_OUTCOME_NONE)
			g_string_append_printf(out, " (%s)", sipcid_call_outcome_name(c->outcome));
	} else {
		g_string_append_printf(out, " %s", sipcid_call_state_name(c->state));
	}
	if (c->state == SIPCID_STATE_ENDED)
		g_string_append_printf(out, " %" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
		                       c->talk_ms / 60000, (c->talk_ms / 1000) % 60);
	if (r->recording[0]) {
		g_string_append(out, "  rec ");
		append_safe(out, r->recording);
	}
	g_string_append_c(out, '\n');
}
