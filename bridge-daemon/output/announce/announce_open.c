/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening every configured announce output at once. */
#include "announce.h"

GPtrArray *sipcid_announce_open(const struct sipcid_announce_settings *s, GError **error)
{
	GPtrArray *outs = g_ptr_array_new();
	struct sipcid_output *(*const makers[])(const struct sipcid_announce_settings *, GError **) = {
		sipcid_announce_udp_new,
		sipcid_announce_growl_new,
		sipcid_announce_gntp_new,
	};
	for (size_t i = 0; i < G_N_ELEMENTS(makers); i++) {
		GError *err = NULL;
		struct sipcid_output *o = makers[i](s, &err);
		if (err) {
			g_propagate_error(error, err);
			sipcid_announce_close_all(outs);
			return NULL;
		}
		if (o)
			g_ptr_array_add(outs, o);
	}
	return outs;
}

void sipcid_announce_close_all(GPtrArray *outputs)
{
	if (!outputs)
		return;
	for (guint i = 0; i < outputs->len; i++) {
		struct sipcid_output *o = outputs->pdata[i];
		o->close(o->ctx);
	}
	g_ptr_array_unref(outputs);
}
