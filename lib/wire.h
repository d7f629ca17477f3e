/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sipcid datagram (UDP port 7651): one call event per datagram, the
 * format docs/protocol.md describes. sipcidd encodes, the desktop notifiers
 * decode. The decoder treats every byte as hostile: it validates each field,
 * cleans text through lib/text.h and, when it holds a key, accepts only
 * signed, fresh and never-seen datagrams. Nothing here does I/O. */
#ifndef SIPCID_WIRE_H
#define SIPCID_WIRE_H

#include "call.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIPCID_WIRE_PORT = 7651,
	SIPCID_WIRE_VERSION = 1,
	SIPCID_WIRE_MAX = 1200,          /* bytes in one datagram, signature included */
	SIPCID_WIRE_SENDER_MAX = 33,     /* sender id: 1..32 bytes of [A-Za-z0-9._-] */
	SIPCID_WIRE_KEY_MIN = 16,
	SIPCID_WIRE_KEY_MAX = 256,
	SIPCID_WIRE_MAC_LEN = 32,        /* HMAC-SHA256 */
	SIPCID_WIRE_REPLAY_SENDERS = 32, /* senders a listener remembers at once */
};

/* "SCID": the first four bytes of every datagram. */
extern const uint8_t sipcid_wire_magic[4];

/* Field types. Values are UTF-8 text unless noted; integers are big-endian. */
enum sipcid_wire_field {
	SIPCID_WF_KIND = 0x01,         /* "call" | "update" (required) */
	SIPCID_WF_TIME = 0x02,         /* int64, µs since the epoch of the first INVITE */
	SIPCID_WF_CALL_ID = 0x03,      /* required */
	SIPCID_WF_NUMBER = 0x04,
	SIPCID_WF_NUMBER_RAW = 0x05,
	SIPCID_WF_NAME = 0x06,
	SIPCID_WF_PRESENTATION = 0x07, /* "allowed" | "restricted" | "unavailable" */
	SIPCID_WF_SOURCE = 0x08,       /* "none" | "pai" | "rpid" | "from" | "ppi" */
	SIPCID_WF_CALLED = 0x09,
	SIPCID_WF_VIA = 0x0a,
	SIPCID_WF_ALIAS = 0x0b,
	SIPCID_WF_ACTION = 0x0c,       /* "allow" | "block" */
	SIPCID_WF_RULE = 0x0d,
	SIPCID_WF_RECORD = 0x0e,       /* one byte, 0 or 1 */
	SIPCID_WF_STATE = 0x0f,        /* "ringing" | "answered" | "missed" | "ended" */
	SIPCID_WF_RING_MS = 0x10,      /* int64 >= 0 */
	SIPCID_WF_TALK_MS = 0x11,      /* int64 >= 0 */
	SIPCID_WF_DIRECTION = 0x12,    /* "incoming" | "outgoing"; absent: incoming (older senders) */
	SIPCID_WF_SHAKEN = 0x13,       /* 2 bytes: verstat (enum sipcid_verstat), attest ('A'..'C' or 0);
	                                * absent: neither known */
	SIPCID_WF_SENDER = 0x20,       /* who sent it, for the replay window */
	SIPCID_WF_SEQUENCE = 0x21,     /* uint64, counts up from 1 per sender */
	SIPCID_WF_SENT = 0x22,         /* int64, µs since the epoch when it was sent */
	SIPCID_WF_MAC = 0xff,          /* 32 bytes of HMAC-SHA256; always the last field */
};

/* A shared secret read from a key file. */
struct sipcid_wire_key {
	size_t len;
	uint8_t bytes[SIPCID_WIRE_KEY_MAX];
};

/* The file's contents minus trailing white space are the key: 16 to 256
 * bytes. Errors name the file and say what is wrong. */
bool sipcid_wire_key_load(const char *path, struct sipcid_wire_key *key, GError **error);

/* The sending side: who we are, the next sequence number, and the key. */
struct sipcid_wire_sender {
	char id[SIPCID_WIRE_SENDER_MAX];
	uint64_t sequence;                 /* last one used */
	bool has_key;
	struct sipcid_wire_key key;
};

/* A random sender id; key may be NULL for unsigned datagrams. */
void sipcid_wire_sender_init(struct sipcid_wire_sender *s, const struct sipcid_wire_key *key);

/* Encodes one datagram into out (SIPCID_WIRE_MAX bytes) and returns its
 * length. Text longer than its field's limit (docs/protocol.md) is cut on a
 * character boundary; the worst case still fits in SIPCID_WIRE_MAX. */
size_t sipcid_wire_encode(const struct sipcid_call *call, struct sipcid_wire_sender *s,
                          int64_t now_us, uint8_t out[SIPCID_WIRE_MAX]);

enum sipcid_wire_status {
	SIPCID_WIRE_OK = 0,
	SIPCID_WIRE_TRUNCATED,     /* shorter than its header or a field */
	SIPCID_WIRE_OVERSIZE,      /* longer than SIPCID_WIRE_MAX */
	SIPCID_WIRE_BAD_MAGIC,
	SIPCID_WIRE_BAD_VERSION,
	SIPCID_WIRE_MALFORMED,     /* a field of the wrong size or value, or one missing */
	SIPCID_WIRE_REPEATED,      /* a known field appears twice */
	SIPCID_WIRE_UNSIGNED,      /* the listener has a key, the datagram no signature */
	SIPCID_WIRE_BAD_MAC,
	SIPCID_WIRE_STALE,         /* sent outside the accepted clock window */
	SIPCID_WIRE_REPLAYED,      /* this sender's sequence number was already seen */
};

const char *sipcid_wire_status_text(enum sipcid_wire_status st);

/* What the decoder learnt about the datagram besides the call. */
struct sipcid_wire_meta {
	char sender[SIPCID_WIRE_SENDER_MAX];  /* empty when absent */
	uint64_t sequence;
	int64_t sent_us;
	bool is_signed;
	unsigned unknown_fields;              /* skipped for forward compatibility */
};

/* The receiving side: the key (if any) and the replay window. */
struct sipcid_wire_listener;

/* key NULL: accept unsigned datagrams and ignore signatures. With a key:
 * only signed datagrams whose send time is within skew_us of now and whose
 * sequence number this sender has not used before are accepted. */
struct sipcid_wire_listener *sipcid_wire_listener_new(const struct sipcid_wire_key *key,
                                                      int64_t skew_us);
void sipcid_wire_listener_free(struct sipcid_wire_listener *l);

/* Decodes buf[0..len) into *call (zeroed first). meta may be NULL. On
 * anything but SIPCID_WIRE_OK, *call must not be used. A datagram counts as
 * seen (for the replay window) only once it has been accepted. */
enum sipcid_wire_status sipcid_wire_decode(struct sipcid_wire_listener *l, const uint8_t *buf,
                                           size_t len, int64_t now_us, struct sipcid_call *call,
                                           struct sipcid_wire_meta *meta);

#endif
