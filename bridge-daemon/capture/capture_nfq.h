/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Live capture from an NFQUEUE queue (libmnl + libnetfilter_queue's nfq_nlmsg
 * API). Packets are received in batches with recvmmsg, decoded with
 * sipcid_packet_parse_ip and handed to a handler; the verdicts of a batch go
 * back to the kernel in one send: runs of ACCEPTs as one batch verdict, each
 * DROP alone after the ACCEPTs below it. See docs/datapath.md for why.
 *
 * One thread owns a queue handle; only sipcid_nfq_get_stats may be called
 * from another thread. */
#ifndef SIPCID_CAPTURE_NFQ_H
#define SIPCID_CAPTURE_NFQ_H

#include "packet.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
	SIPCID_NFQ_DEFAULT_MAXLEN = 8192,
	SIPCID_NFQ_DEFAULT_RCVBUF = 32 << 20,
	SIPCID_NFQ_BATCH_MAX = 64,
};

struct sipcid_nfq_options {
	uint16_t queue_num;
	uint32_t queue_maxlen;   /* 0: SIPCID_NFQ_DEFAULT_MAXLEN */
	int rcvbuf_bytes;        /* 0: SIPCID_NFQ_DEFAULT_RCVBUF */
	int batch;               /* packets per recvmmsg; 0: 32, at most SIPCID_NFQ_BATCH_MAX */
	int timeout_ms;          /* how long sipcid_nfq_receive waits; 0: 250 */
};

struct sipcid_nfq_stats {
	uint64_t packets;        /* packet messages read */
	uint64_t accepted, dropped;
	uint64_t changed;        /* of the accepted, sent back changed (a TCP INVITE turned away) */
	uint64_t undecoded;      /* not UDP/TCP over IP, or truncated: accepted without a look */
	uint64_t truncated;      /* of those, cut short by the copy range */
	uint64_t id_gaps;        /* ids the kernel assigned that never reached us (socket full) */
	uint64_t enobufs;        /* overflow episodes the kernel reported */
	uint64_t batches;        /* recvmmsg calls that returned packets */
	uint64_t verdict_sends;  /* send() calls carrying verdicts */
	uint64_t send_errors;    /* verdict sends that failed, or errors the kernel answered */
	bool fail_open;          /* the kernel accepted NFQA_CFG_F_FAIL_OPEN */
	bool gso;                /* the kernel accepted NFQA_CFG_F_GSO */
};

typedef enum sipcid_verdict (*sipcid_nfq_handler)(void *ctx, const struct sipcid_packet *pkt);

struct sipcid_nfq;

/* Binds the queue. Errors say what to do, e.g. that another process holds it. */
struct sipcid_nfq *sipcid_nfq_open(const struct sipcid_nfq_options *opts, sipcid_nfq_handler handler,
                                   void *ctx, GError **error);

/* Waits up to the timeout for packets, handles one batch and sends its
 * verdicts. Returns the number of packets handled (0 on timeout), or -1 on a
 * fatal socket error (error set). */
int sipcid_nfq_receive(struct sipcid_nfq *q, GError **error);

/* Stops new packets from entering the queue (with fail-open they pass the
 * kernel unseen), reads and gives a verdict to everything already queued,
 * then unbinds. Without fail-open, reads until the socket is empty. */
void sipcid_nfq_drain(struct sipcid_nfq *q);

/* Unbinds (if not drained) and frees. */
void sipcid_nfq_close(struct sipcid_nfq *q);

void sipcid_nfq_get_stats(const struct sipcid_nfq *q, struct sipcid_nfq_stats *out);
uint16_t sipcid_nfq_queue_num(const struct sipcid_nfq *q);

#define SIPCID_NFQ_ERROR (sipcid_nfq_error_quark())
GQuark sipcid_nfq_error_quark(void);

#endif
