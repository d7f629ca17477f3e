/* Following the line's state. */
#include "mqtt_line.h"

/* As long as the pipeline remembers a call without news (docs/events.md). */
#define RINGING_MAX_US ((int64_t)10 * 60 * G_USEC_PER_SEC)
#define TALKING_MAX_US ((int64_t)12 * 3600 * G_USEC_PER_SEC)

struct line_call {
	enum sipcid_mqtt_line_state state;
	int64_t since_us;
};

void sipcid_mqtt_line_init(struct sipcid_mqtt_line *l)
{
	l->calls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	l->blocked_until_us = 0;
}

void sipcid_mqtt_line_clear(struct sipcid_mqtt_line *l)
{
	if (l->calls)
		g_hash_table_destroy(l->calls);
	l->calls = NULL;
}

static bool stale(const struct line_call *lc, int64_t now_us)
{
	int64_t max = lc->state == SIPCID_MQTT_LINE_TALKING ? TALKING_MAX_US : RINGING_MAX_US;
	return now_us - lc->since_us > max;
}

static void forget_oldest(GHashTable *calls)
{
	GHashTableIter it;
	gpointer key, value, oldest = NULL;
	int64_t oldest_us = INT64_MAX;
	g_hash_table_iter_init(&it, calls);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const struct line_call *lc = value;
		if (lc->since_us < oldest_us) {
			oldest_us = lc->since_us;
			oldest = key;
		}
	}
	if (oldest)
		g_hash_table_remove(calls, oldest);
}

void sipcid_mqtt_line_follow(struct sipcid_mqtt_line *l, const struct sipcid_call *c,
                             int64_t now_us)
{
	if (c->action == SIPCID_ACTION_BLOCK) {
		l->blocked_until_us = now_us + SIPCID_MQTT_LINE_BLOCKED_HOLD_S * G_USEC_PER_SEC;
		g_hash_table_remove(l->calls, c->call_id);
		return;
	}
	enum sipcid_mqtt_line_state s;
	switch (c->state) {
	case SIPCID_STATE_RINGING: s = SIPCID_MQTT_LINE_RINGING; break;
	case SIPCID_STATE_ANSWERED: s = SIPCID_MQTT_LINE_TALKING; break;
	default:
		g_hash_table_remove(l->calls, c->call_id);
		return;
	}
	struct line_call *lc = g_hash_table_lookup(l->calls, c->call_id);
	if (!lc) {
		if (g_hash_table_size(l->calls) >= SIPCID_MQTT_LINE_CALLS)
			forget_oldest(l->calls);
		lc = g_new(struct line_call, 1);
		g_hash_table_insert(l->calls, g_strdup(c->call_id), lc);
	}
	lc->state = s;
	lc->since_us = now_us;
}

static gboolean remove_stale(gpointer key, gpointer value, gpointer now)
{
	(void)key;
	return stale(value, *(const int64_t *)now);
}

enum sipcid_mqtt_line_state sipcid_mqtt_line_state(struct sipcid_mqtt_line *l, int64_t now_us)
{
	g_hash_table_foreach_remove(l->calls, remove_stale, &now_us);
	enum sipcid_mqtt_line_state best = SIPCID_MQTT_LINE_IDLE;
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, l->calls);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const struct line_call *lc = value;
		if (lc->state == SIPCID_MQTT_LINE_TALKING)
			return SIPCID_MQTT_LINE_TALKING;
		best = SIPCID_MQTT_LINE_RINGING;
	}
	if (best == SIPCID_MQTT_LINE_IDLE && now_us < l->blocked_until_us)
		best = SIPCID_MQTT_LINE_BLOCKED;
	return best;
}

const char *sipcid_mqtt_line_state_name(enum sipcid_mqtt_line_state s)
{
	static const char *const names[] = { "idle", "ringing", "talking", "blocked" };
	return (unsigned)s < G_N_ELEMENTS(names) ? names[s] : "idle";
}
