/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [record] in sipcid.conf: where and how calls marked `record` are saved.
 * (Which calls are recorded is the rules' decision: [rules] record-default
 * and `record` rules.)
 *
 *   [record]
 *   directory = /var/lib/sipcid/recordings
 *   max-minutes = 240     # a longer call is cut here
 *   max-calls = 16        # recorded at the same time; more are not recorded
 *   max-call-mb = 400     # one call's capture; beyond, the call is cut
 *   max-total-mb = 1024   # what the directory may hold; beyond, nothing is saved
 *   nflog-group = 7652    # live mode: the NFLOG group sipcid-firewall copies
 *                         # the bridge's RTP to; 0: no audio is captured live
 *   on-demand = yes       # a call no rule marked may be recorded when the
 *                         # household asks: touch-tones or the control socket
 *   dtmf-start = *1       # keys the phone presses to start recording; empty: off
 *   dtmf-stop = *0        # ... and to stop it */
#ifndef SIPCID_RECORD_SETTINGS_H
#define SIPCID_RECORD_SETTINGS_H

#include "config.h"
#include "dtmf.h"

#include <stdbool.h>

/* Default: recordings/ in the state directory (lib/state_dir.h). */

struct sipcid_record_settings {
	bool enabled;          /* false: no recorder at all (sipcidd --read without [record]) */
	bool directory_set;    /* the configuration names the directory */
	char directory[4096];
	int max_minutes;
	int max_calls;
	int max_call_mb;
	int max_total_mb;
	int nflog_group;       /* 0: live mode does not listen for RTP */
	bool on_demand;        /* recording may start on request, not only by a rule */
	char dtmf_start[SIPCID_DTMF_CODE_MAX + 1];  /* "": touch-tones do not start */
	char dtmf_stop[SIPCID_DTMF_CODE_MAX + 1];   /* "": touch-tones do not stop */
};

enum {
	SIPCID_RECORD_DEFAULT_NFLOG_GROUP = 7652,
	/* A G.711 call at 10 ms packets, both ways, is 98 MB of capture an
	 * hour: the default max-minutes (4 hours) fits. A flood does not: it is
	 * capped at 200 packets a second before this. */
	SIPCID_RECORD_DEFAULT_MAX_CALL_MB = 400,
	/* A home box's disk (often an SD card): 1 GiB is about 9 hours of
	 * recorded calls as WAV, and leaves the rest alone. */
	SIPCID_RECORD_DEFAULT_MAX_TOTAL_MB = 1024,
};

void sipcid_record_settings_default(struct sipcid_record_settings *s);
bool sipcid_record_settings_load(const struct sipcid_config *cfg, struct sipcid_record_settings *s,
                                 GError **error);

#endif
