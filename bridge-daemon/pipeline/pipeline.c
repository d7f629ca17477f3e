/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The packet path. Called for every packet the capture stage sees; returns
 * the verdict at once. Everything it learns about calls goes out as call
 * records on a bounded ring that the outputs drain from the main loop. */
#include "pipeline.h"

#include "call_table.h"
#include "rules.h"
#include "callerid.h"
#include "dtmf_info.h"
#include "frame.h"
#include "message_summary.h"
#include "settings.h"
#include "sip_fingerprint.h"
#include "sip_reply.h"
#include "sip_scan.h"
#include "tcp_rewrite.h"
#include "tcp_stream.h"
#include "text.h"

#include <errno.h>
#include <glib.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

enum {
	EVENT_RING = 512,           /* call records waiting for the outputs */
	LINE_RING = 16,             /* line events: a few a day */
	TCP_MAX_FLOWS = 256,
	TCP_MAX_BUFFER = 64 * 1024, /* a SIP message over TCP larger than this is not inspected */
};
#define TCP_IDLE_US ((int64_t)15 * 60 * G_USEC_PER_SEC)

struct sipcid_pipeline {
	GMutex lock;                /* the packet path vs. settings swaps and stats readers */
	const struct sipcid_settings *settings;
	struct sipcid_rules *rules;  /* ours (a reference); swapped on reload */
	struct sipcid_call_table *calls;
	struct sipcid_tcp_streams *tcp;
	struct sipcid_pipeline_stats stats;  /* stats.line is what the line taught us */

	GMutex ring_lock;
	struct sipcid_call ring[EVENT_RING];
	unsigned ring_head, ring_count;
	struct sipcid_line_event line_ring[LINE_RING];
	unsigned line_head, line_count;
	void (*wakeup)(void *ctx);
	void *wakeup_ctx;

	sipcid_media_fn media_fn;   /* the recorder; under lock, like the packet path */
	void *media_ctx;
	bool media_all;             /* every call's bodies, not only recorded calls' */
	sipcid_dtmf_fn dtmf_fn;     /* keys of SIP INFO; under lock too */
	void *dtmf_ctx;
	atomic_bool paused;         /* blocking paused (sipcid_pipeline_set_paused) */
	bool uninspected_well_known_only;  /* see sipcid_pipeline_set_uninspected_scope */

	/* Answering blocked INVITEs (sipcid_pipeline_set_frame_sender). */
	bool live_replies;
	struct sipcid_frame_sender *frames;
	uint8_t reply_key[SIPCID_SIP_REPLY_KEY_LEN];  /* random per run: the To tags */
	uint8_t ata_mac[6];         /* learned from frames the ATA sent */
	bool ata_mac_known;
	char reply[SIPCID_SIP_REPLY_MAX];
	bool tcp_changed;           /* the TCP segment being handled was changed */
};

struct sipcid_pipeline *sipcid_pipeline_new(const struct sipcid_settings *settings)
{
	struct sipcid_pipeline *pl = g_new0(struct sipcid_pipeline, 1);
	g_mutex_init(&pl->lock);
	g_mutex_init(&pl->ring_lock);
	pl->settings = settings;
	pl->rules = settings->rules ? sipcid_rules_ref(settings->rules) : NULL;
	pl->calls = sipcid_call_table_new((unsigned)settings->table_size);
	pl->tcp = sipcid_tcp_streams_new(TCP_MAX_FLOWS, TCP_MAX_BUFFER);
	sipcid_line_learn_init(&pl->stats.line);
	sipcid_line_health_init(&pl->stats.health);
	sipcid_callerid_init();
	if (sodium_init() < 0)
		g_error("libsodium cannot start");  /* no random source at all */
	randombytes_buf(pl->reply_key, sizeof pl->reply_key);
	return pl;
}

void sipcid_pipeline_free(struct sipcid_pipeline *pl)
{
	if (!pl)
		return;
	sipcid_call_table_free(pl->calls);
	sipcid_tcp_streams_free(pl->tcp);
	if (pl->rules)
		sipcid_rules_unref(pl->rules);
	g_mutex_clear(&pl->lock);
	g_mutex_clear(&pl->ring_lock);
	g_free(pl);
}

void sipcid_pipeline_set_settings(struct sipcid_pipeline *pl, const struct sipcid_settings *s)
{
	g_mutex_lock(&pl->lock);
	pl->settings = s;
	g_mutex_unlock(&pl->lock);
	sipcid_pipeline_set_rules(pl, s->rules);
}

void sipcid_pipeline_set_rules(struct sipcid_pipeline *pl, struct sipcid_rules *rules)
{
	if (rules)
		sipcid_rules_ref(rules);
	g_mutex_lock(&pl->lock);
	struct sipcid_rules *old = pl->rules;
	pl->rules = rules;
	g_mutex_unlock(&pl->lock);
	/* Outside the lock: freeing a large ruleset must not stall a packet. */
	if (old)
		sipcid_rules_unref(old);
}

void sipcid_pipeline_set_wakeup(struct sipcid_pipeline *pl, void (*fn)(void *ctx), void *ctx)
{
	g_mutex_lock(&pl->ring_lock);
	pl->wakeup = fn;
	pl->wakeup_ctx = ctx;
	g_mutex_unlock(&pl->ring_lock);
}

