/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ATA's registrations, damped into line events; voicemail counts. */
#include "line_health.h"

#include "sip_scan.h"
#include "text.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

void sipcid_line_health_init(struct sipcid_line_health *h)
{
	memset(h, 0, sizeof *h);
}

static uint64_t hash_span(struct sip_span s)
{
	uint64_t x = 1469598103934665603ull;  /* FNV-1a */
	for (size_t i = 0; i < s.len; i++)
		x = (x ^ (uint8_t)s.p[i]) * 1099511628211ull;
	return x ? x : 1;
}

static bool same_addr(const struct sipcid_endpoint *a, const struct sipcid_endpoint *b)
{
	return a->family && a->family == b->family &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

/* The registration with this Call-ID, else a free slot, else the one that
 * changed longest ago. */
static struct sipcid_line_health_reg *reg_slot(struct sipcid_line_health *h, uint64_t id)
{
	struct sipcid_line_health_reg *oldest = &h->regs[0];
	for (unsigned i = 0; i < SIPCID_LINE_HEALTH_REGS; i++)
		if (h->regs[i].call_id_hash == id)
			return &h->regs[i];
	for (unsigned i = 0; i < SIPCID_LINE_HEALTH_REGS; i++) {
		struct sipcid_line_health_reg *r = &h->regs[i];
		if (!r->call_id_hash)
			return r;
		if (r->changed_us + r->sent_us < oldest->changed_us + oldest->sent_us)
			oldest = r;
	}
	memset(oldest, 0, sizeof *oldest);
	return oldest;
}

/* A delta-seconds value (RFC 3261 §25): digits, capped at a year. */
static long delta_seconds(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '"'))
		i++;
	if (i >= n || !g_ascii_isdigit(p[i]))
		return -1;
	long v = 0;
	for (; i < n && g_ascii_isdigit(p[i]); i++)
		if (v < 366L * 86400)
			v = v * 10 + (p[i] - '0');
	return MIN(v, 366L * 86400);
}

/* expires=N in the first Contact value's parameters (outside <...>). */
static long contact_expires(struct sip_span v)
{
	bool in_uri = false, in_quote = false;
	for (size_t i = 0; i < v.len; i++) {
		char c = v.p[i];
		if (c == '"' && !in_uri)
			in_quote = !in_quote;
		else if (in_quote)
			continue;
		else if (c == '<')
			in_uri = true;
		else if (c == '>')
			in_uri = false;
		else if (c == ',' && !in_uri)
			return -1;  /* the next contact: not ours to read */
		else if (c == ';' && !in_uri) {
			size_t k = i + 1;
			while (k < v.len && (v.p[k] == ' ' || v.p[k] == '\t'))
				k++;
			if (v.len - k > 8 && !g_ascii_strncasecmp(v.p + k, "expires", 7)) {
				k += 7;
				while (k < v.len && (v.p[k] == ' ' || v.p[k] == '\t'))
					k++;
				if (k < v.len && v.p[k] == '=')
					return delta_seconds(v.p + k + 1, v.len - k - 1);
			}
		}
	}
	return -1;
}

/* The expiry a message names: the Contact's parameter, else Expires. */
static long message_expires(const char *msg, size_t len)
{
	struct sip_span v;
	long s = -1;
	if (sipcid_sip_header_value(msg, len, "Contact", 'm', &v))
		s = contact_expires(v);
	if (s < 0 && sipcid_sip_header_value(msg, len, "Expires", 0, &v))
		s = delta_seconds(v.p, v.len);
	return s;
}

void sipcid_line_health_register(struct sipcid_line_health *h, const struct sipcid_packet *pkt,
                                 const struct sipcid_sip_scan *scan, const char *msg,
                                 size_t len)
{
	if (!scan->call_id.len)
		return;
	h->registers++;
	struct sipcid_line_health_reg *r = reg_slot(h, hash_span(scan->call_id));
	r->call_id_hash = hash_span(scan->call_id);
	r->registrar = pkt->dst;
	if (r->pending && r->cseq == scan->cseq)
		return;  /* a retransmission: Timer F runs from the first */
	r->pending = true;
	r->cseq = scan->cseq;
	r->sent_us = pkt->time_us;
	r->unregister = message_expires(msg, len) == 0;
}

/* "403 Forbidden": the status and its reason phrase, cleaned. */
static void status_reason(const char *msg, size_t len, int status, char *out, size_t size)
{
	const char *eol = memchr(msg, '\n', len);
	size_t n = eol ? (size_t)(eol - msg) : len;
	size_t i = 0;
	while (i < n && msg[i] != ' ')  /* SIP/2.0 */
		i++;
	while (i < n && msg[i] == ' ')
		i++;
	while (i < n && g_ascii_isdigit(msg[i]))
		i++;
	char phrase[SIPCID_LINE_REASON_MAX - 4];
	sipcid_text_clean(msg + i, n - i, phrase, sizeof phrase);
	g_strstrip(phrase);
	g_snprintf(out, size, phrase[0] ? "%d %s" : "%d", status, phrase);
}

