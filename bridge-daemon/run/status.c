/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Formats the status report (see status.h and sipcidd(8)). */
#include "status.h"

#include "guard_state.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>

static void line(GString *out, const char *key, uint64_t value, const char *why)
{
	g_string_append_printf(out, "%-22s %" PRIu64, key, value);
	if (why)
		g_string_append_printf(out, "  (%s)", why);
	g_string_append_c(out, '\n');
}

/* The nfacct lines: a count, or why there is none (never a made-up 0). */
static void format_bypass(GString *out, const struct sipcid_status *st)
{
	const char *name = st->nfacct_name;
	const char *key = "bypassed-queue-full:   unavailable";
	switch (st->bypass_state) {
	case SIPCID_BYPASS_COUNTED:
		g_string_append_printf(out, "%-22s %" PRIu64 "  (packets the NFQUEUE rules sent toward "
		                       "the queue since sipcidd bound it; %u rules count into nfacct "
		                       "object %s)\n", "rule-matches:", st->bypass.matched,
		                       st->nfacct_rules, name);
		line(out, "queued-since-bind:", st->bypass.queued, "of those, packets the kernel queued");
		g_string_append_printf(out, "%-22s %" PRIu64 "  (fail-open: passed uninspected; "
		                       "rule-matches - queued-since-bind - queue-dropped; off by the "
		                       "few packets in flight as it is read%s)\n",
		                       "bypassed-queue-full:", st->bypass.bypassed,
		                       st->have_proc ? "" : "; without the kernel's queue counters, "
		                       "packets waiting in the queue count until sipcidd reads them");
		return;
	case SIPCID_BYPASS_NO_OBJECT:
		g_string_append_printf(out, "%s (there is no nfacct object %s in this network "
		                       "namespace: `sipcid-firewall up` makes it and counts the NFQUEUE "
		                       "rules' packets in it; with rules of your own, see "
		                       "sipcid-firewall(8))\n", key, name);
		return;
	case SIPCID_BYPASS_NO_OBJECT_AT_BIND:
		g_string_append_printf(out, "%s (nfacct object %s was made after sipcidd bound the "
		                       "queue: restart sipcidd to count from then on)\n", key, name);
		return;
	case SIPCID_BYPASS_NO_RULES:
		g_string_append_printf(out, "%s (no rule counts into nfacct object %s: the NFQUEUE "
		                       "rules need -m nfacct --nfacct-name %s, as `sipcid-firewall up` "
		                       "adds when the nfacct tool is installed)\n", key, name, name);
		return;
	case SIPCID_BYPASS_BEHIND:
		g_string_append_printf(out, "%s (nfacct object %s counted fewer packets than the "
		                       "queue took: it was made again since sipcidd bound the queue, as "
		                       "`sipcid-firewall down` and `up` do, or some NFQUEUE rules do not "
		                       "count into it; restart sipcidd after `sipcid-firewall up`)\n",
		                       key, name);
		return;
	case SIPCID_BYPASS_READ_ERROR:
		g_string_append_printf(out, "%s (reading nfacct object %s: %s%s)\n", key, name,
		                       g_strerror(st->bypass_errno),
		                       st->bypass_errno == EPERM ? "; sipcidd needs CAP_NET_ADMIN" : "");
		return;
	}
}