static void push_event(struct sipcid_pipeline *pl, const struct sipcid_call *call)
{
	g_mutex_lock(&pl->ring_lock);
	bool queued = pl->ring_count < EVENT_RING;
	/* The consumer drains the ring until it is empty each time it wakes, so
	 * only the first event after that needs to wake it (one syscall, not one
	 * per event, on the packet path). */
	bool was_empty = pl->ring_count == 0;
	if (queued) {
		pl->ring[(pl->ring_head + pl->ring_count) % EVENT_RING] = *call;
		pl->ring_count++;
	}
	void (*wakeup)(void *) = pl->wakeup;
	void *ctx = pl->wakeup_ctx;
	g_mutex_unlock(&pl->ring_lock);
	if (!queued)
		pl->stats.dropped_events++;
	else if (wakeup && was_empty)
		wakeup(ctx);
}

bool sipcid_pipeline_next_event(struct sipcid_pipeline *pl, struct sipcid_call *out)
{
	g_mutex_lock(&pl->ring_lock);
	bool any = pl->ring_count > 0;
	if (any) {
		*out = pl->ring[pl->ring_head];
		pl->ring_head = (pl->ring_head + 1) % EVENT_RING;
		pl->ring_count--;
	}
	g_mutex_unlock(&pl->ring_lock);
	return any;
}

static void push_line_event(struct sipcid_pipeline *pl, const struct sipcid_line_event *ev)
{
	g_mutex_lock(&pl->ring_lock);
	bool queued = pl->line_count < LINE_RING;
	bool was_empty = pl->line_count == 0;
	if (queued) {
		pl->line_ring[(pl->line_head + pl->line_count) % LINE_RING] = *ev;
		pl->line_count++;
	}
	void (*wakeup)(void *) = pl->wakeup;
	void *ctx = pl->wakeup_ctx;
	g_mutex_unlock(&pl->ring_lock);
	if (!queued)
		pl->stats.dropped_line_events++;
	else if (wakeup && was_empty)
		wakeup(ctx);
}

bool sipcid_pipeline_next_line_event(struct sipcid_pipeline *pl, struct sipcid_line_event *out)
{
	g_mutex_lock(&pl->ring_lock);
	bool any = pl->line_count > 0;
	if (any) {
		*out = pl->line_ring[pl->line_head];
		pl->line_head = (pl->line_head + 1) % LINE_RING;
		pl->line_count--;
	}
	g_mutex_unlock(&pl->ring_lock);
	return any;
}

/* Timeouts, expiry and damping of the line's state, by the packets' clock. */
static void line_tick(struct sipcid_pipeline *pl, int64_t now_us)
{
	struct sipcid_line_event ev;
	while (sipcid_line_health_tick(&pl->stats.health, now_us, pl->settings->line_down_after_us,
	                               &ev))
		push_line_event(pl, &ev);
}

/* Whether a REGISTER is the ATA's own: once the ATA is known (configured
 * as phone-side, or learned), a REGISTER from anywhere else is a stranger's
 * and must not move the line's state. */
static bool register_counts(const struct sipcid_pipeline *pl, const struct sipcid_packet *pkt);
static bool from_phone(const struct sipcid_pipeline *pl, const struct sipcid_packet *pkt);

/* A NOTIFY message-summary toward the ATA: voicemail. It passes untouched. */
static void note_voicemail(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                           const char *msg, size_t len, struct sipcid_sip_scan *scan)
{
	if (!sipcid_message_summary_is_notify(msg, len) || from_phone(pl, pkt))
		return;
	sipcid_sip_scan_more(msg, len, ~0u, scan);
	if (!scan->headers_end || scan->headers_end > len)
		return;
	size_t body = len - scan->headers_end;
	if (scan->content_length >= 0 && (size_t)scan->content_length < body)
		body = (size_t)scan->content_length;
	struct sipcid_message_summary ms;
	struct sipcid_line_event ev;
	if (sipcid_message_summary_parse(msg + scan->headers_end, body, &ms) &&
	    sipcid_line_health_voicemail(&pl->stats.health, &ms, pkt->time_us, &ev))
		push_line_event(pl, &ev);
}

void sipcid_pipeline_get_stats(struct sipcid_pipeline *pl, struct sipcid_pipeline_stats *out)
{
	g_mutex_lock(&pl->lock);
	*out = pl->stats;
	out->tcp_streams = sipcid_tcp_streams_count(pl->tcp);
	out->tcp_overflows = sipcid_tcp_streams_overflows(pl->tcp);
	g_mutex_unlock(&pl->lock);
}

void sipcid_pipeline_set_frame_sender(struct sipcid_pipeline *pl, struct sipcid_frame_sender *frames)
{
	g_mutex_lock(&pl->lock);
	pl->live_replies = true;
	pl->frames = frames;
	g_mutex_unlock(&pl->lock);
}

void sipcid_pipeline_set_uninspected_scope(struct sipcid_pipeline *pl, bool well_known_only)
{
	g_mutex_lock(&pl->lock);
	pl->uninspected_well_known_only = well_known_only;
	g_mutex_unlock(&pl->lock);
}

void sipcid_pipeline_set_media_hook(struct sipcid_pipeline *pl, sipcid_media_fn fn, void *ctx)
{
	g_mutex_lock(&pl->lock);
	pl->media_fn = fn;
	pl->media_ctx = ctx;
	g_mutex_unlock(&pl->lock);
}

