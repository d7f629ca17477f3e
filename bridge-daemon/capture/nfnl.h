/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netlink plumbing the netfilter sockets share: NFQUEUE (capture_nfq.c),
 * NFLOG (capture_nflog.c) and nfacct (run/nfacct_reader.c). Each of those
 * speaks its own subsystem's messages; this module opens the socket, sends a
 * request and waits for its answer while whatever else arrives is handled as
 * usual, and decodes what the packet messages of every subsystem carry alike
 * (timestamp, in-interface, sequence numbers).
 *
 * A socket belongs to one thread. The functions without a socket are pure. */
#ifndef SIPCID_CAPTURE_NFNL_H
#define SIPCID_CAPTURE_NFNL_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct nlattr;
struct nlmsghdr;

struct sipcid_nfnl {
	struct mnl_socket *sock;  /* NULL until opened and after closing */
	int fd;
	uint32_t seq;             /* of the last request; never 0 once one was sent */
};

/* Opens a NETLINK_NETFILTER socket, close-on-exec (a program that sipcidd
 * or a library it uses runs must not inherit a bound queue or group), bound
 * to a port id of its own, whose reads wait at most timeout_ms. Returns 0, or an errno with the
 * socket closed and, if doing is not NULL, *doing set to the step that
 * failed in the words of sipcid_nfnl_set_error ("binding a netlink socket
 * for"). */
int sipcid_nfnl_open(struct sipcid_nfnl *s, int timeout_ms, const char **doing);

/* Closes the socket; a closed or never opened one is fine. */
void sipcid_nfnl_close(struct sipcid_nfnl *s);

/* Asks for a receive buffer of `bytes` past net.core.rmem_max (needs
 * CAP_NET_ADMIN); without the capability takes what rmem_max allows and
 * warns, naming `who` ("NFQUEUE"). */
void sipcid_nfnl_set_rcvbuf(struct sipcid_nfnl *s, int bytes, const char *who);

/* Sets error to "DOING OBJECT: WHY" ("binding NFLOG group 7: ..."), where WHY
 * says what to do about EPERM, and for EBUSY adds busy_hint in brackets. */
void sipcid_nfnl_set_error(GError **error, GQuark domain, int err, const char *doing,
                           const char *object, const char *busy_hint);

/* Writes the header of a netfilter request (nfgenmsg included) at the start
 * of buf, which must be 4-byte aligned and hold the whole message. */
struct nlmsghdr *sipcid_nfnl_put_header(void *buf, uint8_t subsys, uint8_t type, uint8_t family,
                                        uint16_t res_id);

/* The next sequence number of s, skipping 0 (0 means "no request"). */
uint32_t sipcid_nfnl_next_seq(struct sipcid_nfnl *s);

/* ---- reading datagrams ---- */

/* If nlh is a whole error message (an acknowledgement is one with error 0),
 * sets *err to its errno (0 for an acknowledgement) and returns true. */
bool sipcid_nfnl_get_error(const struct nlmsghdr *nlh, int *err);

/* Gets each message of a datagram that is not the awaited answer. */
typedef void (*sipcid_nfnl_message_fn)(void *ctx, const struct nlmsghdr *nlh);

/* Walks the whole messages of a datagram (len bytes; a cut last message is
 * left out). The error message answering want_seq (when not 0) is the
 * answer; every other message goes to on_message. Returns the answer's errno
 * (0: acknowledged), or -1 when the datagram holds no answer. */
int sipcid_nfnl_walk(const void *buf, size_t len, uint32_t want_seq, sipcid_nfnl_message_fn on_message,
                     void *ctx);

/* Handles one datagram read while a request waits for its answer: everything
 * in it as usual (packets that arrive meanwhile still want their verdicts),
 * and returns what sipcid_nfnl_walk returns for want_seq. `truncated`: the
 * datagram was longer than buf, and len is what was kept. */
typedef int (*sipcid_nfnl_datagram_fn)(void *ctx, void *buf, size_t len, bool truncated,
                                       uint32_t want_seq);

/* How a request reads while it waits. */
struct sipcid_nfnl_reader {
	void *buf;               /* 8-byte aligned */
	size_t size;
	sipcid_nfnl_datagram_fn on_datagram;
	void *ctx;
	uint64_t *enobufs;       /* counts socket overflows met while waiting; may be NULL */
};

/* Sends the request nlh with an acknowledgement asked for and the next
 * sequence number, then reads until its answer comes, at most timeout_ms:
 * the answer queues up behind everything already in the socket (for a queue,
 * up to the whole queue), so the wait is bounded by time, not by count.
 * nlh may lie in r->buf: it is not read after the send. Returns 0, the
 * errno the kernel answered, ETIMEDOUT, or the errno of a failed send or
 * read. */
int sipcid_nfnl_request(struct sipcid_nfnl *s, struct nlmsghdr *nlh, int timeout_ms,
                        const struct sipcid_nfnl_reader *r);

/* ---- what packet messages carry ---- */

/* The kernel's timestamp attribute (NFQA_TIMESTAMP, NFULA_TIMESTAMP: two
 * big-endian 64-bit numbers, seconds and microseconds) in microseconds since
 * the epoch; `otherwise` (g_get_real_time() when the batch was read) when the
 * attribute is NULL, too short or not after the epoch. */
int64_t sipcid_nfnl_timestamp_us(const struct nlattr *ts, int64_t otherwise);

/* The interface a packet came in by: the bridge port (PHYSINDEV) when the
 * packet crossed a bridge, else the input interface, else 0. Either may be
 * NULL; big-endian u32 attributes. */
uint32_t sipcid_nfnl_ifindex(const struct nlattr *physindev, const struct nlattr *indev);

/* A series the kernel counts up by one per message (NFQUEUE packet ids,
 * NFLOG sequence numbers). */
struct sipcid_nfnl_gaps {
	uint32_t last;
	bool seen;               /* last is set */
};

/* Notes number n and returns how many were skipped since the last one:
 * messages the kernel made that never arrived (the socket was full). The
 * series wraps from 2^32-1 to 0. A step back, a repeat or a jump of 2^30 or
 * more is a restart, not a loss: 0. */
uint32_t sipcid_nfnl_gaps_note(struct sipcid_nfnl_gaps *g, uint32_t n);

#endif
