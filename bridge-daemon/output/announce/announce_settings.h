/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The [notify] group of sipcid.conf: where sipcidd announces calls on the
 * LAN (sipcid datagram, legacy Growl UDP, GNTP) and how. See sipcid.conf(5). */
#ifndef SIPCID_NOTIFY_SETTINGS_H
#define SIPCID_NOTIFY_SETTINGS_H

#include "announce_text.h"
#include "config.h"
#include "gntp_message.h"
#include "growl_packet.h"
#include "wire.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* One HOST:PORT destination. host is an IPv4 or IPv6 literal (without
 * brackets) or a name resolved when sending. */
struct sipcid_announce_dest {
	char *host;
	uint16_t port;
};

struct sipcid_announce_settings {
	char *interface;                 /* whose IPv4 broadcast address is the default */
	bool interface_set;              /* named in the file, not the default br0 */
	/* NULL: the default (broadcast on `interface`); an empty array: off. */
	GArray *udp;                     /* of struct sipcid_announce_dest */
	GArray *growl;
	GArray *gntp;                    /* empty by default */

	char *growl_password;            /* "" when none */
	enum growl_auth growl_auth;
	enum growl_flags_order growl_flags_order;
	int growl_register_interval_s;

	char *gntp_password;
	enum gntp_hash gntp_hash;
	int gntp_timeout_s;

	char *auth_key_file;             /* NULL: unsigned sipcid datagrams */
	bool has_key;
	struct sipcid_wire_key key;      /* loaded from auth_key_file */

	int priority[SIPCID_ANNOUNCE_TYPES];
	bool sticky[SIPCID_ANNOUNCE_TYPES];

	/* The rate limit in front of every output that tells people about
	 * calls (announcements, NCID, webhooks, MQTT; output_rate.h): new calls
	 * that may pass at once, then per minute. */
	int flood_burst;
	int flood_per_minute;
};

/* Fills s from cfg's [notify] group (defaults for what is absent). Unknown
 * keys and bad values are errors that name FILE:LINE. The key file, if any,
 * is read here, so a reload with a broken key changes nothing. */
bool sipcid_announce_settings_load(const struct sipcid_config *cfg,
                                 struct sipcid_announce_settings *s, GError **error);
void sipcid_announce_settings_clear(struct sipcid_announce_settings *s);

/* Drops the default destinations (the broadcast address of br0 for udp and
 * growl) unless the configuration names the interface, and keeps what it
 * names: the hosts listed in udp, growl and gntp. What `sipcidd --read` sends
 * to without --announce, so that replaying a capture announces nothing that
 * the configuration did not ask for in so many words. */
void sipcid_announce_settings_keep_named(struct sipcid_announce_settings *s);

/* Parses "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT". Exposed for tests. */
bool sipcid_announce_dest_parse(const char *text, uint16_t default_port,
                                struct sipcid_announce_dest *out, char **why);

#endif
