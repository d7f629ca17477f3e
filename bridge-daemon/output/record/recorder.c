/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Recording calls: matching RTP to calls, capturing it, finishing files. */
#include "recorder.h"

#include "dtmf.h"
#include "g711.h"
#include "call_words.h"
#include "log.h"
#include "record_budget.h"
#include "record_finish.h"
#include "record_listen.h"
#include "rtp.h"
#include "sdp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum {
	NOTE_RING = 64,
	/* Calls followed at once (recorded or not: any may be recorded on
	 * request); beyond, a new call cannot be recorded on request. */
	TRACK_MAX = 256,
	ENDED_RING = 32,            /* calls that ended lately, for the control socket's answer */
	PACKETS_PER_SECOND = 200,   /* both directions at 10 ms packets: beyond is a flood */
	PCAP_RECORD_HEADER = 16,
	/* Listen Live: people listening at once, to all calls together. */
	LISTEN_MAX = 4,
};
#define MB ((uint64_t)1024 * 1024)
#define NOT_PERMITTED "recording is not permitted for this call (no rule marked it record, " \
                      "and [record] on-demand is off)"
/* No RTP for this long: the BYE was lost; finish the recording. */
#define IDLE_US ((int64_t)60 * G_USEC_PER_SEC)
/* Marked record but no RTP ever came (a call that never connected). */
#define NO_MEDIA_US ((int64_t)15 * 60 * G_USEC_PER_SEC)

struct media_note {
	char call_id[SIPCID_CALLID_MAX];
	struct sipcid_endpoint src;
	bool is_request;
	int64_t time_us;
	char key;                   /* a key of SIP INFO; 0: an SDP note */
	struct sipcid_sdp sdp;
};

/* A call the recorder follows: its RTP endpoints are known from the SDP
 * notes, and it is saved while `capturing`. */
struct recording {
	struct sipcid_record_job job;
	bool told;                           /* one of the call's events arrived */
	bool permitted;                      /* a rule marked it, or [record] on-demand */
	bool capturing;                      /* its RTP is being saved */
	enum sipcid_direction direction;     /* known once told */
	struct sipcid_dtmf_stream dtmf[2];   /* telephone-events per channel */
	struct sipcid_dtmf_seq keys;         /* the household's last keys */
	int64_t seen_us;                     /* the last RTP of the call, saved or not */
	bool have_caller;
	struct sipcid_endpoint caller_sig;   /* who sent the initial INVITE */
	bool named;
	int64_t created_us, first_us, last_us;
	uint64_t packets, max_packets;
	uint64_t bytes;                      /* written to the capture */
	int64_t window_us;                   /* this second's packets, for the flood cap */
	unsigned window_packets;
	char caller[160];                    /* who calls, for the listen log */
	struct sipcid_record_listen *listeners[LISTEN_MAX];
	pcap_t *dead;
	pcap_dumper_t *dump;
	bool failed, truncated;
	bool warned_flood, warned_budget;
	unsigned listening;                  /* listeners of this call */
};

struct finished {
	char call_id[SIPCID_CALLID_MAX];
	char *path;
};

struct sipcid_recorder {
	struct sipcid_output out;
	struct sipcid_record_settings settings;
	GPtrArray *active;                   /* struct recording * */
	GThreadPool *workers;
	sipcid_recorder_done_fn done_fn;
	void *done_ctx;
	int64_t now_us;
	bool warned_full;
	struct sipcid_record_budget budget;

	GMutex notes_lock;                   /* the packet path's SDP notes */
	struct media_note notes[NOTE_RING];
	unsigned notes_head, notes_count;

	/* Lately seen calls the control socket may ask about, and cannot record:
	 * ended, or refused (blocked, or not permitted). */
	char ended[ENDED_RING][SIPCID_CALLID_MAX];
	unsigned ended_next;
	char refused[ENDED_RING][SIPCID_CALLID_MAX];
	bool refused_blocked[ENDED_RING];
	unsigned refused_next;
	unsigned capturing;                  /* recordings in `active` that are saving */
	unsigned listening;                  /* listeners, all calls together */

