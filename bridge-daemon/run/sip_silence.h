/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "no SIP seen" warning: a user whose ATA runs SIP on another port than
 * the firewall's gets no caller ID and no blocking, and sipcidd, which then
 * sees nothing, would say nothing. When no packet has come through the
 * queue for [datapath] no-sip-warning-seconds while the bridge's ports
 * received traffic all the same, sipcidd logs once and `--status` says
 * "no SIP seen on ports 5060 for 10 minutes; run sipcid-firewall discover".
 *
 * The bridge sees only the ATA's traffic (docs/bridge-setup.md), and an
 * ATA's registrations and keep-alives cross its SIP port every few minutes;
 * the queue gets those packets whatever they carry, so "nothing queued"
 * means "the firewall looks at the wrong ports", not "a quiet line".
 *
 * Main loop only (it reads sysfs); the decision itself is pure. */
#ifndef SIPCID_SIP_SILENCE_H
#define SIPCID_SIP_SILENCE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct sipcid_sip_silence {
	char bridge[32];             /* whose ports' counters tell traffic; "" unknown */
	char ports[96];              /* the firewall's SIP ports, for the words */
	bool started;
	uint64_t queued;             /* the queue's packet count at the last sample */
	int64_t quiet_since_us;      /* monotonic: the last packet from the queue, or start */
	bool rx_known;               /* the bridge's counters could be read */
	uint64_t rx_at_quiet;        /* the bridge ports' received packets then */
	uint64_t rx_since;           /* received by the bridge's ports since */
	int64_t interval_us;         /* as of the last sample; 0: off */
	bool silent;                 /* the warning holds now */
};

/* bridge and ports come from the service's environment (SIPCID_BRIDGE,
 * SIPCID_PORTS); NULL: br0 and 5060, as sipcid-firewall assumes. */
void sipcid_sip_silence_init(struct sipcid_sip_silence *s, const char *bridge, const char *ports);

/* One sample: `queued` packets read from the queue so far, the bridge
 * ports' received packets (`rx_known` false: unreadable, then the time
 * alone decides), `interval_us` the configured quiet time (0: off).
 * Returns true when the warning starts now: the caller logs it once. */
bool sipcid_sip_silence_sample(struct sipcid_sip_silence *s, int64_t now_us, int64_t interval_us,
                               uint64_t queued, bool rx_known, uint64_t rx);

/* The warning's words, without a line end. */
void sipcid_sip_silence_words(const struct sipcid_sip_silence *s, GString *out);

/* The `--status` line: the warning, or when the queue last saw a packet. */
void sipcid_sip_silence_format(const struct sipcid_sip_silence *s, int64_t now_us, GString *out);

/* The packets the bridge's ports received (sysfs brif/ and statistics/),
 * summed; false when the bridge or its counters cannot be read. */
bool sipcid_sip_silence_bridge_rx(const char *bridge, uint64_t *out);

#endif