void sipcid_status_format(GString *out, const struct sipcid_status *st)
{
	const struct sipcid_nfq_stats *n = &st->nfq;
	const struct sipcid_pipeline_stats *p = &st->pipeline;
	g_string_append_printf(out, "sipcidd %s on NFQUEUE queue %u, fail-open %s, up %" PRId64 " s\n",
	                       SIPCID_VERSION, st->queue_num, n->fail_open ? "on" : "OFF",
	                       (st->now_us - st->started_us) / G_USEC_PER_SEC);
	line(out, "packets:", n->packets, "read from the queue");
	line(out, "accepted:", n->accepted, NULL);
	line(out, "dropped:", n->dropped, "blocked calls");
	line(out, "not-inspected:", n->undecoded, "not UDP/TCP over IP, passed");
	line(out, "batches:", n->batches, NULL);
	line(out, "verdict-sends:", n->verdict_sends, NULL);
	line(out, "verdict-errors:", n->send_errors, NULL);
	line(out, "enobufs:", n->enobufs, "socket overflow episodes");
	line(out, "sip-messages:", p->sip_messages, NULL);
	line(out, "invites:", p->invites, NULL);
	line(out, "calls:", p->calls, NULL);
	line(out, "retransmissions:", p->retransmissions, NULL);
	line(out, "updates:", p->updates, NULL);
	line(out, "parse-failures:", p->parse_failures, NULL);
	line(out, "fallback-parses:", p->fallback_parses, NULL);
	line(out, "events-dropped:", p->dropped_events, "outputs fell behind");
	line(out, "tcp-streams:", p->tcp_streams, NULL);
	line(out, "tcp-overflows:", p->tcp_overflows, NULL);
	line(out, "table-evictions:", p->table_evictions, NULL);
	line(out, "blocks-not-enforced:", p->unenforced_blocks, "block rules matched calls over TCP, which can't be dropped");
	line(out, "outgoing-calls:", p->outgoing_calls, "the phone calling out; never blocked");
	line(out, "emergency-calls:", p->emergency_calls, "to or from emergency numbers; never blocked");
	line(out, "emergency-overrides:", p->emergency_overrides, "emergency calls a block rule matched");
	line(out, "stranger-blocks:", p->stranger_blocks, "INVITEs blocked that did not come from the provider");
	line(out, "uninspected:", p->uninspected + n->truncated,
	     "SIP-port packets passed unread: cut short, not readable as SIP, or no caller");
	line(out, "malformed-invites:", p->malformed, "repeated From/To/Call-ID/CSeq, judged by every value");
	line(out, "identity-changes:", p->identity_changes, "INVITEs reusing a Call-ID with another identity, judged again");
	line(out, "replies-sent:", p->replies_sent, "blocked INVITEs answered as the ATA (busy, decline, gone)");
	line(out, "reply-failures:", p->reply_failures, "answers that could not be sent: those calls were dropped in silence");
	line(out, "replies-absorbed:", p->replies_absorbed, "ACKs and CANCELs of answered calls kept from the phone");
	sipcid_line_learn_format(&p->line, st->now_us, out);
	if (st->proc_error) {
		g_string_append_printf(out, "kernel:                cannot read " SIPCID_NFQ_PROC_PATH
		                       " (%s); `sipcid-firewall status` shows these counters as root\n",
		                       st->proc_error);
	} else if (!st->have_proc) {
		g_string_append(out, "kernel:                no line for this queue in " SIPCID_NFQ_PROC_PATH "\n");
	} else {
		line(out, "queue-waiting:", st->proc.queue_total, "in the kernel queue now");
		line(out, "queue-dropped:", st->proc.queue_dropped, "queue full, without fail-open");
		line(out, "user-dropped:", st->proc.user_dropped, "socket full, without fail-open");
		line(out, "queue-id-sequence:", st->proc.id_sequence, "the last packet id the kernel gave");
		line(out, "bypassed-socket-full:", n->id_gaps, "fail-open: passed uninspected");
	}
	format_bypass(out, st);
}

