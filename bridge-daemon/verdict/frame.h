/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sending a SIP response onto the bridge as the ATA: an Ethernet frame with
 * IPv4 or IPv6 and UDP around it, out of one bridge port, through an
 * AF_PACKET socket opened at start (it needs CAP_NET_RAW, which sipcidd
 * gives up afterwards).
 *
 * sipcid_frame_build is pure. sipcid_frame_send is called on the packet
 * thread as part of giving a verdict: it builds into the sender's own
 * buffer and sends with MSG_DONTWAIT, so it never allocates or blocks. The
 * first frame out of a port asks the kernel once for the port's MAC
 * address (the source when the ATA's own is not known yet); after that
 * the answer is cached. */
#ifndef SIPCID_FRAME_H
#define SIPCID_FRAME_H

#include "packet.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SIPCID_FRAME_MAX = 2048 + 14 + 40 + 8 };

/* Writes the frame carrying `payload` from `src` to `dst` (both UDP, same
 * family) into buf[0..size). IPv4: TTL 64, DF, header and UDP checksums;
 * IPv6: hop limit 64, UDP checksum. Returns the frame's length, 0 when it
 * does not fit. */
size_t sipcid_frame_build(uint8_t *buf, size_t size, const uint8_t dst_mac[6],
                          const uint8_t src_mac[6], const struct sipcid_endpoint *src,
                          const struct sipcid_endpoint *dst, const void *payload, size_t len);

struct sipcid_frame_sender;

/* Opens the AF_PACKET socket (send only: it receives nothing). NULL with
 * error set when the kernel refuses (no CAP_NET_RAW). */
struct sipcid_frame_sender *sipcid_frame_sender_open(GError **error);
void sipcid_frame_sender_close(struct sipcid_frame_sender *s);

/* Sends payload from src to dst out of bridge port `ifindex`, to dst_mac,
 * from src_mac (NULL: the port's own address). Returns 0, or an errno:
 * EMSGSIZE when the frame does not fit the port's MTU, EAGAIN when the
 * port's queue is full. */
int sipcid_frame_send(struct sipcid_frame_sender *s, uint32_t ifindex, const uint8_t dst_mac[6],
                      const uint8_t *src_mac, const struct sipcid_endpoint *src,
                      const struct sipcid_endpoint *dst, const void *payload, size_t len);

#define SIPCID_FRAME_ERROR (sipcid_frame_error_quark())
GQuark sipcid_frame_error_quark(void);

#endif
