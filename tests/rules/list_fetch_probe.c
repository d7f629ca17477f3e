/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Runs one refresh of a URL list, as sipcidd's main loop would, and says how
 * it went: "fetched", "not-modified" or "failed", then the numbers on the
 * list now in the state directory ($STATE_DIRECTORY).
 *   list_fetch_probe NAME URL TIMEOUT MAX-SIZE
 * With LIST_PROBE_FREE_EARLY=1 it frees the fetcher 300 ms into the fetch
 * (sipcidd stopping mid-download), runs the loop on for 2 s so the cancelled
 * operations finish, and says "freed" (under ASan: no use after free). */
#include "log.h"
#include "config.h"
#include "rules_list.h"
#include "rules_list_fetch.h"

#include <stdio.h>

struct probe {
	GMainLoop *loop;
	const char *result;
};

static void on_done(const struct sipcid_rules_list_source *src,
                    enum sipcid_rules_list_fetch_result result, void *data)
{
	(void)src;
	struct probe *p = data;
	p->result = result == SIPCID_RULES_LIST_FETCHED        ? "fetched"
	            : result == SIPCID_RULES_LIST_NOT_MODIFIED ? "not-modified"
	                                                       : "failed";
	g_main_loop_quit(p->loop);
}

static gboolean give_up(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
	sipcid_log_init("list_fetch_probe");
	if (argc != 5) {
		fprintf(stderr, "usage: list_fetch_probe NAME URL TIMEOUT MAX-SIZE\n");
		return 2;
	}
	g_autofree char *conf = g_strdup_printf("[lists]\n%s = %s\ntimeout = %s\nmax-size = %s\n",
	                                        argv[1], argv[2], argv[3], argv[4]);
	GError *error = NULL;
	struct sipcid_config *cfg = sipcid_config_load_data("probe.conf", conf, &error);
	struct sipcid_rules_settings s;
	if (!cfg || !sipcid_rules_settings_load(cfg, &s, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return 2;
	}
	sipcid_config_free(cfg);
	struct sipcid_number_plan plan;
	sipcid_number_plan_default(&plan);
	struct probe p = { .loop = g_main_loop_new(NULL, FALSE), .result = "gave-up" };
	struct sipcid_rules_list_fetch *f = sipcid_rules_list_fetch_new(&s, &plan, on_done, &p);
	sipcid_rules_list_fetch_now(f, argv[1]);
	if (g_strcmp0(g_getenv("LIST_PROBE_FREE_EARLY"), "1") == 0) {
		g_timeout_add(300, give_up, p.loop);
		g_main_loop_run(p.loop);
		sipcid_rules_list_fetch_free(f);
		p.result = "freed";
		g_timeout_add(2000, give_up, p.loop);
		g_main_loop_run(p.loop);
	} else {
		guint id = g_timeout_add_seconds(60, give_up, p.loop);
		g_main_loop_run(p.loop);
		g_source_remove(id);
		sipcid_rules_list_fetch_free(f);
	}
	/* what sipcidd would load now */
	struct sipcid_rules_list *l = sipcid_rules_settings_load_list(&s.lists[0], &plan, &error);
	printf("%s %zu\n", p.result, l ? sipcid_rules_list_count(l) : 0);
	sipcid_rules_list_unref(l);
	g_clear_error(&error);
	sipcid_rules_settings_clear(&s);
	g_main_loop_unref(p.loop);
	return 0;
}