	GMutex done_lock;                    /* finished files, from the worker */
	GQueue done;
	struct sipcid_recorder_stats stats;  /* under done_lock */
};

static void warn(const char *call_id, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void warn(const char *call_id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sipcid_log_warnx("recording of call %s: %s", call_id, msg);
}

static bool same_addr(const struct sipcid_endpoint *a, const struct sipcid_endpoint *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static bool same_endpoint(const struct sipcid_endpoint *a, const struct sipcid_endpoint *b)
{
	return a->port == b->port && same_addr(a, b);
}

static struct recording *find(struct sipcid_recorder *rec, const char *call_id)
{
	for (guint i = 0; i < rec->active->len; i++) {
		struct recording *r = rec->active->pdata[i];
		if (!strcmp(r->job.call_id, call_id))
			return r;
	}
	return NULL;
}

static struct recording *create(struct sipcid_recorder *rec, const char *call_id, int64_t now_us)
{
	if (rec->active->len >= TRACK_MAX) {
		if (!rec->warned_full)
			warn(call_id, "not followed: %u calls are followed already", rec->active->len);
		rec->warned_full = true;
		return NULL;
	}
	struct recording *r = g_new0(struct recording, 1);
	g_strlcpy(r->job.call_id, call_id, sizeof r->job.call_id);
	g_strlcpy(r->job.directory, rec->settings.directory, sizeof r->job.directory);
	r->job.max_samples = (int64_t)rec->settings.max_minutes * 60 * 8000;
	r->max_packets = (uint64_t)rec->settings.max_minutes * 60 * PACKETS_PER_SECOND;
	r->created_us = now_us;
	g_ptr_array_add(rec->active, r);
	return r;
}

static void discard(struct recording *r)
{
	if (r->dump) {
		pcap_dump_close(r->dump);
		r->dump = NULL;
		unlink(r->job.capture);
	}
	if (r->dead)
		pcap_close(r->dead);
	g_free(r);
}

static void add_done(struct sipcid_recorder *rec, const char *call_id, char *path)
{
	struct finished *f = g_new0(struct finished, 1);
	g_strlcpy(f->call_id, call_id, sizeof f->call_id);
	f->path = path;
	g_mutex_lock(&rec->done_lock);
	g_queue_push_tail(&rec->done, f);
	rec->stats.recordings++;
	g_mutex_unlock(&rec->done_lock);
}

static void count_failure(struct sipcid_recorder *rec)
{
	g_mutex_lock(&rec->done_lock);
	rec->stats.failures++;
	g_mutex_unlock(&rec->done_lock);
}

/* Worker thread: one job at a time. */
static void run_job(gpointer data, gpointer user)
{
	struct recording *r = data;
	struct sipcid_recorder *rec = user;
	char *path = NULL;
	GError *err = NULL;
	if (sipcid_record_finish(&r->job, &path, &err)) {
		add_done(rec, r->job.call_id, path);
	} else {
		warn(r->job.call_id, "%s", err->message);
		g_error_free(err);
		unlink(r->job.capture);
		count_failure(rec);
	}
	discard(r);
}

/* Index of call_id in a ring of Call-IDs, or -1. */
static int ring_find(char (*ring)[SIPCID_CALLID_MAX], const char *call_id)
{
	for (int i = 0; i < ENDED_RING; i++)
		if (!strcmp(ring[i], call_id))
			return i;
	return -1;
}

static void forget_ended(struct sipcid_recorder *rec, const char *call_id)
{
	g_strlcpy(rec->ended[rec->ended_next], call_id, sizeof rec->ended[0]);
	rec->ended_next = (rec->ended_next + 1) % ENDED_RING;
}

static void remember_refused(struct sipcid_recorder *rec, const char *call_id, bool blocked)
{
	if (ring_find(rec->refused, call_id) >= 0)
		return;
	g_strlcpy(rec->refused[rec->refused_next], call_id, sizeof rec->refused[0]);
	rec->refused_blocked[rec->refused_next] = blocked;
	rec->refused_next = (rec->refused_next + 1) % ENDED_RING;
}

/* Starts or stops saving the call's RTP; how says who asked, for the log.
 * False (with why) when it cannot start. */
static bool set_capturing(struct sipcid_recorder *rec, struct recording *r, bool on,
                          const char *how, const char **why)
{
	*why = NULL;
	if (r->capturing == on)
		return true;
	if (on && !r->permitted) {
		*why = NOT_PERMITTED;
		return false;
	}
	if (on && r->failed) {
		*why = "its recording failed (see the log)";
		return false;
	}
	if (on && rec->capturing >= (unsigned)rec->settings.max_calls) {
		*why = "too many calls are being recorded already ([record] max-calls)";
		return false;
	}
	r->capturing = on;
	rec->capturing += on ? 1 : -1;
	if (!how)
		return true;
	/* A recording that does not start with the call says so: the file
	 * begins at this moment, not at the answer. */
	if (on && r->seen_us) {
		sipcid_log_info("recording of call %s started mid-call (%s)", r->job.call_id, how);
	} else {
		sipcid_log_info("recording of call %s %s (%s)", r->job.call_id,
		                on ? "started" : "stopped", how);
	}
	return true;
}

static void end_listener(struct sipcid_recorder *rec, struct recording *r, int i, const char *why)
{
	sipcid_record_listen_end(r->listeners[i], why);
	r->listeners[i] = NULL;
	rec->listening--;
	r->listening--;
}

/* Listeners whose client went away. */
static void sweep_listeners(struct sipcid_recorder *rec, struct recording *r)
{
	for (int i = 0; i < LISTEN_MAX; i++)
		if (r->listeners[i] && sipcid_record_listen_gone(r->listeners[i]))
			end_listener(rec, r, i, "the listener went away");
}

static void finish(struct sipcid_recorder *rec, struct recording *r)
{
	for (int i = 0; i < LISTEN_MAX; i++)
		if (r->listeners[i])
			end_listener(rec, r, i, "the call ended");
	g_ptr_array_remove(rec->active, r);
	if (r->capturing)
		rec->capturing--;
	forget_ended(rec, r->job.call_id);
	if (r->failed || !r->dump) {
		discard(r);
		return;
	}
	/* Flushing is where a full disk shows up for the last buffered packets. */
	if (pcap_dump_flush(r->dump) != 0) {
		warn(r->job.call_id, "cannot write %s: %s%s", r->job.capture, g_strerror(errno),
		     errno == ENOSPC ? " (the disk is full)" : "");
		count_failure(rec);
		discard(r);
		return;
	}
	pcap_dump_close(r->dump);
	r->dump = NULL;
	if (!r->named)
		sipcid_record_name(r->first_us, NULL, NULL, r->job.name);
	r->job.start_us = r->first_us;
	g_thread_pool_push(rec->workers, r, NULL);
}

/* A key pressed in the call. Only the household's keys count: a caller
 * must not be able to start recording what the household says, nor stop
 * a recording the household wants. The household is the callee of an
 * incoming call and the caller of an outgoing one. */
static void key_pressed(struct sipcid_recorder *rec, struct recording *r, char key,
                        bool from_caller, int64_t time_us)
{
	if (!r->told || from_caller != (r->direction == SIPCID_DIR_OUTGOING))
		return;
	const struct sipcid_record_settings *s = &rec->settings;
	enum sipcid_dtmf_action a = sipcid_dtmf_seq_push(&r->keys, key, time_us, s->dtmf_start,
	                                                 s->dtmf_stop);
	if (a == SIPCID_DTMF_NONE)
		return;
	char how[64];
	g_snprintf(how, sizeof how, "by touch-tones %s", a == SIPCID_DTMF_START ? s->dtmf_start
	                                                                     : s->dtmf_stop);
	const char *why;
	if (!set_capturing(rec, r, a == SIPCID_DTMF_START, how, &why))
		warn(r->job.call_id, "%s asked to record: %s", how, why);
}

static void apply_note(struct sipcid_recorder *rec, const struct media_note *n)
{
	struct recording *r = find(rec, n->call_id);
	if (n->key && !r)
		return;
	if (!r && !(r = create(rec, n->call_id, n->time_us)))
		return;
	if (n->key) {
		/* Whose key it is, by the side that sent the INVITE; unknown (its
		 * SDP note was lost): nobody's. */
		if (r->have_caller)
			key_pressed(rec, r, n->key, same_addr(&n->src, &r->caller_sig), n->time_us);
		return;
	}
	bool from_caller;
	if (!r->have_caller && n->is_request) {
		r->have_caller = true;
		r->caller_sig = n->src;
		from_caller = true;
	} else {
		from_caller = r->have_caller ? same_addr(&n->src, &r->caller_sig) : false;
	}
	/* Channel 1 is what the phone says: RTP sent to where the caller listens. */
	int ch = from_caller ? 1 : 0;
	r->job.to[ch] = n->sdp.audio;
	r->job.sdp[ch] = n->sdp;
	r->job.known[ch] = true;
}

static void drain_notes(struct sipcid_recorder *rec)
{
	for (;;) {
		struct media_note n;
		g_mutex_lock(&rec->notes_lock);
		bool any = rec->notes_count > 0;
		if (any) {
			n = rec->notes[rec->notes_head];
			rec->notes_head = (rec->notes_head + 1) % NOTE_RING;
			rec->notes_count--;
		}
		g_mutex_unlock(&rec->notes_lock);
		if (!any)
			return;
		apply_note(rec, &n);
	}
}

/* Queues a note for the main loop (packet path: no I/O, no allocation). */
static void queue_note(struct sipcid_recorder *rec, const struct sipcid_packet *pkt,
                       const char *call_id, bool is_request, char key,
                       const struct sipcid_sdp *sdp)
{
	g_mutex_lock(&rec->notes_lock);
	if (rec->notes_count < NOTE_RING) {
		struct media_note *n = &rec->notes[(rec->notes_head + rec->notes_count) % NOTE_RING];
		g_strlcpy(n->call_id, call_id, sizeof n->call_id);
		n->src = pkt->src;
		n->is_request = is_request;
		n->time_us = pkt->time_us;
		n->key = key;
		if (sdp)
			n->sdp = *sdp;
		rec->notes_count++;
	} else {
		rec->stats.sdp_dropped++;
	}
	g_mutex_unlock(&rec->notes_lock);
}

void sipcid_recorder_sdp(struct sipcid_recorder *rec, const struct sipcid_packet *pkt,
                         const char *call_id, bool is_request, const char *body, size_t len)
{
	struct sipcid_sdp sdp;
	if (sipcid_sdp_parse(body, len, &sdp))
		queue_note(rec, pkt, call_id, is_request, 0, &sdp);
}

void sipcid_recorder_key(struct sipcid_recorder *rec, const struct sipcid_packet *pkt,
                         const char *call_id, char key)
{
	queue_note(rec, pkt, call_id, true, key, NULL);
}

static bool open_capture(struct recording *r)
{
	if (g_mkdir_with_parents(r->job.directory, 0750) != 0) {
		warn(r->job.call_id, "cannot create the recordings directory %s: %s", r->job.directory,
		     g_strerror(errno));
		return false;
	}
	g_autofree char *tmpl = g_build_filename(r->job.directory, ".sipcid-rtp-XXXXXX", NULL);
	int fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0640);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		warn(r->job.call_id, "cannot write in %s: %s%s", r->job.directory, g_strerror(errno),
		     errno == ENOSPC ? " (the disk is full)" : "");
		if (fd >= 0) {
			close(fd);
			unlink(tmpl);
		}
		return false;
	}
	g_strlcpy(r->job.capture, tmpl, sizeof r->job.capture);
	r->dead = pcap_open_dead(DLT_RAW, 65535);
	r->dump = pcap_dump_fopen(r->dead, f);
	if (!r->dump) {
		fclose(f);
		unlink(tmpl);
		return false;
	}
	return true;
}

