/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Answers: the headers every one carries, JSON, errors, parameters. */
#include "web_server_private.h"

#include "event_format.h"

/* No inline script or style anywhere, nothing from another site: a caller
 * name that slips into the page as markup still cannot run. Audio may come
 * from blob: URLs (Listen Live), images from data: URLs (icons). */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	    "media-src 'self' blob:; connect-src 'self'; form-action 'self'; "               \
	    "frame-ancestors 'none'; base-uri 'none'"

void sipcid_web_server_headers(SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
	soup_message_headers_replace(h, "Content-Security-Policy", CSP);
	soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
	soup_message_headers_replace(h, "Referrer-Policy", "no-referrer");
	soup_message_headers_replace(h, "X-Frame-Options", "DENY");
}

void sipcid_web_server_redirect(SoupServerMessage *msg, const char *location)
{
	soup_server_message_set_redirect(msg, SOUP_STATUS_SEE_OTHER, location);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
	                             "Cache-Control", "no-store");
}

void sipcid_web_reply_json(struct sipcid_web_request *req, guint status, GString *body)
{
	soup_message_headers_replace(soup_server_message_get_response_headers(req->msg),
	                             "Cache-Control", "no-store");
	soup_server_message_set_status(req->msg, status, NULL);
	gsize len = body->len;
	soup_server_message_set_response(req->msg, "application/json", SOUP_MEMORY_TAKE,
	                                  g_string_free(body, FALSE), len);
}

void sipcid_web_reply_error(struct sipcid_web_request *req, guint status, const char *message)
{
	GString *body = g_string_new("{\"error\": ");
	sipcid_event_json_string(body, message, false);
	g_string_append(body, "}");
	sipcid_web_reply_json(req, status, body);
}

const char *sipcid_web_param(const struct sipcid_web_request *req, const char *name)
{
	const char *v = req->form ? g_hash_table_lookup(req->form, name) : NULL;
	if (!v && req->query)
		v = g_hash_table_lookup(req->query, name);
	return v;
}
