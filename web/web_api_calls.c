/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/calls: the call log, searched and paged (docs/web-api.md); the
 * work is web_calls.c's. */
#include "web_api.h"
#include "web_calllog.h"
#include "web_calls.h"

static void calls(struct sipcid_web_request *req)
{
	struct sipcid_calllog_filter f;
	GError *error = NULL;
	if (!sipcid_web_calls_parse(req->query, &f, &error)) {
		sipcid_web_reply_error(req, SOUP_STATUS_BAD_REQUEST, error->message);
		g_error_free(error);
		return;
	}
	sqlite3 *db = sipcid_web_calllog_get(req->ctx, &error);
	GString *out = g_string_new(NULL);
	if (error || !sipcid_web_calls_json(db, &f, req->ctx->recordings_dir, out, &error)) {
		sipcid_web_reply_error(req, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
		g_error_free(error);
		g_string_free(out, TRUE);
		return;
	}
	sipcid_web_reply_json(req, SOUP_STATUS_OK, out);
}

const struct sipcid_web_route sipcid_web_api_calls_routes[] = {
	{ "GET", "/api/calls", calls },
	{ NULL, NULL, NULL },
};