static uint16_t be16(uint16_t v)
{
	return GUINT16_TO_BE(v);
}

/* The packet as it was on the wire (IP + UDP), rebuilt from what the capture
 * stage decoded, so offline and live recordings look the same. */
static size_t rebuild(const struct sipcid_packet *pkt, uint8_t *buf, size_t room)
{
	size_t ip_len = pkt->src.family == AF_INET ? 20 : 40;
	size_t total = ip_len + 8 + pkt->payload_len;
	if (total > room)
		return 0;
	memset(buf, 0, ip_len + 8);
	if (pkt->src.family == AF_INET) {
		buf[0] = 0x45;
		uint16_t l = be16((uint16_t)total);
		memcpy(buf + 2, &l, 2);
		buf[8] = 64;
		buf[9] = 17;
		memcpy(buf + 12, pkt->src.addr, 4);
		memcpy(buf + 16, pkt->dst.addr, 4);
	} else {
		buf[0] = 0x60;
		uint16_t l = be16((uint16_t)(total - 40));
		memcpy(buf + 4, &l, 2);
		buf[6] = 17;
		buf[7] = 64;
		memcpy(buf + 8, pkt->src.addr, 16);
		memcpy(buf + 24, pkt->dst.addr, 16);
	}
	uint8_t *udp = buf + ip_len;
	uint16_t v = be16(pkt->src.port);
	memcpy(udp, &v, 2);
	v = be16(pkt->dst.port);
	memcpy(udp + 2, &v, 2);
	v = be16((uint16_t)(8 + pkt->payload_len));
	memcpy(udp + 4, &v, 2);
	memcpy(udp + 8, pkt->payload, pkt->payload_len);
	return total;
}

