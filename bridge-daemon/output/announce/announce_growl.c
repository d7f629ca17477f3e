/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy Growl UDP output. Growl 1.2 drops notifications from apps it has
 * not seen register, and receivers restart: the registration goes out when
 * the output opens, again right before the first notification, and every
 * growl-register-interval seconds. */
#include "announce.h"
#include "announce_text.h"
#include "growl_packet.h"
#include "udp_sender.h"

#include <string.h>

struct announce_growl {
	struct sipcid_output out;
	struct sipcid_udp_sender *udp;
	char *password;
	enum growl_auth auth;
	enum growl_flags_order order;
	int priority[SIPCID_ANNOUNCE_TYPES];
	bool sticky[SIPCID_ANNOUNCE_TYPES];
	bool notified;              /* a notification went out since opening */
	guint timer;
	GMainContext *context;
};

static void send_registration(struct announce_growl *g)
{
	static const uint8_t defaults[] = { 0, 1, 2 };
	uint8_t buf[GROWL_PACKET_MAX];
	const char *const *names = sipcid_announce_type_names();
	size_t len = sipcid_growl_registration(buf, sizeof buf, SIPCID_ANNOUNCE_APP, names,
	                                SIPCID_ANNOUNCE_TYPES, defaults, G_N_ELEMENTS(defaults),
	                                g->auth, g->password);
	if (len)
		sipcid_udp_sender_send(g->udp, buf, len);
}

static gboolean register_again(gpointer data)
{
	send_registration(data);
	return G_SOURCE_CONTINUE;
}

static void growl_emit(void *ctx, const struct sipcid_call *call)
{
	struct announce_growl *g = ctx;
	if (!g->notified) {
		send_registration(g);
		g->notified = true;
	}
	enum sipcid_announce_type t = sipcid_announce_type_of(call);
	g_autoptr(GString) title = g_string_new(NULL);
	g_autoptr(GString) desc = g_string_new(NULL);
	sipcid_announce_title(title, call);
	sipcid_announce_description(desc, call);
	uint8_t buf[GROWL_PACKET_MAX];
	size_t len = sipcid_growl_notification(buf, sizeof buf, SIPCID_ANNOUNCE_APP,
	                                sipcid_announce_type_name(t), title->str, desc->str,
	                                g->priority[t], g->sticky[t], g->order, g->auth, g->password);
	if (len)
		sipcid_udp_sender_send(g->udp, buf, len);
}

static void growl_close(void *ctx)
{
	struct announce_growl *g = ctx;
	if (g->timer) {
		GSource *src = g_main_context_find_source_by_id(g->context, g->timer);
		if (src)
			g_source_destroy(src);
	}
	g_main_context_unref(g->context);
	sipcid_udp_sender_free(g->udp);
	if (g->password)
		explicit_bzero(g->password, strlen(g->password));
	g_free(g->password);
	g_free(g);
}

struct sipcid_output *sipcid_announce_growl_new(const struct sipcid_announce_settings *s,
                                                GError **error)
{
	if (s->growl && s->growl->len == 0)
		return NULL;
	struct sipcid_udp_sender *u =
		sipcid_udp_sender_new("growl", s->growl, s->interface, GROWL_UDP_PORT, error);
	if (!u)
		return NULL;
	struct announce_growl *g = g_new0(struct announce_growl, 1);
	g->udp = u;
	g->password = g_strdup(s->growl_password ? s->growl_password : "");
	g->auth = s->growl_auth;
	g->order = s->growl_flags_order;
	memcpy(g->priority, s->priority, sizeof g->priority);
	memcpy(g->sticky, s->sticky, sizeof g->sticky);
	g->out.name = "announce-growl";
	g->out.ctx = g;
	g->out.emit = growl_emit;
	g->out.close = growl_close;

	send_registration(g);
	g->context = g_main_context_ref_thread_default();
	GSource *src = g_timeout_source_new_seconds((guint)s->growl_register_interval_s);
	g_source_set_callback(src, register_again, g, NULL);
	g->timer = g_source_attach(src, g->context);
	g_source_unref(src);
	return &g->out;
}
