/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GET /api/status: sipcidd's counters from its control socket
 * (docs/web-api.md). The socket is asked on a worker thread (web_status.c)
 * while the message waits paused, so a stalled sipcidd never stalls the
 * console. */
#include "web_api.h"
#include "web_status.h"

/* What outlives the handler: the message and the context. */
struct pending {
	struct sipcid_web_request req;
};

static void answered(GObject *source, GAsyncResult *result, gpointer data)
{
	(void)source;
	struct pending *p = data;
	GString *json = sipcid_web_status_fetch_finish(result);
	sipcid_web_reply_json(&p->req, SOUP_STATUS_OK, json);
	soup_server_message_unpause(p->req.msg);
	g_object_unref(p->req.msg);
	g_free(p);
}

static void status(struct sipcid_web_request *req)
{
	struct pending *p = g_new0(struct pending, 1);
	p->req.msg = g_object_ref(req->msg);
	p->req.method = "GET";
	p->req.path = "/api/status";
	p->req.ctx = req->ctx;
	soup_server_message_pause(req->msg);
	sipcid_web_status_fetch_async(req->ctx->control_path, NULL, answered, p);
}

const struct sipcid_web_route sipcid_web_api_status_routes[] = {
	{ "GET", "/api/status", status },
	{ NULL, NULL, NULL },
};
