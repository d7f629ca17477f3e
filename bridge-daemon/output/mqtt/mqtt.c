/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The MQTT output: the connection, the queue and what is published. */
#include "mqtt.h"

#include "event_format.h"
#include "log.h"
#include "mqtt_discovery.h"
#include "mqtt_line.h"
#include "rules_edit.h"
#include "text.h"

#include <errno.h>
#include <gio/gio.h>
#include <mosquitto.h>
#include <string.h>

enum {
	KEEPALIVE_S = 30,
	RECONNECT_MIN_S = 1,
	RECONNECT_MAX_S = 16,      /* a broker back after a restart is used within 16 s */
	CLOSE_WAIT_MS = 3000,      /* at exit, for the queue and unacknowledged messages */
	QOS = 1,                   /* at least once: a call event is worth a duplicate */
};

struct mqtt {
	struct sipcid_output output;
	struct mosquitto *mosq;
	char *host;
	int port;
	char *box, *discovery_prefix;
	struct sipcid_mqtt_topics topics;
	struct sipcid_mqtt_control control;
	char *rules_path;
	struct sipcid_number_plan plan;
	int queue_max;
	GString *buf;                 /* the main loop's */
	guint blocked_timer;          /* the main loop's: back to idle after a block */

	GMutex lock;                  /* all below: the main loop vs. the MQTT thread */
	bool connected, ever_connected;
	int refusal_logged;           /* the CONNACK refusal last logged, 0 for none */

	/* libmosquitto logs from inside mosquitto_publish, which runs under
	 * lock: its callback takes this one only, never lock. */
	GMutex log_lock;
	char *error_logged;           /* libmosquitto's error last logged (TLS, ...) */
	GQueue pending;               /* char *: event JSON, oldest first */
	uint64_t dropped, unacked;
	struct sipcid_mqtt_line line;
	const char *state;            /* what the state topic says */
	char *last_json;              /* the last call's latest event */
	char last_call_id[SIPCID_CALLID_MAX];
	char last_number[SIPCID_NUMBER_MAX];
	char *registration_json;      /* the last line event, retained */
	char *voicemail_json;         /* the last voicemail event, retained */
};

/* Under lock. Every message is QoS 1; libmosquitto keeps what it has
 * accepted across a reconnect. False: not accepted (not connected). */
static bool publish(struct mqtt *m, const char *topic, const char *payload, bool retain)
{
	int rc = mosquitto_publish(m->mosq, NULL, topic, (int)strlen(payload), payload, QOS, retain);
	if (rc == MOSQ_ERR_SUCCESS) {
		m->unacked++;
		return true;
	}
	if (rc != MOSQ_ERR_NO_CONN)
		sipcid_log_warnx("[mqtt] publishing to %s: %s", topic, mosquitto_strerror(rc));
	return false;
}

static void enqueue(struct mqtt *m, const char *json)
{
	if ((int)m->pending.length >= m->queue_max) {
		g_free(g_queue_pop_head(&m->pending));
		if (m->dropped++ == 0)
			sipcid_log_warnx("[mqtt] the queue of %d events is full: the oldest are dropped "
			                 "until %s:%d is back", m->queue_max, m->host, m->port);
	}
	g_queue_push_tail(&m->pending, g_strdup(json));
}

static void flush(struct mqtt *m);

/* Under lock: the snapshot a new connection needs, then the queue. */
static void publish_all(struct mqtt *m)
{
	mosquitto_subscribe(m->mosq, NULL, m->topics.pause_set, QOS);
	mosquitto_subscribe(m->mosq, NULL, m->topics.block_press, QOS);
	if (*m->discovery_prefix) {
		g_autoptr(GString) topic = g_string_new(NULL);
		g_autoptr(GString) payload = g_string_new(NULL);
		for (unsigned i = 0; i < SIPCID_MQTT_DISCOVERY_ENTITIES; i++) {
			sipcid_mqtt_discovery(i, &m->topics, m->discovery_prefix, m->box, topic, payload);
			publish(m, topic->str, payload->str, true);
		}
	}
	publish(m, m->topics.availability, "online", true);
	bool paused = m->control.paused && m->control.paused(m->control.ctx);
	publish(m, m->topics.pause, paused ? "ON" : "OFF", true);
	if (m->last_json)
		publish(m, m->topics.last_call, m->last_json, true);
	publish(m, m->topics.state, m->state, true);
	if (m->registration_json)
		publish(m, m->topics.registration, m->registration_json, true);
	if (m->voicemail_json)
		publish(m, m->topics.voicemail, m->voicemail_json, true);
	flush(m);
}