static bool guard_running(pid_t pid)
{
	/* EPERM: it runs as root, sipcidd as its own user. */
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

void sipcid_status_format_guard(GString *out, const char *path, uint16_t queue, int64_t now_ms)
{
	char def[4096];
	if (!path) {
		sipcid_guard_state_path(def, sizeof def);
		path = def;
	}
	struct sipcid_guard_state g;
	GError *error = NULL;
	if (!sipcid_guard_state_read(path, &g, &error)) {
		g_string_append_printf(out, "guard:                 unknown (%s%s)\n", error->message,
		                       g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
		                       ? ": sipcid-guard has not run here; without it a stalled sipcidd "
		                       "keeps the line dead, see sipcid-guard(8)" : "");
		g_error_free(error);
		return;
	}
	int64_t open_now = g.open && now_ms > g.opened_at_ms ? now_ms - g.opened_at_ms : 0;
	if (!guard_running(g.pid))
		g_string_append(out, "guard:                 NOT RUNNING (a stalled sipcidd would keep "
		                "the line dead: systemctl start sipcid-guard)\n");
	else if (g.queue != queue)
		g_string_append_printf(out, "guard:                 WATCHING QUEUE %u, not this one "
		                       "(sipcid-guard --queue %u)\n", g.queue, queue);
	else if (g.open)
		g_string_append_printf(out, "guard:                 LINE OPEN for %" PRId64 " ms (the "
		                       "guard saw sipcidd stalled: SIP passes uninspected)\n", open_now);
	else
		g_string_append(out, "guard:                 watching (the line opens if sipcidd stalls)\n");
	int64_t total = g.open_ms_total + open_now;
	int64_t longest = open_now > g.longest_ms ? open_now : g.longest_ms;
	line(out, "guard-opens:", g.opens, "times the guard opened the line around a stalled sipcidd");
	line(out, "guard-open-ms:", (uint64_t)total, "how long it was open, in all");
	line(out, "guard-longest-ms:", (uint64_t)longest, "the longest opening");
}

void sipcid_status_format_recording(GString *out, const struct sipcid_recorder_stats *rec,
                                    uint16_t group, const struct sipcid_nflog_stats *nflog,
                                    const char *why)
{
	if (!rec) {
		g_string_append(out, "recording:             off\n");
		return;
	}
	line(out, "recording-now:", rec->active, "calls being recorded");
	line(out, "recordings:", rec->recordings, "files written");
	line(out, "recording-failures:", rec->failures, "recordings lost (disk full...)");
	line(out, "rtp-saved:", rec->packets, "RTP packets of recorded calls");
	line(out, "rtp-not-saved:", rec->not_saved, "refused by a bound (flood, max-call-mb, max-total-mb, disk)");
	line(out, "recordings-disk-mb:", rec->disk_used / (1024 * 1024),
	     rec->disk_low ? "recording stopped: less than 5% of the disk is free" : NULL);
	line(out, "sdp-dropped:", rec->sdp_dropped, NULL);
	if (!nflog) {
		g_string_append_printf(out, "nflog:                 %s\n", why ? why : "off");
		return;
	}
	g_string_append_printf(out, "nflog-group:           %u\n", group);
	line(out, "nflog-packets:", nflog->packets, "copies of bridged packets read");
	line(out, "nflog-bytes:", nflog->bytes, NULL);
	line(out, "nflog-undecoded:", nflog->undecoded, "not UDP/TCP over IP, or cut");
	line(out, "nflog-lost:", nflog->lost, "copies the kernel could not deliver");
	line(out, "nflog-enobufs:", nflog->enobufs, "socket overflow episodes");
	line(out, "nflog-truncated:", nflog->truncated, NULL);
}

void sipcid_status_format_webhook(GString *out, const char *name,
                                  const struct sipcid_webhook_stats *st)
{
	const struct { const char *key; uint64_t v; const char *why; } l[] = {
		{ "sent", st->sent, "events the server took" },
		{ "failed", st->failed, "attempts that failed" },
		{ "retried", st->retried, NULL },
		{ "given-up", st->given_up, "events abandoned after the last retry" },
		{ "queued", st->queued, "waiting now" },
		{ "dropped", st->dropped, "queue full, or left at stop" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(l); i++) {
		g_autofree char *key = g_strdup_printf("webhook.%s.%s:", name, l[i].key);
		line(out, key, l[i].v, l[i].why);
	}
}
