/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Formatting NCID lines (ncid_line.h). */
#include "ncid_line.h"

#include <string.h>
#include <time.h>

/* NCID knows no time zones: its clients show the server's local time. */
static struct tm local_tm(int64_t time_us)
{
	time_t t = (time_t)(time_us / 1000000);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		memset(&tm, 0, sizeof tm);
	return tm;
}

/* Appends text with '*' as '_' and control characters as spaces, at most
 * max_chars characters (0: no limit). */
static void append_field(GString *out, const char *text, size_t max_chars)
{
	size_t n = 0;
	for (const char *p = text; *p && (!max_chars || n < max_chars); n++) {
		const char *next = g_utf8_find_next_char(p, NULL);
		size_t len = next ? (size_t)(next - p) : strlen(p);
		unsigned char c = (unsigned char)*p;
		if (c == '*')
			g_string_append_c(out, '_');
		else if (c < 0x20 || c == 0x7f)
			g_string_append_c(out, ' ');
		else
			g_string_append_len(out, p, (gssize)len);
		p += len;
	}
}

static void append_pair(GString *out, const char *label, const char *value, size_t max_chars)
{
	g_string_append(out, label);
	g_string_append_c(out, '*');
	append_field(out, value, max_chars);
	g_string_append_c(out, '*');
}

/* NCID's words for a number that is not there. */
static const char *withheld_word(enum sipcid_presentation p)
{
	return p == SIPCID_PRES_RESTRICTED ? "PRIVATE"
	       : p == SIPCID_PRES_UNAVAILABLE ? "OUT-OF-AREA" : NULL;
}

static const char *nmbr_of(const struct sipcid_call *c)
{
	const char *n = c->number[0] ? c->number : c->number_raw;
	if (!g_ascii_strcasecmp(n, "anonymous"))
		return "ANONYMOUS";
	if (*n && c->presentation == SIPCID_PRES_ALLOWED)
		return n;
	const char *w = withheld_word(c->presentation);
	return w ? w : *n ? n : "NO-NUMBER";
}

/* NCID replaces the name with its alias; sipcid's phonebook is that alias. */
static const char *name_of(const struct sipcid_call *c)
{
	if (c->alias[0])
		return c->alias;
	if (c->name[0])
		return c->name;
	if (!g_ascii_strcasecmp(nmbr_of(c), "ANONYMOUS"))
		return "ANONYMOUS";
	const char *w = withheld_word(c->presentation);
	return w ? w : "NO NAME";
}

static void append_date(GString *out, const struct sipcid_ncid_settings *s, const struct tm *tm)
{
	if (s->day_first)
		g_string_append_printf(out, "%02d%02d%04d", tm->tm_mday, tm->tm_mon + 1,
		                       tm->tm_year + 1900);
	else
		g_string_append_printf(out, "%02d%02d%04d", tm->tm_mon + 1, tm->tm_mday,
		                       tm->tm_year + 1900);
}

/* DATE*…*TIME*hhmm*, the start of the call. */
static void append_date_time(GString *out, const struct sipcid_ncid_settings *s, int64_t time_us)
{
	struct tm tm = local_tm(time_us);
	g_string_append(out, "DATE*");
	append_date(out, s, &tm);
	g_string_append_printf(out, "*TIME*%02d%02d*", tm.tm_hour, tm.tm_min);
}

