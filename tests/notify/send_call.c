/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test sender: one call event as a sipcid datagram to a listener on
 * loopback, encoded by lib/wire (what sipcidd sends), or built by hand for
 * what sipcidd never sends (oversized or invalid names, forged signatures).
 *   send_call --port N [--host ::1] [--key-file F] [--call-id ID] [--number N]
 *             [--name S | --name-file F] [--alias S] [--called N] [--via N]
 *             [--presentation P] [--action A] [--state S] [--ring-ms N] [--talk-ms N]
 *             [--number-raw N] [--source S] [--rule R] [--record] [--time-us T]
 *             [--copies N] [--corrupt-mac] [--save F] [--raw F] */
#include "log.h"
#include "wire.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(GByteArray *b, uint8_t type, const void *v, size_t n)
{
	uint8_t h[3] = { type, (uint8_t)(n >> 8), (uint8_t)n };
	g_byte_array_append(b, h, 3);
	g_byte_array_append(b, v, (guint)n);
}

static void put_u64(GByteArray *b, uint8_t type, uint64_t x)
{
	uint8_t v[8];
	for (int i = 7; i >= 0; i--, x >>= 8)
		v[i] = (uint8_t)x;
	put(b, type, v, 8);
}

static void put_s(GByteArray *b, uint8_t type, const char *s)
{
	if (*s)
		put(b, type, s, strlen(s));
}

/* What sipcid_wire_encode would write, but with the name's bytes as given. */
static GByteArray *build_by_hand(const struct sipcid_call *c, const char *name, size_t name_len,
                                 const struct sipcid_wire_key *key)
{
	GByteArray *b = g_byte_array_new();
	g_byte_array_append(b, sipcid_wire_magic, 4);
	uint8_t version = SIPCID_WIRE_VERSION;
	g_byte_array_append(b, &version, 1);
	put_s(b, SIPCID_WF_KIND, c->kind == SIPCID_EVENT_UPDATE ? "update" : "call");
	put_s(b, SIPCID_WF_CALL_ID, c->call_id);
	put_u64(b, SIPCID_WF_TIME, (uint64_t)c->time_us);
	put_s(b, SIPCID_WF_NUMBER, c->number);
	put(b, SIPCID_WF_NAME, name, name_len);
	put_s(b, SIPCID_WF_PRESENTATION, sipcid_call_presentation_name(c->presentation));
	put_s(b, SIPCID_WF_CALLED, c->called);
	put_s(b, SIPCID_WF_VIA, c->via);
	put_s(b, SIPCID_WF_ALIAS, c->alias);
	put_s(b, SIPCID_WF_ACTION, sipcid_call_action_name(c->action));
	put_s(b, SIPCID_WF_STATE, sipcid_call_state_name(c->state));
	char sender[17];
	g_snprintf(sender, sizeof sender, "%08x%08x", g_random_int(), g_random_int());
	put_s(b, SIPCID_WF_SENDER, sender);
	put_u64(b, SIPCID_WF_SEQUENCE, 1);
	put_u64(b, SIPCID_WF_SENT, (uint64_t)g_get_real_time());
	if (key) {
		GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, key->bytes, key->len);
		g_hmac_update(h, b->data, b->len);
		uint8_t m[SIPCID_WIRE_MAC_LEN];
		gsize n = sizeof m;
		g_hmac_get_digest(h, m, &n);
		g_hmac_unref(h);
		put(b, SIPCID_WF_MAC, m, sizeof m);
	}
	return b;
}

static void die(const char *what, GError *err)
{
	sipcid_log_warnx("%s: %s", what, err ? err->message : "failed");
	exit(2);
}

