/* The packet path. Called for every packet the capture stage sees; returns
 * the verdict at once. Everything it learns about calls goes out as call
 * records on a bounded ring that the outputs drain from the main loop. */
#include "pipeline.h"

#include "call_table.h"
#include "rules.h"
#include "callerid.h"
#include "settings.h"
#include "sip_scan.h"
#include "tcp_stream.h"
#include "text.h"

#include <glib.h>
#include <stdatomic.h>
#include <string.h>

enum {
	EVENT_RING = 512,           /* call records waiting for the outputs */
	TCP_MAX_FLOWS = 256,
	TCP_MAX_BUFFER = 64 * 1024, /* a SIP message over TCP larger than this is not inspected */
};
#define TCP_IDLE_US ((int64_t)15 * 60 * G_USEC_PER_SEC)

struct sipcid_pipeline {
	GMutex lock;                /* the packet path vs. settings swaps and stats readers */
	const struct sipcid_settings *settings;
	struct sipcid_rules *rules;  /* ours (a reference); swapped on reload */
	struct call_table *calls;
	struct tcp_streams *tcp;
	struct sipcid_pipeline_stats stats;  /* stats.line is what the line taught us */

	GMutex ring_lock;
	struct sipcid_call ring[EVENT_RING];
	unsigned ring_head, ring_count;
	void (*wakeup)(void *ctx);
	void *wakeup_ctx;

	sipcid_media_fn media_fn;   /* the recorder; under lock, like the packet path */
	void *media_ctx;
	atomic_bool paused;         /* blocking paused (sipcid_pipeline_set_paused) */
};

struct sipcid_pipeline *sipcid_pipeline_new(const struct sipcid_settings *settings)
{
	struct sipcid_pipeline *pl = g_new0(struct sipcid_pipeline, 1);
	g_mutex_init(&pl->lock);
	g_mutex_init(&pl->ring_lock);
	pl->settings = settings;
	pl->rules = settings->rules ? sipcid_rules_ref(settings->rules) : NULL;
	pl->calls = call_table_new((unsigned)settings->table_size);
	pl->tcp = tcp_streams_new(TCP_MAX_FLOWS, TCP_MAX_BUFFER);
	sipcid_line_learn_init(&pl->stats.line);
	sipcid_callerid_init();
	return pl;
}

