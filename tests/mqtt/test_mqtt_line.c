/* The line's state the Home Assistant sensor shows, from call events alone;
 * and the discovery topics. */
#include "mqtt_discovery.h"
#include "mqtt_line.h"

#include <string.h>

#define S ((int64_t)G_USEC_PER_SEC)

static struct sipcid_call ev(const char *id, enum sipcid_state st, enum sipcid_action a)
{
	struct sipcid_call c = { .state = st, .action = a };
	g_strlcpy(c.call_id, id, sizeof c.call_id);
	return c;
}

static const char *state(struct sipcid_mqtt_line *l, int64_t now)
{
	return sipcid_mqtt_line_state_name(sipcid_mqtt_line_state(l, now));
}

static void test_states(void)
{
	struct sipcid_mqtt_line l;
	sipcid_mqtt_line_init(&l);
	int64_t t = 1000 * S;
	g_assert_cmpstr(state(&l, t), ==, "idle");
	struct sipcid_call a = ev("a", SIPCID_STATE_RINGING, SIPCID_ACTION_ALLOW);
	sipcid_mqtt_line_follow(&l, &a, t);
	g_assert_cmpstr(state(&l, t), ==, "ringing");
	/* a second call rings while the first is answered: talking wins */
	struct sipcid_call b = ev("b", SIPCID_STATE_RINGING, SIPCID_ACTION_ALLOW);
	sipcid_mqtt_line_follow(&l, &b, t);
	a.state = SIPCID_STATE_ANSWERED;
	sipcid_mqtt_line_follow(&l, &a, t + S);
	g_assert_cmpstr(state(&l, t + S), ==, "talking");
	b.state = SIPCID_STATE_MISSED;
	sipcid_mqtt_line_follow(&l, &b, t + 2 * S);
	g_assert_cmpstr(state(&l, t + 2 * S), ==, "talking");
	a.state = SIPCID_STATE_ENDED;
	sipcid_mqtt_line_follow(&l, &a, t + 3 * S);
	g_assert_cmpstr(state(&l, t + 3 * S), ==, "idle");
	/* a blocked call: blocked for the hold, never ringing, then idle */
	struct sipcid_call x = ev("x", SIPCID_STATE_MISSED, SIPCID_ACTION_BLOCK);
	sipcid_mqtt_line_follow(&l, &x, t + 4 * S);
	g_assert_cmpstr(state(&l, t + 4 * S), ==, "blocked");
	struct sipcid_call c = ev("c", SIPCID_STATE_RINGING, SIPCID_ACTION_ALLOW);
	sipcid_mqtt_line_follow(&l, &c, t + 5 * S);
	g_assert_cmpstr(state(&l, t + 5 * S), ==, "ringing");
	c.state = SIPCID_STATE_MISSED;
	sipcid_mqtt_line_follow(&l, &c, t + 6 * S);
	g_assert_cmpstr(state(&l, t + 6 * S), ==, "blocked");
	g_assert_cmpstr(state(&l, t + (4 + SIPCID_MQTT_LINE_BLOCKED_HOLD_S) * S + 1), ==, "idle");
	sipcid_mqtt_line_clear(&l);
}

/* A call whose end never came is forgotten as the pipeline forgets it; a
 * flood keeps at most SIPCID_MQTT_LINE_CALLS, dropping the oldest. */
static void test_stale_and_flood(void)
{
	struct sipcid_mqtt_line l;
	sipcid_mqtt_line_init(&l);
	int64_t t = 1000 * S;
	struct sipcid_call a = ev("lost", SIPCID_STATE_RINGING, SIPCID_ACTION_ALLOW);
	sipcid_mqtt_line_follow(&l, &a, t);
	g_assert_cmpstr(state(&l, t + 9 * 60 * S), ==, "ringing");
	g_assert_cmpstr(state(&l, t + 11 * 60 * S), ==, "idle");
	a.state = SIPCID_STATE_ANSWERED;
	sipcid_mqtt_line_follow(&l, &a, t + 12 * 60 * S);
	g_assert_cmpstr(state(&l, t + 11 * 3600 * S), ==, "talking");
	g_assert_cmpstr(state(&l, t + 13 * 3600 * S), ==, "idle");

	t = 100000 * S;
	for (int i = 0; i < 3 * SIPCID_MQTT_LINE_CALLS; i++) {
		char id[16];
		g_snprintf(id, sizeof id, "f%d", i);
		struct sipcid_call f = ev(id, SIPCID_STATE_RINGING, SIPCID_ACTION_ALLOW);
		sipcid_mqtt_line_follow(&l, &f, t);
	}
	g_assert_cmpuint(g_hash_table_size(l.calls), ==, SIPCID_MQTT_LINE_CALLS);
	g_assert_cmpuint(l.ringing, ==, SIPCID_MQTT_LINE_CALLS);
	g_assert_null(g_hash_table_lookup(l.calls, "f0"));
	/* the survivors ending leave the line idle */
	for (int i = 2 * SIPCID_MQTT_LINE_CALLS; i < 3 * SIPCID_MQTT_LINE_CALLS; i++) {
		char id[16];
		g_snprintf(id, sizeof id, "f%d", i);
		struct sipcid_call f = ev(id, SIPCID_STATE_MISSED, SIPCID_ACTION_ALLOW);
		sipcid_mqtt_line_follow(&l, &f, t);
	}
	g_assert_cmpstr(state(&l, t), ==, "idle");
	sipcid_mqtt_line_clear(&l);
}

static void test_discovery_topics(void)
{
	struct sipcid_mqtt_topics t;
	sipcid_mqtt_topics_init(&t, "sipcid", "office");
	g_assert_cmpstr(t.event, ==, "sipcid/office/event");
	g_assert_cmpstr(t.block_press, ==, "sipcid/office/block_last_caller/press");
	GString *topic = g_string_new(NULL), *payload = g_string_new(NULL);
	sipcid_mqtt_discovery(2, &t, "homeassistant", "office", topic, payload);
	g_assert_cmpstr(topic->str, ==, "homeassistant/switch/sipcid_office/pause_blocking/config");
	g_assert_true(g_str_has_prefix(payload->str, "{\"name\":\"Pause blocking\","));
	g_assert_true(strstr(payload->str, "\"command_topic\":\"sipcid/office/pause_blocking/set\""));
	g_assert_true(g_str_has_suffix(payload->str, "}}"));
	g_string_free(topic, TRUE);
	g_string_free(payload, TRUE);
	sipcid_mqtt_topics_clear(&t);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mqtt/line/states", test_states);
	g_test_add_func("/mqtt/line/stale_and_flood", test_stale_and_flood);
	g_test_add_func("/mqtt/discovery/topics", test_discovery_topics);
	return g_test_run();
}
