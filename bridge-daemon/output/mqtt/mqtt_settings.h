/* The [mqtt] group of sipcid.conf: the broker sipcidd publishes calls to,
 * for Home Assistant and anything else on MQTT. See sipcid.conf(5) and
 * docs/home-assistant.md. Also where the box name comes from, which every
 * event carries (docs/events.md), broker or not. */
#ifndef SIPCID_MQTT_SETTINGS_H
#define SIPCID_MQTT_SETTINGS_H

#include "call.h"
#include "config.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
	SIPCID_MQTT_PORT = 1883,
	SIPCID_MQTT_TLS_PORT = 8883,
	SIPCID_MQTT_QUEUE_DEFAULT = 1000,
};

struct sipcid_mqtt_settings {
	char *host;                  /* NULL: no broker, MQTT is off */
	uint16_t port;
	char *username;              /* NULL: connect without one */
	char *password_file;
	char *password;              /* read from password_file at load time */
	char *ca_file;               /* set: TLS, the broker's certificate checked against it */
	char *cert_file, *key_file;  /* a client certificate, optional */
	char *topic_prefix;          /* "sipcid" */
	char *discovery_prefix;      /* "homeassistant"; "" turns discovery off */
	char box[SIPCID_BOX_MAX];    /* letters, digits, '-' and '_'; the host name by default */
	int queue;                   /* events kept while the broker is away */
};

/* Fills s from cfg's [mqtt] group. Errors name FILE:LINE, and the password
 * file when it is unreadable or readable by anyone but its owner. */
bool sipcid_mqtt_settings_load(const struct sipcid_config *cfg, struct sipcid_mqtt_settings *s,
                               GError **error);
void sipcid_mqtt_settings_clear(struct sipcid_mqtt_settings *s);

/* The host name's first label, cut to the characters a box name may have. */
void sipcid_mqtt_default_box(char out[SIPCID_BOX_MAX]);

#endif
