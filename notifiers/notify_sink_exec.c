/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --exec PROGRAM: a home-automation hook per call. The call's fields go in
 * the environment, never on a command line or through a shell, so a caller
 * named "$(reboot)" is just a string to the program. */
#include "notify_sink.h"

#include "child_spawn.h"
#include "event_format.h"

#include <glib.h>

enum { EXEC_MAX_QUEUED = 64 };

struct exec_sink {
	char **programs;
	struct notify_child_spawner *spawner;
};

/* The listener's own environment, minus any SIPCID_* variable: a hook must
 * see exactly this call's fields, never one left over from whoever started
 * sipcid-notify. */
static char **inherited_environment(void)
{
	char **env = g_get_environ();
	GPtrArray *keep = g_ptr_array_new();
	for (char **e = env; *e; e++) {
		if (g_str_has_prefix(*e, "SIPCID_"))
			g_free(*e);
		else
			g_ptr_array_add(keep, *e);
	}
	g_ptr_array_add(keep, NULL);
	g_free(env);
	return (char **)g_ptr_array_free(keep, FALSE);
}

static char **call_environment(const struct sipcid_call *c)
{
	char **env = inherited_environment();
	GString *s = g_string_new(NULL);
#define SET(name, value) env = g_environ_setenv(env, name, value, TRUE)
	SET("SIPCID_EVENT", c->kind == SIPCID_EVENT_UPDATE ? "update" : "call");
	SET("SIPCID_CALL_ID", c->call_id);
	sipcid_event_format_time(s, c->time_us);
	SET("SIPCID_TIME", s->str);
	SET("SIPCID_NUMBER", c->number);
	SET("SIPCID_NUMBER_RAW", c->number_raw);
	SET("SIPCID_NAME", c->name);
	SET("SIPCID_ALIAS", c->alias);
	SET("SIPCID_PRESENTATION", sipcid_call_presentation_name(c->presentation));
	SET("SIPCID_SOURCE", sipcid_call_source_name(c->source));
	SET("SIPCID_CALLED", c->called);
	SET("SIPCID_VIA", c->via);
	SET("SIPCID_ACTION", sipcid_call_action_name(c->action));
	SET("SIPCID_RULE", c->rule);
	SET("SIPCID_RECORD", c->record ? "1" : "0");
	SET("SIPCID_STATE", sipcid_call_state_name(c->state));
	g_string_printf(s, "%" G_GINT64_FORMAT, c->ring_ms);
	SET("SIPCID_RING_MS", s->str);
	g_string_printf(s, "%" G_GINT64_FORMAT, c->talk_ms);
	SET("SIPCID_TALK_MS", s->str);
	g_string_truncate(s, 0);
	sipcid_event_json(s, c);
	SET("SIPCID_JSON", s->str);
#undef SET
	g_string_free(s, TRUE);
	return env;
}

/* A line event: SIPCID_EVENT line or voicemail, SIPCID_WHAT its words, and
 * its keys (docs/events.md, "Line events"); counts not sent are empty. */
static char **line_environment(const struct sipcid_line_event *ev)
{
	char **env = inherited_environment();
	GString *s = g_string_new(NULL);
	bool line = ev->kind == SIPCID_LINE_EVENT_LINE;
#define SET(name, value) env = g_environ_setenv(env, name, value, TRUE)
#define COUNT(name, n)                                                                    \
	do {                                                                              \
		g_string_truncate(s, 0);                                                  \
		if (!line && (n) >= 0)                                                    \
			g_string_printf(s, "%d", (n));                                    \
		SET(name, s->str);                                                        \
	} while (0)
	SET("SIPCID_EVENT", sipcid_line_event_kind_name(ev->kind));
	sipcid_event_format_time(s, ev->time_us);
	SET("SIPCID_TIME", s->str);
	g_string_truncate(s, 0);
	sipcid_line_event_words(s, ev);
	SET("SIPCID_WHAT", s->str);
	SET("SIPCID_STATE", line ? sipcid_line_event_state_name(ev->state) : "");
	SET("SIPCID_REASON", ev->reason);
	SET("SIPCID_REGISTRAR", ev->registrar);
	COUNT("SIPCID_NEW", ev->new_messages);
	COUNT("SIPCID_OLD", ev->old_messages);
	COUNT("SIPCID_URGENT", ev->urgent_new);
	g_string_truncate(s, 0);
	sipcid_line_event_json(s, ev);
	SET("SIPCID_JSON", s->str);
#undef COUNT
#undef SET
	g_string_free(s, TRUE);
	return env;
}

static void run_all(struct exec_sink *e, char **env)
{
	for (char **p = e->programs; *p; p++) {
		char *argv[] = { *p, NULL };
		notify_child_spawn_run(e->spawner, argv, env);
	}
	g_strfreev(env);
}

static void exec_deliver(void *ctx, const struct sipcid_call *c, struct notify_popup_slot *slot)
{
	(void)slot;
	run_all(ctx, call_environment(c));
}

static void exec_deliver_line(void *ctx, const struct sipcid_line_event *ev)
{
	run_all(ctx, line_environment(ev));
}

static void exec_free(void *ctx)
{
	struct exec_sink *e = ctx;
	notify_child_spawn_free(e->spawner);
	g_strfreev(e->programs);
	g_free(e);
}

struct notify_sink *notify_sink_exec_new(char **programs, unsigned max_running, unsigned timeout_s)
{
	struct exec_sink *e = g_new0(struct exec_sink, 1);
	e->programs = g_strdupv(programs);
	e->spawner = notify_child_spawn_new("--exec", max_running, EXEC_MAX_QUEUED, timeout_s);
	struct notify_sink *s = g_new0(struct notify_sink, 1);
	s->ctx = e;
	s->deliver = exec_deliver;
	s->free = exec_free;
	s->deliver_line = exec_deliver_line;
	return s;
}