void sipcid_pipeline_set_dtmf_hook(struct sipcid_pipeline *pl, sipcid_dtmf_fn fn, void *ctx,
                                   bool all_calls)
{
	g_mutex_lock(&pl->lock);
	pl->dtmf_fn = fn;
	pl->dtmf_ctx = ctx;
	pl->media_all = all_calls;
	g_mutex_unlock(&pl->lock);
}

/* Whether the recorder wants this call's bodies: a call it may record. */
static bool wants_media(const struct sipcid_pipeline *pl, const struct call_entry *e)
{
	return pl->media_fn && e && (e->call.record || pl->media_all) &&
	       e->call.action != SIPCID_ACTION_BLOCK;
}

/* Bodies (SDP) of calls the recorder may record go to the recorder; so do
 * the keys of an INFO (application/dtmf-relay or application/dtmf). */
static void report_media(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                         const struct sipcid_sip_scan *scan, const char *msg, size_t len,
                         const struct call_entry *e)
{
	if (!wants_media(pl, e) || scan->headers_end == 0 || scan->headers_end >= len)
		return;
	size_t body = len - scan->headers_end;
	if (scan->content_length >= 0 && (size_t)scan->content_length < body)
		body = (size_t)scan->content_length;
	if (body == 0)
		return;
	if (pl->dtmf_fn && scan->is_request && scan->method == SIP_METHOD_OTHER &&
	    scan->method_text.len == 4 && !memcmp(scan->method_text.p, "INFO", 4)) {
		char key = sipcid_dtmf_info_digit(msg, scan->headers_end, body);
		if (key)
			pl->dtmf_fn(pl->dtmf_ctx, pkt, e->call.call_id, key);
		return;
	}
	pl->media_fn(pl->media_ctx, pkt, e->call.call_id, scan->is_request, msg + scan->headers_end,
	             body);
}

static void emit_update(struct sipcid_pipeline *pl, struct call_entry *e, int64_t now_us)
{
	e->call.ring_ms = ((e->answer_us ? e->answer_us : now_us) - e->invite_us) / 1000;
	e->call.talk_ms = e->answer_us ? (now_us - e->answer_us) / 1000 : 0;
	struct sipcid_call update = e->call;
	update.kind = SIPCID_EVENT_UPDATE;
	pl->stats.updates++;
	push_event(pl, &update);
}

static void set_state(struct sipcid_pipeline *pl, struct call_entry *e, enum sipcid_state state,
                      int64_t now_us)
{
	if (e->call.state == state)
		return;
	e->call.state = state;
	if (state == SIPCID_STATE_ANSWERED)
		sipcid_call_table_answer(pl->calls, e, now_us);
	else if (state == SIPCID_STATE_MISSED || state == SIPCID_STATE_ENDED)
		sipcid_call_table_finish(pl->calls, e, now_us);
	else
		sipcid_call_table_touch(pl->calls, e, now_us);
	emit_update(pl, e, now_us);
}

static bool trust_is_set(const struct sipcid_trust *t)
{
	return t->any || t->public || t->n_nets > 0;
}

static bool register_counts(const struct sipcid_pipeline *pl, const struct sipcid_packet *pkt)
{
	const struct sipcid_settings *s = pl->settings;
	if (trust_is_set(&s->phone_side))
		return sipcid_trust_allows(&s->phone_side, pkt->src.family, pkt->src.addr);
	if (!sipcid_line_learn_knows_provider(&pl->stats.line, pkt->time_us))
		return true;  /* nothing learned yet: the first registration teaches */
	return sipcid_line_learn_from_ata(&pl->stats.line, pkt);
}

/* Is this INVITE the phone calling out? [callerid] phone-side, when set,
 * decides alone; else what the line taught (the ATA's bridge port, or its
 * addresses); with no evidence a call is incoming, as it always was. */
static bool from_phone(const struct sipcid_pipeline *pl, const struct sipcid_packet *pkt)
{
	const struct sipcid_settings *s = pl->settings;
	if (trust_is_set(&s->phone_side))
		return sipcid_trust_allows(&s->phone_side, pkt->src.family, pkt->src.addr);
	return sipcid_line_learn_from_ata(&pl->stats.line, pkt);
}

/* Who sent an incoming INVITE: the provider as learned or configured
 * ([callerid] trusted-sources), a stranger once either says who the
 * provider is, else unknown (nothing to compare with: never a stranger). */
static enum sipcid_origin origin_of(const struct sipcid_pipeline *pl,
                                    const struct sipcid_packet *pkt)
{
	const struct sipcid_trust *trust = &pl->settings->trust;
	if (sipcid_line_learn_is_provider(&pl->stats.line, &pkt->src, pkt->time_us) ||
	    sipcid_trust_allows(trust, pkt->src.family, pkt->src.addr))
		return SIPCID_ORIGIN_PROVIDER;
	if (sipcid_line_learn_knows_provider(&pl->stats.line, pkt->time_us) || trust_is_set(trust))
		return SIPCID_ORIGIN_STRANGER;
	return SIPCID_ORIGIN_UNKNOWN;
}

