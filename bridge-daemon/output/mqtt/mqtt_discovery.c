/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The discovery payloads. Keys as Home Assistant's MQTT integration
 * documents them (https://www.home-assistant.io/integrations/mqtt/ "MQTT
 * Discovery": the topic <discovery_prefix>/<component>/[<node_id>/]<object_id>/config,
 * the `device` keys, availability; sensor.mqtt, button.mqtt and switch.mqtt
 * for each platform's keys). What each schema requires, and what the tests
 * check: a sensor's state_topic, a button's and a switch's command_topic,
 * and unique_id plus device identifiers for the entities to join the
 * device. */
#include "mqtt_discovery.h"

#include "event_format.h"

void sipcid_mqtt_topics_init(struct sipcid_mqtt_topics *t, const char *prefix, const char *box)
{
	t->event = g_strdup_printf("%s/%s/event", prefix, box);
	t->state = g_strdup_printf("%s/%s/state", prefix, box);
	t->last_call = g_strdup_printf("%s/%s/last_call", prefix, box);
	t->availability = g_strdup_printf("%s/%s/availability", prefix, box);
	t->pause = g_strdup_printf("%s/%s/pause_blocking", prefix, box);
	t->pause_set = g_strdup_printf("%s/%s/pause_blocking/set", prefix, box);
	t->block_press = g_strdup_printf("%s/%s/block_last_caller/press", prefix, box);
	t->registration = g_strdup_printf("%s/%s/registration", prefix, box);
	t->voicemail = g_strdup_printf("%s/%s/voicemail", prefix, box);
}

void sipcid_mqtt_topics_clear(struct sipcid_mqtt_topics *t)
{
	g_free(t->event);
	g_free(t->state);
	g_free(t->last_call);
	g_free(t->availability);
	g_free(t->pause);
	g_free(t->pause_set);
	g_free(t->block_press);
	g_free(t->registration);
	g_free(t->voicemail);
}

static void key(GString *out, const char *k, const char *v)
{
	if (out->len > 1)
		g_string_append_c(out, ',');
	sipcid_event_json_string(out, k, false);
	g_string_append_c(out, ':');
	sipcid_event_json_string(out, v, false);
}

void sipcid_mqtt_discovery(unsigned i, const struct sipcid_mqtt_topics *t,
                           const char *discovery_prefix, const char *box, GString *topic,
                           GString *payload)
{
	static const struct {
		const char *component, *object, *name, *icon;
	} entities[SIPCID_MQTT_DISCOVERY_ENTITIES] = {
		{ "sensor", "line", "Line", "mdi:phone" },
		{ "button", "block_last_caller", "Block last caller", "mdi:phone-cancel" },
		{ "switch", "pause_blocking", "Pause blocking", "mdi:phone-off" },
		{ "binary_sensor", "phone_line", "Phone line", "mdi:phone-check" },
		{ "sensor", "voicemail", "Voicemail", "mdi:voicemail" },
	};
	g_return_if_fail(i < SIPCID_MQTT_DISCOVERY_ENTITIES);
	g_autofree char *node = g_strdup_printf("sipcid_%s", box);
	g_autofree char *unique = g_strdup_printf("%s_%s", node, entities[i].object);
	g_string_printf(topic, "%s/%s/%s/%s/config", discovery_prefix, entities[i].component, node,
	                entities[i].object);

	g_string_assign(payload, "{");
	key(payload, "name", entities[i].name);
	key(payload, "unique_id", unique);
	key(payload, "object_id", unique);
	key(payload, "icon", entities[i].icon);
	key(payload, "availability_topic", t->availability);
	key(payload, "payload_available", "online");
	key(payload, "payload_not_available", "offline");
	switch (i) {
	case 0:
		key(payload, "state_topic", t->state);
		key(payload, "json_attributes_topic", t->last_call);
		key(payload, "device_class", "enum");
		g_string_append(payload, ",\"options\":[\"idle\",\"ringing\",\"talking\",\"blocked\"]");
		break;
	case 1:
		key(payload, "command_topic", t->block_press);
		key(payload, "payload_press", "PRESS");
		break;
	case 3:
		/* The line event's JSON (docs/events.md), retained: on while the
		 * ATA is registered, its reason and registrar as attributes. */
		key(payload, "state_topic", t->registration);
		key(payload, "json_attributes_topic", t->registration);
		key(payload, "value_template", "{{ value_json.state }}");
		key(payload, "payload_on", "up");
		key(payload, "payload_off", "down");
		key(payload, "device_class", "connectivity");
		break;
	case 4:
		/* New messages; "Messages-Waiting: yes" without a count is 1. */
		key(payload, "state_topic", t->voicemail);
		key(payload, "json_attributes_topic", t->voicemail);
		key(payload, "value_template",
		    "{{ value_json.new if value_json.new is not none else (1 if value_json.waiting else 0) }}");
		key(payload, "state_class", "measurement");
		break;
	default:
		key(payload, "command_topic", t->pause_set);
		key(payload, "state_topic", t->pause);
		key(payload, "payload_on", "ON");
		key(payload, "payload_off", "OFF");
		key(payload, "state_on", "ON");
		key(payload, "state_off", "OFF");
		g_string_append(payload, ",\"optimistic\":false");
		break;
	}
	g_autofree char *device_name = g_strdup_printf("sipcid %s", box);
	g_string_append(payload, ",\"device\":{\"identifiers\":[");
	sipcid_event_json_string(payload, node, false);
	g_string_append(payload, "],");
	GString *dev = g_string_new("{");
	key(dev, "name", device_name);
	key(dev, "manufacturer", "sipcid");
	key(dev, "model", "sipcidd caller-ID bridge");
	key(dev, "sw_version", SIPCID_VERSION);
	g_string_append_len(payload, dev->str + 1, (gssize)dev->len - 1);
	g_string_free(dev, TRUE);
	g_string_append(payload, "}}");
}
