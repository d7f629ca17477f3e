/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The packet path: every packet a capture stage sees goes through
 * sipcid_pipeline_handle(), which decodes SIP, tracks calls, applies the
 * rules and returns the verdict. It does no I/O: finished call records are
 * put on a bounded queue that the output stages drain elsewhere (the main
 * loop), so a slow disk or network never holds a packet back. */
#ifndef SIPCID_PIPELINE_H
#define SIPCID_PIPELINE_H

#include "call.h"
#include "line_event.h"
#include "line_health.h"
#include "line_learn.h"
#include "packet.h"

#include <stdbool.h>
#include <stdint.h>

struct sipcid_pipeline;
struct sipcid_settings;

struct sipcid_pipeline_stats {
	uint64_t packets, sip_messages, invites, calls, retransmissions, updates;
	uint64_t parse_failures, fallback_parses, dropped_events, dropped_verdicts;
	uint64_t tcp_streams, tcp_overflows, table_evictions;
	uint64_t unenforced_blocks;   /* blocks over TCP that could not be enforced: the call rang */
	uint64_t tcp_rejects;         /* INVITEs over TCP changed so that the ATA turns them away */
	uint64_t tcp_rejects_unchanged; /* of their rejections, those that reached the provider as
	                                 * the ATA sent them (420, 488): turned away all the same */
	uint64_t outgoing_calls;      /* the phone calling out: never blocked */
	uint64_t emergency_calls;     /* to or from an emergency number: never blocked */
	uint64_t emergency_overrides; /* of those, calls a block rule matched */
	uint64_t stranger_blocks;     /* INVITEs blocked that did not come from the provider */
	uint64_t uninspected;         /* SIP-port packets passed unread: not SIP, or no caller */
	uint64_t malformed;           /* INVITEs that repeat From, To, Call-ID or CSeq */
	uint64_t identity_changes;    /* INVITEs under a known Call-ID with another identity */
	/* Blocked INVITEs answered as the ATA (docs/datapath.md, "Blocking and TCP") */
	uint64_t replies_sent;        /* responses sent, retransmissions included */
	uint64_t reply_failures;      /* responses that could not be sent: dropped in silence */
	int reply_last_error;         /* the errno of the last failure */
	uint64_t replies_absorbed;    /* ACKs and CANCELs of answered INVITEs kept from the phone */
	struct sipcid_line_learn line;  /* what the bridge learned about the line */
	struct sipcid_line_health health;  /* the registration and voicemail (line_health.h) */
	uint64_t dropped_line_events;
};

struct sipcid_pipeline *sipcid_pipeline_new(const struct sipcid_settings *settings);
void sipcid_pipeline_free(struct sipcid_pipeline *pl);
/* Swaps in new settings (after SIGHUP), including their rules. Calls in
 * progress keep their decision. The caller keeps s alive until replaced. */
void sipcid_pipeline_set_settings(struct sipcid_pipeline *pl, const struct sipcid_settings *s);
/* Swaps in a new ruleset (the rule file or phonebook changed). Takes its own
 * reference. Calls in progress keep their decision. */
struct sipcid_rules;
void sipcid_pipeline_set_rules(struct sipcid_pipeline *pl, struct sipcid_rules *rules);

enum sipcid_verdict sipcid_pipeline_handle(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt);
/* Ages out calls and flows; call now and then with the current time. */
void sipcid_pipeline_expire(struct sipcid_pipeline *pl, int64_t now_us);

/* fn(ctx) is called (on the packet path, so it must only signal, e.g. write
 * an eventfd) whenever a call record is queued. */
void sipcid_pipeline_set_wakeup(struct sipcid_pipeline *pl, void (*fn)(void *ctx), void *ctx);
/* Takes the next finished call record, if any. Safe to call from one other thread. */
bool sipcid_pipeline_next_event(struct sipcid_pipeline *pl, struct sipcid_call *out);
/* Takes the next line or voicemail event (lib/line_event.h), if any; they
 * have their own small ring, drained with the calls' on the same wake-up. */
bool sipcid_pipeline_next_line_event(struct sipcid_pipeline *pl, struct sipcid_line_event *out);
/* The recorder's hook: fn is called on the packet path, for every SIP message
 * with a body that belongs to a call marked record (so it can learn the RTP
 * endpoints from the SDP). It must not block or do I/O. */
typedef void (*sipcid_media_fn)(void *ctx, const struct sipcid_packet *pkt, const char *call_id,
                                bool is_request, const char *body, size_t len);
void sipcid_pipeline_set_media_hook(struct sipcid_pipeline *pl, sipcid_media_fn fn, void *ctx);
/* Touch-tones sent by SIP INFO (decode/dtmf_info.h): fn is called on the
 * packet path with the key, for the calls the media hook gets. With
 * all_calls, both hooks get every call that is not blocked (the recorder
 * may start recording any call on request), not only calls marked record. */
typedef void (*sipcid_dtmf_fn)(void *ctx, const struct sipcid_packet *pkt, const char *call_id,
                               char key);
void sipcid_pipeline_set_dtmf_hook(struct sipcid_pipeline *pl, sipcid_dtmf_fn fn, void *ctx,
                                   bool all_calls);
/* Which packets that cannot be read count as `uninspected`: by default
 * every one (live mode: the firewall queues only SIP ports); with
 * well_known_only, only those from or to port 5060 or 5061 (--read sees all
 * of a capture's traffic). */
/* Live mode: blocked INVITEs over UDP are answered through `frames`
 * (verdict/frame.h; NULL when it could not be opened: each answer then
 * fails, and the call is dropped in silence, its outcome `drop`). Without
 * this call (--read) nothing is sent and events show the outcome that
 * would have been. The pipeline does not own `frames`. */
struct sipcid_frame_sender;
void sipcid_pipeline_set_frame_sender(struct sipcid_pipeline *pl, struct sipcid_frame_sender *frames);
void sipcid_pipeline_set_uninspected_scope(struct sipcid_pipeline *pl, bool well_known_only);
void sipcid_pipeline_get_stats(struct sipcid_pipeline *pl, struct sipcid_pipeline_stats *out);
/* Pause blocking (the MQTT switch): the rules still decide and calls are
 * announced with the deciding rule, but a call a rule blocks rings, with
 * action allow. Any thread may set it; the packet path reads it without a lock. */
void sipcid_pipeline_set_paused(struct sipcid_pipeline *pl, bool paused);
bool sipcid_pipeline_paused(struct sipcid_pipeline *pl);

#endif