/* RFC 5031: an emergency call may be addressed to urn:service:sos[.*]. */
static bool addressed_to_sos(const struct sipcid_sip_scan *scan)
{
	static const char sos[] = "urn:service:sos";
	struct sip_span u = sipcid_sip_span_trim(scan->request_uri);
	return u.len >= sizeof sos - 1 && !g_ascii_strncasecmp(u.p, sos, sizeof sos - 1) &&
	       (u.len == sizeof sos - 1 || u.p[sizeof sos - 1] == '.');
}

/* Reads the caller and applies the rules. A message that repeats a
 * singleton header is hostile: it is judged once for each From and To value
 * it carries, and blocked when any of them is, so that a block holds
 * whichever value the phone shows (one shows the first, another the last).
 * The record is then the blocked reading, else the first. */
static enum sipcid_extract_result judge(struct sipcid_pipeline *pl, const struct sipcid_sip_scan *scan,
                                        const struct sipcid_packet *pkt, bool outgoing,
                                        enum sipcid_origin origin, struct sipcid_call *call,
                                        struct sipcid_rules_verdict *why)
{
	const struct sipcid_settings *s = pl->settings;
	/* RFC 3325: only the provider may assert an identity (docs/callerid.md). */
	bool trusted = origin == SIPCID_ORIGIN_PROVIDER;
	struct sipcid_sip_scan one = *scan;
	/* An INVITE with a To tag that gets here is in no dialog sipcidd knows:
	 * it is read like an initial INVITE. */
	one.to_tag = false;
	bool malformed = sipcid_sip_scan_repeats_singletons(scan);
	int n_from = malformed ? CLAMP(scan->n_from, 1, SIP_SCAN_MAX_VALUES) : 1;
	int n_to = malformed ? CLAMP(scan->n_to, 1, SIP_SCAN_MAX_VALUES) : 1;
	enum sipcid_extract_result result = SIPCID_EXTRACT_UNREADABLE;
	bool fallback = false;
	for (int f = 0; f < n_from; f++) {
		for (int t = 0; t < n_to; t++) {
			if (malformed) {
				one.from = scan->from_all[f];
				one.to = scan->to_all[t];
			}
			struct sipcid_call c;
			memset(&c, 0, sizeof c);
			struct sipcid_extract_info info;
			enum sipcid_extract_result r =
				sipcid_callerid_extract_scanned(&s->numbers, &one, trusted, &c, &info);
			fallback |= info.used_fallback;
			if (r != SIPCID_EXTRACT_OK)
				continue;
			c.kind = SIPCID_EVENT_CALL;
			c.time_us = pkt->time_us;
			c.state = SIPCID_STATE_RINGING;
			c.malformed = malformed;
			c.direction = outgoing ? SIPCID_DIR_OUTGOING : SIPCID_DIR_INCOMING;
			c.origin = origin;
			/* The caller's number counts only when not from a stranger
			 * (rules.c says why). */
			c.emergency = addressed_to_sos(scan) ||
			              sipcid_number_is_emergency(&s->numbers, c.called) ||
			              (sipcid_number_is_emergency(&s->numbers, c.number) &&
			               origin != SIPCID_ORIGIN_STRANGER);
			struct sipcid_rules_verdict w;
			sipcid_rules_decide_why(pl->rules, s->rules_files.record_default, &c, &w);
			if (result != SIPCID_EXTRACT_OK ||
			    (c.action == SIPCID_ACTION_BLOCK && call->action != SIPCID_ACTION_BLOCK)) {
				*call = c;
				*why = w;
			}
			result = SIPCID_EXTRACT_OK;
		}
	}
	if (fallback)
		pl->stats.fallback_parses++;
	if (malformed)
		pl->stats.malformed++;
	return result;
}

/* Sends the response with `status` to the request in msg, as the ATA: from
 * the request's destination to its source, out of the bridge port it came
 * in on, to the MAC address it came from. True when it went out, or (in
 * --read) when it would have. */
static bool send_reply(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                       const char *msg, size_t len, int status)
{
	size_t n = sipcid_sip_reply_build(msg, len, status, pl->reply_key, pl->reply,
	                                  sizeof pl->reply);
	if (!pl->live_replies)
		return n > 0;
	int err = !n                ? EBADMSG
	          : !pl->frames     ? ENOTCONN
	          : !pkt->has_src_mac ? EADDRNOTAVAIL
	          : sipcid_frame_send(pl->frames, pkt->ingress_ifindex, pkt->src_mac,
	                              pl->ata_mac_known ? pl->ata_mac : NULL, &pkt->dst, &pkt->src,
	                              pl->reply, n);
	if (err) {
		pl->stats.reply_failures++;
		pl->stats.reply_last_error = err;
		return false;
	}
	pl->stats.replies_sent++;
	return true;
}

/* Turns away a blocked INVITE as its outcome says. Over UDP a response is
 * sent now, as part of the verdict; when it cannot be, the INVITE is still
 * dropped and the event says `drop`. Over TCP the verdict stays ACCEPT
 * (new_call). */
