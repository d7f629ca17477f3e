/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Listen Live's parts without a network: the mix that puts both directions
 * of a call on one clock (record_listen.h), and the bounded, non-blocking
 * push to a control-socket client (control_push.h) over a socket pair. */
#include "control_push.h"
#include "record_listen.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>

enum { PKT = 160, RING = SIPCID_RECORD_LISTEN_RING };
#define MS ((int64_t)1000)

static struct sipcid_record_listen_mix mix;
static int16_t out[2 * RING];

/* All the frames so far, interleaved. */
static GArray *got;

static void put(int ch, int64_t t_us, int16_t value, size_t n)
{
	int16_t pcm[2000];
	for (size_t i = 0; i < n; i++)
		pcm[i] = value;
	size_t k = sipcid_record_listen_mix_put(&mix, ch, t_us, pcm, n, out, RING);
	g_assert_cmpuint(k, <=, RING);
	g_array_append_vals(got, out, (guint)(2 * k));
}

static size_t frames(void)
{
	return got->len / 2;
}

static int16_t at(size_t frame, int ch)
{
	return g_array_index(got, int16_t, 2 * frame + (size_t)ch);
}

static void reset(void)
{
	sipcid_record_listen_mix_init(&mix);
	if (got)
		g_array_free(got, TRUE);
	got = g_array_new(FALSE, FALSE, sizeof(int16_t));
}

/* Both directions every 20 ms: everything comes out, each on its side. */
static void test_both_sides(void)
{
	reset();
	int64_t t = 1000 * 1000 * MS;
	for (int i = 0; i < 50; i++, t += 20 * MS) {
		put(0, t, 1000, PKT);
		put(1, t + 3 * MS, -1000, PKT);
	}
	g_assert_cmpuint(frames(), ==, 50 * PKT);
	for (size_t f = 0; f < frames(); f++) {
		g_assert_cmpint(at(f, 0), ==, 1000);
		g_assert_cmpint(at(f, 1), ==, -1000);
	}
}

/* A gap of 100 ms in one direction is silence there, and the audio after
 * it stays beside the other direction's audio of the same moment. */
static void test_gap_is_silence(void)
{
	reset();
	int64_t t0 = 5000 * MS;
	for (int i = 0; i < 40; i++) {
		int64_t t = t0 + i * 20 * MS;
		bool lost = i >= 10 && i < 15;
		int16_t v = (int16_t)(i < 10 ? 100 : 200);
		if (!lost)
			put(0, t, v, PKT);
		put(1, t, (int16_t)(i < 10 ? -100 : -200), PKT);
	}
	g_assert_cmpuint(frames(), >=, 35 * PKT);
	size_t silent = 0;
	for (size_t f = 0; f < frames(); f++) {
		if (at(f, 0) == 0)
			silent++;
		/* After the gap, the left's second tone sits beside the right's
		 * within the jitter allowance (60 ms = 480 frames). */
		if (at(f, 0) == 200) {
			size_t first_right = 15 * PKT;
			g_assert_cmpuint(f + 480, >=, first_right);
		}
	}
	g_assert_cmpuint(silent, >=, 5 * PKT - 480);
	g_assert_cmpuint(silent, <=, 5 * PKT);
}

/* One direction silent (one-way audio): the other is not held back more
 * than 200 ms, and the silent side is zeros. */
static void test_one_side(void)
{
	reset();
	int64_t t = 0;
	for (int i = 1; i <= 50; i++) {
		t = i * 20 * MS;
		put(1, t, 7, PKT);
	}
	size_t heard = 50 * PKT;
	g_assert_cmpuint(frames(), >=, heard - SIPCID_RECORD_LISTEN_LAG - PKT);
	for (size_t f = 0; f < frames(); f++) {
		g_assert_cmpint(at(f, 0), ==, 0);
		g_assert_cmpint(at(f, 1), ==, 7);
	}
}

/* A pause of both directions (hold) is skipped, not sent as silence. */
static void test_pause_skipped(void)
{
	reset();
	for (int i = 0; i < 10; i++) {
		put(0, i * 20 * MS, 1, PKT);
		put(1, i * 20 * MS, 2, PKT);
	}
	size_t before = frames();
	int64_t later = 10 * 1000 * MS;
	for (int i = 0; i < 10; i++) {
		put(0, later + i * 20 * MS, 3, PKT);
		put(1, later + i * 20 * MS, 4, PKT);
	}
	g_assert_cmpuint(frames() - before, <=, 10 * PKT + SIPCID_RECORD_LISTEN_LAG);
}

