/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compiling and filling webhook templates (webhook_template.h). */
#include "webhook_template.h"

#include "call_words.h"
#include "event_format.h"

#include <string.h>

enum field {
	F_EVENT, F_CALL_ID, F_TIME, F_NUMBER, F_NUMBER_RAW, F_NAME, F_ALIAS, F_WHO, F_WHAT,
	F_PRESENTATION, F_SOURCE, F_CALLED, F_VIA, F_ACTION, F_RULE, F_STATE, F_RING_MS,
	F_TALK_MS, F_RING, F_TALK, F_DIRECTION, F_BOX, F_LINE, F_OUTCOME, F_COUNT
};

/* In enum field's order. */
static const char *const field_names[F_COUNT] = {
	"event", "call_id", "time", "number", "number_raw", "name", "alias", "who", "what",
	"presentation", "source", "called", "via", "action", "rule", "state", "ring_ms",
	"talk_ms", "ring", "talk", "direction", "box", "line", "outcome",
};

const char sipcid_webhook_template_fields[] =
	"event, call_id, time, number, number_raw, name, alias, who, what, presentation, "
	"source, called, via, action, rule, state, ring_ms, talk_ms, ring, talk, direction, box, line, "
	"outcome";

/* A part is literal text (field < 0) or one field. */
struct part {
	int field;
	char *text;
};

struct sipcid_webhook_template {
	enum sipcid_webhook_escape escape;
	GArray *parts;  /* struct part */
};

static void clear_part(void *p)
{
	g_free(((struct part *)p)->text);
}

static void add_text(struct sipcid_webhook_template *t, const char *s, size_t len)
{
	if (len == 0)
		return;
	struct part p = { -1, g_strndup(s, len) };
	g_array_append_val(t->parts, p);
}

static int field_index(const char *name, size_t len)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strlen(field_names[i]) == len && !memcmp(field_names[i], name, len))
			return i;
	return -1;
}

struct sipcid_webhook_template *sipcid_webhook_template_new(const char *text,
                                                            enum sipcid_webhook_escape escape,
                                                            char **bad)
{
	struct sipcid_webhook_template *t = g_new0(struct sipcid_webhook_template, 1);
	t->escape = escape;
	t->parts = g_array_new(FALSE, FALSE, sizeof(struct part));
	g_array_set_clear_func(t->parts, clear_part);
	const char *lit = text, *p = text;
	while ((p = strchr(p, '{'))) {
		size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
		if (n == 0 || p[1 + n] != '}') {
			p++;
			continue;
		}
		int f = field_index(p + 1, n);
		if (f < 0) {
			*bad = g_strndup(p + 1, n);
			sipcid_webhook_template_free(t);
			return NULL;
		}
		add_text(t, lit, (size_t)(p - lit));
		struct part part = { f, NULL };
		g_array_append_val(t->parts, part);
		p += n + 2;
		lit = p;
	}
	add_text(t, lit, strlen(lit));
	return t;
}

void sipcid_webhook_template_free(struct sipcid_webhook_template *t)
{
	if (!t)
		return;
	g_array_unref(t->parts);
	g_free(t);
}

static void append_int(GString *out, int64_t v)
{
	g_string_append_printf(out, "%" G_GINT64_FORMAT, v);
}

static void field_value(GString *out, int f, const struct sipcid_call *c)
{
	switch ((enum field)f) {
	case F_EVENT: g_string_append(out, c->kind == SIPCID_EVENT_UPDATE ? "update" : "call"); break;
	case F_CALL_ID: g_string_append(out, c->call_id); break;
	case F_TIME: sipcid_event_format_time(out, c->time_us); break;
	case F_NUMBER: g_string_append(out, c->number); break;
	case F_NUMBER_RAW: g_string_append(out, c->number_raw); break;
	case F_NAME: g_string_append(out, c->name); break;
	case F_ALIAS: g_string_append(out, c->alias); break;
	case F_WHO: g_string_append(out, sipcid_call_words_who(c)); break;
	case F_WHAT: g_string_append(out, sipcid_call_words_what(c)); break;
	case F_PRESENTATION: g_string_append(out, sipcid_call_presentation_name(c->presentation)); break;
	case F_SOURCE: g_string_append(out, sipcid_call_source_name(c->source)); break;
	case F_CALLED: g_string_append(out, c->called); break;
	case F_VIA: g_string_append(out, c->via); break;
	case F_ACTION: g_string_append(out, sipcid_call_action_name(c->action)); break;
	case F_RULE: g_string_append(out, c->rule); break;
	case F_OUTCOME:  /* empty when allowed, as in the JSON's null */
		if (c->outcome != SIPCID_OUTCOME_NONE)
			g_string_append(out, sipcid_call_outcome_name(c->outcome));
		break;
	case F_STATE: g_string_append(out, sipcid_call_state_name(c->state)); break;
	case F_RING_MS: append_int(out, c->ring_ms); break;
	case F_TALK_MS: append_int(out, c->talk_ms); break;
	case F_RING: sipcid_call_words_duration(out, c->ring_ms); break;
	case F_TALK: sipcid_call_words_duration(out, c->talk_ms); break;
	case F_DIRECTION: g_string_append(out, sipcid_call_direction_name(c->direction)); break;
	case F_BOX: g_string_append(out, c->box); break;
	case F_LINE: g_string_append(out, c->line); break;
	case F_COUNT: break;
	}
}

static void append_escaped(GString *out, const char *v, enum sipcid_webhook_escape escape)
{
	switch (escape) {
	case SIPCID_WEBHOOK_ESCAPE_NONE:
		g_string_append(out, v);
		return;
	case SIPCID_WEBHOOK_ESCAPE_URL:
		g_string_append_uri_escaped(out, v, NULL, FALSE);
		return;
	case SIPCID_WEBHOOK_ESCAPE_JSON: {
		/* The template has the quotes; sipcid_event_json_string's come off. */
		gsize at = out->len;
		sipcid_event_json_string(out, v, false);
		g_string_erase(out, (gssize)at, 1);
		g_string_truncate(out, out->len - 1);
		return;
	}
	}
}

void sipcid_webhook_template_render(const struct sipcid_webhook_template *t,
                                    const struct sipcid_call *call, GString *out)
{
	GString *v = g_string_sized_new(64);
	for (guint i = 0; i < t->parts->len; i++) {
		const struct part *p = &g_array_index(t->parts, struct part, i);
		if (p->field < 0) {
			g_string_append(out, p->text);
			continue;
		}
		g_string_truncate(v, 0);
		field_value(v, p->field, call);
		append_escaped(out, v->str, t->escape);
	}
	g_string_free(v, TRUE);
}
