/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Linux popup backend: libnotify, i.e. the freedesktop notification
 * server of the session (GNOME Shell, KDE Plasma, dunst, xfce4-notifyd...).
 * One NotifyNotification per call, so a state change replaces the popup in
 * place (same notification id); likewise one for the line's state and one
 * for voicemail, so "back up" replaces "down". */
#include "popup.h"

#include "log.h"
#include "popup_text.h"

#include <libnotify/notify.h>

struct notify_popup_backend {
	NotifyNotification *line;       /* the line's state, shown or last shown */
	NotifyNotification *voicemail;
};

struct notify_popup_backend *notify_popup_backend_new(GError **error)
{
	if (!notify_is_initted() && !notify_init("sipcid-notify")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "cannot reach the desktop's notification service (no D-Bus session "
		            "bus?); use --print to print calls instead");
		return NULL;
	}
	return g_new0(struct notify_popup_backend, 1);
}

const char *notify_popup_backend_name(const struct notify_popup_backend *b)
{
	(void)b;
	return "libnotify";
}

static NotifyUrgency urgency(enum notify_popup_urgency u)
{
	switch (u) {
	case NOTIFY_POPUP_URGENCY_LOW: return NOTIFY_URGENCY_LOW;
	case NOTIFY_POPUP_URGENCY_CRITICAL: return NOTIFY_URGENCY_CRITICAL;
	case NOTIFY_POPUP_URGENCY_NORMAL: break;
	}
	return NOTIFY_URGENCY_NORMAL;
}

/* Shows t in *slot's notification (a new one the first time): replaced in
 * place, with t's category, urgency and timeout. */
static void show(NotifyNotification **slot, const struct notify_popup_text *t)
{
	NotifyNotification *n = *slot;
	if (n)
		notify_notification_update(n, t->summary, t->body, t->icon);
	else
		n = *slot = notify_notification_new(t->summary, t->body, t->icon);
	notify_notification_set_category(n, t->category);
	notify_notification_set_urgency(n, urgency(t->urgency));
	notify_notification_set_timeout(n, t->timeout_ms);
	notify_notification_set_hint(n, "desktop-entry", g_variant_new_string("sipcid-notify"));
	g_autoptr(GError) err = NULL;
	if (!notify_notification_show(n, &err))
		sipcid_log_gerror("cannot show the popup", err);
}

void notify_popup_backend_show(struct notify_popup_backend *b, const struct sipcid_call *c,
                               struct notify_popup_slot *slot)
{
	(void)b;
	/* The body is always markup-escaped. The server's "body-markup"
	 * capability is not asked: an answer that failed or lied once would send
	 * caller text raw to a server that may render it. A server without
	 * markup shows an entity literally ("&amp;"), which is harmless; the
	 * freedesktop specification asks such servers to strip markup. */
	struct notify_popup_text t;
	notify_popup_text_make(&t, c, true, g_get_real_time());
	NotifyNotification *n = slot->data;
	show(&n, &t);
	if (!slot->data) {
		slot->data = n;
		slot->free = g_object_unref;
	}
	notify_popup_text_clear(&t);
}

void notify_popup_backend_show_line(struct notify_popup_backend *b,
                                    const struct sipcid_line_event *ev)
{
	struct notify_popup_text t;
	notify_popup_text_make_line(&t, ev, true);
	show(ev->kind == SIPCID_LINE_EVENT_LINE ? &b->line : &b->voicemail, &t);
	notify_popup_text_clear(&t);
}

void notify_popup_backend_free(struct notify_popup_backend *b)
{
	if (!b)
		return;
	if (b->line)
		g_object_unref(b->line);
	if (b->voicemail)
		g_object_unref(b->voicemail);
	g_free(b);
	if (notify_is_initted())
		notify_uninit();
}