/* Hostile timing and sizes: time going back, huge packets, one side far
 * ahead. Nothing beyond the ring, nothing out of bounds. */
static void test_hostile(void)
{
	reset();
	put(0, 1000 * MS, 5, 2000);
	put(1, 10 * MS, 6, 2000);           /* before the first packet */
	for (int i = 0; i < 200; i++)
		put(0, 1000 * MS, 5, 1600);     /* all at once: far ahead of the clock */
	put(1, INT64_MAX / 2, 6, 160);
	put(0, 0, 5, 0);
	g_assert_cmpint(mix.end[0] - mix.emitted, <=, RING);
	g_assert_cmpint(mix.end[1] - mix.emitted, <=, RING);
}

struct gone_note {
	bool gone;
	char why[128];
};

static void on_gone(void *ctx, const char *why)
{
	struct gone_note *g = ctx;
	g->gone = true;
	g_strlcpy(g->why, why, sizeof g->why);
}

static GSocketConnection *pair(int *peer_fd)
{
	int sv[2];
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	GSocket *s = g_socket_new_from_fd(sv[0], NULL);
	g_assert_nonnull(s);
	GSocketConnection *c = g_socket_connection_factory_create_connection(s);
	g_object_unref(s);
	*peer_fd = sv[1];
	return c;
}

static void spin(int rounds)
{
	for (int i = 0; i < rounds; i++)
		g_main_context_iteration(NULL, FALSE);
}

/* A client that does not read: writes are taken until the bound, then
 * refused; nothing ever blocks. One that reads gets every byte in order. */
static void test_push_bound(void)
{
	int peer;
	GSocketConnection *c = pair(&peer);
	struct gone_note g = { 0 };
	struct sipcid_control_push *p = sipcid_control_push_new(c, 64 * 1024, on_gone, &g);
	g_object_unref(c);
	char block[4096];
	memset(block, 'x', sizeof block);
	int accepted = 0;
	gint64 t0 = g_get_monotonic_time();
	while (accepted < 10000 && sipcid_control_push_write(p, block, sizeof block))
		accepted++;
	gint64 took = g_get_monotonic_time() - t0;
	/* The socket's buffer, then 64 KiB of ours: then it says no. */
	g_assert_cmpint(accepted, <, 10000);
	g_assert_cmpuint(sipcid_control_push_pending(p), <=, 64 * 1024);
	g_assert_cmpint(took, <, G_USEC_PER_SEC);
	g_assert_false(g.gone);
	sipcid_control_push_free(p);
	close(peer);
}

static void test_push_order_and_gone(void)
{
	int peer;
	GSocketConnection *c = pair(&peer);
	struct gone_note g = { 0 };
	struct sipcid_control_push *p = sipcid_control_push_new(c, 1 << 20, on_gone, &g);
	g_object_unref(c);
	GString *sent = g_string_new(NULL);
	for (int i = 0; i < 20000; i++) {
		char line[32];
		int n = g_snprintf(line, sizeof line, "%d\n", i);
		g_assert_true(sipcid_control_push_write(p, line, (size_t)n));
		g_string_append_len(sent, line, n);
	}
	GString *read_back = g_string_new(NULL);
	for (int round = 0; round < 10000 && read_back->len < sent->len; round++) {
		spin(4);
		char buf[65536];
		ssize_t n = recv(peer, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0)
			g_string_append_len(read_back, buf, n);
	}
	g_assert_cmpuint(read_back->len, ==, sent->len);
	g_assert_true(memcmp(read_back->str, sent->str, sent->len) == 0);
	close(peer);
	for (int round = 0; round < 1000 && !g.gone; round++) {
		spin(1);
		g_usleep(1000);
	}
	g_assert_true(g.gone);
	g_assert_nonnull(strstr(g.why, "closed"));
	g_assert_false(sipcid_control_push_write(p, "x", 1));
	sipcid_control_push_free(p);
	g_string_free(sent, TRUE);
	g_string_free(read_back, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/listen/mix/both-sides", test_both_sides);
	g_test_add_func("/listen/mix/gap-is-silence", test_gap_is_silence);
	g_test_add_func("/listen/mix/one-side", test_one_side);
	g_test_add_func("/listen/mix/pause-skipped", test_pause_skipped);
	g_test_add_func("/listen/mix/hostile", test_hostile);
	g_test_add_func("/listen/push/bound", test_push_bound);
	g_test_add_func("/listen/push/order-and-gone", test_push_order_and_gone);
	int rc = g_test_run();
	if (got)
		g_array_free(got, TRUE);
	return rc;
}
