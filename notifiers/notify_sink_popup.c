/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The desktop popup as a sink: whichever backend this binary was built with. */
#include "notify_sink.h"

#include <glib.h>

static void popup_deliver(void *ctx, const struct sipcid_call *c, struct notify_popup_slot *slot)
{
	notify_popup_backend_show(ctx, c, slot);
}

static void popup_deliver_line(void *ctx, const struct sipcid_line_event *ev)
{
	notify_popup_backend_show_line(ctx, ev);
}

static void popup_free(void *ctx)
{
	notify_popup_backend_free(ctx);
}

struct notify_sink *notify_sink_popup_new(struct notify_popup_backend *backend)
{
	struct notify_sink *s = g_new0(struct notify_sink, 1);
	s->ctx = backend;
	s->deliver = popup_deliver;
	s->free = popup_free;
	s->deliver_line = popup_deliver_line;
	return s;
}
