/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Touch-tone controls for the recorder: RFC 4733 telephone-events read from
 * hostile RTP payloads, one digit per key press however often the sender
 * repeats it, and the matcher that turns digits into "start" or "stop".
 *
 * Pure and allocation-free: the recorder feeds it from the RTP copies, the
 * SIP INFO digits (dtmf_info.h) go through the same matcher. */
#ifndef SIPCID_DTMF_H
#define SIPCID_DTMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIPCID_DTMF_CODE_MAX = 8,        /* longest dtmf-start / dtmf-stop sequence */
};
/* Each key of a code must follow the one before within this time. */
#define SIPCID_DTMF_GAP_US ((int64_t)3 * 1000 * 1000)

struct sipcid_dtmf_event {
	char digit;          /* '0'-'9', '*', '#', 'A'-'D'; 0 for another event (flash...) */
	bool end;            /* the E bit: the key was released */
	uint16_t duration;   /* in RTP timestamp units */
};

/* One named event (RFC 4733 section 2.3): the first four bytes of payload.
 * False when the payload is shorter than an event. */
bool sipcid_dtmf_event_parse(const uint8_t *payload, size_t len, struct sipcid_dtmf_event *out);

/* The events of one RTP stream. A key press is sent as several packets
 * sharing one RTP timestamp (the start, updates, three end packets); a new
 * press has a new timestamp (or a new SSRC). */
struct sipcid_dtmf_stream {
	bool have;
	uint32_t ssrc, timestamp;
};

/* The digit of a new key press, or 0 for a repeat of the last one or an
 * event that is no digit. */
char sipcid_dtmf_stream_digit(struct sipcid_dtmf_stream *s, uint32_t ssrc, uint32_t timestamp,
                              const struct sipcid_dtmf_event *ev);

enum sipcid_dtmf_action {
	SIPCID_DTMF_NONE = 0,
	SIPCID_DTMF_START,
	SIPCID_DTMF_STOP,
};

/* The last keys pressed in one call, with when they were pressed. */
struct sipcid_dtmf_seq {
	int n;
	char digits[SIPCID_DTMF_CODE_MAX];
	int64_t at_us[SIPCID_DTMF_CODE_MAX];
};

/* True when code is a usable sequence: 1 to SIPCID_DTMF_CODE_MAX keys of
 * 0-9, *, #, A-D. The empty string is valid too: that control is off. */
bool sipcid_dtmf_code_valid(const char *code);

/* Adds a key press; says whether the keys typed now end with the start or
 * the stop code, each key within SIPCID_DTMF_GAP_US of the one before (so
 * "**1" starts, like "*1"). A match forgets the keys, so one code acts once. */
enum sipcid_dtmf_action sipcid_dtmf_seq_push(struct sipcid_dtmf_seq *seq, char digit, int64_t now_us,
                                             const char *start, const char *stop);

#endif