static void refuse(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt, const char *msg,
                   size_t len, const struct sipcid_sip_scan *scan, struct call_entry *e)
{
	/* The rules leave the outcome unset when a rule names none: [rules]
	 * block-outcome's default. */
	if (e->call.outcome == SIPCID_OUTCOME_NONE)
		e->call.outcome = SIPCID_OUTCOME_DECLINE;
	/* A stranger (not the provider, once the line knows who that is) is
	 * a scanner or a forged source: an answer would tell it the line
	 * exists, or reflect at whoever it claims to be. Silence. */
	if (e->call.origin == SIPCID_ORIGIN_STRANGER)
		e->call.outcome = SIPCID_OUTCOME_DROP;
	/* The rules never block an outgoing or emergency call; should that
	 * ever change, sipcidd still never answers one in the ATA's name. */
	if (e->call.direction == SIPCID_DIR_OUTGOING || e->call.emergency)
		e->call.outcome = SIPCID_OUTCOME_DROP;
	if (e->call.outcome == SIPCID_OUTCOME_DROP || pkt->transport != SIPCID_TRANSPORT_UDP)
		return;
	if (!send_reply(pl, pkt, msg, len, sipcid_sip_reply_status(e->call.outcome))) {
		e->call.outcome = SIPCID_OUTCOME_DROP;
		return;
	}
	e->reply_until_us = pkt->time_us + SIPCID_REPLY_LINGER_US;
	e->reply_cseq = scan->cseq;
}

/* A request of a transaction sipcidd answered as the ATA: a retransmitted
 * INVITE gets the same response again (the To tag is a hash of the
 * Call-ID); its ACK, and a CANCEL that crossed the response, end there. The
 * phone never knew the call. */
static bool absorb(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt, const char *msg,
                   size_t len, const struct sipcid_sip_scan *scan, const struct call_entry *e)
{
	if (!e || !e->reply_until_us || pkt->time_us > e->reply_until_us ||
	    e->call.action != SIPCID_ACTION_BLOCK || scan->cseq != e->reply_cseq)
		return false;
	if (scan->method == SIP_METHOD_INVITE)
		send_reply(pl, pkt, msg, len, sipcid_sip_reply_status(e->call.outcome));
	else
		pl->stats.replies_absorbed++;
	return true;
}

/* The ATA's own MAC address: the source of the responses sent in its name. */
static void learn_ata_mac(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt)
{
	if (pkt->has_src_mac && pkt->transport == SIPCID_TRANSPORT_UDP &&
	    sipcid_line_learn_from_ata(&pl->stats.line, pkt)) {
		memcpy(pl->ata_mac, pkt->src_mac, 6);
		pl->ata_mac_known = true;
	}
}

/* A SIP message over TCP being handled, and where the segment that completed
 * it lies in it; changed tells the capture to send the segment back changed. */
struct tcp_message {
	const char *msg;
	size_t len;
	const struct sipcid_tcp_piece *piece;
	bool changed;
};

/* How a call blocked over TCP is turned away: the rule's outcome, else the
 * configured default (decline until rules carry one). */
static enum sipcid_outcome tcp_outcome(const struct sipcid_call *call)
{
	return call->outcome != SIPCID_OUTCOME_NONE ? call->outcome : SIPCID_OUTCOME_DECLINE;
}

/* Makes the changes tcp_rewrite described in the packet, and has the flow
 * remember them for retransmissions of the same bytes. Without a writable
 * packet (--read) they are only described: the verdict would carry them. */
static bool apply_rewrite(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                          struct tcp_message *tm, const struct sipcid_tcp_rewrite *done)
{
	if (done->n == 0)
		return false;
	size_t lo = done->span[0].at, hi = lo;
	for (unsigned i = 0; i < done->n; i++) {
		lo = MIN(lo, done->span[i].at);
		hi = MAX(hi, done->span[i].at + done->span[i].len);
	}
	if (pkt->payload_rw) {
		size_t at = tm->piece->payload_at + (lo - tm->piece->msg_from);
		sipcid_tcp_streams_remember(pl->tcp, pkt, at, hi - lo);
		tm->changed = true;
	}
	return true;
}

static uint8_t *segment_bytes(const struct sipcid_packet *pkt, const struct tcp_message *tm)
{
	return pkt->payload_rw ? pkt->payload_rw + tm->piece->payload_at : NULL;
}

/* A blocked INVITE over TCP, changed so that the ATA rejects it before it
 * rings (tcp_rewrite.h). False when no byte the segment holds can do it. */
static bool turn_away_invite(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                             const struct sipcid_sip_scan *scan, struct tcp_message *tm)
{
	struct sipcid_tcp_rewrite done;
	size_t headers_end = scan->headers_end ? scan->headers_end : tm->len;
	if (!sipcid_tcp_rewrite_invite(tm->msg, tm->len, headers_end, tm->piece->msg_from,
	                               segment_bytes(pkt, tm), &done))
		return false;
	pl->stats.tcp_rejects++;
	return apply_rewrite(pl, pkt, tm, &done);
}

/* The ATA's rejection of a blocked INVITE, on its way to the provider,
 * becomes the outcome's final response (or a stray nobody takes up, for
 * drop). When it can't (its start line passed in an earlier segment), the
 * provider still gets a final 4xx or 5xx: the call is turned away all the
 * same, and counted. */
