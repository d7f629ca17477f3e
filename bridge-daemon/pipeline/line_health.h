/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Line health: is the ATA registered with its provider? Watched from the
 * REGISTERs that cross the bridge and their answers:
 *  - 200 (after any 401/407 challenge) with the granted expiry — the
 *    Contact's expires= parameter, else the Expires header — is up until
 *    that time;
 *  - 403, 404, 5xx or any other final refusal is down, with the status as
 *    the reason ("403 Forbidden");
 *  - a REGISTER left without a final answer for SIPCID_LINE_HEALTH_NO_ANSWER_US
 *    (Timer F, 32 s) is down: "no answer from the registrar";
 *  - a registration whose expiry passes without a renewal is down:
 *    "registration expired".
 * The line is up while any of the ATA's registrations (one per Call-ID: one
 * per account, SIPCID_LINE_HEALTH_REGS at once) is up.
 *
 * Announcing is damped: a line that goes down is announced only once it
 * stayed down for `down_after_us` ([line] down-after), so a refresh that
 * needed two tries never pops up; coming back up is announced at once, and
 * only when the down was announced. The first state learned after start is
 * announced too (up at once, down after the same wait). All times are the
 * packets' own (the capture's clock with --read).
 *
 * Voicemail: each NOTIFY message-summary toward the ATA is compared with the
 * last one of its mailbox; only a change (or a mailbox's first) is an event.
 *
 * Threading and cost: the pipeline owns one, under its lock; fixed tables,
 * no allocation, no I/O. Hostile REGISTERs from strangers: once the ATA is
 * known (line_learn.h), only its own REGISTERs count. */
#ifndef SIPCID_LINE_HEALTH_H
#define SIPCID_LINE_HEALTH_H

#include "line_event.h"
#include "message_summary.h"
#include "packet.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct sipcid_sip_scan;

enum {
	SIPCID_LINE_HEALTH_REGS = 4,       /* registrations (accounts) followed at once */
	SIPCID_LINE_HEALTH_MAILBOXES = 4,  /* voicemail boxes remembered */
};
#define SIPCID_LINE_HEALTH_NO_ANSWER_US ((int64_t)32 * G_USEC_PER_SEC)
/* Granted when a 200 names no expiry (RFC 3261 §10.2.1.1's default). */
#define SIPCID_LINE_HEALTH_DEFAULT_EXPIRES_S 3600

struct sipcid_line_health_reg {
	uint64_t call_id_hash;             /* 0: unused */
	struct sipcid_endpoint registrar;
	uint32_t cseq;                     /* of the REGISTER waiting for its answer */
	bool pending;                      /* a REGISTER is waiting for its final answer */
	bool unregister;                   /* ...and it asks for Expires: 0 */
	int64_t sent_us;                   /* its first transmission */
	bool up;
	int64_t expires_us;                /* up: the end of the registration */
	bool failed;                       /* down for a reason below */
	char reason[SIPCID_LINE_REASON_MAX];
	int64_t changed_us;                /* when up or failed last changed */
};

struct sipcid_line_health_mailbox {
	uint64_t account_hash;
	bool used;
	struct sipcid_message_summary last;
};

struct sipcid_line_health {
	struct sipcid_line_health_reg regs[SIPCID_LINE_HEALTH_REGS];
	/* what the registrations say now, and since when */
	enum sipcid_line_state state;
	int64_t state_since_us;
	char reason[SIPCID_LINE_REASON_MAX];
	char registrar[SIPCID_LINE_REGISTRAR_MAX];
	int64_t expires_us;
	/* what was announced */
	enum sipcid_line_state announced;
	int64_t announced_since_us;
	struct sipcid_line_health_mailbox mailboxes[SIPCID_LINE_HEALTH_MAILBOXES];
	struct sipcid_message_summary voicemail;  /* the last announced */
	bool voicemail_known;
	uint64_t registers, refusals, timeouts, notifies;
};

void sipcid_line_health_init(struct sipcid_line_health *h);

/* A REGISTER from the ATA (scan has Call-ID and CSeq; msg its Expires). */
void sipcid_line_health_register(struct sipcid_line_health *h, const struct sipcid_packet *pkt,
                                 const struct sipcid_sip_scan *scan, const char *msg,
                                 size_t len);
/* A response whose CSeq method is REGISTER. */
void sipcid_line_health_response(struct sipcid_line_health *h, const struct sipcid_packet *pkt,
                                 const struct sipcid_sip_scan *scan, const char *msg,
                                 size_t len);
/* Time passes: timeouts, expiry and damping. Returns true with *ev filled
 * when something is to be announced; call again until it returns false. */
bool sipcid_line_health_tick(struct sipcid_line_health *h, int64_t now_us, int64_t down_after_us,
                             struct sipcid_line_event *ev);
/* A message-summary NOTIFY: true with *ev filled when its counts are news. */
bool sipcid_line_health_voicemail(struct sipcid_line_health *h,
                                  const struct sipcid_message_summary *ms, int64_t now_us,
                                  struct sipcid_line_event *ev);

/* For --status: "line: up since …, registered with ADDR until …" and
 * voicemail, one "key: value" line each. Times are local. */
void sipcid_line_health_format(const struct sipcid_line_health *h, int64_t now_us, GString *out);

#endif