int main(int argc, char **argv)
{
	sipcid_log_init("send_call");
	int port = 0, copies = 1;
	gint64 ring_ms = 0, talk_ms = 0, time_us = 0;
	char *number_raw = NULL, *source = NULL, *rule = NULL;
	gboolean record = FALSE;
	char *host = NULL, *key_file = NULL, *call_id = NULL, *number = NULL, *name = NULL,
	     *name_file = NULL, *alias = NULL, *called = NULL, *via = NULL, *presentation = NULL,
	     *action = NULL, *state = NULL, *save = NULL, *raw = NULL;
	gboolean corrupt_mac = FALSE;
	GOptionEntry entries[] = {
		{ "port", 0, 0, G_OPTION_ARG_INT, &port, "", "N" },
		{ "host", 0, 0, G_OPTION_ARG_STRING, &host, "", "ADDR" },
		{ "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "", "F" },
		{ "call-id", 0, 0, G_OPTION_ARG_STRING, &call_id, "", "ID" },
		{ "number", 0, 0, G_OPTION_ARG_STRING, &number, "", "N" },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name, "", "S" },
		{ "name-file", 0, 0, G_OPTION_ARG_FILENAME, &name_file, "", "F" },
		{ "alias", 0, 0, G_OPTION_ARG_STRING, &alias, "", "S" },
		{ "called", 0, 0, G_OPTION_ARG_STRING, &called, "", "N" },
		{ "via", 0, 0, G_OPTION_ARG_STRING, &via, "", "N" },
		{ "presentation", 0, 0, G_OPTION_ARG_STRING, &presentation, "", "P" },
		{ "action", 0, 0, G_OPTION_ARG_STRING, &action, "", "A" },
		{ "state", 0, 0, G_OPTION_ARG_STRING, &state, "", "S" },
		{ "ring-ms", 0, 0, G_OPTION_ARG_INT64, &ring_ms, "", "N" },
		{ "talk-ms", 0, 0, G_OPTION_ARG_INT64, &talk_ms, "", "N" },
		{ "number-raw", 0, 0, G_OPTION_ARG_STRING, &number_raw, "", "N" },
		{ "source", 0, 0, G_OPTION_ARG_STRING, &source, "", "S" },
		{ "rule", 0, 0, G_OPTION_ARG_STRING, &rule, "", "R" },
		{ "record", 0, 0, G_OPTION_ARG_NONE, &record, "", NULL },
		{ "time-us", 0, 0, G_OPTION_ARG_INT64, &time_us, "", "T" },
		{ "copies", 0, 0, G_OPTION_ARG_INT, &copies, "", "N" },
		{ "corrupt-mac", 0, 0, G_OPTION_ARG_NONE, &corrupt_mac, "", NULL },
		{ "save", 0, 0, G_OPTION_ARG_FILENAME, &save, "", "F" },
		{ "raw", 0, 0, G_OPTION_ARG_FILENAME, &raw, "", "F" },
		G_OPTION_ENTRY_NULL
	};
	GError *err = NULL;
	GOptionContext *ctx = g_option_context_new(NULL);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err) || port <= 0)
		die("options", err);
	g_option_context_free(ctx);

	GByteArray *dgram;
	if (raw) {
		char *bytes;
		gsize len;
		if (!g_file_get_contents(raw, &bytes, &len, &err))
			die(raw, err);
		dgram = g_byte_array_new_take((guint8 *)bytes, len);
	} else {
		struct sipcid_wire_key key;
		if (key_file && !sipcid_wire_key_load(key_file, &key, &err))
			die(key_file, err);
		struct sipcid_call c;
		memset(&c, 0, sizeof c);
		c.time_us = time_us ? time_us : g_get_real_time();
		sipcid_call_strlcpy_utf8(c.call_id, call_id ? call_id : "test-call@sipcid", sizeof c.call_id);
		sipcid_call_strlcpy_utf8(c.number, number ? number : "", sizeof c.number);
		sipcid_call_strlcpy_utf8(c.number_raw, number_raw ? number_raw : number ? number : "",
		                    sizeof c.number_raw);
		sipcid_call_strlcpy_utf8(c.rule, rule ? rule : "", sizeof c.rule);
		c.record = record;
		sipcid_call_strlcpy_utf8(c.name, name ? name : "", sizeof c.name);
		sipcid_call_strlcpy_utf8(c.alias, alias ? alias : "", sizeof c.alias);
		sipcid_call_strlcpy_utf8(c.called, called ? called : "", sizeof c.called);
		sipcid_call_strlcpy_utf8(c.via, via ? via : "", sizeof c.via);
		if (presentation && !sipcid_call_presentation_parse(presentation, &c.presentation))
			die("--presentation", NULL);
		if (action && !sipcid_call_action_parse(action, &c.action))
			die("--action", NULL);
		if (state && !sipcid_call_state_parse(state, &c.state))
			die("--state", NULL);
		c.kind = c.state == SIPCID_STATE_RINGING ? SIPCID_EVENT_CALL : SIPCID_EVENT_UPDATE;
		c.source = c.number[0] ? SIPCID_SRC_PAI : SIPCID_SRC_NONE;
		if (source) {
			bool known = false;
			for (int i = SIPCID_SRC_NONE; i <= SIPCID_SRC_PPI; i++)
				if (!strcmp(source, sipcid_call_source_name((enum sipcid_id_source)i))) {
					c.source = (enum sipcid_id_source)i;
					known = true;
				}
			if (!known)
				die("--source", NULL);
		}
		c.ring_ms = ring_ms;
		c.talk_ms = talk_ms;
		if (name_file) {
			char *bytes;
			gsize len;
			if (!g_file_get_contents(name_file, &bytes, &len, &err))
				die(name_file, err);
			dgram = build_by_hand(&c, bytes, len, key_file ? &key : NULL);
			g_free(bytes);
		} else {
			struct sipcid_wire_sender s;
			sipcid_wire_sender_init(&s, key_file ? &key : NULL);
			dgram = g_byte_array_sized_new(SIPCID_WIRE_MAX);
			g_byte_array_set_size(dgram, SIPCID_WIRE_MAX);
			g_byte_array_set_size(dgram,
			                      (guint)sipcid_wire_encode(&c, &s, g_get_real_time(), dgram->data));
		}
		if (corrupt_mac)
			dgram->data[dgram->len - 1] ^= 0x01;
	}
	if (save && !g_file_set_contents(save, (const char *)dgram->data, dgram->len, &err))
		die(save, err);

	GInetAddress *addr = g_inet_address_new_from_string(host ? host : "127.0.0.1");
	if (!addr)
		die("--host", NULL);
	GSocket *sock = g_socket_new(g_inet_address_get_family(addr), G_SOCKET_TYPE_DATAGRAM,
	                             G_SOCKET_PROTOCOL_UDP, &err);
	if (!sock)
		die("socket", err);
	GSocketAddress *to = g_inet_socket_address_new(addr, (guint16)port);
	for (int i = 0; i < copies; i++)
		if (g_socket_send_to(sock, to, (const char *)dgram->data, dgram->len, NULL, &err) < 0)
			die("send", err);
	g_object_unref(to);
	g_object_unref(sock);
	g_object_unref(addr);
	g_byte_array_unref(dgram);
	char **strings[] = { &host, &key_file, &call_id, &number, &name, &name_file, &alias, &called,
	                     &via, &presentation, &action, &state, &save, &raw, &number_raw, &source,
	                     &rule };
	for (size_t i = 0; i < G_N_ELEMENTS(strings); i++)
		g_free(*strings[i]);
	return 0;
}