static void turn_away_response(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                               struct sipcid_sip_scan *scan, const struct call_entry *e,
                               struct tcp_message *tm)
{
	sipcid_sip_scan_more(tm->msg, tm->len, ~0u, scan);
	size_t headers_end = scan->headers_end ? scan->headers_end : tm->len;
	enum sipcid_outcome o = tcp_outcome(&e->call);
	int code = sipcid_sip_reply_status(o);
	if (o != SIPCID_OUTCOME_DROP && code == 0) {
		o = SIPCID_OUTCOME_DECLINE;  /* an outcome sip_reply does not answer yet */
		code = sipcid_sip_reply_status(o);
	}
	struct sipcid_tcp_rewrite done;
	bool ok;
	if (o == SIPCID_OUTCOME_DROP)
		ok = sipcid_tcp_rewrite_stray(tm->msg, tm->len, headers_end, tm->piece->msg_from,
		                              segment_bytes(pkt, tm), &done);
	else
		ok = sipcid_tcp_rewrite_response(tm->msg, tm->len, headers_end, tm->piece->msg_from,
		                                 code, sipcid_sip_reply_reason(code), segment_bytes(pkt, tm),
		                                 &done);
	if (!ok || !apply_rewrite(pl, pkt, tm, &done))
		pl->stats.tcp_rejects_unchanged++;
}

/* A phone that rang (180, 183) or answered a blocked INVITE over TCP
 * ignored the Require it carried (RFC 3261 §8.2.2.3 says it must not): the
 * block did not hold. Say so once, as for a block that could not be made. */
static void phone_ignored_block(struct sipcid_pipeline *pl, struct call_entry *e, int status,
                                int64_t now_us)
{
	pl->stats.unenforced_blocks++;
	e->call.action = SIPCID_ACTION_ALLOW;
	e->call.outcome = SIPCID_OUTCOME_NONE;
	e->call.state = status >= 200 ? SIPCID_STATE_ANSWERED : SIPCID_STATE_RINGING;
	emit_update(pl, e, now_us);
}

/* *entry is the call's table entry, or NULL when it was not taken in. An
 * INVITE under a Call-ID the table holds with another identity (`known`) is
 * judged as a new call and replaces it there. */
static enum sipcid_verdict new_call(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                                    const char *msg, size_t len,
                                    const struct sipcid_sip_scan *scan, struct call_entry *known,
                                    uint64_t fingerprint, struct tcp_message *tm,
                                    struct call_entry **entry)
{
	*entry = NULL;
	bool outgoing = from_phone(pl, pkt);
	enum sipcid_origin origin = outgoing ? SIPCID_ORIGIN_PHONE : origin_of(pl, pkt);
	struct sipcid_call call;
	memset(&call, 0, sizeof call);
	struct sipcid_rules_verdict why = { 0 };
	if (judge(pl, scan, pkt, outgoing, origin, &call, &why) != SIPCID_EXTRACT_OK) {
		pl->stats.parse_failures++;
		pl->stats.uninspected++;
		return SIPCID_VERDICT_ACCEPT;
	}
	if (outgoing) {
		pl->stats.outgoing_calls++;
		sipcid_line_learn_invite_out(&pl->stats.line, pkt);
		learn_ata_mac(pl, pkt);
	}
	if (call.emergency)
		pl->stats.emergency_calls++;
	if (why.emergency_override)
		pl->stats.emergency_overrides++;
	if (call.action == SIPCID_ACTION_BLOCK &&
	    atomic_load_explicit(&pl->paused, memory_order_relaxed))
		call.action = SIPCID_ACTION_ALLOW;  /* paused: it rings, the rule stays named */
	if (call.action != SIPCID_ACTION_BLOCK)
		call.outcome = SIPCID_OUTCOME_NONE;  /* it rings: nothing was turned away */

	if (call.action == SIPCID_ACTION_BLOCK && tm) {
		/* Dropping a TCP segment stalls the connection without stopping the
		 * call: the INVITE is changed so that the ATA turns it away
		 * (docs/datapath.md). When no byte left in the segment can do
		 * that, the call will ring: say so, rather than announce a block
		 * that did not happen. The rule stays named. */
		call.outcome = tcp_outcome(&call);
		if (!turn_away_invite(pl, pkt, scan, tm)) {
			call.action = SIPCID_ACTION_ALLOW;
			call.outcome = SIPCID_OUTCOME_NONE;
			pl->stats.unenforced_blocks++;
		}
	}
	if (call.action == SIPCID_ACTION_BLOCK && origin == SIPCID_ORIGIN_STRANGER)
		pl->stats.stranger_blocks++;

	struct call_entry *e = known;
	if (e) {
		/* The call it held is over as far as sipcidd can tell: its INVITE
		 * was refused, or this one takes its place at the phone. */
		if (!e->finished)
			set_state(pl, e, e->answer_us ? SIPCID_STATE_ENDED : SIPCID_STATE_MISSED,
			          pkt->time_us);
		sipcid_call_table_replace(pl->calls, e, &call, pkt->time_us);
	} else {
		bool evicted = false;
		e = sipcid_call_table_insert(pl->calls, &call, pkt->time_us, &evicted);
		if (evicted)
			pl->stats.table_evictions++;
	}
	sipcid_call_table_note_judged(e, fingerprint, call.action);
	*entry = e;
	if (call.action == SIPCID_ACTION_BLOCK) {
		/* It never rings: remember it only to drop its retransmissions (or,
		 * over TCP, to change the ATA's answer). */
		e->call.state = SIPCID_STATE_BLOCKED;
		sipcid_call_table_finish(pl->calls, e, pkt->time_us);
		refuse(pl, pkt, msg, len, scan, e);
	}
	pl->stats.calls++;
	push_event(pl, &e->call);
	return call.action == SIPCID_ACTION_BLOCK ? SIPCID_VERDICT_DROP : SIPCID_VERDICT_ACCEPT;
}

