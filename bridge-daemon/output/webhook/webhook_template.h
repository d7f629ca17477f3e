/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A webhook's URL, header values and body template: text with the event's
 * fields in braces, like "{who} is calling ({number})". Each field is
 * escaped for where it goes (docs/webhooks.md):
 *  - in the URL and in a form body, URL-encoded;
 *  - in a JSON body, JSON-escaped (the template writes the quotes);
 *  - elsewhere as it is: call fields never hold control characters (call.h).
 * A {word} of lowercase letters that is not a field is an error at load
 * time (a typo must not be sent as is); other braces, as in JSON, are text. */
#ifndef SIPCID_WEBHOOK_TEMPLATE_H
#define SIPCID_WEBHOOK_TEMPLATE_H

#include "call.h"
#include "line_event.h"

#include <glib.h>

enum sipcid_webhook_escape {
	SIPCID_WEBHOOK_ESCAPE_NONE = 0,
	SIPCID_WEBHOOK_ESCAPE_JSON,
	SIPCID_WEBHOOK_ESCAPE_URL,
};

struct sipcid_webhook_template;

/* NULL when text names an unknown field; *bad is then its name (g_free). */
struct sipcid_webhook_template *sipcid_webhook_template_new(const char *text,
                                                            enum sipcid_webhook_escape escape,
                                                            char **bad);
void sipcid_webhook_template_free(struct sipcid_webhook_template *t);
/* Appends the text with the call's fields filled in. */
void sipcid_webhook_template_render(const struct sipcid_webhook_template *t,
                                    const struct sipcid_call *call, GString *out);
/* The same for a line or voicemail event: event, time, box, who ("Phone
 * line", "Voicemail"), what (its words, line_event.h), state (up, down),
 * reason, registrar, new, old, urgent; the call fields are empty. */
void sipcid_webhook_template_render_line(const struct sipcid_webhook_template *t,
                                         const struct sipcid_line_event *ev, GString *out);
/* The field names, comma-separated, for error messages. */
extern const char sipcid_webhook_template_fields[];

#endif