static void count_not_saved(struct sipcid_recorder *rec)
{
	g_mutex_lock(&rec->done_lock);
	rec->stats.not_saved++;
	g_mutex_unlock(&rec->done_lock);
}

static void check_disk(struct sipcid_recorder *rec, int64_t now_us)
{
	if (!sipcid_record_budget_check(&rec->budget, now_us))
		return;
	if (rec->budget.low_space)
		sipcid_log_warnx("recording stopped: only %u%% of the disk holding %s is free "
		                 "(below %d%%)", rec->budget.free_percent, rec->settings.directory,
		                 SIPCID_RECORD_BUDGET_MIN_FREE_PERCENT);
	else
		sipcid_log_info("recording resumed: %u%% of the disk holding %s is free",
		                rec->budget.free_percent, rec->settings.directory);
	g_mutex_lock(&rec->done_lock);
	rec->stats.disk_low = rec->budget.low_space;
	g_mutex_unlock(&rec->done_lock);
}

/* Whether a packet of `bytes` (in the capture) may be saved: the flood cap
 * per second, the call's budget, the total budget and the free space. What
 * is refused is counted, and said once per call. */
static bool within_bounds(struct sipcid_recorder *rec, struct recording *r, int64_t time_us,
                          uint64_t bytes)
{
	if (time_us - r->window_us >= G_USEC_PER_SEC || time_us < r->window_us) {
		r->window_us = time_us;
		r->window_packets = 0;
	}
	const char *why = NULL;
	bool *warned = &r->warned_budget;
	if (++r->window_packets > PACKETS_PER_SECOND) {
		why = "more than 200 packets a second (a flood, not audio): the excess is not saved";
		warned = &r->warned_flood;
	} else if (r->bytes + bytes > (uint64_t)rec->settings.max_call_mb * MB) {
		why = "cut at [record] max-call-mb";
	} else if (rec->budget.low_space) {
		why = "stopped: the disk is almost full (see the log)";
	} else if (!sipcid_record_budget_allows(&rec->budget, bytes)) {
		why = "stopped: the recordings directory holds [record] max-total-mb";
	}
	if (!why)
		return true;
	if (!*warned)
		warn(r->job.call_id, "%s", why);
	*warned = true;
	count_not_saved(rec);
	return false;
}