/* SCALL and ECALL are month first in every country. */
static void append_call_time(GString *out, const char *label, int64_t time_us)
{
	struct tm tm = local_tm(time_us);
	g_string_append_printf(out, "%s*%02d/%02d/%04d %02d:%02d:%02d*", label, tm.tm_mon + 1,
	                       tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const char *sipcid_ncid_line_type(const struct sipcid_call *call)
{
	/* NCID's BLK: is a call the server let ring out unanswered, HUP: one it
	 * hung up on. A dropped call is the first (the caller hears ringing until
	 * giving up); one sipcid answers with a reject (busy, decline, gone) is
	 * ended at once, as a hangup is. The phone rang for neither. */
	if (call->action != SIPCID_ACTION_BLOCK)
		return "CID";
	switch (call->outcome) {
	case SIPCID_OUTCOME_BUSY:
	case SIPCID_OUTCOME_DECLINE:
	case SIPCID_OUTCOME_GONE:
		return "HUP";
	case SIPCID_OUTCOME_DROP:
	case SIPCID_OUTCOME_NONE:
		break;
	}
	return "BLK";
}

void sipcid_ncid_line_cidinfo(GString *out, const struct sipcid_ncid_settings *s, int ring,
                              int64_t at_us)
{
	struct tm tm = local_tm(at_us);
	g_string_append(out, "CIDINFO: *");
	append_pair(out, "LINE", s->line, 0);
	g_string_append_printf(out, "RING*%d*TIME*%02d:%02d:%02d*\r\n", ring, tm.tm_hour, tm.tm_min,
	                       tm.tm_sec);
}

static void append_who(GString *out, const struct sipcid_call *c)
{
	append_pair(out, "NMBR", nmbr_of(c), 0);
}

void sipcid_ncid_line_call(GString *out, const struct sipcid_ncid_settings *s,
                           const struct sipcid_call *call, bool log)
{
	g_string_append_printf(out, "%s%s: *", sipcid_ncid_line_type(call), log ? "LOG" : "");
	append_date_time(out, s, call->time_us);
	append_pair(out, "LINE", s->line, 0);
	append_who(out, call);
	g_string_append(out, "MESG*NONE*");
	append_pair(out, "NAME", name_of(call), SIPCID_NCID_NAME_MAX_CHARS);
	g_string_append(out, "\r\n");
}

void sipcid_ncid_line_end(GString *out, const struct sipcid_ncid_settings *s,
                          const struct sipcid_call *call, bool log)
{
	int64_t end_us = call->time_us + (call->ring_ms + call->talk_ms) * 1000;
	g_string_append_printf(out, "END%s: *HTYPE*%s*", log ? "LOG" : "",
	                       call->state == SIPCID_STATE_ENDED ? "BYE" : "CANCEL");
	append_date_time(out, s, call->time_us);
	append_call_time(out, "SCALL", call->time_us);
	append_call_time(out, "ECALL", end_us);
	/* Outgoing calls (CTYPE OUT) come with the call record's direction. */
	g_string_append(out, "CTYPE*IN*");
	append_pair(out, "LINE", s->line, 0);
	append_who(out, call);
	append_pair(out, "NAME", name_of(call), SIPCID_NCID_NAME_MAX_CHARS);
	g_string_append(out, "\r\n");
}

/* RING of the CIDINFO: that ends a call: -1 unanswered, -2 after pickup.
 * A blocked call has no CIDINFO: (it never rang), so -3 is not used. */
static int final_ring(const struct sipcid_call *call)
{
	return call->state == SIPCID_STATE_ENDED ? -2 : -1;
}

void sipcid_ncid_line_event(GString *out, const struct sipcid_ncid_settings *s,
                            const struct sipcid_call *call)
{
	int64_t at_us = call->time_us + (call->ring_ms + call->talk_ms) * 1000;
	if (call->kind == SIPCID_EVENT_CALL) {
		if (call->action == SIPCID_ACTION_BLOCK) {
			/* Its only event, BLK: or HUP:: it never rang, and sipcid
			 * sees no end of a dropped call. */
			sipcid_ncid_line_call(out, s, call, false);
			return;
		}
		sipcid_ncid_line_cidinfo(out, s, 1, call->time_us);
		sipcid_ncid_line_call(out, s, call, false);
	}
	switch (call->state) {
	case SIPCID_STATE_RINGING:
	case SIPCID_STATE_BLOCKED:  /* announced whole by its CALL line above */
		break;
	case SIPCID_STATE_ANSWERED:
		sipcid_ncid_line_cidinfo(out, s, 0, at_us);   /* picked up: ringing stopped */
		break;
	case SIPCID_STATE_MISSED:
	case SIPCID_STATE_ENDED:
		sipcid_ncid_line_cidinfo(out, s, final_ring(call), at_us);
		sipcid_ncid_line_end(out, s, call, false);
		break;
	}
}

void sipcid_ncid_line_logged(GString *out, const struct sipcid_ncid_settings *s,
                             const struct sipcid_call *call)
{
	sipcid_ncid_line_call(out, s, call, true);
	if (call->action != SIPCID_ACTION_BLOCK &&
	    (call->state == SIPCID_STATE_MISSED || call->state == SIPCID_STATE_ENDED))
		sipcid_ncid_line_end(out, s, call, true);
}
