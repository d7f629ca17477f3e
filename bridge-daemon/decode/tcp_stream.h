/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SIP over TCP: segments are put back in order per flow and cut into whole
 * SIP messages by Content-Length (RFC 3261 §18.3), for inspection only —
 * sipcidd never drops a TCP segment (dropping one stalls the connection
 * without stopping the call). A lost or out-of-window segment makes the flow
 * wait for the next segment that starts a SIP message. */
#ifndef SIPCID_TCP_STREAM_H
#define SIPCID_TCP_STREAM_H

#include "packet.h"

#include <stddef.h>
#include <stdint.h>

typedef void (*tcp_message_fn)(void *ctx, const struct sipcid_packet *pkt, const char *msg,
                               size_t len);

struct sipcid_tcp_streams;

/* At most max_flows flows, each buffering at most max_buffer bytes. */
struct sipcid_tcp_streams *sipcid_tcp_streams_new(unsigned max_flows, size_t max_buffer);
void sipcid_tcp_streams_free(struct sipcid_tcp_streams *ts);
/* Feeds one TCP segment; calls fn for each SIP message it completes. */
void sipcid_tcp_streams_feed(struct sipcid_tcp_streams *ts, const struct sipcid_packet *pkt, tcp_message_fn fn,
                      void *ctx);
/* Forgets flows idle for longer than idle_us. */
void sipcid_tcp_streams_expire(struct sipcid_tcp_streams *ts, int64_t now_us, int64_t idle_us);
unsigned sipcid_tcp_streams_count(const struct sipcid_tcp_streams *ts);
uint64_t sipcid_tcp_streams_overflows(const struct sipcid_tcp_streams *ts);

#endif
