/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading [webhook] and [webhook NAME] groups (webhook_settings.h). */
#include "webhook_settings.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const keys[] = { "url", "method", "body", "content-type", "header-file",
	                            "events", "timeout", "retries", "queue", "tls-verify",
	                            "ca-file", NULL };
static const char *const methods[] = { "POST", "PUT", "GET", NULL };

static const struct {
	const char *name;
	unsigned mask;
} event_names[] = {
	{ "calls", SIPCID_WEBHOOK_CALLS },
	{ "blocked", SIPCID_WEBHOOK_BLOCKED },
	{ "answered", SIPCID_WEBHOOK_ANSWERED },
	{ "missed", SIPCID_WEBHOOK_MISSED },
	{ "ended", SIPCID_WEBHOOK_ENDED },
	{ "updates", SIPCID_WEBHOOK_ANSWERED | SIPCID_WEBHOOK_MISSED | SIPCID_WEBHOOK_ENDED },
	{ "outgoing", SIPCID_WEBHOOK_OUTGOING },
	{ "line", SIPCID_WEBHOOK_LINE },
	{ "voicemail", SIPCID_WEBHOOK_VOICEMAIL },
	{ "all", SIPCID_WEBHOOK_ALL },
};

bool sipcid_webhook_settings_wants_line(unsigned events, const struct sipcid_line_event *ev)
{
	return events & (ev->kind == SIPCID_LINE_EVENT_LINE ? SIPCID_WEBHOOK_LINE
	                                                    : SIPCID_WEBHOOK_VOICEMAIL);
}

bool sipcid_webhook_settings_wants(unsigned events, const struct sipcid_call *c)
{
	if (c->direction == SIPCID_DIR_OUTGOING)
		return events & SIPCID_WEBHOOK_OUTGOING;
	if (c->action == SIPCID_ACTION_BLOCK)
		return events & SIPCID_WEBHOOK_BLOCKED;
	if (c->kind == SIPCID_EVENT_CALL)
		return events & SIPCID_WEBHOOK_CALLS;
	switch (c->state) {
	case SIPCID_STATE_ANSWERED: return events & SIPCID_WEBHOOK_ANSWERED;
	case SIPCID_STATE_MISSED: return events & SIPCID_WEBHOOK_MISSED;
	case SIPCID_STATE_ENDED: return events & SIPCID_WEBHOOK_ENDED;
	case SIPCID_STATE_RINGING: return events & SIPCID_WEBHOOK_CALLS;
	case SIPCID_STATE_BLOCKED: return events & SIPCID_WEBHOOK_BLOCKED;
	}
	return false;
}

void sipcid_webhook_settings_free(struct sipcid_webhook_settings *s)
{
	if (!s)
		return;
	g_free(s->name);
	sipcid_webhook_template_free(s->url);
	sipcid_webhook_template_free(s->body);
	g_free(s->content_type);
	if (s->headers)
		g_ptr_array_unref(s->headers);
	g_free(s->ca_file);
	g_free(s);
}

static void free_header(void *p)
{
	struct sipcid_webhook_header *h = p;
	g_free(h->name);
	sipcid_webhook_template_free(h->value);
	g_free(h);
}

/* A header name is an HTTP token; letters, digits and -_. cover real ones. */
static bool header_name_ok(const char *n)
{
	return *n && strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
	                     strlen(n);
}

static bool add_header(const struct sipcid_config *cfg, const char *group, const char *key,
                       struct sipcid_webhook_settings *s, const char *name, const char *value,
                       GError **error)
{
	g_autofree char *bad = NULL;
	struct sipcid_webhook_template *t =
		sipcid_webhook_template_new(value, SIPCID_WEBHOOK_ESCAPE_NONE, &bad);
	if (!t) {
		sipcid_config_set_error(cfg, error, group, key, "header %s: unknown field {%s}; "
		                        "the fields are %s", name, bad, sipcid_webhook_template_fields);
		return false;
	}
	struct sipcid_webhook_header *h = g_new0(struct sipcid_webhook_header, 1);
	h->name = g_strdup(name);
	h->value = t;
	g_ptr_array_add(s->headers, h);
	return true;
}

/* The secrets: "Name: value" lines, # comments. The file must be the
 * owner's alone, as ssh insists for its keys: a token anyone on the box can
 * read is no secret. */
