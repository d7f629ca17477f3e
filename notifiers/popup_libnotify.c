/* The Linux popup backend: libnotify, i.e. the freedesktop notification
 * server of the session (GNOME Shell, KDE Plasma, dunst, xfce4-notifyd...).
 * One NotifyNotification per call, so a state change replaces the popup in
 * place (same notification id). */
#include "popup.h"

#include "log.h"
#include "popup_text.h"

#include <libnotify/notify.h>
#include <string.h>

struct notify_popup_backend {
	/* Whether the server renders body markup; only then is caller text
	 * escaped, otherwise "&amp;" would show literally. Asked again until a
	 * server has answered once. */
	bool caps_known;
	bool body_markup;
};

static void learn_caps(struct notify_popup_backend *b)
{
	if (b->caps_known)
		return;
	GList *caps = notify_get_server_caps();
	if (!caps)
		return;
	b->caps_known = true;
	for (GList *c = caps; c; c = c->next)
		if (!strcmp(c->data, "body-markup"))
			b->body_markup = true;
	g_list_free_full(caps, g_free);
}

struct notify_popup_backend *notify_popup_backend_new(GError **error)
{
	if (!notify_is_initted() && !notify_init("sipcid-notify")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "cannot reach the desktop's notification service (no D-Bus session "
		            "bus?); use --print to print calls instead");
		return NULL;
	}
	struct notify_popup_backend *b = g_new0(struct notify_popup_backend, 1);
	learn_caps(b);
	return b;
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

void notify_popup_backend_show(struct notify_popup_backend *b, const struct sipcid_call *c,
                               struct notify_popup_slot *slot)
{
	learn_caps(b);
	struct notify_popup_text t;
	notify_popup_text_make(&t, c, b->body_markup, g_get_real_time());
	NotifyNotification *n = slot->data;
	if (n) {
		notify_notification_update(n, t.summary, t.body, t.icon);
	} else {
		n = notify_notification_new(t.summary, t.body, t.icon);
		slot->data = n;
		slot->free = g_object_unref;
	}
	notify_notification_set_category(n, t.category);
	notify_notification_set_urgency(n, urgency(t.urgency));
	notify_notification_set_timeout(n, t.timeout_ms);
	notify_notification_set_hint(n, "desktop-entry", g_variant_new_string("sipcid-notify"));
	g_autoptr(GError) err = NULL;
	if (!notify_notification_show(n, &err))
		sipcid_log_gerror("cannot show the popup", err);
	notify_popup_text_clear(&t);
}

void notify_popup_backend_free(struct notify_popup_backend *b)
{
	if (!b)
		return;
	g_free(b);
	if (notify_is_initted())
		notify_uninit();
}
