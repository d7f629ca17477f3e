/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sipcid datagram output: one datagram per event to each destination
 * (the LAN broadcast address by default), signed when a key is configured. */
#include "announce.h"
#include "udp_sender.h"

#include <string.h>
#include "wire.h"

struct announce_udp {
	struct sipcid_output out;
	struct sipcid_udp_sender *udp;
	struct sipcid_wire_sender sender;
};

static void udp_emit(void *ctx, const struct sipcid_call *call)
{
	struct announce_udp *a = ctx;
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t len = sipcid_wire_encode(call, &a->sender, g_get_real_time(), buf);
	sipcid_udp_sender_send(a->udp, buf, len);
}

static void udp_emit_line(void *ctx, const struct sipcid_line_event *ev)
{
	struct announce_udp *a = ctx;
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t len = sipcid_wire_encode_line(ev, &a->sender, g_get_real_time(), buf);
	sipcid_udp_sender_send(a->udp, buf, len);
}

static void udp_close(void *ctx)
{
	struct announce_udp *a = ctx;
	sipcid_udp_sender_free(a->udp);
	explicit_bzero(&a->sender, sizeof a->sender);
	g_free(a);
}

struct sipcid_output *sipcid_announce_udp_new(const struct sipcid_announce_settings *s,
                                              GError **error)
{
	if (s->udp && s->udp->len == 0)
		return NULL;
	struct sipcid_udp_sender *u = sipcid_udp_sender_new("udp", s->udp, s->interface, SIPCID_WIRE_PORT, error);
	if (!u)
		return NULL;
	struct announce_udp *a = g_new0(struct announce_udp, 1);
	a->udp = u;
	sipcid_wire_sender_init(&a->sender, s->has_key ? &s->key : NULL);
	a->out.name = "announce-udp";
	a->out.ctx = a;
	a->out.emit = udp_emit;
	a->out.close = udp_close;
	a->out.emit_line = udp_emit_line;
	return &a->out;
}
