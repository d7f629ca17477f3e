/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decode, dedupe, dispatch (see notify_receiver.h). */
#include "notify_receiver.h"

#include "log.h"

#include <glib.h>

enum {
	STATUS_COUNT = SIPCID_WIRE_REPLAYED + 1,
	LOG_INTERVAL_US = 10 * G_USEC_PER_SEC,
};

struct notify_receiver {
	struct sipcid_wire_listener *wire;
	struct notify_call_dedupe *dedupe;
	bool verbose;
	GPtrArray *sinks;
	int64_t last_logged_us[STATUS_COUNT];
	unsigned suppressed[STATUS_COUNT];
};

struct notify_receiver *notify_receiver_new(struct sipcid_wire_listener *wire,
                                            struct notify_call_dedupe *dedupe, bool verbose)
{
	struct notify_receiver *r = g_new0(struct notify_receiver, 1);
	r->wire = wire;
	r->dedupe = dedupe;
	r->verbose = verbose;
	r->sinks = g_ptr_array_new_with_free_func((GDestroyNotify)notify_sink_free);
	return r;
}

void notify_receiver_add_sink(struct notify_receiver *r, struct notify_sink *sink)
{
	g_ptr_array_add(r->sinks, sink);
}

void notify_receiver_free(struct notify_receiver *r)
{
	if (!r)
		return;
	/* Popup slots belong to the backend's sink: forget the calls first. */
	notify_call_dedupe_free(r->dedupe);
	g_ptr_array_unref(r->sinks);
	sipcid_wire_listener_free(r->wire);
	g_free(r);
}

static void log_reject(struct notify_receiver *r, enum sipcid_wire_status st, const char *from,
                       int64_t now_us)
{
	/* The same datagram sent to broadcast and unicast arrives twice; with a
	 * key its second copy is a replay. That is normal, not news. */
	if (st == SIPCID_WIRE_REPLAYED && !r->verbose)
		return;
	if ((unsigned)st >= STATUS_COUNT)
		return;
	if (r->last_logged_us[st] && now_us - r->last_logged_us[st] < LOG_INTERVAL_US) {
		r->suppressed[st]++;
		return;
	}
	if (r->suppressed[st])
		sipcid_log_warnx("ignored a datagram from %s: %s (and %u more like it)", from,
		                 sipcid_wire_status_text(st), r->suppressed[st]);
	else
		sipcid_log_warnx("ignored a datagram from %s: %s", from, sipcid_wire_status_text(st));
	r->last_logged_us[st] = now_us;
	r->suppressed[st] = 0;
}

void notify_receiver_datagram(struct notify_receiver *r, const uint8_t *buf, size_t len,
                              const char *from, int64_t now_us)
{
	struct sipcid_call c;
	enum sipcid_wire_status st = sipcid_wire_decode(r->wire, buf, len, now_us, &c, NULL);
	if (st != SIPCID_WIRE_OK) {
		log_reject(r, st, from, now_us);
		return;
	}
	if (!c.call_id[0]) {
		log_reject(r, SIPCID_WIRE_MALFORMED, from, now_us);
		return;
	}
	struct notify_popup_slot *slot = notify_call_dedupe_admit(r->dedupe, &c, now_us);
	if (!slot) {
		if (r->verbose)
			sipcid_log_info("duplicate of call %s (%s) from %s", c.call_id,
			                sipcid_call_state_name(c.state), from);
		return;
	}
	for (guint i = 0; i < r->sinks->len; i++) {
		struct notify_sink *s = g_ptr_array_index(r->sinks, i);
		s->deliver(s->ctx, &c, slot);
	}
}