/* Under lock: what waits goes out, in order, as far as the bound allows. */
static void flush(struct mqtt *m)
{
	char *json;
	while ((json = g_queue_peek_head(&m->pending)) && m->unacked < (uint64_t)m->queue_max) {
		if (!publish(m, m->topics.event, json, false))
			return;  /* lost again: the rest waits */
		g_free(g_queue_pop_head(&m->pending));
	}
	if (m->dropped && !m->pending.length) {
		sipcid_log_warnx("[mqtt] %" G_GUINT64_FORMAT " events were dropped while %s:%d was away",
		                 m->dropped, m->host, m->port);
		m->dropped = 0;
	}
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqtt *m = obj;
	(void)mosq;
	g_mutex_lock(&m->lock);
	if (rc != 0) {
		if (rc != m->refusal_logged)
			sipcid_log_warnx("[mqtt] %s:%d refused the connection: %s%s", m->host, m->port,
			                 mosquitto_connack_string(rc),
			                 rc == 4 || rc == 5 ? " (check [mqtt] username and password-file)" : "");
		m->refusal_logged = rc;
		g_mutex_unlock(&m->lock);
		return;
	}
	sipcid_log_info("[mqtt] connected to %s:%d%s, %u events queued", m->host, m->port,
	                m->ever_connected ? " again" : "", m->pending.length);
	m->connected = m->ever_connected = true;
	m->refusal_logged = 0;
	/* What libmosquitto still holds is resent now; if it was not, counting
	 * it would hold the queue back for good. */
	m->unacked = 0;
	g_mutex_lock(&m->log_lock);
	g_clear_pointer(&m->error_logged, g_free);
	g_mutex_unlock(&m->log_lock);
	publish_all(m);
	g_mutex_unlock(&m->lock);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqtt *m = obj;
	(void)mosq;
	g_mutex_lock(&m->lock);
	if (m->connected && rc != 0)
		sipcid_log_warnx("[mqtt] lost %s:%d (%s); reconnecting, events wait in a queue of %d",
		                 m->host, m->port, mosquitto_strerror(rc), m->queue_max);
	m->connected = false;
	g_mutex_unlock(&m->lock);
}

/* libmosquitto's own errors say why a connection never came up (a
 * certificate that does not verify): each once, not at every retry. */
static void on_log(struct mosquitto *mosq, void *obj, int level, const char *text)
{
	struct mqtt *m = obj;
	(void)mosq;
	if (!(level & MOSQ_LOG_ERR))
		return;
	g_mutex_lock(&m->log_lock);
	if (!m->error_logged || strcmp(m->error_logged, text)) {
		sipcid_log_warnx("[mqtt] %s:%d: %s", m->host, m->port, text);
		g_free(m->error_logged);
		m->error_logged = g_strdup(text);
	}
	g_mutex_unlock(&m->log_lock);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
	struct mqtt *m = obj;
	(void)mosq;
	(void)mid;
	g_mutex_lock(&m->lock);
	if (m->unacked)
		m->unacked--;
	if (m->connected && m->pending.length)
		flush(m);
	g_mutex_unlock(&m->lock);
}

/* ---- commands, on the MQTT thread ---- */

