/* Following the line's state. */
#include "mqtt_line.h"

/* As long as the pipeline remembers a call without news (docs/events.md). */
#define RINGING_MAX_US ((int64_t)10 * 60 * G_USEC_PER_SEC)
#define TALKING_MAX_US ((int64_t)12 * 3600 * G_USEC_PER_SEC)

struct line_call {
	enum sipcid_mqtt_line_state state;
	int64_t since_us;
	GList *link;                /* in order; its data is the table's key */
};

void sipcid_mqtt_line_init(struct sipcid_mqtt_line *l)
{
	*l = (struct sipcid_mqtt_line){ 0 };
	l->calls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_queue_init(&l->order);
}

void sipcid_mqtt_line_clear(struct sipcid_mqtt_line *l)
{
	g_queue_clear(&l->order);
	if (l->calls)
		g_hash_table_destroy(l->calls);
	l->calls = NULL;
}

static unsigned *count_of(struct sipcid_mqtt_line *l, enum sipcid_mqtt_line_state s)
{
	return s == SIPCID_MQTT_LINE_TALKING ? &l->talking : &l->ringing;
}

static void forget(struct sipcid_mqtt_line *l, const char *call_id)
{
	struct line_call *lc = g_hash_table_lookup(l->calls, call_id);
	if (!lc)
		return;
	(*count_of(l, lc->state))--;
	g_queue_delete_link(&l->order, lc->link);
	g_hash_table_remove(l->calls, call_id);
}

void sipcid_mqtt_line_follow(struct sipcid_mqtt_line *l, const struct sipcid_call *c,
                             int64_t now_us)
{
	if (c->action == SIPCID_ACTION_BLOCK) {
		l->blocked_until_us = now_us + SIPCID_MQTT_LINE_BLOCKED_HOLD_S * G_USEC_PER_SEC;
		forget(l, c->call_id);
		return;
	}
	enum sipcid_mqtt_line_state s;
	switch (c->state) {
	case SIPCID_STATE_RINGING: s = SIPCID_MQTT_LINE_RINGING; break;
	case SIPCID_STATE_ANSWERED: s = SIPCID_MQTT_LINE_TALKING; break;
	default:
		forget(l, c->call_id);
		return;
	}
	struct line_call *lc = g_hash_table_lookup(l->calls, c->call_id);
	if (lc) {
		(*count_of(l, lc->state))--;
	} else {
		if (g_hash_table_size(l->calls) >= SIPCID_MQTT_LINE_CALLS)
			forget(l, g_queue_peek_head(&l->order));
		lc = g_new(struct line_call, 1);
		char *key = g_strdup(c->call_id);
		g_queue_push_tail(&l->order, key);
		lc->link = l->order.tail;
		g_hash_table_insert(l->calls, key, lc);
	}
	lc->state = s;
	lc->since_us = now_us;
	(*count_of(l, s))++;
}

/* Calls whose end sipcidd never saw. */
static void sweep(struct sipcid_mqtt_line *l, int64_t now_us)
{
	GList *next;
	for (GList *it = l->order.head; it; it = next) {
		next = it->next;
		const struct line_call *lc = g_hash_table_lookup(l->calls, it->data);
		int64_t max = lc->state == SIPCID_MQTT_LINE_TALKING ? TALKING_MAX_US : RINGING_MAX_US;
		if (now_us - lc->since_us > max)
			forget(l, it->data);
	}
	l->swept_us = now_us;
}

enum sipcid_mqtt_line_state sipcid_mqtt_line_state(struct sipcid_mqtt_line *l, int64_t now_us)
{
	if (now_us - l->swept_us > G_USEC_PER_SEC)
		sweep(l, now_us);
	if (l->talking)
		return SIPCID_MQTT_LINE_TALKING;
	if (l->ringing)
		return SIPCID_MQTT_LINE_RINGING;
	return now_us < l->blocked_until_us ? SIPCID_MQTT_LINE_BLOCKED : SIPCID_MQTT_LINE_IDLE;
}

const char *sipcid_mqtt_line_state_name(enum sipcid_mqtt_line_state s)
{
	static const char *const names[] = { "idle", "ringing", "talking", "blocked" };
	return (unsigned)s < G_N_ELEMENTS(names) ? names[s] : "idle";
}
