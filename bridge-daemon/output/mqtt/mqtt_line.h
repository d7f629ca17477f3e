/* The line's state as Home Assistant shows it (idle, ringing, talking,
 * blocked), followed from the call events alone. Main loop only. */
#ifndef SIPCID_MQTT_LINE_H
#define SIPCID_MQTT_LINE_H

#include "call.h"

#include <glib.h>
#include <stdint.h>

enum sipcid_mqtt_line_state {
	SIPCID_MQTT_LINE_IDLE = 0,
	SIPCID_MQTT_LINE_RINGING,
	SIPCID_MQTT_LINE_TALKING,
	SIPCID_MQTT_LINE_BLOCKED,   /* a call was just blocked; idle again after the hold */
};

enum {
	SIPCID_MQTT_LINE_CALLS = 256,         /* calls followed at once; the oldest goes first */
	SIPCID_MQTT_LINE_BLOCKED_HOLD_S = 10, /* long enough for an automation to see it */
};

/* A flood of calls costs O(1) per event: counts, not a scan, answer the
 * state; stale calls are swept at most once a second. */
struct sipcid_mqtt_line {
	GHashTable *calls;          /* call_id -> struct line_call: ringing or talking */
	GQueue order;               /* the same call_ids, oldest first */
	unsigned ringing, talking;
	int64_t blocked_until_us, swept_us;
};

void sipcid_mqtt_line_init(struct sipcid_mqtt_line *l);
void sipcid_mqtt_line_clear(struct sipcid_mqtt_line *l);
/* Follows one event; now_us is monotonic time. */
void sipcid_mqtt_line_follow(struct sipcid_mqtt_line *l, const struct sipcid_call *c,
                             int64_t now_us);
/* Talking beats ringing beats blocked. Calls whose end sipcidd never saw are
 * forgotten when the pipeline forgets them (docs/events.md). */
enum sipcid_mqtt_line_state sipcid_mqtt_line_state(struct sipcid_mqtt_line *l, int64_t now_us);
const char *sipcid_mqtt_line_state_name(enum sipcid_mqtt_line_state s);

#endif
