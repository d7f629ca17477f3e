/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The recorder: saves the audio of calls marked `record`, and of calls the
 * household asks it to record (touch-tones in the call, or the control
 * socket) when [record] on-demand allows it.
 *
 * It is fed from three places, which the daemon's runners wire:
 *   - sipcid_recorder_sdp(): message bodies of recorded calls, from the SIP
 *     path (sipcid_pipeline_set_media_hook). Safe on the packet path: it
 *     parses the SDP into a fixed struct and queues it; no I/O, no allocation.
 *   - sipcid_recorder_packet(): UDP packets that may be RTP (offline: every
 *     UDP packet of the capture; live: the NFLOG copy of the bridge's UDP).
 *     Packets sent to an endpoint a recorded call's SDP named are appended to
 *     a temporary pcap in the recordings directory. Does file I/O: call it
 *     from the main loop (or a thread of its own), never from the NFQUEUE path.
 *   - the output's emit(): call records; a recorded call that ends (or is
 *     missed) is converted to a WAV (or kept as pcap) on a worker thread.
 * All of these except sipcid_recorder_sdp() must be called from one thread. */
#ifndef SIPCID_RECORDER_H
#define SIPCID_RECORDER_H

#include "output.h"
#include "packet.h"
#include "record_settings.h"

#include <gio/gio.h>
#include <glib.h>
#include <stdbool.h>

struct sipcid_recorder;

struct sipcid_recorder_stats {
	uint64_t packets;       /* RTP packets saved */
	uint64_t sdp_dropped;   /* SDP notes lost because the queue was full */
	uint64_t recordings;    /* files written */
	uint64_t failures;      /* recordings lost to errors (disk full...) */
	uint64_t not_saved;     /* RTP packets of recorded calls refused by a bound: a flood
	                         * beyond 200 a second, max-call-mb, max-total-mb, a full disk */
	bool disk_low;          /* stopped: less than 5% of the disk is free */
	uint64_t disk_used;     /* bytes the recordings directory holds, by the budget's count */
	unsigned active;        /* calls being recorded now (saving their RTP) */
};

/* Done callback: path is the file written. Called from the thread that calls
 * sipcid_recorder_tick() or closes the output. */
typedef void (*sipcid_recorder_done_fn)(void *ctx, const char *call_id, const char *path);

struct sipcid_recorder *sipcid_recorder_new(const struct sipcid_record_settings *s);
/* The recorder as an output; its close() finishes every recording (waiting
 * for the files to be written) and frees the recorder. */
struct sipcid_output *sipcid_recorder_output(struct sipcid_recorder *rec);
void sipcid_recorder_set_done(struct sipcid_recorder *rec, sipcid_recorder_done_fn fn, void *ctx);

/* From the SIP path, for messages of recorded calls that carry a body. */
void sipcid_recorder_sdp(struct sipcid_recorder *rec, const struct sipcid_packet *pkt,
                         const char *call_id, bool is_request, const char *body, size_t len);
/* From the SIP path too: a key pressed in a call, sent by SIP INFO
 * (sipcid_pipeline_set_dtmf_hook). Queued like the SDP; no I/O. */
void sipcid_recorder_key(struct sipcid_recorder *rec, const struct sipcid_packet *pkt,
                         const char *call_id, char key);
void sipcid_recorder_packet(struct sipcid_recorder *rec, const struct sipcid_packet *pkt);
/* The control socket's `record CALL-ID on|off`: starts or stops saving a
 * call in progress. Appends "ok: ..." or "error: ..." (an unknown call, an
 * ended call, a call that may not be recorded) to reply. */
bool sipcid_recorder_control(struct sipcid_recorder *rec, const char *call_id, bool on,
                             GString *reply);
/* The control socket's `listen CALL-ID`: for a call in progress that may be
 * recorded (a `record` rule, or [record] on-demand; never a blocked call),
 * takes conn and streams the call's audio to it (record_listen.h); who is
 * asking goes to the log. Otherwise appends "error: ..." and returns false.
 * At most 4 listeners at once. */
bool sipcid_recorder_listen(struct sipcid_recorder *rec, const char *call_id, const char *who,
                            GSocketConnection *conn, GString *reply);
/* Ends recordings whose RTP stopped (a lost BYE) and reports finished files.
 * Call about once a second: live with the wall clock, offline with capture time. */
void sipcid_recorder_tick(struct sipcid_recorder *rec, int64_t now_us);
void sipcid_recorder_get_stats(struct sipcid_recorder *rec, struct sipcid_recorder_stats *out);

#endif