static void save_packet(struct sipcid_recorder *rec, struct recording *r, int ch,
                        const struct sipcid_packet *pkt)
{
	struct sipcid_rtp rtp;
	if (!sipcid_rtp_parse(pkt->payload, pkt->payload_len, &rtp))
		return;
	if (r->packets == 0)
		r->first_us = pkt->time_us;
	if (r->packets >= r->max_packets ||
	    pkt->time_us - r->first_us > (int64_t)rec->settings.max_minutes * 60 * G_USEC_PER_SEC) {
		if (!r->truncated)
			warn(r->job.call_id, "cut at %d minutes ([record] max-minutes)",
			     rec->settings.max_minutes);
		r->truncated = true;
		return;
	}
	static uint8_t buf[65536 + 48];
	size_t n = rebuild(pkt, buf, sizeof buf);
	if (!n)
		return;
	check_disk(rec, pkt->time_us);
	if (!within_bounds(rec, r, pkt->time_us, n + PCAP_RECORD_HEADER))
		return;
	if (!r->dump && !open_capture(r)) {
		r->failed = true;
		count_failure(rec);
		return;
	}
	if (sipcid_sdp_codec(&r->job.sdp[ch], rtp.payload_type) == SIPCID_CODEC_OTHER)
		r->job.keep_pcap = true;
	struct pcap_pkthdr h = { 0 };
	h.ts.tv_sec = (time_t)(pkt->time_us / G_USEC_PER_SEC);
	h.ts.tv_usec = (suseconds_t)(pkt->time_us % G_USEC_PER_SEC);
	h.caplen = h.len = (bpf_u_int32)n;
	pcap_dump((u_char *)r->dump, &h, buf);
	if (ferror(pcap_dump_file(r->dump))) {
		int err = errno;
		warn(r->job.call_id, "stopped: cannot write %s: %s%s", r->job.capture, g_strerror(err),
		     err == ENOSPC ? " (the disk is full)" : "");
		r->failed = true;
		count_failure(rec);
		pcap_dump_close(r->dump);
		r->dump = NULL;
		unlink(r->job.capture);
		return;
	}
	r->packets++;
	r->bytes += n + PCAP_RECORD_HEADER;
	sipcid_record_budget_add(&rec->budget, n + PCAP_RECORD_HEADER);
	r->last_us = pkt->time_us;
	g_mutex_lock(&rec->done_lock);
	rec->stats.packets++;
	g_mutex_unlock(&rec->done_lock);
}

