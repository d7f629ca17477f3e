/* SPDX-License-Identifier: GPL-2.0-or-later */
/* web_status_live.sh's client: asks sipcidd's status the way sipcid-web
 * does (web_status.c, on a worker thread) while its own main loop ticks
 * every 50 ms, and prints the JSON answer, then on stderr how many ticks the
 * loop made while it waited and how long the wait was. A main loop that the
 * socket blocked would tick once at most.
 *   web_status_probe CONTROL_SOCKET */
#include "web_status.h"

#include <stdio.h>

struct probe {
	GMainLoop *loop;
	GString *json;
	int ticks;
};

static gboolean tick(gpointer data)
{
	((struct probe *)data)->ticks++;
	return G_SOURCE_CONTINUE;
}

static void done(GObject *source, GAsyncResult *result, gpointer data)
{
	(void)source;
	struct probe *p = data;
	p->json = sipcid_web_status_fetch_finish(result);
	g_main_loop_quit(p->loop);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: web_status_probe CONTROL_SOCKET\n");
		return 2;
	}
	struct probe p = { g_main_loop_new(NULL, FALSE), NULL, 0 };
	guint id = g_timeout_add(50, tick, &p);
	gint64 t0 = g_get_monotonic_time();
	sipcid_web_status_fetch_async(argv[1], NULL, done, &p);
	g_main_loop_run(p.loop);
	printf("%s\n", p.json->str);
	fprintf(stderr, "ticks %d ms %" G_GINT64_FORMAT "\n", p.ticks,
	        (g_get_monotonic_time() - t0) / 1000);
	g_source_remove(id);
	g_string_free(p.json, TRUE);
	g_main_loop_unref(p.loop);
	return 0;
}
