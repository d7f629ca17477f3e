/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The words of a call popup (see popup_text.h). */
#include "popup_text.h"

#include "call_words.h"
#include "text.h"

#include <glib.h>
#include <string.h>

char *notify_popup_text_field(const char *s, size_t max_chars, bool markup)
{
	/* Cleaning may grow invalid bytes into U+FFFD (3 bytes each); a field
	 * never needs more than max_chars characters, so clean a bounded prefix. */
	size_t in_len = strlen(s);
	size_t cap = (max_chars + 1) * 4;
	if (in_len > cap)
		in_len = cap;
	char *clean = g_malloc(cap * 3 + 1);
	sipcid_text_clean(s, in_len, clean, cap * 3 + 1);
	if ((size_t)g_utf8_strlen(clean, -1) > max_chars) {
		char *end = g_utf8_offset_to_pointer(clean, (glong)(max_chars > 0 ? max_chars - 1 : 0));
		*end = '\0';
		char *cut = g_strconcat(clean, "…", NULL);
		g_free(clean);
		clean = cut;
	}
	if (!markup)
		return clean;
	char *escaped = g_markup_escape_text(clean, -1);
	g_free(clean);
	return escaped;
}

/* The categories of the Desktop Notifications Specification. */
static const char *category_for(const struct sipcid_call *c)
{
	if (c->direction == SIPCID_DIR_OUTGOING)
		return c->state == SIPCID_STATE_ENDED ? "call.ended" : "call.outgoing";
	switch (c->state) {
	case SIPCID_STATE_MISSED: return "call.unanswered";
	case SIPCID_STATE_BLOCKED: return "call.unanswered"; /* it never rang */
	case SIPCID_STATE_ENDED: return "call.ended";
	case SIPCID_STATE_RINGING:
	case SIPCID_STATE_ANSWERED: break;
	}
	return "call.incoming";
}

/* "14:03", or "2026-11-20 14:03" when the call was not today, then how long
 * it rang and talked once the call has moved on. */
static void append_time(GString *out, const struct sipcid_call *c, int64_t now_us)
{
	int64_t t = c->time_us > 0 ? c->time_us : now_us;
	GDateTime *when = g_date_time_new_from_unix_local(t / G_USEC_PER_SEC);
	GDateTime *now = g_date_time_new_from_unix_local(now_us / G_USEC_PER_SEC);
	if (when && now) {
		bool today = g_date_time_get_year(when) == g_date_time_get_year(now) &&
		             g_date_time_get_day_of_year(when) == g_date_time_get_day_of_year(now);
		char *s = g_date_time_format(when, today ? "%H:%M" : "%Y-%m-%d %H:%M");
		g_string_append(out, s ? s : "");
		g_free(s);
	}
	if (when)
		g_date_time_unref(when);
	if (now)
		g_date_time_unref(now);
	if (c->state != SIPCID_STATE_RINGING && c->ring_ms > 0) {
		g_string_append(out, ", rang ");
		sipcid_call_words_duration(out, c->ring_ms);
	}
	if (c->state == SIPCID_STATE_ENDED && c->talk_ms > 0) {
		g_string_append(out, ", talked ");
		sipcid_call_words_duration(out, c->talk_ms);
	}
}

