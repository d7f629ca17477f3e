/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The announce outputs over real sockets on loopback (ephemeral ports):
 * what each sends, in which order, and that a silent GNTP host holds up
 * nothing else. No timing thresholds: every wait is for an event, bounded
 * only so that a broken build fails instead of hanging. */
#include "announce.h"
#include "config.h"
#include "log.h"
#include "wire.h"

#include <gio/gio.h>

#include <glib/gstdio.h>
#include <string.h>

static GPtrArray *logged;

static void capture_log(int priority, const char *msg, void *data)
{
	(void)priority; (void)data;
	g_ptr_array_add(logged, g_strdup(msg));
}

static bool was_logged(const char *fragment)
{
	for (guint i = 0; i < logged->len; i++)
		if (strstr(logged->pdata[i], fragment))
			return true;
	return false;
}

static GSocket *udp_receiver(GSocketFamily fam, guint16 *port)
{
	GSocket *s = g_socket_new(fam, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
	g_assert_nonnull(s);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(fam);
	g_autoptr(GSocketAddress) a = g_inet_socket_address_new(lo, 0);
	g_assert_true(g_socket_bind(s, a, FALSE, NULL));
	g_autoptr(GSocketAddress) bound = g_socket_get_local_address(s, NULL);
	*port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	return s;
}

/* Blocks (bounded) for one datagram. */
static gssize receive(GSocket *s, uint8_t *buf, size_t size)
{
	g_autoptr(GError) err = NULL;
	g_assert_true(g_socket_condition_timed_wait(s, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, &err));
	return g_socket_receive(s, (char *)buf, size, NULL, NULL);
}

static bool nothing_waiting(GSocket *s)
{
	return !(g_socket_condition_check(s, G_IO_IN) & G_IO_IN);
}

static GPtrArray *open_outputs(const char *text, struct sipcid_announce_settings *s)
{
	g_autoptr(GError) err = NULL;
	struct sipcid_config *cfg = sipcid_config_load_data("test.conf", text, &err);
	g_assert_no_error(err);
	g_assert_true(sipcid_announce_settings_load(cfg, s, &err));
	sipcid_config_free(cfg);
	GPtrArray *outs = sipcid_announce_open(s, &err);
	g_assert_no_error(err);
	return outs;
}

static struct sipcid_output *find(GPtrArray *outs, const char *name)
{
	for (guint i = 0; i < outs->len; i++)
		if (!strcmp(((struct sipcid_output *)outs->pdata[i])->name, name))
			return outs->pdata[i];
	g_error("no output %s", name);
}

static struct sipcid_call a_call(enum sipcid_event_kind kind, enum sipcid_action action)
{
	struct sipcid_call c;
	memset(&c, 0, sizeof c);
	c.kind = kind;
	c.action = action;
	c.time_us = g_get_real_time();
	g_strlcpy(c.call_id, "out-test@example", sizeof c.call_id);
	g_strlcpy(c.number, "+15551230000", sizeof c.number);
	g_strlcpy(c.name, "Zoë Test", sizeof c.name);
	c.state = kind == SIPCID_EVENT_UPDATE ? SIPCID_STATE_MISSED : SIPCID_STATE_RINGING;
	return c;
}

static void test_udp_signed_v4_v6(void)
{
	guint16 p4, p6;
	g_autoptr(GSocket) r4 = udp_receiver(G_SOCKET_FAMILY_IPV4, &p4);
	g_autoptr(GSocket) r6 = udp_receiver(G_SOCKET_FAMILY_IPV6, &p6);
	g_autofree char *dir = g_dir_make_tmp("sipcid-out-XXXXXX", NULL);
	g_autofree char *key = g_build_filename(dir, "key", NULL);
	g_assert_true(g_file_set_contents(key, "a key for the output test\n", -1, NULL));
	g_autofree char *conf = g_strdup_printf("[notify]\nudp = 127.0.0.1:%u, [::1]:%u\ngrowl =\n"
	                                        "auth-key-file = %s\n", p4, p6, key);
	struct sipcid_announce_settings s;
	GPtrArray *outs = open_outputs(conf, &s);
	g_assert_cmpuint(outs->len, ==, 1);
	struct sipcid_output *udp = find(outs, "announce-udp");
	struct sipcid_call c1 = a_call(SIPCID_EVENT_CALL, SIPCID_ACTION_ALLOW);
	struct sipcid_call c2 = a_call(SIPCID_EVENT_UPDATE, SIPCID_ACTION_ALLOW);
	udp->emit(udp->ctx, &c1);
	udp->emit(udp->ctx, &c2);
	struct sipcid_wire_listener *l = sipcid_wire_listener_new(&s.key, 60 * G_USEC_PER_SEC);
	GSocket *rs[] = { r4, r6 };
	for (int r = 0; r < 2; r++) {
		for (int i = 0; i < 2; i++) {
			uint8_t buf[2048];
			gssize n = receive(rs[r], buf, sizeof buf);
			g_assert_cmpint(n, >, 0);
			g_assert_cmpint(n, <=, SIPCID_WIRE_MAX);
			struct sipcid_call got;
			struct sipcid_wire_meta meta;
			/* Both copies carry the same sequence: the second is a replay. */
			enum sipcid_wire_status st = sipcid_wire_decode(l, buf, (size_t)n, g_get_real_time(),
			                                                &got, &meta);
			g_assert_cmpint(st, ==, r == 0 ? SIPCID_WIRE_OK : SIPCID_WIRE_REPLAYED);
			if (r == 0) {
				g_assert_cmpuint(meta.sequence, ==, (uint64_t)i + 1);
				g_assert_true(meta.is_signed);
				g_assert_cmpstr(got.name, ==, "Zoë Test");
				g_assert_cmpint(got.kind, ==, i == 0 ? SIPCID_EVENT_CALL : SIPCID_EVENT_UPDATE);
			}
		}
	}
	sipcid_wire_listener_free(l);
	sipcid_announce_close_all(outs);
	sipcid_announce_settings_clear(&s);
	g_unlink(key);
	g_rmdir(dir);
}

static void test_growl_registers_first(void)
{
	guint16 port;
	g_autoptr(GSocket) r = udp_receiver(G_SOCKET_FAMILY_IPV4, &port);
	g_autofree char *conf = g_strdup_printf("[notify]\nudp =\ngrowl = 127.0.0.1:%u\n"
	                                        "growl-password = pw\nblocked-priority = 2\n"
	                                        "blocked-sticky = true\n", port);
	struct sipcid_announce_settings s;
	GPtrArray *outs = open_outputs(conf, &s);
	struct sipcid_output *g = find(outs, "announce-growl");
	uint8_t buf[2048];
	/* At start-up: a registration, before any call. */
	gssize n = receive(r, buf, sizeof buf);
	g_assert_cmpint(n, >, 6);
	g_assert_cmpint(buf[1], ==, 0); /* registration, MD5 */
	g_assert_cmpint(buf[4], ==, 3);
	g_assert_true(nothing_waiting(r));
	struct sipcid_call c = a_call(SIPCID_EVENT_CALL, SIPCID_ACTION_BLOCK);
	g->emit(g->ctx, &c);
	/* Before the first notification: the registration again, then it. */
	n = receive(r, buf, sizeof buf);
	g_assert_cmpint(buf[1], ==, 0);
	n = receive(r, buf, sizeof buf);
	g_assert_cmpint(buf[1], ==, 1);
	g_assert_cmpint(buf[2], ==, 0);
	g_assert_cmpint(buf[3], ==, 5); /* priority 2, sticky, big-endian */
	g_assert_cmpmem(buf + 12, 12, "Blocked Call", 12);
	/* The digest is MD5(packet ‖ "pw"). */
	GChecksum *ck = g_checksum_new(G_CHECKSUM_MD5);
	g_checksum_update(ck, buf, n - 16);
	g_checksum_update(ck, (const guchar *)"pw", 2);
	uint8_t md5[16];
	gsize ml = 16;
	g_checksum_get_digest(ck, md5, &ml);
	g_checksum_free(ck);
	g_assert_cmpmem(buf + n - 16, 16, md5, 16);
	c = a_call(SIPCID_EVENT_UPDATE, SIPCID_ACTION_BLOCK);
	g->emit(g->ctx, &c);
	n = receive(r, buf, sizeof buf);
	g_assert_cmpint(buf[1], ==, 1); /* no registration this time */
	g_assert_true(nothing_waiting(r));
	sipcid_announce_close_all(outs);
	sipcid_announce_settings_clear(&s);
}

/* ---- GNTP ---- */

struct fake_gntp {
	GSocket *listener;
	guint16 port;
	const char *const *replies;   /* one per connection, NULL-terminated */
	GPtrArray *requests;
	GThread *thread;
};

static char *read_request(GSocket *c)
{
	GString *s = g_string_new(NULL);
	for (;;) {
		char buf[4096];
		if (!g_socket_condition_timed_wait(c, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, NULL))
			break;
		gssize n = g_socket_receive(c, buf, sizeof buf, NULL, NULL);
		if (n <= 0)
			break;
		g_string_append_len(s, buf, n);
		if (g_str_has_suffix(s->str, "\r\n\r\n") &&
		    (!g_str_has_prefix(s->str, "GNTP/1.0 REGISTER") ||
		     strstr(s->str, "Notification-Name: Call Update")))
			break;
	}
	return g_string_free(s, FALSE);
}

static gpointer fake_gntp_run(gpointer data)
{
	struct fake_gntp *f = data;
	for (int i = 0; f->replies[i]; i++) {
		GSocket *c = g_socket_accept(f->listener, NULL, NULL);
		if (!c)
			break;
		g_ptr_array_add(f->requests, read_request(c));
		g_socket_send(c, f->replies[i], strlen(f->replies[i]), NULL, NULL);
		g_socket_close(c, NULL);
		g_object_unref(c);
	}
	return NULL;
}

static GSocket *tcp_listener(guint16 *port)
{
	GSocket *s = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) a = g_inet_socket_address_new(lo, 0);
	g_assert_true(g_socket_bind(s, a, FALSE, NULL));
	g_assert_true(g_socket_listen(s, NULL));
	g_autoptr(GSocketAddress) bound = g_socket_get_local_address(s, NULL);
	*port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	return s;
}

