/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Webhooks: an HTTP request for each call event a webhook wants, made with
 * libsoup 3 on the main loop's GLib context (webhook_settings.h says what
 * is sent; docs/webhooks.md why libsoup).
 *
 * Threads: opened, fed and closed on the main loop's thread. Emitting
 * renders the request and queues it; nothing waits for the network. Each
 * webhook sends one request at a time, in order, so a call's "answered"
 * never overtakes its "ringing". A failed attempt (no answer within the
 * timeout, a 5xx, 408 or 429) is retried after 1 s, 2 s, 4 s... up to
 * `retries` more times, then given up; other 4xx and an untrusted TLS
 * certificate are given up at once, since trying again cannot help. A full
 * queue drops new events (counted, logged once per episode) rather than
 * grow: live mode never waits. A replay (--read) waits for room instead. */
#ifndef SIPCID_WEBHOOK_H
#define SIPCID_WEBHOOK_H

#include "output.h"
#include "webhook_settings.h"

#include <glib.h>
#include <stdint.h>

struct sipcid_webhook_stats {
	uint64_t sent;       /* events the server took (2xx) */
	uint64_t failed;     /* attempts that did not succeed */
	uint64_t retried;    /* attempts made again after a failure */
	uint64_t given_up;   /* events abandoned after their last attempt */
	uint64_t dropped;    /* events not queued (queue full) or left when sipcidd stopped */
	unsigned queued;     /* events waiting now, the one being sent included */
};

/* One output per webhook of `settings` (a GPtrArray of struct
 * sipcid_webhook_settings *, which the outputs keep a reference to), added
 * to `outputs`. replay: a full queue waits for room (--read) instead of
 * dropping the event. Logs each webhook and its TLS checking once. */
void sipcid_webhook_open(GPtrArray *settings, bool replay, GPtrArray *outputs);

/* out must come from sipcid_webhook_open. */
const char *sipcid_webhook_name(const struct sipcid_output *out);
void sipcid_webhook_get_stats(const struct sipcid_output *out, struct sipcid_webhook_stats *st);

#endif
