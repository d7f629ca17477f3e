/* Sending one datagram to a list of destinations without ever blocking:
 * shared by the sipcid datagram and legacy Growl outputs. Host names are
 * resolved in the background; the LAN broadcast address is looked up with
 * getifaddrs and looked up again now and then, since DHCP may change it. */
#ifndef SIPCID_UDP_SENDER_H
#define SIPCID_UDP_SENDER_H

#include "announce_settings.h"

#include <gio/gio.h>

struct udp_sender;

/* dests NULL: the IPv4 broadcast address of `interface` on default_port.
 * Without one (no such interface, or no IPv4 address on it) that is an error
 * saying how to fix it: never the limited broadcast 255.255.255.255 instead.
 * If the address goes away later, sends wait until it is back. label names
 * the output in messages ("udp", "growl"). */
struct udp_sender *udp_sender_new(const char *label, const GArray *dests, const char *interface,
                                  uint16_t default_port, GError **error);
/* Sends to every destination whose address is known; failures are logged
 * once per change, never returned: the next call tries again. */
void udp_sender_send(struct udp_sender *u, const void *buf, size_t len);
/* How many destinations it has (0: nothing to do). */
unsigned udp_sender_count(const struct udp_sender *u);
void udp_sender_free(struct udp_sender *u);

/* The IPv4 broadcast address of interface, or NULL when it has none or does
 * not exist (*exists tells which). Exposed for tests. */
GInetAddress *udp_sender_broadcast_of(const char *interface, bool *exists);

#endif
