/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SDP: just enough to find the audio. */
#include "sdp.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

struct line {
	const char *p;
	size_t len;
};

static bool starts(struct line l, const char *lit)
{
	size_t n = strlen(lit);
	return l.len >= n && memcmp(l.p, lit, n) == 0;
}

/* Reads a decimal number of at most 5 digits; *pos advances past it. */
static bool number(struct line l, size_t *pos, long *out)
{
	size_t i = *pos, digits = 0;
	long v = 0;
	while (i < l.len && l.p[i] >= '0' && l.p[i] <= '9' && digits < 6) {
		v = v * 10 + (l.p[i] - '0');
		i++;
		digits++;
	}
	if (digits == 0 || digits > 5)
		return false;
	*pos = i;
	*out = v;
	return true;
}

static void skip_spaces(struct line l, size_t *pos)
{
	while (*pos < l.len && l.p[*pos] == ' ')
		(*pos)++;
}

/* "c=IN IP4 192.0.2.1[/ttl]" or "c=IN IP6 2001:db8::1". */
static bool parse_connection(struct line l, struct sipcid_endpoint *ep)
{
	int family;
	size_t pos;
	if (starts(l, "c=IN IP4 ")) {
		family = AF_INET;
		pos = 9;
	} else if (starts(l, "c=IN IP6 ")) {
		family = AF_INET6;
		pos = 9;
	} else {
		return false;
	}
	skip_spaces(l, &pos);
	char text[INET6_ADDRSTRLEN + 1];
	size_t n = 0;
	while (pos < l.len && l.p[pos] != '/' && l.p[pos] != ' ' && n < sizeof text - 1)
		text[n++] = l.p[pos++];
	text[n] = '\0';
	uint8_t addr[16] = { 0 };
	if (inet_pton(family, text, addr) != 1)
		return false;
	/* 0.0.0.0 is the old way to put a call on hold, not an address. */
	static const uint8_t zero[16];
	if (!memcmp(addr, zero, family == AF_INET ? 4 : 16))
		return false;
	ep->family = family;
	memcpy(ep->addr, addr, sizeof addr);
	return true;
}

static enum sipcid_codec static_codec(uint8_t pt)
{
	switch (pt) {
	case 0: return SIPCID_CODEC_PCMU;
	case 8: return SIPCID_CODEC_PCMA;
	case 13: return SIPCID_CODEC_CN;
	default: return SIPCID_CODEC_OTHER;
	}
}

/* "m=audio PORT[/n] RTP/AVP 0 8 101" */
static bool parse_media(struct line l, struct sipcid_sdp *out)
{
	size_t pos = 8;
	long port;
	if (!number(l, &pos, &port) || port < 1 || port > 65535)
		return false;
	out->audio.port = (uint16_t)port;
	out->n_pt = 0;
	while (pos < l.len && l.p[pos] != ' ') /* "/count" and the rest of the port field */
		pos++;
	skip_spaces(l, &pos);
	while (pos < l.len && l.p[pos] != ' ') /* the transport */
		pos++;
	while (pos < l.len && out->n_pt < SIPCID_SDP_MAX_PT) {
		skip_spaces(l, &pos);
		long pt;
		if (!number(l, &pos, &pt))
			break;
		if (pt <= 127) {
			out->pt[out->n_pt] = (uint8_t)pt;
			out->codec[out->n_pt] = static_codec((uint8_t)pt);
			out->n_pt++;
		}
	}
	return true;
}

static bool name_is(const char *p, size_t n, const char *lit)
{
	return n == strlen(lit) && !strncasecmp(p, lit, n);
}

/* "a=rtpmap:PT NAME/RATE[/channels]" */
static void parse_rtpmap(struct line l, struct sipcid_sdp *out)
{
	size_t pos = 9;
	long pt;
	if (!number(l, &pos, &pt) || pt > 127)
		return;
	skip_spaces(l, &pos);
	size_t start = pos;
	while (pos < l.len && l.p[pos] != '/')
		pos++;
	size_t name_len = pos - start;
	long rate = 0;
	pos++;
	if (pos >= l.len || !number(l, &pos, &rate))
		rate = 0;
	enum sipcid_codec c = SIPCID_CODEC_OTHER;
	if (name_is(l.p + start, name_len, "PCMU") && rate == 8000)
		c = SIPCID_CODEC_PCMU;
	else if (name_is(l.p + start, name_len, "PCMA") && rate == 8000)
		c = SIPCID_CODEC_PCMA;
	else if (name_is(l.p + start, name_len, "telephone-event"))
		c = SIPCID_CODEC_EVENT;
	else if (name_is(l.p + start, name_len, "CN"))
		c = SIPCID_CODEC_CN;
	for (int i = 0; i < out->n_pt; i++)
		if (out->pt[i] == pt)
			out->codec[i] = (uint8_t)c;
}

bool sipcid_sdp_parse(const char *body, size_t len, struct sipcid_sdp *out)
{
	memset(out, 0, sizeof *out);
	if (len > SIPCID_SDP_MAX_BYTES)
		len = SIPCID_SDP_MAX_BYTES;
	const char *nul = memchr(body, '\0', len);
	if (nul)
		len = (size_t)(nul - body);
	struct sipcid_endpoint session = { 0 }, media = { 0 };
	bool session_c = false, media_c = false;
	enum { BEFORE_MEDIA, IN_AUDIO, IN_OTHER, DONE } where = BEFORE_MEDIA;
	size_t pos = 0;
	for (int lines = 0; pos < len && lines < SIPCID_SDP_MAX_LINES && where != DONE; lines++) {
		const char *eol = memchr(body + pos, '\n', len - pos);
		size_t end = eol ? (size_t)(eol - body) : len;
		struct line l = { body + pos, end - pos };
		if (l.len && l.p[l.len - 1] == '\r')
			l.len--;
		pos = end + 1;
		if (lines == 0 && !starts(l, "v="))
			return false;
		if (starts(l, "m=")) {
			if (where == IN_AUDIO) {
				where = DONE; /* the first usable audio stream is the call */
				break;
			}
			where = IN_OTHER;
			if (starts(l, "m=audio ") && parse_media(l, out))
				where = IN_AUDIO;
			media_c = false;
		} else if (starts(l, "c=")) {
			if (where == BEFORE_MEDIA)
				session_c = parse_connection(l, &session);
			else if (where == IN_AUDIO)
				media_c = parse_connection(l, &media);
		} else if (where == IN_AUDIO && starts(l, "a=rtpmap:")) {
			parse_rtpmap(l, out);
		}
	}
	if (where != IN_AUDIO && where != DONE)
		return false;
	if (!media_c && !session_c)
		return false;
	uint16_t port = out->audio.port;
	out->audio = media_c ? media : session;
	out->audio.port = port;
	out->has_audio = true;
	return true;
}

enum sipcid_codec sipcid_sdp_codec(const struct sipcid_sdp *sdp, uint8_t pt)
{
	for (int i = 0; i < sdp->n_pt; i++)
		if (sdp->pt[i] == pt)
			return (enum sipcid_codec)sdp->codec[i];
	return static_codec(pt);
}