/* A telephone-event in RTP to channel ch (sent by the other side: channel 0
 * is what the caller sends). Its payload type is the one the receiver's SDP
 * named telephone-event. */
static void rtp_event(struct sipcid_recorder *rec, struct recording *r, int ch,
                      const struct sipcid_packet *pkt)
{
	struct sipcid_rtp rtp;
	struct sipcid_dtmf_event ev;
	if (!sipcid_rtp_parse(pkt->payload, pkt->payload_len, &rtp) ||
	    sipcid_sdp_codec(&r->job.sdp[ch], rtp.payload_type) != SIPCID_CODEC_EVENT ||
	    !sipcid_dtmf_event_parse(rtp.payload, rtp.payload_len, &ev))
		return;
	char key = sipcid_dtmf_stream_digit(&r->dtmf[ch], rtp.ssrc, rtp.timestamp, &ev);
	if (key)
		key_pressed(rec, r, key, ch == 0, pkt->time_us);
}

/* RTP of a listened call to its listeners, decoded (main loop, like every
 * packet the recorder reads; never the packet thread). */
static void listen_packet(struct sipcid_recorder *rec, struct recording *r, int ch,
                          const struct sipcid_packet *pkt)
{
	struct sipcid_rtp rtp;
	if (!sipcid_rtp_parse(pkt->payload, pkt->payload_len, &rtp))
		return;
	enum sipcid_codec codec = sipcid_sdp_codec(&r->job.sdp[ch], rtp.payload_type);
	if (codec != SIPCID_CODEC_PCMU && codec != SIPCID_CODEC_PCMA)
		return;  /* events, comfort noise, codecs we cannot play: silence */
	int16_t pcm[1600];
	size_t n = MIN(rtp.payload_len, G_N_ELEMENTS(pcm));
	sipcid_g711_decode(rtp.payload, n, pcm, codec == SIPCID_CODEC_PCMA);
	for (int i = 0; i < LISTEN_MAX; i++) {
		struct sipcid_record_listen *l = r->listeners[i];
		if (l && !sipcid_record_listen_audio(l, ch, pkt->time_us, pcm, n))
			end_listener(rec, r, i, sipcid_record_listen_gone(l)
			                                ? "the listener went away"
			                                : "the listener was too slow (over 2 s behind)");
	}
}