static void fail(struct sipcid_line_health_reg *r, const char *reason, int64_t at_us)
{
	if (!r->failed || r->up || strcmp(r->reason, reason))
		r->changed_us = at_us;
	r->up = false;
	r->failed = true;
	g_strlcpy(r->reason, reason, sizeof r->reason);
}

void sipcid_line_health_response(struct sipcid_line_health *h, const struct sipcid_packet *pkt,
                                 const struct sipcid_sip_scan *scan, const char *msg,
                                 size_t len)
{
	if (scan->status < 200 || !scan->call_id.len)
		return;
	uint64_t id = hash_span(scan->call_id);
	struct sipcid_line_health_reg *r = NULL;
	for (unsigned i = 0; i < SIPCID_LINE_HEALTH_REGS && !r; i++)
		if (h->regs[i].call_id_hash == id)
			r = &h->regs[i];
	/* Only the registrar's answer to the REGISTER still waiting: a stray
	 * or forged response changes nothing. */
	if (!r || !r->pending || r->cseq != scan->cseq || !same_addr(&r->registrar, &pkt->src))
		return;
	r->pending = false;
	int64_t now = pkt->time_us;
	if (scan->status < 300) {
		if (r->unregister) {
			fail(r, "the phone unregistered", now);
			return;
		}
		long granted = message_expires(msg, len);
		if (granted < 0)
			granted = SIPCID_LINE_HEALTH_DEFAULT_EXPIRES_S;
		if (!r->up)
			r->changed_us = now;
		r->up = granted > 0;
		r->failed = !r->up;
		r->expires_us = now + granted * G_USEC_PER_SEC;
		if (!r->up)
			g_strlcpy(r->reason, "registration expired", sizeof r->reason);
		return;
	}
	/* A challenge, or "423 Interval Too Brief": the ATA asks again at once. */
	if (scan->status == 401 || scan->status == 407 || scan->status == 423)
		return;
	char reason[SIPCID_LINE_REASON_MAX];
	status_reason(msg, len, scan->status, reason, sizeof reason);
	h->refusals++;
	fail(r, reason, now);
}

static void format_endpoint(const struct sipcid_endpoint *ep, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "";
	if (!ep->family || !inet_ntop(ep->family, ep->addr, a, sizeof a)) {
		out[0] = '\0';
		return;
	}
	if (ep->family == AF_INET6)
		g_snprintf(out, size, "[%s]:%u", a, ep->port);
	else
		g_snprintf(out, size, "%s:%u", a, ep->port);
}

/* Timeouts and expiry, then what the registrations say together. */
static void update_state(struct sipcid_line_health *h, int64_t now)
{
	const struct sipcid_line_health_reg *best_up = NULL, *last_fail = NULL;
	for (unsigned i = 0; i < SIPCID_LINE_HEALTH_REGS; i++) {
		struct sipcid_line_health_reg *r = &h->regs[i];
		if (!r->call_id_hash)
			continue;
		if (r->pending && now - r->sent_us >= SIPCID_LINE_HEALTH_NO_ANSWER_US) {
			r->pending = false;
			h->timeouts++;
			fail(r, "no answer from the registrar",
			     r->sent_us + SIPCID_LINE_HEALTH_NO_ANSWER_US);
		}
		if (r->up && !r->pending && now >= r->expires_us)
			fail(r, "registration expired", r->expires_us);
		if (r->up && (!best_up || r->expires_us > best_up->expires_us))
			best_up = r;
		if (r->failed && (!last_fail || r->changed_us > last_fail->changed_us))
			last_fail = r;
	}
	enum sipcid_line_state s = best_up ? SIPCID_LINE_UP
	                           : last_fail ? SIPCID_LINE_DOWN : SIPCID_LINE_UNKNOWN;
	const struct sipcid_line_health_reg *why = best_up ? best_up : last_fail;
	if (s != h->state) {
		h->state = s;
		h->state_since_us = why ? why->changed_us : now;
	}
	h->reason[0] = '\0';
	h->registrar[0] = '\0';
	h->expires_us = 0;
	if (!why)
		return;
	format_endpoint(&why->registrar, h->registrar, sizeof h->registrar);
	if (best_up)
		h->expires_us = best_up->expires_us;
	else
		g_strlcpy(h->reason, why->reason, sizeof h->reason);
}

bool sipcid_line_health_tick(struct sipcid_line_health *h, int64_t now_us, int64_t down_after_us,
                             struct sipcid_line_event *ev)
{
	update_state(h, now_us);
	bool announce = false;
	if (h->state == SIPCID_LINE_UP && h->announced != SIPCID_LINE_UP)
		announce = true;
	else if (h->state == SIPCID_LINE_DOWN && h->announced != SIPCID_LINE_DOWN &&
	         now_us - h->state_since_us >= down_after_us)
		announce = true;
	if (!announce)
		return false;
	memset(ev, 0, sizeof *ev);
	ev->kind = SIPCID_LINE_EVENT_LINE;
	ev->time_us = now_us;
	ev->state = h->state;
	ev->since_us = h->state_since_us;
	ev->expires_us = h->expires_us;
	ev->first = h->announced == SIPCID_LINE_UNKNOWN;
	g_strlcpy(ev->reason, h->reason, sizeof ev->reason);
	g_strlcpy(ev->registrar, h->registrar, sizeof ev->registrar);
	ev->new_messages = ev->old_messages = ev->urgent_new = ev->urgent_old = -1;
	h->announced = h->state;
	h->announced_since_us = h->state_since_us;
	return true;
}