static void iterate_until_idle(struct sipcid_output *gntp)
{
	int64_t give_up = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (sipcid_announce_gntp_pending(gntp) && g_get_monotonic_time() < give_up)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
	g_assert_cmpuint(sipcid_announce_gntp_pending(gntp), ==, 0);
}

static void check_key_hash(const char *request, const char *password)
{
	const char *p = strstr(request, " SHA256:");
	g_assert_nonnull(p);
	p += 8;
	const char *dot = strchr(p, '.'), *eol = strstr(p, "\r\n");
	g_assert_nonnull(dot);
	g_autofree char *hash = g_strndup(p, (gsize)(dot - p));
	g_autofree char *salt_hex = g_strndup(dot + 1, (gsize)(eol - dot - 1));
	gsize salt_len = strlen(salt_hex) / 2;
	g_autofree guint8 *basis = g_malloc(strlen(password) + salt_len);
	memcpy(basis, password, strlen(password));
	for (gsize i = 0; i < salt_len; i++)
		basis[strlen(password) + i] =
			(guint8)(g_ascii_xdigit_value(salt_hex[2 * i]) * 16 + g_ascii_xdigit_value(salt_hex[2 * i + 1]));
	guint8 key[32];
	gsize kl = 32;
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(ck, basis, (gssize)(strlen(password) + salt_len));
	g_checksum_get_digest(ck, key, &kl);
	g_checksum_free(ck);
	g_autofree char *expect = g_compute_checksum_for_data(G_CHECKSUM_SHA256, key, 32);
	g_assert_cmpint(g_ascii_strcasecmp(expect, hash), ==, 0);
}

