/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The LAN announce outputs: each new call and each change of its state goes
 * out as a sipcid datagram (announce_udp.c), a legacy Growl UDP packet
 * (announce_growl.c) and a GNTP request (announce_gntp.c). They run on the
 * thread-default GLib main context of the caller of sipcid_announce_open and
 * never block it. */
#ifndef SIPCID_ANNOUNCE_H
#define SIPCID_ANNOUNCE_H

#include "announce_settings.h"
#include "output.h"

#include <glib.h>

/* Every configured output, as struct sipcid_output pointers (an output whose
 * destination list is empty is left out). output->close(output->ctx)
 * finishes pending work for a bounded time and frees the output itself;
 * sipcid_announce_close_all does that for the whole array and frees it. */
GPtrArray *sipcid_announce_open(const struct sipcid_announce_settings *s, GError **error);
void sipcid_announce_close_all(GPtrArray *outputs);

/* The individual outputs; NULL with *error set when a socket cannot be made.
 * Each returns NULL without an error when it has nothing to send to. */
struct sipcid_output *sipcid_announce_udp_new(const struct sipcid_announce_settings *s,
                                              GError **error);
struct sipcid_output *sipcid_announce_growl_new(const struct sipcid_announce_settings *s,
                                                GError **error);
struct sipcid_output *sipcid_announce_gntp_new(const struct sipcid_announce_settings *s,
                                               GError **error);

/* GNTP requests queued or in flight, over all hosts (for tests and status). */
unsigned sipcid_announce_gntp_pending(const struct sipcid_output *gntp);

#endif
