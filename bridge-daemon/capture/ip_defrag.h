/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IP fragment reassembly for offline captures. Live, the kernel reassembles
 * before NFQUEUE (sipcid-firewall adds the conntrack rule that makes it);
 * a capture taken on a mirror port still holds the fragments of an INVITE
 * with a large SDP, so --read puts them back together here.
 * Bounded: a few datagrams at a time, each at most 64 KiB, forgotten after
 * 30 seconds of capture time. */
#ifndef SIPCID_IP_DEFRAG_H
#define SIPCID_IP_DEFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ip_defrag;

struct ip_defrag *sipcid_ip_defrag_new(void);
void sipcid_ip_defrag_free(struct ip_defrag *d);

/* Feeds one IPv4 or IPv6 packet (from its IP header). Returns true when it
 * was a fragment that completed a datagram: *out and *out_len then hold the
 * whole datagram (valid until the next call). A fragment that completes
 * nothing returns false with *out_len = 0; a packet that is no fragment
 * returns false with *out_len = len and *out = data. */
bool sipcid_ip_defrag_feed(struct ip_defrag *d, const uint8_t *data, size_t len, int64_t now_us,
                    const uint8_t **out, size_t *out_len);

#endif
