/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/recordings, GET /api/recordings/NAME (Range: libsoup answers 206
 * and 416 itself from the whole body), POST /api/recordings/delete
 * (docs/web-api.md); the work is web_recordings.c's. */
#include "web_api.h"
#include "web_calllog.h"
#include "web_recordings.h"

#include "log.h"

static guint status_of(const GError *error)
{
	return g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ? SOUP_STATUS_NOT_FOUND
	                                                                : SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

static void fail(struct sipcid_web_request *req, GError *error)
{
	sipcid_web_reply_error(req, status_of(error), error->message);
	g_error_free(error);
}

static void list(struct sipcid_web_request *req)
{
	GError *error = NULL;
	sqlite3 *db = sipcid_web_calllog_get(req->ctx, &error);
	/* Without the call log the files are still listed, without their calls. */
	g_clear_error(&error);
	GString *out = g_string_new(NULL);
	if (!req->ctx->recordings_dir) {
		g_string_append(out, "{\"recordings\":[],\"used_bytes\":0,\"budget_bytes\":null}");
	} else if (!sipcid_web_recordings_list_json(req->ctx->recordings_dir, req->ctx->record_budget_mb,
	                                            db, out, &error)) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
			g_string_free(out, TRUE);
			fail(req, error);
			return;
		}
		/* No directory yet: the recorder makes it with its first file. */
		g_clear_error(&error);
		g_string_assign(out, "{\"recordings\":[],\"used_bytes\":0,\"budget_bytes\":");
		if (req->ctx->record_budget_mb > 0)
			g_string_append_printf(out, "%ld}", req->ctx->record_budget_mb * 1024 * 1024);
		else
			g_string_append(out, "null}");
	}
	sipcid_web_reply_json(req, SOUP_STATUS_OK, out);
}

static void one(struct sipcid_web_request *req)
{
	GError *error = NULL;
	const char *type = NULL;
	GBytes *bytes = req->ctx->recordings_dir
	                        ? sipcid_web_recordings_open(req->ctx->recordings_dir, req->arg, &type,
	                                                     &error)
	                        : (g_set_error(&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
	                                       "no such recording"), NULL);
	if (!bytes) {
		fail(req, error);
		return;
	}
	SoupMessageHeaders *h = soup_server_message_get_response_headers(req->msg);
	soup_message_headers_replace(h, "Content-Type", type);
	soup_message_headers_replace(h, "Accept-Ranges", "bytes");
	soup_message_headers_replace(h, "Cache-Control", "private, no-cache");
	/* The name is checked: letters, digits and "+-_." only. */
	const char *download = sipcid_web_param(req, "download");
	g_autofree char *disposition = g_strdup_printf("%s; filename=\"%s\"",
	                                               download && !g_strcmp0(download, "1")
	                                                       ? "attachment" : "inline", req->arg);
	soup_message_headers_replace(h, "Content-Disposition", disposition);
	soup_message_body_append_bytes(soup_server_message_get_response_body(req->msg), bytes);
	g_bytes_unref(bytes);
	soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
}

static void delete(struct sipcid_web_request *req)
{
	const char *name = sipcid_web_param(req, "name");
	GError *error = NULL;
	if (!name || !*name) {
		sipcid_web_reply_error(req, SOUP_STATUS_BAD_REQUEST, "which recording? (name)");
		return;
	}
	if (!req->ctx->recordings_dir) {
		sipcid_web_reply_error(req, SOUP_STATUS_NOT_FOUND, "no such recording");
		return;
	}
	if (!sipcid_web_recordings_delete(req->ctx->recordings_dir, name, &error)) {
		fail(req, error);
		return;
	}
	sipcid_log_info("web: %s deleted the recording %s", req->client ? req->client : "?", name);
	GString *out = g_string_new("{\"deleted\":\"");
	g_string_append(out, name); /* a checked name: nothing to escape */
	g_string_append(out, "\"}");
	sipcid_web_reply_json(req, SOUP_STATUS_OK, out);
}

const struct sipcid_web_route sipcid_web_api_recordings_routes[] = {
	{ "GET", "/api/recordings", list },
	{ "POST", "/api/recordings/delete", delete },
	{ "GET", "/api/recordings/", one },
	{ NULL, NULL, NULL },
};