static bool same_counts(const struct sipcid_message_summary *a,
                        const struct sipcid_message_summary *b)
{
	return a->waiting == b->waiting && a->new_messages == b->new_messages &&
	       a->old_messages == b->old_messages && a->urgent_new == b->urgent_new &&
	       a->urgent_old == b->urgent_old;
}

bool sipcid_line_health_voicemail(struct sipcid_line_health *h,
                                  const struct sipcid_message_summary *ms, int64_t now_us,
                                  struct sipcid_line_event *ev)
{
	h->notifies++;
	struct sipcid_line_health_mailbox *m = NULL;
	for (unsigned i = 0; i < SIPCID_LINE_HEALTH_MAILBOXES && !m; i++)
		if (h->mailboxes[i].used && h->mailboxes[i].account_hash == ms->account_hash)
			m = &h->mailboxes[i];
	for (unsigned i = 0; i < SIPCID_LINE_HEALTH_MAILBOXES && !m; i++)
		if (!h->mailboxes[i].used)
			m = &h->mailboxes[i];
	if (!m)  /* more mailboxes than a home has: the table starts over */
		m = &h->mailboxes[ms->account_hash % SIPCID_LINE_HEALTH_MAILBOXES];
	if (m->used && m->account_hash == ms->account_hash && same_counts(&m->last, ms))
		return false;  /* a refresh or retransmission: nothing new */
	m->used = true;
	m->account_hash = ms->account_hash;
	m->last = *ms;
	h->voicemail = *ms;
	h->voicemail_known = true;
	memset(ev, 0, sizeof *ev);
	ev->kind = SIPCID_LINE_EVENT_VOICEMAIL;
	ev->time_us = now_us;
	ev->waiting = ms->waiting;
	ev->new_messages = ms->new_messages;
	ev->old_messages = ms->old_messages;
	ev->urgent_new = ms->urgent_new;
	ev->urgent_old = ms->urgent_old;
	return true;
}

static void local_time(GString *out, int64_t t_us, int64_t now_us)
{
	time_t secs = (time_t)(t_us / G_USEC_PER_SEC);
	struct tm tm;
	char buf[32];
	/* The date only when it is not today's. */
	const char *fmt = (now_us - t_us < (int64_t)12 * 3600 * G_USEC_PER_SEC &&
	                   t_us - now_us < (int64_t)12 * 3600 * G_USEC_PER_SEC) ? "%H:%M:%S"
	                                                               : "%Y-%m-%d %H:%M:%S";
	if (localtime_r(&secs, &tm) && strftime(buf, sizeof buf, fmt, &tm))
		g_string_append(out, buf);
}

void sipcid_line_health_format(const struct sipcid_line_health *h, int64_t now_us, GString *out)
{
	g_string_append_printf(out, "%-22s ", "line:");
	if (h->state == SIPCID_LINE_UNKNOWN) {
		g_string_append(out, "not known yet (no answer to a REGISTER seen)\n");
	} else if (h->state == SIPCID_LINE_UP) {
		g_string_append(out, "up since ");
		local_time(out, h->state_since_us, now_us);
		g_string_append_printf(out, ", registered with %s until ", h->registrar);
		local_time(out, h->expires_us, now_us);
		g_string_append_c(out, '\n');
	} else {
		g_string_append(out, "down since ");
		local_time(out, h->state_since_us, now_us);
		g_string_append_printf(out, " (%s)", h->reason);
		if (h->registrar[0])
			g_string_append_printf(out, ", registrar %s", h->registrar);
		if (h->announced != SIPCID_LINE_DOWN)
			g_string_append(out, ", not announced yet (down-after)");
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out, "%-22s ", "voicemail:");
	if (!h->voicemail_known) {
		g_string_append(out, "no message summary seen\n");
		return;
	}
	struct sipcid_line_event ev = { .kind = SIPCID_LINE_EVENT_VOICEMAIL,
		                        .waiting = h->voicemail.waiting,
		                        .new_messages = h->voicemail.new_messages,
		                        .urgent_new = h->voicemail.urgent_new };
	GString *w = g_string_new(NULL);
	sipcid_line_event_words(w, &ev);
	g_string_append(out, w->str);
	g_string_free(w, TRUE);
	if (h->voicemail.old_messages >= 0)
		g_string_append_printf(out, ", %d old", h->voicemail.old_messages);
	g_string_append_c(out, '\n');
}
