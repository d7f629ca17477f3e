/* Wording of network popups. The call record's strings are already clean
 * UTF-8 without control characters; nothing here adds any. */
#include "announce_text.h"

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

static const char *withheld_text(const struct sipcid_call *c)
{
	switch (c->presentation) {
	case SIPCID_PRES_RESTRICTED: return "Withheld number";
	case SIPCID_PRES_UNAVAILABLE: return "Number unavailable";
	default: return "Unknown caller";
	}
}

/* The best name for the caller: the user's own phonebook first. */
static const char *who(const struct sipcid_call *c)
{
	if (c->alias[0])
		return c->alias;
	if (c->name[0])
		return c->name;
	if (c->number[0])
		return c->number;
	return withheld_text(c);
}

static void duration(GString *out, int64_t ms)
{
	int64_t s = (ms + 500) / 1000;
	if (s >= 3600)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min", s / 3600,
		                       s % 3600 / 60);
	else if (s >= 60)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " min %02" G_GINT64_FORMAT " s", s / 60,
		                       s % 60);
	else
		g_string_append_printf(out, "%" G_GINT64_FORMAT " s", s);
}

void sipcid_announce_title(GString *out, const struct sipcid_call *c)
{
	const char *what;
	if (c->kind == SIPCID_EVENT_CALL)
		what = c->action == SIPCID_ACTION_BLOCK ? "Blocked call from" : "Call from";
	else {
		switch (c->state) {
		case SIPCID_STATE_ANSWERED: what = "Answered call from"; break;
		case SIPCID_STATE_MISSED: what = "Missed call from"; break;
		case SIPCID_STATE_ENDED: what = "Call ended with"; break;
		default: what = "Ringing: call from"; break;
		}
	}
	g_string_append_printf(out, "%s %s", what, who(c));
}

static void line(GString *out, const char *label, const char *value)
{
	if (out->len)
		g_string_append_c(out, '\n');
	if (label)
		g_string_append_printf(out, "%s: ", label);
	g_string_append(out, value);
}

void sipcid_announce_description(GString *out, const struct sipcid_call *c)
{
	line(out, NULL, c->number[0] ? c->number : withheld_text(c));
	if (c->number[0] && c->presentation == SIPCID_PRES_RESTRICTED)
		g_string_append(out, " (withheld)");
	if (c->alias[0] && c->name[0] && g_strcmp0(c->alias, c->name))
		line(out, "Caller ID", c->name);
	if (c->called[0])
		line(out, "To", c->called);
	if (c->via[0])
		line(out, "Forwarded by", c->via);
	if (c->kind == SIPCID_EVENT_CALL && c->action == SIPCID_ACTION_BLOCK)
		line(out, NULL, "Blocked: the phone did not ring");
	if (c->kind == SIPCID_EVENT_UPDATE) {
		if (c->ring_ms > 0) {
			line(out, "Rang", "");
			duration(out, c->ring_ms);
		}
		if (c->talk_ms > 0) {
			line(out, "Talked", "");
			duration(out, c->talk_ms);
		}
	}
}
