/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/status: sipcidd's counters from its control socket
 * (docs/web-api.md). The socket is asked on a worker thread (web_status.c)
 * while the message waits paused, so a stalled sipcidd never stalls the
 * console. */
#include "web_api.h"
#include "web_status.h"

/* The request lives as long as its message (web_server.c), which the
 * reference taken below keeps until the answer is in. */
static void answered(GObject *source, GAsyncResult *result, gpointer data)
{
	(void)source;
	struct sipcid_web_request *req = data;
	SoupServerMessage *msg = req->msg;
	sipcid_web_reply_json(req, SOUP_STATUS_OK, sipcid_web_status_fetch_finish(result));
	soup_server_message_unpause(msg);
	g_object_unref(msg);
}

static void status(struct sipcid_web_request *req)
{
	g_object_ref(req->msg);
	soup_server_message_pause(req->msg);
	sipcid_web_status_fetch_async(req->ctx->control_path, NULL, answered, req);
}

const struct sipcid_web_route sipcid_web_api_status_routes[] = {
	{ "GET", "/api/status", status },
	{ NULL, NULL, NULL },
};