void notify_popup_text_make(struct notify_popup_text *t, const struct sipcid_call *c, bool markup,
                            int64_t now_us)
{
	memset(t, 0, sizeof *t);
	const size_t max = NOTIFY_POPUP_FIELD_MAX_CHARS;
	g_autofree char *alias = notify_popup_text_field(c->alias, max, markup);
	g_autofree char *name = notify_popup_text_field(c->name, max, markup);
	g_autofree char *number = notify_popup_text_field(c->number, max, markup);
	g_autofree char *called = notify_popup_text_field(c->called, max, markup);
	g_autofree char *via = notify_popup_text_field(c->via, max, markup);

	/* Who is the shared choice (call_words.h); a caller field it picks is
	 * shown in its cleaned, capped and escaped form. */
	const char *who_raw = sipcid_call_words_who(c);
	const char *who = who_raw;
	if (who_raw == c->alias)
		who = alias;
	else if (who_raw == c->name)
		who = name;
	else if (who_raw == c->number)
		who = number;
	else if (who_raw == c->called)
		who = called;
	bool outgoing = c->direction == SIPCID_DIR_OUTGOING;
	bool who_is_number = who_raw != c->alias && who_raw != c->name;

	/* The plain lines after who: number, line, flags. An outgoing call:
	 * the number dialled when who is its name, and the line it went out on. */
	GString *lines = g_string_new(NULL);
	if (outgoing) {
		if (!who_is_number && *called)
			g_string_append(lines, called);
		if (*number)
			g_string_append_printf(lines, "%sFrom line %s", lines->len ? "\n" : "", number);
	} else if (!who_is_number) {
		g_string_append(lines, *number ? number : sipcid_call_words_withheld(c->presentation));
		if (*alias && *name && strcmp(c->alias, c->name))
			g_string_append_printf(lines, " · %s", name);
	}
	/* The carrier's STIR/SHAKEN word, fixed text: nothing to escape. */
	const char *shaken = outgoing ? NULL : sipcid_call_words_shaken(c);
	if (shaken)
		g_string_append_printf(lines, "%s%s", lines->len ? "\n" : "", shaken);
	if (!outgoing && (*called || *via)) {
		if (lines->len)
			g_string_append_c(lines, '\n');
		if (*called)
			g_string_append_printf(lines, "Line %s", called);
		if (*via)
			g_string_append_printf(lines, *called ? ", forwarded via %s" : "Forwarded via %s",
			                       via);
	}
	if (c->action == SIPCID_ACTION_BLOCK || c->state == SIPCID_STATE_BLOCKED) {
		const char *heard = sipcid_call_words_heard(c->outcome);
		g_string_append_printf(lines, "%sBlocked%s%s", lines->len ? "\n" : "",
		                       heard ? ": " : "", heard ? heard : "");
	}

	GString *time = g_string_new(NULL);
	append_time(time, c, now_us);

	GString *body = g_string_new(NULL);
	g_string_append_printf(body, markup ? "<b>%s</b>" : "%s", who);
	if (lines->len)
		g_string_append_printf(body, "\n%s", lines->str);
	g_string_append_printf(body, "\n%s", time->str);

	/* Where there is no room for markup (macOS), the details start with the
	 * time: fixed digits, so no caller text begins an argument. */
	GString *details = g_string_new(time->str);
	if (!markup && lines->len)
		g_string_append_printf(details, "\n%s", lines->str);

	t->summary = g_strdup(sipcid_call_words_what(c));
	t->who = g_strdup(who);
	t->body = g_string_free(body, FALSE);
	t->details = g_string_free(details, FALSE);
	g_string_free(lines, TRUE);
	g_string_free(time, TRUE);

	bool blocked = c->action == SIPCID_ACTION_BLOCK || c->state == SIPCID_STATE_BLOCKED;
	bool live = c->state == SIPCID_STATE_RINGING || c->state == SIPCID_STATE_ANSWERED;
	t->icon = live && !blocked ? "call-start" : "call-stop";
	t->category = category_for(c);
	if (blocked || (outgoing && c->state == SIPCID_STATE_MISSED)) {
		/* Nothing to come back to the desk for: a call that never rang, or
		 * one the phone made itself. */
		t->urgency = NOTIFY_POPUP_URGENCY_LOW;
		t->timeout_ms = -1;
	} else if (c->state == SIPCID_STATE_RINGING) {
		t->urgency = NOTIFY_POPUP_URGENCY_NORMAL;
		t->timeout_ms = -1;
	} else if (c->state == SIPCID_STATE_MISSED) {
		/* A missed call waits for the user to come back to the desk. */
		t->urgency = NOTIFY_POPUP_URGENCY_NORMAL;
		t->timeout_ms = 0;
	} else {
		t->urgency = NOTIFY_POPUP_URGENCY_LOW;
		t->timeout_ms = 10000;
	}
}

void notify_popup_text_clear(struct notify_popup_text *t)
{
	g_free(t->summary);
	g_free(t->who);
	g_free(t->body);
	g_free(t->details);
	memset(t, 0, sizeof *t);
}
