/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The calls sipcidd currently knows, keyed by Call-ID: what was decided for
 * each (so retransmissions get the same verdict and announce nothing new) and
 * where it stands (ringing, answered, missed, ended).
 *
 * The table is a fixed pool allocated once: a flood of INVITEs with unique
 * Call-IDs evicts the oldest entries instead of growing memory. Finished calls
 * are kept for SIPCID_LINGER_US so late retransmissions still match. */
#ifndef SIPCID_CALL_TABLE_H
#define SIPCID_CALL_TABLE_H

#include "call.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* RFC 3261 Timer B/F: a client retransmits an INVITE for up to 64*T1 = 32 s;
 * twice that covers a slow proxy in the path as well. */
#define SIPCID_LINGER_US ((int64_t)64 * G_USEC_PER_SEC)
/* A call that rings this long without any SIP message is forgotten. */
#define SIPCID_RING_TIMEOUT_US ((int64_t)10 * 60 * G_USEC_PER_SEC)
/* An answered call without a BYE in this long is forgotten. */
#define SIPCID_TALK_TIMEOUT_US ((int64_t)12 * 3600 * G_USEC_PER_SEC)
/* RFC 3261 Timer H and J (64*T1): how long a UAS keeps a transaction it
 * answered with a final response, for the retransmissions and the ACK. */
#define SIPCID_REPLY_LINGER_US ((int64_t)32 * G_USEC_PER_SEC)

enum { SIPCID_CALL_TABLE_JUDGED_MAX = 4 };

struct call_entry {
	struct sipcid_call call;      /* the record as announced, with the decision */
	/* Every identity judged under this Call-ID (sip_fingerprint.h) and the
	 * action it got, oldest first. An INVITE with one of them is a
	 * retransmission and gets that action again; any other identity is
	 * judged again, and the entry then holds the new call (see
	 * sipcid_call_table_replace). Past the maximum the oldest is forgotten:
	 * it would only be judged again. */
	struct {
		uint64_t fingerprint;
		enum sipcid_action action;
	} judged[SIPCID_CALL_TABLE_JUDGED_MAX];
	unsigned n_judged;
	int64_t invite_us, answer_us, last_us;
	/* A blocked INVITE sipcidd answered as the ATA (verdict/sip_reply.h):
	 * until reply_until_us its retransmissions get the same response again,
	 * and the provider's ACK and CANCEL with CSeq reply_cseq are absorbed.
	 * 0 when no response was sent. */
	int64_t reply_until_us;
	uint32_t reply_cseq;
	bool finished;                /* missed or ended: lingering for retransmissions */
	GList lru;                    /* embedded: no allocation per call */
};

struct sipcid_call_table;

struct sipcid_call_table *sipcid_call_table_new(unsigned capacity);
void sipcid_call_table_free(struct sipcid_call_table *t);

struct call_entry *sipcid_call_table_find(struct sipcid_call_table *t, const char *call_id);
/* Takes a free entry (evicting the least recently active one if the pool is
 * full, finished calls first) and keys it by call->call_id. *evicted is set
 * when a live call had to make room. */
struct call_entry *sipcid_call_table_insert(struct sipcid_call_table *t, const struct sipcid_call *call,
                                     int64_t now_us, bool *evicted);
/* The entry holds a new call under the same Call-ID (an INVITE with another
 * identity was judged): the record is replaced and the call rings again from
 * now_us, keeping the identities judged before. */
void sipcid_call_table_replace(struct sipcid_call_table *t, struct call_entry *e,
                               const struct sipcid_call *call, int64_t now_us);
/* Remembers that the identity `fingerprint` was judged `action`. */
void sipcid_call_table_note_judged(struct call_entry *e, uint64_t fingerprint,
                                   enum sipcid_action action);
/* The action an identity already got under this Call-ID; false when it is new. */
bool sipcid_call_table_judged(const struct call_entry *e, uint64_t fingerprint,
                              enum sipcid_action *action);
/* Marks activity so the entry is evicted last. */
void sipcid_call_table_touch(struct sipcid_call_table *t, struct call_entry *e, int64_t now_us);
/* Marks a ringing call answered (at now_us). */
void sipcid_call_table_answer(struct sipcid_call_table *t, struct call_entry *e, int64_t now_us);
/* Moves a call that was missed or ended to the lingering list. */
void sipcid_call_table_finish(struct sipcid_call_table *t, struct call_entry *e, int64_t now_us);
/* Frees entries past their timeout; returns how many. */
unsigned sipcid_call_table_expire(struct sipcid_call_table *t, int64_t now_us);

#endif
