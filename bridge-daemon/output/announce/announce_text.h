/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a Growl or GNTP popup says about a call: its notification type, a
 * title that names the caller and a description with the details. Shared by
 * the Growl UDP and GNTP outputs so both read the same. */
#ifndef SIPCID_ANNOUNCE_TEXT_H
#define SIPCID_ANNOUNCE_TEXT_H

#include "call.h"

#include <glib.h>

/* The Growl notification types sipcid registers, in registration order. */
enum sipcid_announce_type {
	SIPCID_ANNOUNCE_INCOMING = 0,   /* "Incoming Call": a new call that rings */
	SIPCID_ANNOUNCE_BLOCKED,        /* "Blocked Call": a new call that never rings */
	SIPCID_ANNOUNCE_UPDATE,         /* "Call Update": answered, missed, ended */
	SIPCID_ANNOUNCE_TYPES
};

#define SIPCID_ANNOUNCE_APP "sipcid"

enum sipcid_announce_type sipcid_announce_type_of(const struct sipcid_call *call);
const char *sipcid_announce_type_name(enum sipcid_announce_type t);
/* The NULL-terminated list of all type names, for registrations. */
const char *const *sipcid_announce_type_names(void);

/* One line: what happened and who (call_words.h), e.g.
 * "Incoming call: Alice Smith". */
void sipcid_announce_title(GString *out, const struct sipcid_call *call);
/* Several lines separated by '\n': the number, the caller's own name when a
 * phonebook alias is shown, the called line, the forwarder, durations. */
void sipcid_announce_description(GString *out, const struct sipcid_call *call);

#endif
