/* The MQTT output ([mqtt]): every event to a broker, the line's state and
 * the last call as retained messages, Home Assistant discovery, and two
 * commands back (block the last caller, pause blocking).
 *
 * Threads: emit and close run on the main loop (lib/output.h); libmosquitto's
 * own thread (mosquitto_loop_start) does the network, reconnects with
 * backoff, and runs the commands. emit never waits for the network: while
 * the broker is away or slow ([mqtt] queue messages unacknowledged), events
 * wait in a queue of that bound (the oldest dropped and counted when it is
 * full) and go out in order once it is back. */
#ifndef SIPCID_MQTT_H
#define SIPCID_MQTT_H

#include "mqtt_settings.h"
#include "number.h"
#include "output.h"

#include <glib.h>
#include <stdbool.h>

/* What the commands act on; everything is borrowed for the output's life. */
struct sipcid_mqtt_control {
	/* Pause blocking (sipcid_pipeline_set_paused); called on the MQTT thread. */
	void (*set_paused)(void *ctx, bool paused);
	bool (*paused)(void *ctx);
	void *ctx;
	const char *rules_path;                /* NULL: "block last caller" refuses */
	const struct sipcid_number_plan *plan; /* to check an edited rule file */
};

/* Connects in the background: a broker that is down is retried, not an
 * error. Errors are TLS files libmosquitto refuses. */
struct sipcid_output *sipcid_mqtt_open(const struct sipcid_mqtt_settings *s,
                                       const struct sipcid_mqtt_control *control,
                                       GError **error);

#endif
