/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "no SIP seen" warning (see sip_silence.h). */
#include "sip_silence.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Environment text goes into logs: only what a name or a port list holds. */
static void copy_clean(char *dst, size_t size, const char *src, const char *allowed,
                       const char *fallback)
{
	if (!src || !*src || strlen(src) >= size || strspn(src, allowed) != strlen(src))
		src = fallback;
	g_strlcpy(dst, src, size);
}

void sipcid_sip_silence_init(struct sipcid_sip_silence *s, const char *bridge, const char *ports)
{
	memset(s, 0, sizeof *s);
	copy_clean(s->bridge, sizeof s->bridge, bridge,
	           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", "br0");
	copy_clean(s->ports, sizeof s->ports, ports, "0123456789,", "5060");
}

bool sipcid_sip_silence_sample(struct sipcid_sip_silence *s, int64_t now_us, int64_t interval_us,
                               uint64_t queued, bool rx_known, uint64_t rx)
{
	s->interval_us = interval_us;
	if (!s->started || queued != s->queued || rx_known != s->rx_known ||
	    (rx_known && rx < s->rx_at_quiet)) {
		/* A packet came (or the counters started over): quiet from now. */
		s->started = true;
		s->queued = queued;
		s->quiet_since_us = now_us;
		s->rx_known = rx_known;
		s->rx_at_quiet = rx;
		s->rx_since = 0;
		s->silent = false;
		return false;
	}
	s->rx_since = rx_known ? rx - s->rx_at_quiet : 0;
	bool was = s->silent;
	s->silent = interval_us > 0 && now_us - s->quiet_since_us >= interval_us &&
	            (!rx_known || s->rx_since > 0);
	return s->silent && !was;
}

static void append_duration(GString *out, int64_t us)
{
	int64_t sec = us / G_USEC_PER_SEC;
	if (sec >= 120 && sec % 60 == 0)
		g_string_append_printf(out, "%" PRId64 " minutes", sec / 60);
	else
		g_string_append_printf(out, "%" PRId64 " seconds", sec);
}

void sipcid_sip_silence_words(const struct sipcid_sip_silence *s, GString *out)
{
	g_string_append_printf(out, "no SIP seen on ports %s for ", s->ports);
	append_duration(out, s->interval_us);
	if (s->rx_known)
		g_string_append_printf(out, " while bridge %s forwarded %" PRIu64 " packets", s->bridge,
		                       s->rx_since);
	else
		g_string_append_printf(out, " (bridge %s's counters cannot be read)", s->bridge);
	g_string_append(out, "; run sipcid-firewall discover");
}

void sipcid_sip_silence_format(const struct sipcid_sip_silence *s, int64_t now_us, GString *out)
{
	if (s->silent) {
		g_string_append(out, "no-sip:                WARNING ");
		sipcid_sip_silence_words(s, out);
		g_string_append_c(out, '\n');
	} else if (s->started) {
		g_string_append_printf(out, "no-sip:                none (the queue's last packet came "
		                       "%" PRId64 " s ago%s)\n", (now_us - s->quiet_since_us) / G_USEC_PER_SEC,
		                       s->interval_us ? "" : "; the warning is off");
	}
}

static bool read_counter(const char *path, uint64_t *out)
{
	char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return false;
	char *end;
	guint64 v = g_ascii_strtoull(text, &end, 10);
	bool ok = end != text;
	g_free(text);
	*out = v;
	return ok;
}

bool sipcid_sip_silence_bridge_rx(const char *bridge, uint64_t *out)
{
	g_autofree char *dir = g_strdup_printf("/sys/class/net/%s/brif", bridge);
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d)
		return false;
	uint64_t sum = 0;
	bool any = false;
	const char *port;
	while ((port = g_dir_read_name(d))) {
		g_autofree char *path = g_strdup_printf("/sys/class/net/%s/statistics/rx_packets", port);
		uint64_t n;
		if (read_counter(path, &n)) {
			sum += n;
			any = true;
		}
	}
	g_dir_close(d);
	*out = sum;
	return any;
}