void sipcid_recorder_packet(struct sipcid_recorder *rec, const struct sipcid_packet *pkt)
{
	if (pkt->transport != SIPCID_TRANSPORT_UDP || pkt->fragment)
		return;
	drain_notes(rec);
	for (guint i = 0; i < rec->active->len; i++) {
		struct recording *r = rec->active->pdata[i];
		/* A recording that failed (a full disk) may still be listened to. */
		if (r->failed && !r->listening)
			continue;
		for (int ch = 0; ch < 2; ch++) {
			if (r->job.known[ch] && same_endpoint(&pkt->dst, &r->job.to[ch])) {
				if (!r->failed)
					rtp_event(rec, r, ch, pkt);
				if (r->capturing && !r->failed)
					save_packet(rec, r, ch, pkt);
				if (r->listening)
					listen_packet(rec, r, ch, pkt);
				r->seen_us = pkt->time_us;
				return;
			}
		}
	}
}

static void deliver_done(struct sipcid_recorder *rec)
{
	for (;;) {
		g_mutex_lock(&rec->done_lock);
		struct finished *f = g_queue_pop_head(&rec->done);
		g_mutex_unlock(&rec->done_lock);
		if (!f)
			return;
		if (rec->done_fn)
			rec->done_fn(rec->done_ctx, f->call_id, f->path);
		g_free(f->path);
		g_free(f);
	}
}

void sipcid_recorder_tick(struct sipcid_recorder *rec, int64_t now_us)
{
	rec->now_us = now_us;
	check_disk(rec, now_us);
	drain_notes(rec);
	for (guint i = rec->active->len; i-- > 0;) {
		struct recording *r = rec->active->pdata[i];
		if (r->listening)
			sweep_listeners(rec, r);
		bool idle = r->seen_us ? now_us - r->seen_us > IDLE_US
		                       : now_us - r->created_us > NO_MEDIA_US;
		if (idle)
			finish(rec, r);
	}
	deliver_done(rec);
}

static void recorder_emit(void *ctx, const struct sipcid_call *call)
{
	struct sipcid_recorder *rec = ctx;
	drain_notes(rec);
	struct recording *r = find(rec, call->call_id);
	bool over = call->state == SIPCID_STATE_MISSED || call->state == SIPCID_STATE_ENDED;
	/* Blocked calls are never recorded; others may be, on request, when
	 * [record] on-demand allows it. */
	bool may = call->action != SIPCID_ACTION_BLOCK && (call->record || rec->settings.on_demand);
	if (!r) {
		/* A blocked call is over at once (missed): remembered all the same,
		 * so the control socket can say why it cannot be recorded. */
		if (!may)
			remember_refused(rec, call->call_id, call->action == SIPCID_ACTION_BLOCK);
		if (!may || over)
			return;
		if (!(r = create(rec, call->call_id, MAX(rec->now_us, call->time_us))))
			return;
	}
	if (!r->named) {
		sipcid_record_name(call->time_us, call->number, call->name, r->job.name);
		r->named = true;
	}
	r->direction = call->direction;
	r->permitted = may;
	g_snprintf(r->caller, sizeof r->caller, "%s (%s)",
	           *call->number ? call->number : sipcid_call_words_withheld(call->presentation),
	           sipcid_call_words_who(call));
	if (!r->told) {
		/* A `record` rule starts recording with the call; touch-tones or
		 * the control socket may stop it (and start it again). */
		r->told = true;
		const char *why;
		if (call->record && !set_capturing(rec, r, true, NULL, &why))
			warn(call->call_id, "not recorded: %s", why);
	}
	if (!may || over)
		finish(rec, r);
}

/* Why the control socket cannot act on a call the recorder does not follow
 * now: "error: ..." in reply. */
static void say_unknown(struct sipcid_recorder *rec, const char *call_id, GString *reply)
{
	int refused = ring_find(rec->refused, call_id);
	const char *why = ring_find(rec->ended, call_id) >= 0 ? "the call has ended already"
	                  : refused < 0 ? "no call in progress has this Call-ID"
	                  : rec->refused_blocked[refused]
	                          ? "recording is not permitted for this call (it was blocked)"
	                          : NOT_PERMITTED;
	g_string_append_printf(reply, "error: %s\n", why);
}

