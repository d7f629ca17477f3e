/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SIP over TCP: segments are put back in order per flow and cut into whole
 * SIP messages by Content-Length (RFC 3261 §18.3). sipcidd never drops a TCP
 * segment (dropping one stalls the connection without stopping the call);
 * it may change bytes of the segment that completes a message, keeping its
 * length (tcp_rewrite.h), and the flow remembers each change so that a
 * retransmission of those bytes carries it too. A lost or out-of-window
 * segment makes the flow wait for the next segment that starts a SIP
 * message. */
#ifndef SIPCID_TCP_STREAM_H
#define SIPCID_TCP_STREAM_H

#include "packet.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the segment that completed a message lies in it: the message's bytes
 * msg[msg_from..len) are the segment's payload from payload_at on. */
struct sipcid_tcp_piece {
	size_t msg_from, payload_at;
};

typedef void (*tcp_message_fn)(void *ctx, const struct sipcid_packet *pkt, const char *msg,
                               size_t len, const struct sipcid_tcp_piece *piece);

struct sipcid_tcp_streams;

/* At most max_flows flows, each buffering at most max_buffer bytes. */
struct sipcid_tcp_streams *sipcid_tcp_streams_new(unsigned max_flows, size_t max_buffer);
void sipcid_tcp_streams_free(struct sipcid_tcp_streams *ts);
/* Feeds one TCP segment; calls fn for each SIP message it completes. Before
 * that, the changes remembered for this flow are made again to the bytes of
 * the segment they cover (pkt->payload_rw, when set): returns whether any
 * byte was. */
bool sipcid_tcp_streams_feed(struct sipcid_tcp_streams *ts, const struct sipcid_packet *pkt, tcp_message_fn fn,
                      void *ctx);
/* Remembers that pkt->payload_rw[at..at+len) was changed, for the
 * retransmissions of those bytes; at most SIPCID_TCP_CHANGE_MAX bytes, the
 * last SIPCID_TCP_CHANGES changes of each flow. Returns false (nothing
 * remembered) when the change is too long. */
enum { SIPCID_TCP_CHANGE_MAX = 1024, SIPCID_TCP_CHANGES = 4 };
bool sipcid_tcp_streams_remember(struct sipcid_tcp_streams *ts, const struct sipcid_packet *pkt,
                                 size_t at, size_t len);
/* Forgets flows idle for longer than idle_us. */
void sipcid_tcp_streams_expire(struct sipcid_tcp_streams *ts, int64_t now_us, int64_t idle_us);
unsigned sipcid_tcp_streams_count(const struct sipcid_tcp_streams *ts);
uint64_t sipcid_tcp_streams_overflows(const struct sipcid_tcp_streams *ts);

#endif