static void block_last(struct mqtt *m)
{
	char number[SIPCID_NUMBER_MAX], call_id[SIPCID_CALLID_MAX];
	g_mutex_lock(&m->lock);
	bool have = m->last_json != NULL;
	g_strlcpy(number, m->last_number, sizeof number);
	g_strlcpy(call_id, m->last_call_id, sizeof call_id);
	g_mutex_unlock(&m->lock);
	if (!have) {
		sipcid_log_warnx("[mqtt] block last caller: refused, no call since sipcidd started");
		return;
	}
	if (!m->rules_path) {
		sipcid_log_warnx("[mqtt] block last caller: refused, no rule file is configured "
		                 "([rules] rules in sipcid.conf)");
		return;
	}
	if (*number && sipcid_number_is_emergency(&m->plan, number)) {
		/* No rule blocks one anyway; a rule that says it would only mislead. */
		sipcid_log_warnx("[mqtt] block last caller: refused, %s is an emergency number "
		                 "(sipcid never blocks one)", number);
		return;
	}
	g_autoptr(GError) err = NULL;
	g_autofree char *rule = sipcid_rules_edit_block_rule(number, &err);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *date = g_date_time_format(now, "%Y-%m-%d %H:%M");
	g_autofree char *comment = g_strdup_printf("%s: blocked over MQTT (block last caller, call %s)",
	                                           date, call_id);
	if (!rule || !sipcid_rules_edit_add(m->rules_path, rule, comment, &m->plan, &err)) {
		sipcid_log_warnx("[mqtt] block last caller: refused: %s", err->message);
		return;
	}
	sipcid_log_info("[mqtt] block last caller: added '%s' to %s", rule, m->rules_path);
}

static void set_paused(struct mqtt *m, bool paused)
{
	if (!m->control.set_paused) {
		sipcid_log_warnx("[mqtt] pause blocking: not available in this mode");
		return;
	}
	m->control.set_paused(m->control.ctx, paused);
	sipcid_log_info("[mqtt] pause blocking: %s", paused ? "ON, calls that rules block will ring"
	                : "OFF, the rules block again");
	g_mutex_lock(&m->lock);
	publish(m, m->topics.pause, paused ? "ON" : "OFF", true);
	g_mutex_unlock(&m->lock);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
	struct mqtt *m = obj;
	(void)mosq;
	char payload[16];
	size_t n = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
	sipcid_text_clean(msg->payload ? msg->payload : "", n < sizeof payload ? n : sizeof payload,
	                  payload, sizeof payload);
	/* A retained command would act again at every reconnect. */
	if (msg->retain) {
		sipcid_log_warnx("[mqtt] ignored a retained command on %s ('%s'): send it without retain",
		                 msg->topic, payload);
		return;
	}
	sipcid_log_info("[mqtt] command on %s: '%s'", msg->topic, payload);
	if (!strcmp(msg->topic, m->topics.block_press) && !strcmp(payload, "PRESS"))
		block_last(m);
	else if (!strcmp(msg->topic, m->topics.pause_set) && !strcmp(payload, "ON"))
		set_paused(m, true);
	else if (!strcmp(msg->topic, m->topics.pause_set) && !strcmp(payload, "OFF"))
		set_paused(m, false);
	else
		sipcid_log_warnx("[mqtt] unknown command on %s ignored", msg->topic);
}

/* ---- the main loop ---- */

static void update_state(struct mqtt *m);

static gboolean on_blocked_hold(gpointer data)
{
	struct mqtt *m = data;
	m->blocked_timer = 0;
	update_state(m);
	return G_SOURCE_REMOVE;
}

/* The state goes out after the last call, so an automation
 * triggered by it reads the new caller in its attributes. */
static void update_state(struct mqtt *m)
{
	g_mutex_lock(&m->lock);
	enum sipcid_mqtt_line_state s = sipcid_mqtt_line_state(&m->line, g_get_monotonic_time());
	const char *name = sipcid_mqtt_line_state_name(s);
	if (name != m->state) {
		m->state = name;
		if (m->connected)
			publish(m, m->topics.state, name, true);
	}
	g_mutex_unlock(&m->lock);
	if (s == SIPCID_MQTT_LINE_BLOCKED && !m->blocked_timer)
		m->blocked_timer = g_timeout_add_seconds(SIPCID_MQTT_LINE_BLOCKED_HOLD_S + 1,
		                                         on_blocked_hold, m);
}