void sipcid_pipeline_free(struct sipcid_pipeline *pl)
{
	if (!pl)
		return;
	call_table_free(pl->calls);
	tcp_streams_free(pl->tcp);
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

void sipcid_pipeline_get_stats(struct sipcid_pipeline *pl, struct sipcid_pipeline_stats *out)
{
	g_mutex_lock(&pl->lock);
	*out = pl->stats;
	out->tcp_streams = tcp_streams_count(pl->tcp);
	out->tcp_overflows = tcp_streams_overflows(pl->tcp);
	g_mutex_unlock(&pl->lock);
}

void sipcid_pipeline_set_media_hook(struct sipcid_pipeline *pl, sipcid_media_fn fn, void *ctx)
{
	g_mutex_lock(&pl->lock);
	pl->media_fn = fn;
	pl->media_ctx = ctx;
	g_mutex_unlock(&pl->lock);
}

/* Bodies (SDP) of recorded calls go to the recorder. */
static void report_media(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                         const struct sip_scan *scan, const char *msg, size_t len,
                         const struct call_entry *e)
{
	if (!pl->media_fn || !e || !e->call.record || e->call.action == SIPCID_ACTION_BLOCK ||
	    scan->headers_end == 0 || scan->headers_end >= len)
		return;
	size_t body = len - scan->headers_end;
	if (scan->content_length >= 0 && (size_t)scan->content_length < body)
		body = (size_t)scan->content_length;
	if (body > 0)
		pl->media_fn(pl->media_ctx, pkt, e->call.call_id, scan->is_request,
		             msg + scan->headers_end, body);
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
		call_table_answer(pl->calls, e, now_us);
	else if (state == SIPCID_STATE_MISSED || state == SIPCID_STATE_ENDED)
		call_table_finish(pl->calls, e, now_us);
	else
		call_table_touch(pl->calls, e, now_us);
	emit_update(pl, e, now_us);
}

static bool trust_is_set(const struct sipcid_trust *t)
{
	return t->any || t->public || t->n_nets > 0;
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
static bool addressed_to_sos(const struct sip_scan *scan)
{
	static const char sos[] = "urn:service:sos";
	struct sip_span u = sip_span_trim(scan->request_uri);
	return u.len >= sizeof sos - 1 && !g_ascii_strncasecmp(u.p, sos, sizeof sos - 1) &&
	       (u.len == sizeof sos - 1 || u.p[sizeof sos - 1] == '.');
}

/* *entry is the call's new table entry, or NULL when it was not taken in. */
static enum sipcid_verdict new_call(struct sipcid_pipeline *pl, const struct sipcid_packet *pkt,
                                    const struct sip_scan *scan, struct call_entry **entry)
{
	*entry = NULL;
	const struct sipcid_settings *s = pl->settings;
	bool outgoing = from_phone(pl, pkt);
	enum sipcid_origin origin = outgoing ? SIPCID_ORIGIN_PHONE : origin_of(pl, pkt);
	/* RFC 3325: only the provider may assert an identity (docs/callerid.md). */
	bool trusted = origin == SIPCID_ORIGIN_PROVIDER;
	struct sipcid_call call;
	memset(&call, 0, sizeof call);
	struct sipcid_extract_info info;
	enum sipcid_extract_result r =
		sipcid_callerid_extract_scanned(&s->numbers, scan, trusted, &call, &info);
	if (info.used_fallback)
		pl->stats.fallback_parses++;
	if (r != SIPCID_EXTRACT_OK) {
		pl->stats.parse_failures++;
		return SIPCID_VERDICT_ACCEPT;
	}
	call.kind = SIPCID_EVENT_CALL;
	call.time_us = pkt->time_us;
	call.state = SIPCID_STATE_RINGING;
	call.direction = outgoing ? SIPCID_DIR_OUTGOING : SIPCID_DIR_INCOMING;
	call.origin = origin;
	/* The caller's number counts only when not from a stranger (rules.c says why). */
	call.emergency = addressed_to_sos(scan) ||
	                 sipcid_number_is_emergency(&s->numbers, call.called) ||
	                 (sipcid_number_is_emergency(&s->numbers, call.number) &&
	                  origin != SIPCID_ORIGIN_STRANGER);
	if (outgoing) {
		pl->stats.outgoing_calls++;
		sipcid_line_learn_invite_out(&pl->stats.line, pkt);
	}
	struct sipcid_rules_verdict why;
	sipcid_rules_decide_why(pl->rules, s->rules_files.record_default, &call, &why);
	if (call.emergency)
		pl->stats.emergency_calls++;
	if (why.emergency_override)
		pl->stats.emergency_overrides++;
	if (call.action == SIPCID_ACTION_BLOCK && pkt->transport == SIPCID_TRANSPORT_TCP) {
		/* Dropping a TCP segment stalls the connection without stopping the
		 * call (docs/datapath.md), so this call will ring: say so, rather
		 * than announce a block that did not happen. The rule stays named. */
		call.action = SIPCID_ACTION_ALLOW;
		pl->stats.unenforced_blocks++;
	}
	if (call.action == SIPCID_ACTION_BLOCK && origin == SIPCID_ORIGIN_STRANGER)
		pl->stats.stranger_blocks++;

	if (call.action == SIPCID_ACTION_BLOCK &&
	    atomic_load_explicit(&pl->paused, memory_order_relaxed))
		call.action = SIPCID_ACTION_ALLOW;  /* paused: it rings, the rule stays named */

	bool evicted = false;
	struct call_entry *e = call_table_insert(pl->calls, &call, pkt->time_us, &evicted);
	*entry = e;
	if (evicted)
		pl->stats.table_evictions++;
	if (call.action == SIPCID_ACTION_BLOCK) {
		/* It never rings: remember it only to drop its retransmissions. */
		e->call.state = SIPCID_STATE_MISSED;
		call_table_finish(pl->calls, e, pkt->time_us);
	}
	pl->stats.calls++;
	push_event(pl, &e->call);
	return call.action == SIPCID_ACTION_BLOCK ? SIPCID_VERDICT_DROP : SIPCID_VERDICT_ACCEPT;
}

static enum sipcid_verdict handle_message(struct sipcid_pipeline *pl,
                                          const struct sipcid_packet *pkt, const char *msg,
                                          size_t len)
{
	/* Read only what the message can matter for: an INVITE everything, a
	 * response, ACK, BYE, CANCEL or in-dialog request its Call-ID and CSeq,
	 * OPTIONS and REGISTER nothing beyond the start line. */
	struct sip_scan scan;
	if (!sip_scan_partial(msg, len, SIP_WANT_START_LINE, &scan))
		return SIPCID_VERDICT_ACCEPT;
	pl->stats.sip_messages++;
	if (scan.is_request && scan.method == SIP_METHOD_INVITE)
		sip_scan_more(msg, len, ~0u, &scan);
	else if (scan.is_request && scan.method == SIP_METHOD_OPTIONS)
		return SIPCID_VERDICT_ACCEPT;
	else if (scan.is_request && scan.method == SIP_METHOD_REGISTER) {
		/* The ATA registering: how the bridge learns the line (line_learn.h). */
		sipcid_line_learn_register(&pl->stats.line, pkt, msg, len);
		return SIPCID_VERDICT_ACCEPT;
	} else
		sip_scan_more(msg, len, SIP_WANT_CALL_ID | SIP_WANT_CSEQ, &scan);
	char call_id[SIPCID_CALLID_MAX];
	sipcid_text_clean(scan.call_id.p ? scan.call_id.p : "", scan.call_id.len, call_id,
	                  sizeof call_id);
	struct call_entry *e = call_id[0] ? call_table_find(pl->calls, call_id) : NULL;
	int64_t now = pkt->time_us;
	/* A call being recorded needs the SDP of its answers and updates too. */
	if (e && e->call.record && pl->media_fn)
		sip_scan_more(msg, len, ~0u, &scan);
	report_media(pl, pkt, &scan, msg, len, e);

	if (scan.is_request) {
		switch (scan.method) {
		case SIP_METHOD_INVITE:
			pl->stats.invites++;
			if (scan.to_tag) {  /* a re-INVITE inside a dialog */
				if (e)
					call_table_touch(pl->calls, e, now);
				return SIPCID_VERDICT_ACCEPT;
			}
			if (e) {
				/* A retransmission, or the same call retried with credentials:
				 * the same decision, and nothing new to announce. */
				pl->stats.retransmissions++;
				if (!e->finished)
					call_table_touch(pl->calls, e, now);
				return e->call.action == SIPCID_ACTION_BLOCK ? SIPCID_VERDICT_DROP
				                                             : SIPCID_VERDICT_ACCEPT;
			}
			enum sipcid_verdict v = new_call(pl, pkt, &scan, &e);
			report_media(pl, pkt, &scan, msg, len, e);
			return v;
		case SIP_METHOD_CANCEL:
			if (e && !e->finished && !e->answer_us)
				set_state(pl, e, SIPCID_STATE_MISSED, now);
			return SIPCID_VERDICT_ACCEPT;
		case SIP_METHOD_BYE:
			if (e && !e->finished)
				set_state(pl, e, e->answer_us ? SIPCID_STATE_ENDED : SIPCID_STATE_MISSED, now);
			return SIPCID_VERDICT_ACCEPT;
		default:
			if (e && !e->finished)
				call_table_touch(pl->calls, e, now);
			return SIPCID_VERDICT_ACCEPT;
		}
	}
	sipcid_line_learn_response(&pl->stats.line, pkt, &scan);
	if (e && !e->finished && scan.cseq_method == SIP_METHOD_INVITE) {
		if (scan.status >= 200 && scan.status < 300)
			set_state(pl, e, SIPCID_STATE_ANSWERED, now);
		else if (scan.status >= 300 && !e->answer_us && scan.status != 401 &&
		         scan.status != 407)
			/* 401/407 challenge the caller, who retries with the same Call-ID. */
			set_state(pl, e, SIPCID_STATE_MISSED, now);
		else
			call_table_touch(pl->calls, e, now);
	}
	return SIPCID_VERDICT_ACCEPT;
}

static void on_tcp_message(void *ctx, const struct sipcid_packet *pkt, const char *msg,
                           size_t len)
{
	/* Over TCP the verdict is always ACCEPT: see tcp_stream.h. */
	(void)handle_message(ctx, pkt, msg, len);
}

enum sipcid_verdict sipcid_pipeline_handle(struct sipcid_pipeline *pl,
                                           const struct sipcid_packet *pkt)
{
	enum sipcid_verdict v = SIPCID_VERDICT_ACCEPT;
	g_mutex_lock(&pl->lock);
	pl->stats.packets++;
	if (pkt->transport == SIPCID_TRANSPORT_TCP)
		tcp_streams_feed(pl->tcp, pkt, on_tcp_message, pl);
	else if (pkt->payload_len > 0)
		v = handle_message(pl, pkt, (const char *)pkt->payload, pkt->payload_len);
	g_mutex_unlock(&pl->lock);
	return v;
}

void sipcid_pipeline_expire(struct sipcid_pipeline *pl, int64_t now_us)
{
	g_mutex_lock(&pl->lock);
	call_table_expire(pl->calls, now_us);
	tcp_streams_expire(pl->tcp, now_us, TCP_IDLE_US);
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
