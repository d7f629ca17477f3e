/* Test driver: opens the [notify] outputs of a config file and emits calls,
 * the way sipcidd does, until `sipcidd --read` can drive these tests.
 *   announce_emit CONFIG KIND NUMBER NAME ACTION STATE [KIND NUMBER ...]
 * KIND is call or update, ACTION allow or block, STATE ringing, answered,
 * missed or ended. Waits (at most 20 s) until every GNTP request has been
 * answered, then closes the outputs. Exit 0 when all GNTP work finished. */
#include "announce.h"
#include "config.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static gboolean give_up(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
	sipcid_log_init("announce_emit");
	if (argc < 7 || (argc - 2) % 5) {
		fprintf(stderr, "usage: announce_emit CONFIG KIND NUMBER NAME ACTION STATE...\n");
		return 2;
	}
	g_autoptr(GError) err = NULL;
	struct sipcid_config *cfg = sipcid_config_load(argv[1], &err);
	struct sipcid_notify_settings s;
	if (!cfg || !sipcid_notify_settings_load(cfg, &s, &err)) {
		sipcid_log_gerror(NULL, err);
		return 2;
	}
	GPtrArray *outs = sipcid_announce_open(&s, &err);
	if (!outs) {
		sipcid_log_gerror(NULL, err);
		sipcid_notify_settings_clear(&s);
		sipcid_config_free(cfg);
		return 2;
	}
	for (int i = 2; i + 4 < argc; i += 5) {
		struct sipcid_call c;
		memset(&c, 0, sizeof c);
		c.kind = !strcmp(argv[i], "update") ? SIPCID_EVENT_UPDATE : SIPCID_EVENT_CALL;
		c.time_us = g_get_real_time();
		g_snprintf(c.call_id, sizeof c.call_id, "emit-%d@test", i);
		sipcid_strlcpy_utf8(c.number, argv[i + 1], sizeof c.number);
		sipcid_strlcpy_utf8(c.number_raw, argv[i + 1], sizeof c.number_raw);
		sipcid_strlcpy_utf8(c.name, argv[i + 2], sizeof c.name);
		sipcid_strlcpy_utf8(c.called, "100", sizeof c.called);
		if (!sipcid_action_parse(argv[i + 3], &c.action) ||
		    !sipcid_state_parse(argv[i + 4], &c.state)) {
			sipcid_log_warnx("bad action or state");
			return 2;
		}
		if (c.kind == SIPCID_EVENT_UPDATE)
			c.ring_ms = 4200;
		for (guint o = 0; o < outs->len; o++) {
			struct sipcid_output *out = outs->pdata[o];
			out->emit(out->ctx, &c);
		}
	}
	bool timeout = false;
	g_timeout_add_seconds(20, give_up, &timeout);
	unsigned pending = 0;
	for (;;) {
		pending = 0;
		for (guint o = 0; o < outs->len; o++) {
			struct sipcid_output *out = outs->pdata[o];
			if (!strcmp(out->name, "announce-gntp"))
				pending += sipcid_announce_gntp_pending(out);
		}
		if (!pending || timeout)
			break;
		g_main_context_iteration(NULL, TRUE);
	}
	sipcid_announce_close_all(outs);
	sipcid_notify_settings_clear(&s);
	sipcid_config_free(cfg);
	printf("emitted %d, gntp pending %u\n", (argc - 2) / 5, pending);
	return pending ? 1 : 0;
}
