/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcidd's status for the web console (see web_status.h). */
#include "web_status.h"

#include "control_client.h"
#include "event_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "name:" at the start of a line, as status.c writes its keys. */
static size_t key_length(const char *line)
{
	size_t n = strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789-_.ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	return n > 0 && line[n] == ':' ? n : 0;
}

/* A counter's value: digits, then the end or two spaces before the "(why)". */
static bool counter_value(const char *v, uint64_t *out)
{
	size_t n = strspn(v, "0123456789");
	if (n == 0 || n > 20 || (v[n] && strncmp(v + n, "  ", 2)))
		return false;
	*out = g_ascii_strtoull(v, NULL, 10);
	return true;
}

static void append_member(GString *obj, const char *key, size_t key_len)
{
	g_autofree char *k = g_strndup(key, key_len);
	if (obj->len > 1)
		g_string_append_c(obj, ',');
	sipcid_event_json_string(obj, k, false);
	g_string_append_c(obj, ':');
}

void sipcid_web_status_json(const char *raw, GString *out)
{
	/* The daemon is local, but its lines quote file names and errors. */
	g_autofree char *text = g_utf8_make_valid(raw, -1);
	char version[32] = "", fail_open[8] = "";
	unsigned queue = 0;
	int64_t up = 0;
	if (sscanf(text, "sipcidd %31s on NFQUEUE queue %u, fail-open %7[^,], up %" SCNd64 " s",
	           version, &queue, fail_open, &up) != 4) {
		g_autofree char *first = g_strndup(text, strcspn(text, "\n"));
		g_autofree char *why = g_strdup_printf("sipcidd answered something else than its "
		                                       "status: %s", first);
		sipcid_web_status_json_down(why, out);
		return;
	}
	GString *counters = g_string_new("{"), *lines = g_string_new("{");
	char **all = g_strsplit(text, "\n", -1);
	for (char **l = all + 1; *l; l++) {
		size_t klen = key_length(*l);
		if (!klen)
			continue;
		const char *v = *l + klen + 1;
		v += strspn(v, " ");
		uint64_t n;
		if (counter_value(v, &n)) {
			append_member(counters, *l, klen);
			g_string_append_printf(counters, "%" PRIu64, n);
		} else {
			append_member(lines, *l, klen);
			sipcid_event_json_string(lines, v, false);
		}
	}
	g_strfreev(all);
	g_string_append(out, "{\"running\":true,\"version\":");
	sipcid_event_json_string(out, version, false);
	g_string_append(out, ",\"web_version\":\"" SIPCID_VERSION "\"");
	g_string_append_printf(out, ",\"queue\":%u,\"fail_open\":%s,\"uptime_s\":%" PRId64, queue,
	                       strcmp(fail_open, "on") ? "false" : "true", up);
	g_string_append_printf(out, ",\"counters\":%s},\"lines\":%s},\"text\":", counters->str,
	                       lines->str);
	sipcid_event_json_string(out, text, false);
	g_string_append_c(out, '}');
	g_string_free(counters, TRUE);
	g_string_free(lines, TRUE);
}

void sipcid_web_status_json_down(const char *why, GString *out)
{
	g_autofree char *msg = g_utf8_make_valid(why, -1);
	g_string_append(out, "{\"running\":false,\"version\":\"" SIPCID_VERSION "\",\"web_version\":\""
	                SIPCID_VERSION "\",\"message\":");
	sipcid_event_json_string(out, msg, false);
	g_string_append(out, ",\"counters\":{},\"lines\":{},\"text\":\"\"}");
}

static void string_free(gpointer s)
{
	g_string_free(s, TRUE);
}

static void ask(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	(void)source;
	(void)cancellable;
	const char *path = data;
	GString *reply = g_string_new(NULL), *json = g_string_new(NULL);
	GError *error = NULL;
	if (sipcid_control_client_request(path, "status", reply, &error)) {
		sipcid_web_status_json(reply->str, json);
	} else {
		sipcid_web_status_json_down(error->message, json);
		g_error_free(error);
	}
	g_string_free(reply, TRUE);
	g_task_return_pointer(task, json, string_free);
}

void sipcid_web_status_fetch_async(const char *control_path, GCancellable *cancellable,
                                   GAsyncReadyCallback done, gpointer data)
{
	GTask *task = g_task_new(NULL, cancellable, done, data);
	g_task_set_task_data(task, g_strdup(control_path), g_free);
	/* A cancelled request (the browser went away) still lets the thread
	 * finish its exchange; only its answer is dropped. */
	g_task_set_return_on_cancel(task, FALSE);
	g_task_run_in_thread(task, ask);
	g_object_unref(task);
}

GString *sipcid_web_status_fetch_finish(GAsyncResult *result)
{
	GError *error = NULL;
	GString *json = g_task_propagate_pointer(G_TASK(result), &error);
	if (!json) {
		json = g_string_new(NULL);
		sipcid_web_status_json_down(error ? error->message : "no answer", json);
		g_clear_error(&error);
	}
	return json;
}
