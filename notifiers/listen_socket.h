/* The UDP sockets sipcid-notify listens on: 0.0.0.0:PORT (IPv4 unicast and
 * broadcast) and [::]:PORT (IPv6, where the host has it), optionally joined
 * to a multicast group. SO_REUSEADDR lets several desktop sessions on one
 * machine each hear the broadcasts. Datagrams are read on the thread-default
 * main context and handed to a callback. */
#ifndef SIPCID_LISTEN_SOCKET_H
#define SIPCID_LISTEN_SOCKET_H

#include <gio/gio.h>
#include <stdint.h>

typedef void (*listen_datagram_fn)(void *ctx, const uint8_t *buf, size_t len,
                                   const char *from);

struct listen_socket;

/* port 0 picks a free port (for tests; see listen_socket_port). group: a
 * multicast address, IPv4 or IPv6, or NULL. */
struct listen_socket *listen_socket_open(uint16_t port, const char *group,
                                         listen_datagram_fn fn, void *ctx, GError **error);
uint16_t listen_socket_port(const struct listen_socket *l);
/* "IPv4", "IPv4 and IPv6"... for the startup message. */
const char *listen_socket_families(const struct listen_socket *l);
void listen_socket_close(struct listen_socket *l);

#endif
