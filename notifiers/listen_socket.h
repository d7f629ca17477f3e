/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The UDP sockets sipcid-notify listens on: 0.0.0.0:PORT (IPv4 unicast and
 * broadcast) and [::]:PORT (IPv6, where the host has it), optionally joined
 * to a multicast group. SO_REUSEADDR lets several desktop sessions on one
 * machine each hear the broadcasts. Datagrams are read on the thread-default
 * main context and handed to a callback. */
#ifndef SIPCID_LISTEN_SOCKET_H
#define SIPCID_LISTEN_SOCKET_H

#include <gio/gio.h>
#include <stdint.h>

typedef void (*notify_listen_socket_datagram_fn)(void *ctx, const uint8_t *buf, size_t len,
                                                 const char *from);

struct notify_listen_socket;

/* port 0 picks a free port (for tests; see notify_listen_socket_port). group: a
 * multicast address, IPv4 or IPv6, or NULL. */
struct notify_listen_socket *notify_listen_socket_open(uint16_t port, const char *group,
                                                       notify_listen_socket_datagram_fn fn,
                                                       void *ctx, GError **error);
uint16_t notify_listen_socket_port(const struct notify_listen_socket *l);
/* "IPv4", "IPv4 and IPv6"... for the startup message. */
const char *notify_listen_socket_families(const struct notify_listen_socket *l);
void notify_listen_socket_close(struct notify_listen_socket *l);

#endif