static bool load_header_file(const struct sipcid_config *cfg, const char *group, const char *path,
                             struct sipcid_webhook_settings *s, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		sipcid_config_set_error(cfg, error, group, "header-file", "cannot open %s: %s", path,
		                        g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	close(fd);
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		sipcid_config_set_error(cfg, error, group, "header-file",
		                        "%s must be a file only its owner can read (chmod 600 %s)",
		                        path, path);
		return false;
	}
	g_autofree char *text = NULL;
	GError *ferr = NULL;
	if (!g_file_get_contents(path, &text, NULL, &ferr)) {
		sipcid_config_set_error(cfg, error, group, "header-file", "%s", ferr->message);
		g_error_free(ferr);
		return false;
	}
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		char *line = g_strstrip(lines[i]);
		if (!*line || *line == '#')
			continue;
		char *colon = strchr(line, ':');
		if (colon)
			*colon = '\0';
		char *name = g_strstrip(line);
		/* The line's text is a secret: the error names the line, not the value. */
		if (!colon || !header_name_ok(name) || !g_utf8_validate(colon + 1, -1, NULL) ||
		    strpbrk(colon + 1, "\r\t")) {
			sipcid_config_set_error(cfg, error, group, "header-file",
			                        "%s:%d: expected a 'Name: value' header line", path, i + 1);
			return false;
		}
		if (!add_header(cfg, group, "header-file", s, name, g_strstrip(colon + 1), error))
			return false;
	}
	return true;
}

static bool load_events(const struct sipcid_config *cfg, const char *group,
                        struct sipcid_webhook_settings *s, GError **error)
{
	g_auto(GStrv) list = NULL;
	if (!sipcid_config_list(cfg, group, "events", &list, error))
		return false;
	if (!list)
		return true;
	s->events = 0;
	for (int i = 0; list[i]; i++) {
		size_t j;
		for (j = 0; j < G_N_ELEMENTS(event_names); j++)
			if (!g_ascii_strcasecmp(list[i], event_names[j].name))
				break;
		if (j == G_N_ELEMENTS(event_names)) {
			sipcid_config_set_error(cfg, error, group, "events",
			                        "unknown event '%s'; expected calls, blocked, answered, "
			                        "missed, ended, updates, outgoing, line, voicemail or all",
			                        list[i]);
			return false;
		}
		s->events |= event_names[j].mask;
	}
	if (!s->events) {
		sipcid_config_set_error(cfg, error, group, "events", "expected at least one event");
		return false;
	}
	return true;
}

static enum sipcid_webhook_escape escape_for(const char *content_type)
{
	if (strstr(content_type, "json"))
		return SIPCID_WEBHOOK_ESCAPE_JSON;
	if (strstr(content_type, "x-www-form-urlencoded"))
		return SIPCID_WEBHOOK_ESCAPE_URL;
	return SIPCID_WEBHOOK_ESCAPE_NONE;
}

static bool load_url(const struct sipcid_config *cfg, const char *group,
                     struct sipcid_webhook_settings *s, GError **error)
{
	g_autofree char *url = NULL;
	if (!sipcid_config_string(cfg, group, "url", &url, error))
		return false;
	if (!url) {
		sipcid_config_set_error(cfg, error, group, NULL, "a webhook needs a url");
		return false;
	}
	if (!g_uri_is_valid(url, G_URI_FLAGS_NONE, NULL) ||
	    (g_ascii_strncasecmp(url, "http://", 7) && g_ascii_strncasecmp(url, "https://", 8))) {
		sipcid_config_set_error(cfg, error, group, "url",
		                        "expected an http:// or https:// URL, like https://ntfy.sh/TOPIC");
		return false;
	}
	g_autofree char *bad = NULL;
	s->url = sipcid_webhook_template_new(url, SIPCID_WEBHOOK_ESCAPE_URL, &bad);
	if (!s->url) {
		sipcid_config_set_error(cfg, error, group, "url", "unknown field {%s}; the fields are %s",
		                        bad, sipcid_webhook_template_fields);
		return false;
	}
	return true;
}

static bool load_body(const struct sipcid_config *cfg, const char *group,
                      struct sipcid_webhook_settings *s, GError **error)
{
	g_autofree char *body = NULL;
	if (!sipcid_config_string(cfg, group, "body", &body, error) ||
	    !sipcid_config_string(cfg, group, "content-type", &s->content_type, error))
		return false;
	bool json = !body || !strcmp(body, "json");
	if (!s->content_type)
		s->content_type = g_strdup(json ? "application/json" : "text/plain; charset=utf-8");
	if (json)
		return true;
	g_autofree char *bad = NULL;
	s->body = sipcid_webhook_template_new(body, escape_for(s->content_type), &bad);
	if (!s->body) {
		sipcid_config_set_error(cfg, error, group, "body", "unknown field {%s}; the fields are %s",
		                        bad, sipcid_webhook_template_fields);
		return false;
	}
	return true;
}

