/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decode, dedupe, dispatch (see notify_receiver.h). */
#include "notify_receiver.h"

#include "log.h"
#include "phonenumber.h"

#include <glib.h>
#include <string.h>

enum {
	LINE_SEEN = 8,  /* line events remembered, to show a copy only once */
	STATUS_COUNT = SIPCID_WIRE_REPLAYED + 1,
	LOG_INTERVAL_US = 10 * G_USEC_PER_SEC,
};

struct notify_receiver {
	struct sipcid_wire_listener *wire;
	struct notify_call_dedupe *dedupe;
	bool verbose;
	char country[SIPCID_COUNTRY_MAX];
	GPtrArray *sinks;
	int64_t last_logged_us[STATUS_COUNT];
	unsigned suppressed[STATUS_COUNT];
	/* Line events by sender and sequence: the copy sent to broadcast and
	 * the one sent to this host are one event. */
	struct {
		char sender[SIPCID_WIRE_SENDER_MAX];
		uint64_t sequence;
	} line_seen[LINE_SEEN];
	unsigned line_next;
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

void notify_receiver_set_country(struct notify_receiver *r, const char *country)
{
	g_strlcpy(r->country, country, sizeof r->country);
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

/* False for a copy of a line event already shown. */
static bool line_admit(struct notify_receiver *r, const struct sipcid_wire_meta *m)
{
	if (!m->sender[0])
		return true;  /* an old sender without ids: nothing to tell copies by */
	for (unsigned i = 0; i < LINE_SEEN; i++)
		if (r->line_seen[i].sequence == m->sequence && !strcmp(r->line_seen[i].sender, m->sender))
			return false;
	g_strlcpy(r->line_seen[r->line_next].sender, m->sender, sizeof r->line_seen[0].sender);
	r->line_seen[r->line_next].sequence = m->sequence;
	r->line_next = (r->line_next + 1) % LINE_SEEN;
	return true;
}

static void deliver_line(struct notify_receiver *r, const struct sipcid_line_event *ev,
                         const struct sipcid_wire_meta *meta, const char *from)
{
	if (!line_admit(r, meta)) {
		if (r->verbose)
			sipcid_log_info("duplicate %s event from %s", sipcid_line_event_kind_name(ev->kind),
			                from);
		return;
	}
	for (guint i = 0; i < r->sinks->len; i++) {
		struct notify_sink *s = g_ptr_array_index(r->sinks, i);
		if (s->deliver_line)
			s->deliver_line(s->ctx, ev);
	}
}

void notify_receiver_datagram(struct notify_receiver *r, const uint8_t *buf, size_t len,
                              const char *from, int64_t now_us)
{
	struct sipcid_wire_event ev;
	struct sipcid_wire_meta meta;
	enum sipcid_wire_status st = sipcid_wire_decode_event(r->wire, buf, len, now_us, &ev, &meta);
	if (st != SIPCID_WIRE_OK) {
		log_reject(r, st, from, now_us);
		return;
	}
	if (ev.is_line) {
		deliver_line(r, &ev.line, &meta, from);
		return;
	}
	struct sipcid_call c = ev.call;
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
	/* The datagram has no room for sipcidd's number_display (it is near its
	 * 1200 bytes): the listener writes the number for reading itself. */
	if (!c.number_display[0])
		sipcid_phonenumber_display(c.number, r->country, c.number_display,
		                           sizeof c.number_display);
	for (guint i = 0; i < r->sinks->len; i++) {
		struct notify_sink *s = g_ptr_array_index(r->sinks, i);
		s->deliver(s->ctx, &c, slot);
	}
}
