/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Home Assistant's MQTT discovery messages for one box: the line's state
 * sensor, the "block last caller" button, the "pause blocking" switch, the
 * "Phone line" connectivity binary sensor (registered or not) and the
 * "Voicemail" sensor (new messages), grouped under one device. See
 * docs/home-assistant.md. */
#ifndef SIPCID_MQTT_DISCOVERY_H
#define SIPCID_MQTT_DISCOVERY_H

#include <glib.h>

/* The topics of one box, all under "<topic-prefix>/<box>/". */
struct sipcid_mqtt_topics {
	char *event;        /* every event, not retained */
	char *state;        /* the line's state, retained */
	char *last_call;    /* the last call's latest event, retained */
	char *availability; /* online / offline (the will), retained */
	char *pause;        /* the switch's state, ON / OFF, retained */
	char *pause_set;    /* the switch's commands */
	char *block_press;  /* the button's commands */
	char *registration; /* the last line event (up / down), retained */
	char *voicemail;    /* the last voicemail event, retained */
};

void sipcid_mqtt_topics_init(struct sipcid_mqtt_topics *t, const char *prefix, const char *box);
void sipcid_mqtt_topics_clear(struct sipcid_mqtt_topics *t);

enum { SIPCID_MQTT_DISCOVERY_ENTITIES = 5 };

/* The i-th entity's config topic under `discovery_prefix` and its JSON. */
void sipcid_mqtt_discovery(unsigned i, const struct sipcid_mqtt_topics *t,
                           const char *discovery_prefix, const char *box, GString *topic,
                           GString *payload);

#endif
