/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [webhook] and [webhook NAME] in sipcid.conf: HTTP requests made for calls
 * (sipcid.conf(5), docs/webhooks.md). Each group is one webhook:
 *
 *   [webhook ntfy]
 *   url = https://ntfy.sh/my-door-phone
 *   method = POST                 # POST (default), PUT or GET
 *   body = {who} is calling       # absent or "json": the event JSON
 *   content-type = text/plain     # how template fields are escaped
 *   header-Title = {what}         # any number of header-NAME keys
 *   header-file = /etc/sipcid/ntfy.headers   # "Name: value" lines, mode 0600
 *   events = calls, blocked, missed, line, voicemail
 *   timeout = 10                  # seconds for one attempt
 *   retries = 3                   # more attempts after a failure, 1 s, 2 s, 4 s... apart
 *   queue = 64                    # events waiting at most; more are dropped
 *   tls-verify = true
 *   ca-file = /etc/sipcid/my-ca.pem
 *
 * Loading reads the header file (secrets stay out of sipcid.conf) and
 * compiles the templates, so a typo is a FILE:LINE error at start. */
#ifndef SIPCID_WEBHOOK_SETTINGS_H
#define SIPCID_WEBHOOK_SETTINGS_H

#include "config.h"
#include "webhook_template.h"

#include <glib.h>
#include <stdbool.h>

enum sipcid_webhook_method {
	SIPCID_WEBHOOK_POST = 0,
	SIPCID_WEBHOOK_PUT,
	SIPCID_WEBHOOK_GET,
};

/* Which events a webhook is sent (events = ...), as a bit mask. All but
 * OUTGOING are about incoming calls: dialling out pushes nothing to a
 * phone unless asked. */
enum {
	SIPCID_WEBHOOK_CALLS = 1 << 0,     /* a new call that rings through */
	SIPCID_WEBHOOK_BLOCKED = 1 << 1,   /* a call a rule blocked (its only event) */
	SIPCID_WEBHOOK_ANSWERED = 1 << 2,
	SIPCID_WEBHOOK_MISSED = 1 << 3,    /* rang, and nobody answered */
	SIPCID_WEBHOOK_ENDED = 1 << 4,     /* answered, then hung up */
	SIPCID_WEBHOOK_OUTGOING = 1 << 5,  /* every event of a call the phone makes */
	SIPCID_WEBHOOK_LINE = 1 << 6,      /* the line went down, or came back up */
	SIPCID_WEBHOOK_VOICEMAIL = 1 << 7, /* the count of new voicemails changed */
	SIPCID_WEBHOOK_ALL = (1 << 8) - 1,
};

struct sipcid_webhook_header {
	char *name;
	struct sipcid_webhook_template *value;  /* fields inserted as they are */
};

struct sipcid_webhook_settings {
	char *name;                      /* "ntfy" for [webhook ntfy]; "webhook" for [webhook] */
	struct sipcid_webhook_template *url;   /* fields URL-encoded */
	enum sipcid_webhook_method method;
	struct sipcid_webhook_template *body;  /* NULL: the event JSON */
	char *content_type;
	GPtrArray *headers;              /* struct sipcid_webhook_header *, inline then file */
	unsigned events;                 /* SIPCID_WEBHOOK_CALLS | ... */
	int timeout_s;
	int retries;
	int queue;
	bool tls_verify;
	char *ca_file;                   /* NULL: the system's CAs */
};

/* Every webhook group of cfg, in file order, into *out (a GPtrArray of
 * struct sipcid_webhook_settings *, empty when there are none). */
bool sipcid_webhook_settings_load(const struct sipcid_config *cfg, GPtrArray **out,
                                  GError **error);
void sipcid_webhook_settings_free(struct sipcid_webhook_settings *s);

/* Whether a line or voicemail event is one of the mask's. */
bool sipcid_webhook_settings_wants_line(unsigned events, const struct sipcid_line_event *ev);
/* Whether a call event is one of the mask's. */
bool sipcid_webhook_settings_wants(unsigned events, const struct sipcid_call *call);

#endif
