/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Listen Live: the audio of a call in progress, as it arrives, to a client
 * of the control socket (`listen CALL-ID`, which sipcid-web turns into a
 * WAV stream for the browser).
 *
 * The recorder hands each G.711 packet of a listened call, decoded, to
 * sipcid_record_listen_audio() on the main loop, where it reads the NFLOG
 * copies: never on the packet thread. The mix puts both directions on one
 * clock, the packets' arrival: a gap in one direction (lost packets, silence
 * suppression, one-way audio) becomes silence, so left and right stay
 * aligned; a direction that has sent nothing for 200 ms is filled with
 * silence so the other is not held back. What goes out is raw PCM, signed
 * 16-bit little-endian, 8000 Hz, two channels interleaved: left the far
 * end, right the household. Writes never block; a client more than two
 * seconds of audio behind is dropped. */
#ifndef SIPCID_RECORD_LISTEN_H
#define SIPCID_RECORD_LISTEN_H

#include <gio/gio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIPCID_RECORD_LISTEN_RATE = 8000,
	SIPCID_RECORD_LISTEN_RING = 8192,   /* samples a channel may be ahead: about 1 s */
	SIPCID_RECORD_LISTEN_LAG = 1600,    /* 200 ms: a silent direction is filled after this */
	SIPCID_RECORD_LISTEN_WHO_MAX = 64,
};

/* Both directions on one timeline (pure; no I/O). */
struct sipcid_record_listen_mix {
	bool started;
	int64_t t0_us;                       /* arrival of the first packet */
	int64_t end[2];                      /* absolute sample where each channel's audio ends */
	int64_t emitted;                     /* absolute sample: what went out */
	int16_t ring[2][SIPCID_RECORD_LISTEN_RING];
};

void sipcid_record_listen_mix_init(struct sipcid_record_listen_mix *m);
/* n samples of channel ch (0 or 1) whose last one arrived at arrival_us.
 * Writes the frames now ready, interleaved (channel 0 left), to out, at
 * most max_frames (SIPCID_RECORD_LISTEN_RING is always enough); returns how
 * many. */
size_t sipcid_record_listen_mix_put(struct sipcid_record_listen_mix *m, int ch, int64_t arrival_us,
                                    const int16_t *pcm, size_t n, int16_t *out, size_t max_frames);

struct sipcid_record_listen;

/* Starts a listener on conn (referenced): writes "ok: ..." and logs who
 * listens to which call and caller. far_end: the recorder's channel that
 * carries the far end's voice (it goes left). */
struct sipcid_record_listen *sipcid_record_listen_new(GSocketConnection *conn, const char *call_id,
                                                      const char *caller, const char *who,
                                                      int far_end);
/* Decoded audio of the recorder's channel ch. False when the listener must
 * be ended: too slow, or its connection failed. */
bool sipcid_record_listen_audio(struct sipcid_record_listen *l, int ch, int64_t arrival_us,
                                const int16_t *pcm, size_t n);
/* The client closed its end (seen by the main loop). */
bool sipcid_record_listen_gone(const struct sipcid_record_listen *l);
/* Logs the end (why, in words) and closes the connection. */
void sipcid_record_listen_end(struct sipcid_record_listen *l, const char *why);

/* A requester's words from the control socket made safe for the log: at
 * most WHO_MAX-1 bytes of printable ASCII without spaces; "" when none. */
void sipcid_record_listen_clean_who(const char *in, char *out, size_t out_size);

#endif
