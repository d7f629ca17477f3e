/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-notify: the desktop listener for sipcid's call announcements. */
#include "call_dedupe.h"
#include "listen_socket.h"
#include "log.h"
#include "notify_options.h"
#include "notify_receiver.h"
#include "popup.h"
#include "wire.h"

#include <glib-unix.h>
#include <glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

enum { DEDUPE_MAX_CALLS = 512 };
/* Long after any call has ended; also how long a replayed unsigned
 * datagram is recognised as a duplicate. */
static const int64_t DEDUPE_FORGET_US = 6 * 3600 * (int64_t)G_USEC_PER_SEC;

static void on_datagram(void *ctx, const uint8_t *buf, size_t len, const char *from)
{
	notify_receiver_datagram(ctx, buf, len, from, g_get_real_time());
}

static gboolean on_signal(void *loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

static struct notify_receiver *receiver_new(const struct notify_options *o, GError **error)
{
	struct sipcid_wire_key key;
	bool has_key = o->key_file != NULL;
	if (has_key && !sipcid_wire_key_load(o->key_file, &key, error))
		return NULL;
	struct notify_popup_backend *backend = NULL;
	if (!o->no_popup && !(backend = notify_popup_backend_new(error)))
		return NULL;
	struct sipcid_wire_listener *wire =
		sipcid_wire_listener_new(has_key ? &key : NULL, o->max_skew_s * (int64_t)G_USEC_PER_SEC);
	explicit_bzero(&key, sizeof key);
	struct notify_receiver *r = notify_receiver_new(
		wire, notify_call_dedupe_new(DEDUPE_MAX_CALLS, DEDUPE_FORGET_US), o->verbose);
	notify_receiver_set_country(r, o->country);
	if (o->print)
		notify_receiver_add_sink(r, notify_sink_print_new(o->json));
	if (o->exec)
		notify_receiver_add_sink(r, notify_sink_exec_new(o->exec, (unsigned)o->exec_max,
		                                                 (unsigned)o->exec_timeout_s));
	if (backend)
		notify_receiver_add_sink(r, notify_sink_popup_new(backend));
	return r;
}

int main(int argc, char **argv)
{
	sipcid_log_init("sipcid-notify");
	setlocale(LC_ALL, "");
	/* A hook or popup program that exits early must not kill us through a pipe. */
	signal(SIGPIPE, SIG_IGN);
	struct notify_options o;
	g_autoptr(GError) err = NULL;
	if (!notify_options_parse(&argc, &argv, &o, &err)) {
		sipcid_log_gerror(NULL, err);
		return 2;
	}
	if (o.verbose)
		sipcid_log_set_verbose(true);
	if (o.version) {
		printf("sipcid-notify %s\n", SIPCID_VERSION);
		notify_options_clear(&o);
		return 0;
	}
	struct notify_receiver *r = receiver_new(&o, &err);
	if (!r) {
		sipcid_log_gerror(NULL, err);
		notify_options_clear(&o);
		return 1;
	}
	struct notify_listen_socket *l =
		notify_listen_socket_open((uint16_t)o.port, o.group, on_datagram, r, &err);
	if (!l) {
		sipcid_log_gerror(NULL, err);
		notify_receiver_free(r);
		notify_options_clear(&o);
		return 1;
	}
	/* Scripts and tests wait for this line before they send. */
	sipcid_log_info("listening on UDP port %u (%s)%s%s", notify_listen_socket_port(l),
	                notify_listen_socket_families(l), o.key_file ? ", signed datagrams only" : "",
	                o.no_popup ? "" : ", showing popups");

	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	guint sig_int = g_unix_signal_add(SIGINT, on_signal, loop);
	guint sig_term = g_unix_signal_add(SIGTERM, on_signal, loop);
	g_main_loop_run(loop);
	g_source_remove(sig_int);
	g_source_remove(sig_term);
	notify_listen_socket_close(l);
	notify_receiver_free(r);
	g_main_loop_unref(loop);
	notify_options_clear(&o);
	return 0;
}
