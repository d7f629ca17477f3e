/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A popup backend: shows a call on the desktop. Exactly one backend is
 * linked into a sipcid-notify binary, chosen by meson (-Dnotify_backend):
 * popup_libnotify.c on Linux, popup_osascript.c on macOS. */
#ifndef SIPCID_POPUP_H
#define SIPCID_POPUP_H

#include "call.h"
#include "line_event.h"

#include <glib.h>

/* What a backend keeps for one call between its states (its notification),
 * owned by the dedupe table and freed with the call's entry. */
struct notify_popup_slot {
	void *data;
	void (*free)(void *data);
};

struct notify_popup_backend;

/* NULL with *error set when the desktop cannot show popups (no session
 * bus, no notifier program). */
struct notify_popup_backend *notify_popup_backend_new(GError **error);
/* Shows c, replacing this call's earlier popup (kept in slot) where the
 * backend can. Never blocks for long; failures are logged, not fatal. */
void notify_popup_backend_show(struct notify_popup_backend *b, const struct sipcid_call *c,
                               struct notify_popup_slot *slot);
/* Shows a line or voicemail event in a popup of its own. */
void notify_popup_backend_show_line(struct notify_popup_backend *b,
                                    const struct sipcid_line_event *ev);
void notify_popup_backend_free(struct notify_popup_backend *b);
/* "libnotify", "osascript"... for messages. */
const char *notify_popup_backend_name(const struct notify_popup_backend *b);

#endif
