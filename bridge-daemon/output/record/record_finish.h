/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turning a finished call's captured RTP into its recording: a stereo WAV
 * (16-bit PCM, 8 kHz; left the caller, right the phone) when all its audio
 * is G.711, else the RTP itself as a pcap. Runs on the recorder's worker
 * thread: it reads and writes whole files. */
#ifndef SIPCID_RECORD_FINISH_H
#define SIPCID_RECORD_FINISH_H

#include "packet.h"
#include "record_name.h"
#include "sdp.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct sipcid_record_job {
	char call_id[256];
	char capture[4200];           /* the temporary pcap of the call's RTP (DLT_RAW) */
	char directory[4096];
	char name[SIPCID_RECORD_NAME_MAX + 1];
	/* Channel 0: RTP sent to the phone's side (the caller's voice);
	 * channel 1: RTP sent to the caller's side (the phone's voice). Each
	 * direction is read with the payload types its receiver listed. */
	struct sipcid_endpoint to[2];
	bool known[2];
	struct sipcid_sdp sdp[2];
	int64_t start_us;             /* arrival of the first packet: time 0 of both channels */
	int64_t max_samples;          /* per channel: the call length cap */
	bool keep_pcap;               /* audio in a codec we don't decode */
};

/* Writes the recording, removes the capture, and returns the file's path in
 * *path. On failure (a full disk...) nothing partial is left behind and
 * *error says what happened in words. */
bool sipcid_record_finish(const struct sipcid_record_job *job, char **path, GError **error);

/* Moves tmp to DIR/NAME.EXT without replacing anything: NAME-2.EXT... when taken. */
bool sipcid_record_place(const char *tmp, const char *dir, const char *name, const char *ext,
                         char **path, GError **error);

#endif
