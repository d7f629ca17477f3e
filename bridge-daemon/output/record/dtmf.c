/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Touch-tone events and codes (see dtmf.h). */
#include "dtmf.h"

#include <string.h>

static const char EVENT_DIGITS[] = "0123456789*#ABCD";

bool sipcid_dtmf_event_parse(const uint8_t *payload, size_t len, struct sipcid_dtmf_event *out)
{
	if (!payload || len < 4)
		return false;
	out->digit = payload[0] < 16 ? EVENT_DIGITS[payload[0]] : 0;
	out->end = payload[1] & 0x80;
	out->duration = (uint16_t)(payload[2] << 8 | payload[3]);
	return true;
}

char sipcid_dtmf_stream_digit(struct sipcid_dtmf_stream *s, uint32_t ssrc, uint32_t timestamp,
                              const struct sipcid_dtmf_event *ev)
{
	/* The first packet of a press counts, whichever arrives first: a lost
	 * start packet must not lose the digit, and the end packets that
	 * follow (sent three times) are the same press. */
	if (s->have && s->ssrc == ssrc && s->timestamp == timestamp)
		return 0;
	s->have = true;
	s->ssrc = ssrc;
	s->timestamp = timestamp;
	return ev->digit;
}

bool sipcid_dtmf_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n > SIPCID_DTMF_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!memchr(EVENT_DIGITS, code[i], sizeof EVENT_DIGITS - 1))
			return false;
	return true;
}

/* Whether the keys typed end with code, each key soon after the one before. */
static bool ends_with(const struct sipcid_dtmf_seq *seq, const char *code)
{
	int n = (int)strlen(code);
	if (n == 0 || n > seq->n)
		return false;
	int first = seq->n - n;
	for (int i = first + 1; i < seq->n; i++)
		if (seq->at_us[i] - seq->at_us[i - 1] > SIPCID_DTMF_GAP_US)
			return false;
	return !memcmp(seq->digits + first, code, (size_t)n);
}

enum sipcid_dtmf_action sipcid_dtmf_seq_push(struct sipcid_dtmf_seq *seq, char digit, int64_t now_us,
                                             const char *start, const char *stop)
{
	if (!digit)
		return SIPCID_DTMF_NONE;
	if (seq->n == SIPCID_DTMF_CODE_MAX) {
		memmove(seq->digits, seq->digits + 1, SIPCID_DTMF_CODE_MAX - 1);
		memmove(seq->at_us, seq->at_us + 1, (SIPCID_DTMF_CODE_MAX - 1) * sizeof seq->at_us[0]);
		seq->n--;
	}
	seq->digits[seq->n] = digit;
	seq->at_us[seq->n] = now_us;
	seq->n++;
	enum sipcid_dtmf_action a = SIPCID_DTMF_NONE;
	if (ends_with(seq, stop))
		a = SIPCID_DTMF_STOP;
	else if (ends_with(seq, start))
		a = SIPCID_DTMF_START;
	if (a != SIPCID_DTMF_NONE)
		seq->n = 0;
	return a;
}