static void test_gntp_register_notify_reregister(void)
{
	static const char *const replies[] = {
		"GNTP/1.0 -OK NONE\r\nResponse-Action: REGISTER\r\n\r\n",
		"GNTP/1.0 -ERROR NONE\r\nError-Code: 402\r\nError-Description: unknown\r\n\r\n",
		"GNTP/1.0 -OK NONE\r\nResponse-Action: REGISTER\r\n\r\n",
		"GNTP/1.0 -OK NONE\r\nResponse-Action: NOTIFY\r\n\r\n",
		NULL,
	};
	struct fake_gntp f = { .replies = replies, .requests = g_ptr_array_new_with_free_func(g_free) };
	f.listener = tcp_listener(&f.port);
	f.thread = g_thread_new("fake-gntp", fake_gntp_run, &f);
	g_autofree char *conf = g_strdup_printf("[notify]\nudp =\ngrowl =\ngntp = 127.0.0.1:%u\n"
	                                        "gntp-password = hunter2\n", f.port);
	struct sipcid_announce_settings s;
	GPtrArray *outs = open_outputs(conf, &s);
	struct sipcid_output *g = find(outs, "announce-gntp");
	struct sipcid_call c = a_call(SIPCID_EVENT_CALL, SIPCID_ACTION_ALLOW);
	g->emit(g->ctx, &c);
	iterate_until_idle(g);
	g_thread_join(f.thread);
	g_assert_cmpuint(f.requests->len, ==, 4);
	const char *expect[] = { "GNTP/1.0 REGISTER NONE SHA256:", "GNTP/1.0 NOTIFY NONE SHA256:",
	                         "GNTP/1.0 REGISTER NONE SHA256:", "GNTP/1.0 NOTIFY NONE SHA256:" };
	for (int i = 0; i < 4; i++) {
		g_assert_true(g_str_has_prefix(f.requests->pdata[i], expect[i]));
		check_key_hash(f.requests->pdata[i], "hunter2");
	}
	const char *note = f.requests->pdata[3];
	g_assert_nonnull(strstr(note, "Application-Name: sipcid\r\n"));
	g_assert_nonnull(strstr(note, "Notification-Name: Incoming Call\r\n"));
	g_assert_nonnull(strstr(note, "Notification-Title: Incoming call: Zoë Test\r\n"));
	g_assert_nonnull(strstr(note, "Notification-Text: +15551230000\r\n"));
	sipcid_announce_close_all(outs);
	sipcid_announce_settings_clear(&s);
	g_object_unref(f.listener);
	g_ptr_array_unref(f.requests);
}