static void mqtt_emit(void *ctx, const struct sipcid_call *call)
{
	struct mqtt *m = ctx;
	g_string_truncate(m->buf, 0);
	sipcid_event_json(m->buf, call);
	g_mutex_lock(&m->lock);
	sipcid_mqtt_line_follow(&m->line, call, g_get_monotonic_time());
	bool is_last = call->kind == SIPCID_EVENT_CALL || !strcmp(call->call_id, m->last_call_id);
	if (is_last) {
		g_free(m->last_json);
		m->last_json = g_strdup(m->buf->str);
		g_strlcpy(m->last_call_id, call->call_id, sizeof m->last_call_id);
		g_strlcpy(m->last_number, call->number, sizeof m->last_number);
	}
	/* Behind the queue, and within the bound while the broker is slow:
	 * libmosquitto's own queue has none. */
	bool sent = m->connected && !m->pending.length && m->unacked < (uint64_t)m->queue_max &&
	            publish(m, m->topics.event, m->buf->str, false);
	if (!sent)
		enqueue(m, m->buf->str);
	if (is_last && m->connected)
		publish(m, m->topics.last_call, m->last_json, true);
	g_mutex_unlock(&m->lock);
	update_state(m);
}

/* A line event: on the event topic like a call's, and retained on the
 * Phone line or Voicemail entity's topic. */
static void mqtt_emit_line(void *ctx, const struct sipcid_line_event *ev)
{
	struct mqtt *m = ctx;
	g_string_truncate(m->buf, 0);
	sipcid_line_event_json(m->buf, ev);
	g_mutex_lock(&m->lock);
	bool line = ev->kind == SIPCID_LINE_EVENT_LINE;
	char **kept = line ? &m->registration_json : &m->voicemail_json;
	g_free(*kept);
	*kept = g_strdup(m->buf->str);
	bool sent = m->connected && !m->pending.length && m->unacked < (uint64_t)m->queue_max &&
	            publish(m, m->topics.event, m->buf->str, false);
	if (!sent)
		enqueue(m, m->buf->str);
	if (m->connected)
		publish(m, line ? m->topics.registration : m->topics.voicemail, *kept, true);
	g_mutex_unlock(&m->lock);
}

static bool settled(struct mqtt *m)
{
	g_mutex_lock(&m->lock);
	bool done = m->pending.length == 0 && m->unacked == 0;
	g_mutex_unlock(&m->lock);
	return done;
}

/* After the loop thread has stopped (or never started). */
static void mqtt_free(struct mqtt *m)
{
	if (m->mosq)
		mosquitto_destroy(m->mosq);
	mosquitto_lib_cleanup();
	g_queue_clear_full(&m->pending, g_free);
	sipcid_mqtt_line_clear(&m->line);
	sipcid_mqtt_topics_clear(&m->topics);
	g_free(m->registration_json);
	g_free(m->voicemail_json);
	g_free(m->last_json);
	g_free(m->error_logged);
	g_free(m->host);
	g_free(m->box);
	g_free(m->discovery_prefix);
	g_free(m->rules_path);
	g_string_free(m->buf, TRUE);
	g_mutex_clear(&m->lock);
	g_mutex_clear(&m->log_lock);
	g_free(m);
}

static void mqtt_close(void *ctx)
{
	struct mqtt *m = ctx;
	if (m->blocked_timer)
		g_source_remove(m->blocked_timer);
	/* Give the queue a bounded moment to go out. */
	int64_t until = g_get_monotonic_time() + CLOSE_WAIT_MS * G_TIME_SPAN_MILLISECOND;
	while (!settled(m) && g_get_monotonic_time() < until)
		g_usleep(20 * G_TIME_SPAN_MILLISECOND);
	g_mutex_lock(&m->lock);
	if (m->pending.length || m->dropped)
		sipcid_log_warnx("[mqtt] %u events not delivered to %s:%d",
		                 m->pending.length + (unsigned)m->dropped, m->host, m->port);
	/* A clean disconnect sends no will: say offline ourselves. */
	bool was_connected = m->connected;
	if (was_connected)
		publish(m, m->topics.availability, "offline", true);
	g_mutex_unlock(&m->lock);
	until = g_get_monotonic_time() + 500 * G_TIME_SPAN_MILLISECOND;
	while (was_connected && !settled(m) && g_get_monotonic_time() < until)
		g_usleep(10 * G_TIME_SPAN_MILLISECOND);
	mosquitto_disconnect(m->mosq);
	mosquitto_loop_stop(m->mosq, false);
	mqtt_free(m);
}

