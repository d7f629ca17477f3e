/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The offline capture stage: reads a pcap or pcapng file with libpcap and
 * hands each IP packet to the pipeline, as NFQUEUE does in live mode.
 * Link types: Ethernet (with VLAN tags), Linux cooked (v1 and v2), raw IP and
 * BSD loopback; IP-in-IP, GRE and ERSPAN tunnels are opened, because mirror
 * ports and public sample captures use them. */
#ifndef SIPCID_CAPTURE_PCAP_H
#define SIPCID_CAPTURE_PCAP_H

#include "packet.h"

#include <glib.h>
#include <stdint.h>

typedef void (*sipcid_packet_fn)(void *ctx, const struct sipcid_packet *pkt);

/* Reads every packet of the file. Returns false with a readable error when
 * the file can't be opened or isn't a capture. */
bool sipcid_pcap_read(const char *path, sipcid_packet_fn fn, void *ctx, uint64_t *frames,
                      GError **error);

/* Decodes one captured frame of the given libpcap link type (DLT_*). */
bool sipcid_pcap_frame_decode(int linktype, const uint8_t *data, size_t len, struct sipcid_packet *out);

#endif