static void test_silent_gntp_host_delays_nothing(void)
{
	guint16 tcp_port, udp_port, growl_port;
	g_autoptr(GSocket) silent = tcp_listener(&tcp_port);
	g_autoptr(GSocket) udp_rx = udp_receiver(G_SOCKET_FAMILY_IPV4, &udp_port);
	g_autoptr(GSocket) growl_rx = udp_receiver(G_SOCKET_FAMILY_IPV4, &growl_port);
	/* A closed port too: refused at once, retried later. */
	guint16 closed_port;
	GSocket *tmp = tcp_listener(&closed_port);
	g_object_unref(tmp);
	g_autofree char *conf = g_strdup_printf(
		"[notify]\nudp = 127.0.0.1:%u\ngrowl = 127.0.0.1:%u\n"
		"gntp = 127.0.0.1:%u, 127.0.0.1:%u\ngntp-timeout = 1\n",
		udp_port, growl_port, tcp_port, closed_port);
	struct sipcid_announce_settings s;
	GPtrArray *outs = open_outputs(conf, &s);
	struct sipcid_output *gntp = find(outs, "announce-gntp");
	struct sipcid_output *udp = find(outs, "announce-udp");
	struct sipcid_output *growl = find(outs, "announce-growl");
	struct sipcid_call c = a_call(SIPCID_EVENT_CALL, SIPCID_ACTION_ALLOW);
	/* GNTP first, on purpose: the others must not wait for it. */
	gntp->emit(gntp->ctx, &c);
	udp->emit(udp->ctx, &c);
	growl->emit(growl->ctx, &c);
	uint8_t buf[2048];
	gssize n = receive(udp_rx, buf, sizeof buf);
	g_assert_cmpint(n, >, 5);
	g_assert_cmpmem(buf, 4, "SCID", 4);
	n = receive(growl_rx, buf, sizeof buf); /* start-up registration */
	n = receive(growl_rx, buf, sizeof buf); /* registration before the first notification */
	n = receive(growl_rx, buf, sizeof buf);
	g_assert_cmpint(buf[1], ==, 1);
	/* All of that arrived while the GNTP hosts still had the call queued. */
	g_assert_cmpuint(sipcid_announce_gntp_pending(gntp), >=, 2);

	/* The silent host: the connection is made and the request arrives... */
	g_autoptr(GSocket) conn = NULL;
	int64_t give_up = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	g_socket_set_blocking(silent, FALSE);
	while (!conn && g_get_monotonic_time() < give_up) {
		g_main_context_iteration(NULL, FALSE);
		conn = g_socket_accept(silent, NULL, NULL);
		if (!conn)
			g_usleep(1000);
	}
	g_assert_nonnull(conn);
	g_socket_set_blocking(conn, FALSE);
	GString *req = g_string_new(NULL);
	bool eof = false;
	/* ...never answered; the output gives up on its own (gntp-timeout) and
	 * closes the connection. */
	while (!eof && g_get_monotonic_time() < give_up) {
		g_main_context_iteration(NULL, FALSE);
		char b[4096];
		gssize got = g_socket_receive(conn, b, sizeof b, NULL, NULL);
		if (got > 0)
			g_string_append_len(req, b, got);
		else if (got == 0)
			eof = true;
		else
			g_usleep(1000);
	}
	g_assert_true(eof);
	g_assert_true(g_str_has_prefix(req->str, "GNTP/1.0 REGISTER NONE\r\n"));
	g_string_free(req, TRUE);
	g_assert_true(was_logged("no answer within 1 s"));
	g_assert_true(was_logged("cannot connect"));
	/* Meanwhile more calls still go out over UDP at once. */
	udp->emit(udp->ctx, &c);
	n = receive(udp_rx, buf, sizeof buf);
	g_assert_cmpmem(buf, 4, "SCID", 4);
	sipcid_announce_close_all(outs);
	sipcid_announce_settings_clear(&s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* The outputs log their problems (log.h); the tests look at them. */
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	logged = g_ptr_array_new_with_free_func(g_free);
	sipcid_log_set_tap(capture_log, NULL);
	g_test_add_func("/outputs/udp-signed-v4-v6", test_udp_signed_v4_v6);
	g_test_add_func("/outputs/growl-registers-first", test_growl_registers_first);
	g_test_add_func("/outputs/gntp-register-notify-reregister", test_gntp_register_notify_reregister);
	g_test_add_func("/outputs/silent-gntp-host-delays-nothing", test_silent_gntp_host_delays_nothing);
	int rc = g_test_run();
	g_ptr_array_unref(logged);
	return rc;
}