static bool configure(struct mqtt *m, const struct sipcid_mqtt_settings *s, GError **error)
{
	int rc = MOSQ_ERR_SUCCESS;
	const char *what = "";
	if (s->username) {
		what = "username";
		rc = mosquitto_username_pw_set(m->mosq, s->username, s->password);
	}
	if (rc == MOSQ_ERR_SUCCESS && s->ca_file) {
		what = "ca-file, cert-file, key-file";
		rc = mosquitto_tls_set(m->mosq, s->ca_file, NULL, s->cert_file, s->key_file, NULL);
	}
	if (rc == MOSQ_ERR_SUCCESS) {
		what = "the will";
		rc = mosquitto_will_set(m->mosq, m->topics.availability, 7, "offline", QOS, true);
	}
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mosquitto_reconnect_delay_set(m->mosq, RECONNECT_MIN_S, RECONNECT_MAX_S, true);
	if (rc != MOSQ_ERR_SUCCESS) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "[mqtt] %s: %s", what,
		            mosquitto_strerror(rc));
		return false;
	}
	return true;
}

struct sipcid_output *sipcid_mqtt_open(const struct sipcid_mqtt_settings *s,
                                       const struct sipcid_mqtt_control *control,
                                       GError **error)
{
	mosquitto_lib_init();
	struct mqtt *m = g_new0(struct mqtt, 1);
	g_mutex_init(&m->lock);
	g_mutex_init(&m->log_lock);
	g_queue_init(&m->pending);
	sipcid_mqtt_line_init(&m->line);
	m->state = sipcid_mqtt_line_state_name(SIPCID_MQTT_LINE_IDLE);
	m->host = g_strdup(s->host);
	m->port = s->port;
	m->box = g_strdup(s->box);
	m->discovery_prefix = g_strdup(s->discovery_prefix);
	m->queue_max = s->queue;
	m->control = *control;
	m->rules_path = g_strdup(control->rules_path);
	m->control.rules_path = m->rules_path;
	if (control->plan)
		m->plan = *control->plan;
	m->buf = g_string_sized_new(1024);
	sipcid_mqtt_topics_init(&m->topics, s->topic_prefix, s->box);
	g_autofree char *client_id = g_strdup_printf("sipcid-%s", s->box);
	m->mosq = mosquitto_new(client_id, true, m);
	if (!m->mosq) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "[mqtt] %s", g_strerror(errno));
		m->mosq = NULL;
		goto fail;
	}
	if (!configure(m, s, error))
		goto fail;
	mosquitto_connect_callback_set(m->mosq, on_connect);
	mosquitto_disconnect_callback_set(m->mosq, on_disconnect);
	mosquitto_publish_callback_set(m->mosq, on_publish);
	mosquitto_message_callback_set(m->mosq, on_message);
	mosquitto_log_callback_set(m->mosq, on_log);
	/* A broker that is down now is retried by the loop thread. */
	int rc = mosquitto_connect_async(m->mosq, m->host, m->port, KEEPALIVE_S);
	if (rc != MOSQ_ERR_SUCCESS)
		sipcid_log_warnx("[mqtt] can't reach %s:%d yet (%s); retrying in the background", m->host,
		                 m->port, rc == MOSQ_ERR_ERRNO ? g_strerror(errno) : mosquitto_strerror(rc));
	rc = mosquitto_loop_start(m->mosq);
	if (rc != MOSQ_ERR_SUCCESS) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "[mqtt] starting its thread: %s",
		            mosquitto_strerror(rc));
		goto fail;
	}
	m->output = (struct sipcid_output){ .name = "mqtt", .ctx = m, .emit = mqtt_emit,
	                                    .close = mqtt_close, .emit_line = mqtt_emit_line };
	return &m->output;
fail:
	mqtt_free(m);
	return NULL;
}