/* Whether a payload that is not SIP must be counted as passed uninspected.
 * Keep-alives (CRLF, RFC 5626) and what RFC 7983 tells apart by the first
 * byte (STUN 0-3, DTLS 20-25 in practice, RTP and RTCP 128-191) are read:
 * they are not SIP. Everything else might have been a message a phone reads. */
static bool unreadable_counts(const struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                              const char *msg, size_t len)
{
	if (pl->uninspected_well_known_only &&
	    !(pkt->src.port == 5060 || pkt->dst.port == 5060 ||
	      pkt->src.port == 5061 || pkt->dst.port == 5061))
		return false;
	uint8_t first = (uint8_t)msg[0];
	if (first <= 3 || (first >= 20 && first <= 25) || (first >= 128 && first <= 191))
		return false;
	for (size_t i = 0; i < len; i++)
		if (msg[i] != '\r' && msg[i] != '\n' && msg[i] != ' ' && msg[i] != '\0')
			return true;
	return false;
}

/* Whether an INVITE with a To tag belongs to a dialog sipcidd saw: a call it
 * saw answered, incoming or outgoing. Anything else claims a dialog that does
 * not exist, and a phone may take it as a new call: it is judged as one. A
 * call that only rang has no dialog a re-INVITE could belong to (RFC 3261
 * §14.1). */
static bool in_known_dialog(const struct call_entry *e)
{
	return e && e->answer_us != 0 && e->call.action != SIPCID_ACTION_BLOCK;
}

/* tm is the message over TCP, NULL over UDP (then msg is the datagram). */
static enum sipcid_verdict handle_message(struct sipcid_pipeline *pl,
                                          const struct sipcid_packet *pkt, const char *msg,
                                          size_t len, struct tcp_message *tm)
{
	/* Read only what the message can matter for: an INVITE everything, a
	 * response, ACK, BYE, CANCEL or in-dialog request its Call-ID and CSeq,
	 * OPTIONS and REGISTER nothing beyond the start line. */
	struct sipcid_sip_scan scan;
	if (!sipcid_sip_scan_partial(msg, len, SIP_WANT_START_LINE, &scan)) {
		if (unreadable_counts(pl, pkt, msg, len))
			pl->stats.uninspected++;
		return SIPCID_VERDICT_ACCEPT;
	}
	pl->stats.sip_messages++;
	if (scan.is_request && scan.method == SIP_METHOD_INVITE)
		sipcid_sip_scan_more(msg, len, ~0u, &scan);
	else if (scan.is_request && scan.method == SIP_METHOD_OPTIONS)
		return SIPCID_VERDICT_ACCEPT;
	else if (scan.is_request && scan.method == SIP_METHOD_REGISTER) {
		/* The ATA registering: how the bridge learns the line (line_learn.h). */
		sipcid_line_learn_register(&pl->stats.line, pkt, msg, len);
		learn_ata_mac(pl, pkt);
		if (register_counts(pl, pkt)) {
			sipcid_sip_scan_more(msg, len, SIP_WANT_CALL_ID | SIP_WANT_CSEQ, &scan);
			sipcid_line_health_register(&pl->stats.health, pkt, &scan, msg, len);
			line_tick(pl, pkt->time_us);
		}
		return SIPCID_VERDICT_ACCEPT;
	} else
		sipcid_sip_scan_more(msg, len, SIP_WANT_CALL_ID | SIP_WANT_CSEQ, &scan);
	if (scan.is_request && scan.method == SIP_METHOD_OTHER)
		note_voicemail(pl, pkt, msg, len, &scan);
	char call_id[SIPCID_CALLID_MAX];
	sipcid_text_clean(scan.call_id.p ? scan.call_id.p : "", scan.call_id.len, call_id,
	                  sizeof call_id);
	struct call_entry *e = call_id[0] ? sipcid_call_table_find(pl->calls, call_id) : NULL;
	int64_t now = pkt->time_us;
	/* A call being recorded needs the SDP of its answers and updates too. */
	if (wants_media(pl, e))
		sipcid_sip_scan_more(msg, len, ~0u, &scan);
	report_media(pl, pkt, &scan, msg, len, e);

	if (scan.is_request) {
		switch (scan.method) {
		case SIP_METHOD_INVITE: {
			pl->stats.invites++;
			if (scan.to_tag && in_known_dialog(e)) {  /* a re-INVITE */
				if (!e->finished)
					sipcid_call_table_touch(pl->calls, e, now);
				return SIPCID_VERDICT_ACCEPT;
			}
			uint64_t fingerprint = sipcid_sip_fingerprint_of(&scan);
			enum sipcid_action cached;
			if (e && sipcid_call_table_judged(e, fingerprint, &cached)) {
				/* A retransmission, or the same call retried with credentials:
				 * the same identity, so the same decision, and nothing new to
				 * announce. */
				pl->stats.retransmissions++;
				if (!e->finished)
					sipcid_call_table_touch(pl->calls, e, now);
				if (cached == SIPCID_ACTION_BLOCK)
					absorb(pl, pkt, msg, len, &scan, e);
				/* Over TCP a new transaction of a blocked call (a retry
				 * with credentials) is turned away like the first. */
				if (cached == SIPCID_ACTION_BLOCK && tm && !turn_away_invite(pl, pkt, &scan, tm))
					pl->stats.unenforced_blocks++;
				return cached == SIPCID_ACTION_BLOCK ? SIPCID_VERDICT_DROP
				                                     : SIPCID_VERDICT_ACCEPT;
			}
			/* A new call; or a Call-ID reused with another identity (a
			 * retransmission whose caller changed is one): the phone would
			 * show that identity, so it is judged and announced anew. */
			if (e)
				pl->stats.identity_changes++;
			enum sipcid_verdict v =
				new_call(pl, pkt, msg, len, &scan, e, fingerprint, tm, &e);
			report_media(pl, pkt, &scan, msg, len, e);
			return v;
		}
		case SIP_METHOD_ACK:
			if (absorb(pl, pkt, msg, len, &scan, e))
				return SIPCID_VERDICT_DROP;
			if (e && !e->finished)
				sipcid_call_table_touch(pl->calls, e, now);
			return SIPCID_VERDICT_ACCEPT;
		case SIP_METHOD_CANCEL:
			if (absorb(pl, pkt, msg, len, &scan, e))
				return SIPCID_VERDICT_DROP;
			if (e && !e->finished && !e->answer_us)
				set_state(pl, e, SIPCID_STATE_MISSED, now);
			return SIPCID_VERDICT_ACCEPT;
		case SIP_METHOD_BYE:
			if (e && !e->finished)
				set_state(pl, e, e->answer_us ? SIPCID_STATE_ENDED : SIPCID_STATE_MISSED, now);
			return SIPCID_VERDICT_ACCEPT;
		default:
			if (e && !e->finished)
				sipcid_call_table_touch(pl->calls, e, now);
			return SIPCID_VERDICT_ACCEPT;
		}
	}
	sipcid_line_learn_response(&pl->stats.line, pkt, &scan);
	learn_ata_mac(pl, pkt);
	if (tm && e && e->call.action == SIPCID_ACTION_BLOCK && scan.cseq_method == SIP_METHOD_INVITE) {
		if (scan.status >= 300)
			turn_away_response(pl, pkt, &scan, e, tm);
		else if (scan.status >= 180 && e->call.state == SIPCID_STATE_BLOCKED)
			phone_ignored_block(pl, e, scan.status, now);
	}
	if (scan.cseq_method == SIP_METHOD_REGISTER) {
		sipcid_line_health_response(&pl->stats.health, pkt, &scan, msg, len);
		line_tick(pl, now);
	}
	if (e && !e->finished && scan.cseq_method == SIP_METHOD_INVITE) {
		if (scan.status >= 200 && scan.status < 300)
			set_state(pl, e, SIPCID_STATE_ANSWERED, now);
		else if (scan.status >= 300 && !e->answer_us && scan.status != 401 &&
		         scan.status != 407)
			/* 401/407 challenge the caller, who retries with the same Call-ID. */
			set_state(pl, e, SIPCID_STATE_MISSED, now);
		else
			sipcid_call_table_touch(pl->calls, e, now);
	}
	return SIPCID_VERDICT_ACCEPT;
}

