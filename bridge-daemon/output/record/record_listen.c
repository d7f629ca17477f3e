/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Listen Live: a call's audio mixed to stereo and pushed to a control-socket
 * client (see record_listen.h). */
#include "record_listen.h"

#include "control_push.h"
#include "log.h"

#include <string.h>

enum {
	RING = SIPCID_RECORD_LISTEN_RING,
	/* One packet's worth at most (hostile RTP may claim more). */
	PACKET_MAX = 1600,
	/* Arrival this much after where a channel's audio ends is a gap (lost
	 * packets, silence suppression), filled with silence; less is jitter. */
	JITTER = 480,
	/* Two seconds of stereo audio: a client further behind is dropped. */
	LISTEN_BUFFER = 2 * SIPCID_RECORD_LISTEN_RATE * 2 * 2,
};

void sipcid_record_listen_mix_init(struct sipcid_record_listen_mix *m)
{
	memset(m, 0, sizeof *m);
}

/* Silence on channel c from where its audio ends up to `to`, within the ring. */
static void fill_silence(struct sipcid_record_listen_mix *m, int c, int64_t to)
{
	int64_t from = MAX(m->end[c], m->emitted);
	to = MIN(to, m->emitted + RING);
	for (int64_t p = from; p < to; p++)
		m->ring[c][p % RING] = 0;
	if (to > m->end[c])
		m->end[c] = to;
}

size_t sipcid_record_listen_mix_put(struct sipcid_record_listen_mix *m, int ch, int64_t arrival_us,
                                    const int16_t *pcm, size_t n, int16_t *out, size_t max_frames)
{
	n = MIN(n, (size_t)PACKET_MAX);
	/* The kernel's clock, but kept where no arithmetic below can overflow. */
	arrival_us = CLAMP(arrival_us, 0, (int64_t)1 << 60);
	if (!m->started) {
		m->started = true;
		m->t0_us = arrival_us - (int64_t)n * (G_USEC_PER_SEC / SIPCID_RECORD_LISTEN_RATE);
	}
	/* 125 µs a sample at 8000 Hz. */
	int64_t a = MAX(arrival_us - m->t0_us, 0) / (G_USEC_PER_SEC / SIPCID_RECORD_LISTEN_RATE);
	int64_t start = MAX(a - (int64_t)n, 0);
	/* Both directions silent for long (hold, a codec we cannot play): go
	 * on from now rather than send the pause. */
	if (start - m->emitted > RING / 2) {
		m->emitted = start;
		for (int c = 0; c < 2; c++)
			m->end[c] = MAX(m->end[c], start);
	}
	m->end[ch] = MAX(m->end[ch], m->emitted);
	if (start > m->end[ch] + JITTER)
		fill_silence(m, ch, start);
	int64_t room = m->emitted + RING - m->end[ch];
	size_t take = (size_t)CLAMP(room, 0, (int64_t)n);  /* a sender far ahead loses the excess */
	for (size_t i = 0; i < take; i++)
		m->ring[ch][(m->end[ch] + (int64_t)i) % RING] = pcm[i];
	m->end[ch] += (int64_t)take;
	int o = 1 - ch;
	if (m->end[o] < a - SIPCID_RECORD_LISTEN_LAG)
		fill_silence(m, o, a - SIPCID_RECORD_LISTEN_LAG);
	int64_t ready = MIN(m->end[0], m->end[1]);
	size_t k = 0;
	for (; m->emitted < ready && k < max_frames; m->emitted++, k++) {
		out[2 * k] = m->ring[0][m->emitted % RING];
		out[2 * k + 1] = m->ring[1][m->emitted % RING];
	}
	return k;
}

struct sipcid_record_listen {
	struct sipcid_control_push *push;
	struct sipcid_record_listen_mix mix;
	char call_id[256];
	char caller[160];
	char who[160];
	int far_end;
	int64_t started_us;
	bool gone;
};

void sipcid_record_listen_clean_who(const char *in, char *out, size_t out_size)
{
	size_t k = 0;
	for (; in && *in && k + 1 < out_size && k + 1 < SIPCID_RECORD_LISTEN_WHO_MAX; in++)
		if (*in > ' ' && *in < 0x7f)
			out[k++] = *in;
	out[k] = '\0';
}

static void on_gone(void *ctx, const char *why)
{
	(void)why;
	struct sipcid_record_listen *l = ctx;
	l->gone = true;  /* the recorder ends it on its next packet or tick */
}

struct sipcid_record_listen *sipcid_record_listen_new(GSocketConnection *conn, const char *call_id,
                                                      const char *caller, const char *who,
                                                      int far_end)
{
	struct sipcid_record_listen *l = g_new0(struct sipcid_record_listen, 1);
	sipcid_record_listen_mix_init(&l->mix);
	g_strlcpy(l->call_id, call_id, sizeof l->call_id);
	g_strlcpy(l->caller, caller, sizeof l->caller);
	g_strlcpy(l->who, who, sizeof l->who);
	l->far_end = far_end;
	l->started_us = g_get_monotonic_time();
	l->push = sipcid_control_push_new(conn, LISTEN_BUFFER, on_gone, l);
	sipcid_log_info("listen live: %s listens to call %s from %s", l->who, l->call_id, l->caller);
	g_autofree char *ok = g_strdup_printf("ok: listening to call %s: raw PCM, signed 16-bit "
	                                      "little-endian, %d Hz, 2 channels (left the far end, "
	                                      "right the household)\n", call_id,
	                                      SIPCID_RECORD_LISTEN_RATE);
	if (!sipcid_control_push_write(l->push, ok, strlen(ok)))
		l->gone = true;
	return l;
}

bool sipcid_record_listen_audio(struct sipcid_record_listen *l, int ch, int64_t arrival_us,
                                const int16_t *pcm, size_t n)
{
	/* Main loop only, like the recorder: one buffer serves every listener. */
	static int16_t frames[2 * RING];
	size_t k = sipcid_record_listen_mix_put(&l->mix, ch == l->far_end ? 0 : 1, arrival_us, pcm, n,
	                                        frames, RING);
	if (k == 0)
		return !l->gone;
	for (size_t i = 0; i < 2 * k; i++)
		frames[i] = GINT16_TO_LE(frames[i]);
	return !l->gone && sipcid_control_push_write(l->push, frames, k * 4);
}

bool sipcid_record_listen_gone(const struct sipcid_record_listen *l)
{
	return l->gone;
}

void sipcid_record_listen_end(struct sipcid_record_listen *l, const char *why)
{
	if (!l)
		return;
	int64_t secs = (g_get_monotonic_time() - l->started_us) / G_USEC_PER_SEC;
	sipcid_log_info("listen live: %s stopped listening to call %s from %s after %" G_GINT64_FORMAT
	                " s: %s", l->who, l->call_id, l->caller, secs, why);
	sipcid_control_push_free(l->push);
	g_free(l);
}
