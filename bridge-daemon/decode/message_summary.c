/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading RFC 3842 message-summary bodies. */
#include "message_summary.h"

#include "sip_scan.h"

#include <glib.h>
#include <string.h>

static bool name_is(struct sip_span name, const char *want)
{
	size_t n = strlen(want);
	return name.len == n && !g_ascii_strncasecmp(name.p, want, n);
}

/* A count: 1 to 5 digits. Anything else is absent (-1), and *i moves past
 * what was read. */
static int read_count(const char *p, size_t n, size_t *i)
{
	while (*i < n && (p[*i] == ' ' || p[*i] == '\t'))
		(*i)++;
	size_t start = *i;
	long v = 0;
	while (*i < n && g_ascii_isdigit(p[*i])) {
		if (*i - start < 6)
			v = v * 10 + (p[*i] - '0');
		(*i)++;
	}
	if (*i == start || *i - start > 5 || v > SIPCID_MESSAGE_SUMMARY_COUNT_MAX)
		return -1;
	return (int)v;
}

static bool skip_to(const char *p, size_t n, size_t *i, char c)
{
	while (*i < n && (p[*i] == ' ' || p[*i] == '\t'))
		(*i)++;
	if (*i < n && p[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

/* "2/8 (0/2)", "2/8", "2/8(0/2)". */
static void read_voice(struct sip_span v, struct sipcid_message_summary *out)
{
	size_t i = 0;
	int fresh = read_count(v.p, v.len, &i);
	if (fresh < 0 || !skip_to(v.p, v.len, &i, '/'))
		return;
	int old = read_count(v.p, v.len, &i);
	if (old < 0)
		return;
	out->new_messages = fresh;
	out->old_messages = old;
	if (!skip_to(v.p, v.len, &i, '('))
		return;
	int un = read_count(v.p, v.len, &i);
	if (un < 0 || !skip_to(v.p, v.len, &i, '/'))
		return;
	int uo = read_count(v.p, v.len, &i);
	if (uo < 0 || !skip_to(v.p, v.len, &i, ')'))
		return;
	out->urgent_new = un;
	out->urgent_old = uo;
}

static uint64_t hash_span(struct sip_span s)
{
	uint64_t h = 1469598103934665603ull;  /* FNV-1a */
	for (size_t i = 0; i < s.len; i++)
		h = (h ^ (uint8_t)g_ascii_tolower(s.p[i])) * 1099511628211ull;
	return h ? h : 1;
}

bool sipcid_message_summary_parse(const char *body, size_t len,
                                  struct sipcid_message_summary *out)
{
	*out = (struct sipcid_message_summary){ false, -1, -1, -1, -1, 0 };
	bool seen_waiting = false, seen_voice = false;
	size_t pos = 0;
	while (pos < len) {
		const char *p = body + pos;
		const char *eol = memchr(p, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - p) : len - pos;
		pos += n + (eol ? 1 : 0);
		const char *colon = memchr(p, ':', n);
		if (!colon)
			continue;
		struct sip_span name = sipcid_sip_span_trim((struct sip_span){ p, (size_t)(colon - p) });
		struct sip_span value = sipcid_sip_span_trim(
			(struct sip_span){ colon + 1, n - (size_t)(colon - p) - 1 });
		/* The first of each counts: a repeated header is not allowed to
		 * change what an earlier one said. */
		if (name_is(name, "Messages-Waiting") && !seen_waiting) {
			seen_waiting = true;
			out->waiting = value.len == 3 && !g_ascii_strncasecmp(value.p, "yes", 3);
		} else if (name_is(name, "Voice-Message") && !seen_voice) {
			seen_voice = true;
			read_voice(value, out);
		} else if (name_is(name, "Message-Account") && !out->account_hash) {
			out->account_hash = hash_span(value);
		}
	}
	return seen_waiting;
}

bool sipcid_message_summary_is_notify(const char *msg, size_t len)
{
	static const char notify[] = "NOTIFY ";
	if (len < sizeof notify - 1 || memcmp(msg, notify, sizeof notify - 1))
		return false;
	struct sip_span ev;
	if (!sipcid_sip_header_value(msg, len, "Event", 'o', &ev))
		return false;
	/* "message-summary", maybe with ;id=... parameters. */
	static const char pkg[] = "message-summary";
	size_t n = sizeof pkg - 1;
	return ev.len >= n && !g_ascii_strncasecmp(ev.p, pkg, n) &&
	       (ev.len == n || ev.p[n] == ';' || ev.p[n] == ' ' || ev.p[n] == '\t');
}