static void on_tcp_message(void *ctx, const struct sipcid_packet *pkt, const char *msg,
                           size_t len, const struct sipcid_tcp_piece *piece)
{
	/* Over TCP a segment is never dropped (tcp_stream.h): a block changes
	 * bytes instead, and the segment is sent on changed. */
	struct sipcid_pipeline *pl = ctx;
	struct tcp_message tm = { .msg = msg, .len = len, .piece = piece };
	(void)handle_message(pl, pkt, msg, len, &tm);
	pl->tcp_changed |= tm.changed;
}

enum sipcid_verdict sipcid_pipeline_handle(struct sipcid_pipeline *pl,
                                           const struct sipcid_packet *pkt)
{
	enum sipcid_verdict v = SIPCID_VERDICT_ACCEPT;
	g_mutex_lock(&pl->lock);
	pl->stats.packets++;
	if (pkt->transport == SIPCID_TRANSPORT_TCP) {
		pl->tcp_changed = false;
		if (sipcid_tcp_streams_feed(pl->tcp, pkt, on_tcp_message, pl) || pl->tcp_changed)
			v = SIPCID_VERDICT_ACCEPT_CHANGED;
	} else if (pkt->payload_len > 0)
		v = handle_message(pl, pkt, (const char *)pkt->payload, pkt->payload_len, NULL);
	g_mutex_unlock(&pl->lock);
	return v;
}

void sipcid_pipeline_expire(struct sipcid_pipeline *pl, int64_t now_us)
{
	g_mutex_lock(&pl->lock);
	sipcid_call_table_expire(pl->calls, now_us);
	sipcid_tcp_streams_expire(pl->tcp, now_us, TCP_IDLE_US);
	line_tick(pl, now_us);
	g_mutex_unlock(&pl->lock);
}

void sipcid_pipeline_set_paused(struct sipcid_pipeline *pl, bool paused)
{
	atomic_store_explicit(&pl->paused, paused, memory_order_relaxed);
}

bool sipcid_pipeline_paused(struct sipcid_pipeline *pl)
{
	return atomic_load_explicit(&pl->paused, memory_order_relaxed);
}
