/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Copies of the packets crossing the bridge, from an NFLOG group (libmnl
 * speaking nfnetlink_log). Live mode uses it to feed the recorder the RTP of
 * recorded calls.
 *
 * NFLOG never holds a packet: the kernel copies it into this socket and the
 * packet goes on at once. When sipcidd is slow or gone the copies are lost
 * (counted as ENOBUFS and sequence gaps), never the packets.
 *
 * The socket is non-blocking; sipcid_nflog_receive() reads what is waiting,
 * a bounded amount per call, so it fits a main loop's fd source. One thread
 * owns a handle. */
#ifndef SIPCID_CAPTURE_NFLOG_H
#define SIPCID_CAPTURE_NFLOG_H

#include "packet.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
	SIPCID_NFLOG_DEFAULT_RANGE = 2048,       /* bytes of each packet copied: RTP fits */
	SIPCID_NFLOG_DEFAULT_RCVBUF = 8 << 20,   /* ~2 s of a 20k pps flood */
	SIPCID_NFLOG_BATCH_MAX = 256,            /* datagrams read per sipcid_nflog_receive */
};

struct sipcid_nflog_options {
	uint16_t group;          /* the rules' --nflog-group */
	uint32_t copy_range;     /* 0: SIPCID_NFLOG_DEFAULT_RANGE */
	int rcvbuf_bytes;        /* 0: SIPCID_NFLOG_DEFAULT_RCVBUF */
};

struct sipcid_nflog_stats {
	uint64_t packets;        /* copies received */
	uint64_t bytes;          /* their IP bytes */
	uint64_t undecoded;      /* not UDP/TCP over IP, or cut by the copy range */
	uint64_t lost;           /* copies the kernel made that never arrived (sequence gaps) */
	uint64_t enobufs;        /* socket overflow episodes */
	uint64_t truncated;      /* datagrams larger than the receive buffer */
};

/* Called for each decoded copy. The packet points into the handle's buffer. */
typedef void (*sipcid_nflog_handler)(void *ctx, const struct sipcid_packet *pkt);

struct sipcid_nflog;

/* Binds the group. Errors say what to do, e.g. that another process holds it. */
struct sipcid_nflog *sipcid_nflog_open(const struct sipcid_nflog_options *opts,
                                       sipcid_nflog_handler handler, void *ctx, GError **error);
int sipcid_nflog_fd(const struct sipcid_nflog *l);

/* Reads and handles what is waiting, at most SIPCID_NFLOG_BATCH_MAX datagrams,
 * without blocking. Returns the number of packets handled, or -1 on a fatal
 * socket error (error set). */
int sipcid_nflog_receive(struct sipcid_nflog *l, GError **error);

void sipcid_nflog_get_stats(const struct sipcid_nflog *l, struct sipcid_nflog_stats *out);
uint16_t sipcid_nflog_group(const struct sipcid_nflog *l);

/* Unbinds and frees. NULL is fine. */
void sipcid_nflog_close(struct sipcid_nflog *l);

#define SIPCID_NFLOG_ERROR (sipcid_nflog_error_quark())
GQuark sipcid_nflog_error_quark(void);

#endif