bool sipcid_recorder_control(struct sipcid_recorder *rec, const char *call_id, bool on,
                             GString *reply)
{
	drain_notes(rec);
	struct recording *r = find(rec, call_id);
	if (!r || !r->told) {
		say_unknown(rec, call_id, reply);
		return false;
	}
	const char *why;
	if (!set_capturing(rec, r, on, "by the control socket", &why)) {
		g_string_append_printf(reply, "error: %s\n", why);
		return false;
	}
	g_string_append_printf(reply, "ok: call %s is %s\n", call_id,
	                       on ? "being recorded" : "not being recorded");
	return true;
}

bool sipcid_recorder_listen(struct sipcid_recorder *rec, const char *call_id, const char *who,
                            GSocketConnection *conn, GString *reply)
{
	drain_notes(rec);
	struct recording *r = find(rec, call_id);
	if (!r || !r->told) {
		say_unknown(rec, call_id, reply);
		return false;
	}
	/* The same permission as recording: a rule marked it, or on-demand. */
	if (!r->permitted) {
		g_string_append(reply, "error: listening is not permitted for this call (no rule "
		                       "marked it record, and [record] on-demand is off)\n");
		return false;
	}
	if (rec->listening >= LISTEN_MAX) {
		g_string_append_printf(reply, "error: %d people are listening already\n", LISTEN_MAX);
		return false;
	}
	int slot = 0;
	while (r->listeners[slot])
		slot++;
	/* The far end goes left: the caller of an incoming call, the called
	 * party of an outgoing one (channel 0 carries the INVITE sender). */
	int far_end = r->direction == SIPCID_DIR_OUTGOING ? 1 : 0;
	r->listeners[slot] = sipcid_record_listen_new(conn, r->job.call_id, r->caller, who, far_end);
	r->listening++;
	rec->listening++;
	return true;
}

void sipcid_recorder_get_stats(struct sipcid_recorder *rec, struct sipcid_recorder_stats *out)
{
	g_mutex_lock(&rec->done_lock);
	*out = rec->stats;
	g_mutex_unlock(&rec->done_lock);
	g_mutex_lock(&rec->notes_lock);
	out->sdp_dropped = rec->stats.sdp_dropped;
	g_mutex_unlock(&rec->notes_lock);
	out->active = rec->capturing;
	out->disk_used = sipcid_record_budget_used(&rec->budget);
}

static void recorder_close(void *ctx)
{
	struct sipcid_recorder *rec = ctx;
	drain_notes(rec);
	while (rec->active->len)
		finish(rec, rec->active->pdata[rec->active->len - 1]);
	g_thread_pool_free(rec->workers, FALSE, TRUE); /* waits for the files */
	deliver_done(rec);
	g_ptr_array_free(rec->active, TRUE);
	g_mutex_clear(&rec->notes_lock);
	g_mutex_clear(&rec->done_lock);
	g_free(rec);
}

struct sipcid_recorder *sipcid_recorder_new(const struct sipcid_record_settings *s)
{
	struct sipcid_recorder *rec = g_new0(struct sipcid_recorder, 1);
	rec->settings = *s;
	sipcid_record_budget_init(&rec->budget, rec->settings.directory,
	                          (uint64_t)rec->settings.max_total_mb * MB);
	rec->active = g_ptr_array_new();
	g_mutex_init(&rec->notes_lock);
	g_mutex_init(&rec->done_lock);
	g_queue_init(&rec->done);
	/* One worker: conversions are disk-bound, and the WAV writer's buffers are static. */
	rec->workers = g_thread_pool_new(run_job, rec, 1, TRUE, NULL);
	rec->out = (struct sipcid_output){ "record", rec, recorder_emit, recorder_close, NULL };
	return rec;
}

struct sipcid_output *sipcid_recorder_output(struct sipcid_recorder *rec)
{
	return &rec->out;
}

void sipcid_recorder_set_done(struct sipcid_recorder *rec, sipcid_recorder_done_fn fn, void *ctx)
{
	rec->done_fn = fn;
	rec->done_ctx = ctx;
}
