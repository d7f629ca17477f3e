/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The macOS popup backend: terminal-notifier when it is installed (it can
 * replace a call's popup in place, -group), otherwise osascript's "display
 * notification". Caller text only ever travels as separate argv elements of
 * a program started without a shell; the AppleScript source is one fixed
 * string that reads its text from argv. Also builds on Linux, for tests. */
#include "popup.h"

#include "child_spawn.h"
#include "popup_text.h"

#include <gio/gio.h>
#include <string.h>

enum {
	POPUP_MAX_RUNNING = 4,
	POPUP_MAX_QUEUED = 16,
	POPUP_TIMEOUT_S = 30,
};

/* argv after the script: a fixed word, then title, subtitle and message.
 * The fixed word stops osascript's option parsing (BSD getopt stops at the
 * first non-option), so a caller text beginning with "-e" is still text. */
static const char applescript[] =
	"on run argv\n"
	"\tdisplay notification (item 4 of argv) with title (item 2 of argv) "
	"subtitle (item 3 of argv)\n"
	"end run\n";

struct notify_popup_backend {
	char *terminal_notifier; /* full path, or NULL */
	char *osascript;
	struct notify_child_spawner *spawner;
};

struct notify_popup_backend *notify_popup_backend_new(GError **error)
{
	struct notify_popup_backend *b = g_new0(struct notify_popup_backend, 1);
	b->terminal_notifier = g_find_program_in_path("terminal-notifier");
	if (!b->terminal_notifier)
		b->osascript = g_find_program_in_path("osascript");
	if (!b->terminal_notifier && !b->osascript) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            "found neither terminal-notifier nor osascript on PATH to show popups; "
		            "use --print to print calls instead");
		g_free(b);
		return NULL;
	}
	b->spawner = notify_child_spawn_new("popup", POPUP_MAX_RUNNING, POPUP_MAX_QUEUED,
	                                    POPUP_TIMEOUT_S);
	return b;
}

const char *notify_popup_backend_name(const struct notify_popup_backend *b)
{
	return b->terminal_notifier ? "terminal-notifier" : "osascript";
}

/* A group name per call from a hash of its id: stable across states, and
 * free of whatever the call id contains. */
static char *group_for(const char *call_id)
{
	char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, call_id, -1);
	char *group = g_strdup_printf("sipcid-%.16s", hex);
	g_free(hex);
	return group;
}

void notify_popup_backend_show(struct notify_popup_backend *b, const struct sipcid_call *c,
                               struct notify_popup_slot *slot)
{
	(void)slot;
	struct notify_popup_text t;
	notify_popup_text_make(&t, c, false, g_get_real_time());
	g_autofree char *subtitle = g_strdup_printf("From %s", t.who);
	if (b->terminal_notifier) {
		g_autofree char *group = group_for(c->call_id);
		char *argv[] = { b->terminal_notifier, "-title", t.summary, "-subtitle", subtitle,
		                 "-message", t.details, "-group", group, NULL };
		notify_child_spawn_run(b->spawner, argv, NULL);
	} else {
		char *argv[] = { b->osascript, "-e", (char *)applescript, "sipcid", t.summary,
		                 subtitle, t.details, NULL };
		notify_child_spawn_run(b->spawner, argv, NULL);
	}
	notify_popup_text_clear(&t);
}

void notify_popup_backend_show_line(struct notify_popup_backend *b,
                                    const struct sipcid_line_event *ev)
{
	struct notify_popup_text t;
	notify_popup_text_make_line(&t, ev, false);
	if (b->terminal_notifier) {
		char *argv[] = { b->terminal_notifier, "-title", t.summary, "-subtitle", t.who,
		                 "-message", t.details, "-group", "sipcid-line", NULL };
		notify_child_spawn_run(b->spawner, argv, NULL);
	} else {
		char *argv[] = { b->osascript, "-e", (char *)applescript, "sipcid", t.summary,
		                 t.who, t.details, NULL };
		notify_child_spawn_run(b->spawner, argv, NULL);
	}
	notify_popup_text_clear(&t);
}

void notify_popup_backend_free(struct notify_popup_backend *b)
{
	if (!b)
		return;
	notify_child_spawn_free(b->spawner);
	g_free(b->terminal_notifier);
	g_free(b->osascript);
	g_free(b);
}