static bool load_headers(const struct sipcid_config *cfg, const char *group,
                         struct sipcid_webhook_settings *s, GError **error)
{
	g_auto(GStrv) all = sipcid_config_keys(cfg, group);
	for (int i = 0; all && all[i]; i++) {
		if (g_strv_contains(keys, all[i]))
			continue;
		if (g_str_has_prefix(all[i], "header-") && header_name_ok(all[i] + 7)) {
			g_autofree char *v = NULL;
			if (!sipcid_config_string(cfg, group, all[i], &v, error) ||
			    !add_header(cfg, group, all[i], s, all[i] + 7, v, error))
				return false;
			continue;
		}
		g_autofree char *list = g_strjoinv(", ", (char **)keys);
		sipcid_config_set_error(cfg, error, group, all[i],
		                        "unknown key; expected header-NAME or one of: %s", list);
		return false;
	}
	g_autofree char *file = NULL;
	if (!sipcid_config_string(cfg, group, "header-file", &file, error))
		return false;
	return !file || load_header_file(cfg, group, file, s, error);
}

static struct sipcid_webhook_settings *load_one(const struct sipcid_config *cfg, const char *group,
                                                GError **error)
{
	struct sipcid_webhook_settings *s = g_new0(struct sipcid_webhook_settings, 1);
	s->name = g_strdup(group[7] ? group + 8 : "webhook");
	s->headers = g_ptr_array_new_with_free_func(free_header);
	s->events = SIPCID_WEBHOOK_CALLS | SIPCID_WEBHOOK_BLOCKED | SIPCID_WEBHOOK_MISSED;
	s->tls_verify = true;
	long timeout = 10, retries = 3, queue = 64;
	int method = SIPCID_WEBHOOK_POST;
	/* The name is a --status key (webhook.NAME.sent). */
	if (strspn(s->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
	    strlen(s->name)) {
		sipcid_config_set_error(cfg, error, group, NULL,
		                        "a webhook's name has letters, digits, - and _ only, like "
		                        "[webhook ntfy]");
		goto fail;
	}
	if (!load_url(cfg, group, s, error) || !load_headers(cfg, group, s, error) ||
	    !sipcid_config_choice(cfg, group, "method", methods, &method, error) ||
	    !load_body(cfg, group, s, error) || !load_events(cfg, group, s, error) ||
	    !sipcid_config_int(cfg, group, "timeout", 1, 300, &timeout, error) ||
	    !sipcid_config_int(cfg, group, "retries", 0, 10, &retries, error) ||
	    !sipcid_config_int(cfg, group, "queue", 1, 10000, &queue, error) ||
	    !sipcid_config_bool(cfg, group, "tls-verify", &s->tls_verify, error) ||
	    !sipcid_config_string(cfg, group, "ca-file", &s->ca_file, error))
		goto fail;
	s->method = (enum sipcid_webhook_method)method;
	if (s->method == SIPCID_WEBHOOK_GET && s->body) {
		sipcid_config_set_error(cfg, error, group, "body",
		                        "a GET request has no body: put the fields in the url");
		goto fail;
	}
	if (s->ca_file && access(s->ca_file, R_OK) < 0) {
		sipcid_config_set_error(cfg, error, group, "ca-file", "cannot read %s: %s", s->ca_file,
		                        g_strerror(errno));
		goto fail;
	}
	s->timeout_s = (int)timeout;
	s->retries = (int)retries;
	s->queue = (int)queue;
	return s;
fail:
	sipcid_webhook_settings_free(s);
	return NULL;
}

bool sipcid_webhook_settings_load(const struct sipcid_config *cfg, GPtrArray **out,
                                  GError **error)
{
	GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)sipcid_webhook_settings_free);
	g_auto(GStrv) groups = sipcid_config_groups(cfg);
	for (int i = 0; groups && groups[i]; i++) {
		const char *g = groups[i];
		if (strcmp(g, "webhook") && !g_str_has_prefix(g, "webhook "))
			continue;
		struct sipcid_webhook_settings *s = load_one(cfg, g, error);
		for (guint j = 0; s && j < list->len; j++) {
			if (strcmp(s->name, ((struct sipcid_webhook_settings *)list->pdata[j])->name))
				continue;
			sipcid_config_set_error(cfg, error, g, NULL, "[webhook] is named 'webhook' too");
			g_clear_pointer(&s, sipcid_webhook_settings_free);
		}
		if (!s) {
			g_ptr_array_unref(list);
			return false;
		}
		g_ptr_array_add(list, s);
	}
	*out = list;
	return true;
}
