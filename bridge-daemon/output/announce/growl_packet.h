/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy Growl UDP packets (port 9887), laid out as ../shared/notes/growl.md
 * and docs/protocol.md describe: registration and notification, with an MD5
 * or SHA-256 digest over the packet and the password, or no digest at all. */
#ifndef SIPCID_GROWL_PACKET_H
#define SIPCID_GROWL_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	GROWL_UDP_PORT = 9887,
	GROWL_PACKET_MAX = 1400,  /* what every known receiver takes in one datagram */
};

enum growl_auth {
	GROWL_AUTH_MD5 = 0,
	GROWL_AUTH_SHA256,
	GROWL_AUTH_NONE,
};

/* Growl wrote the flags as a C bitfield in host order. Big-endian ([00, F])
 * is what Growl for Windows, PowerPC Growl and netgrowl send; little-endian
 * ([F, 00]) is what Intel-Mac Growl sends. */
enum growl_flags_order {
	GROWL_FLAGS_BIG_ENDIAN = 0,
	GROWL_FLAGS_LITTLE_ENDIAN,
};

/* F = ((priority & 7) << 1) | sticky, priority clamped to -2..2. */
unsigned sipcid_growl_flags(int priority, bool sticky);

/* Each returns the packet's length, or 0 when it cannot fit in cap bytes.
 * names/defaults are the notification types and the indexes enabled by
 * default (at most 255 each, names at most 65535 bytes). */
size_t sipcid_growl_registration(uint8_t *out, size_t cap, const char *app, const char *const *names,
                          size_t n_names, const uint8_t *defaults, size_t n_defaults,
                          enum growl_auth auth, const char *password);

/* Title and description are cut on UTF-8 boundaries (description first) so
 * the packet fits in cap. */
size_t sipcid_growl_notification(uint8_t *out, size_t cap, const char *app, const char *name,
                          const char *title, const char *description, int priority, bool sticky,
                          enum growl_flags_order order, enum growl_auth auth,
                          const char *password);

#endif
