/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where an admitted call goes: the terminal (--print), hook programs
 * (--exec) and the desktop popup. Each sink gets every new call and every
 * change of its state, once. */
#ifndef SIPCID_NOTIFY_SINK_H
#define SIPCID_NOTIFY_SINK_H

#include "call.h"
#include "line_event.h"
#include "popup.h"

#include <stdbool.h>

struct notify_sink {
	void *ctx;
	void (*deliver)(void *ctx, const struct sipcid_call *c, struct notify_popup_slot *slot);
	void (*free)(void *ctx);
	/* A line or voicemail event (lib/line_event.h); NULL: not for this sink. */
	void (*deliver_line)(void *ctx, const struct sipcid_line_event *ev);
};

/* One readable line per event (sipcid_event_line), or one JSON object
 * (sipcid_event_json, sipcidd's keys), on stdout, flushed at once. */
struct notify_sink *notify_sink_print_new(bool json);

/* Runs each program in programs (a NULL-terminated array of paths) per
 * event, without a shell, with the call in SIPCID_* environment variables. */
struct notify_sink *notify_sink_exec_new(char **programs, unsigned max_running, unsigned timeout_s);

/* Shows the call through the backend (the sink takes it). */
struct notify_sink *notify_sink_popup_new(struct notify_popup_backend *backend);

void notify_sink_free(struct notify_sink *s);

#endif
