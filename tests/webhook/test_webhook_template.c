/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Webhook templates and settings: each field escaped for where it goes, the
 * event filter, and the configuration's errors. */
#include "config.h"
#include "webhook_settings.h"
#include "webhook_template.h"

#include <string.h>

static struct sipcid_call hostile_call(void)
{
	struct sipcid_call c = { .kind = SIPCID_EVENT_CALL, .time_us = 1700000000123000 };
	strcpy(c.call_id, "abc@host");
	strcpy(c.number, "+15551234567");
	strcpy(c.name, "O\"Brien \\ & = ?é/");
	strcpy(c.called, "100");
	strcpy(c.box, "office");
	strcpy(c.line, "100");
	return c;
}

static char *render(const char *text, enum sipcid_webhook_escape e, const struct sipcid_call *c)
{
	char *bad = NULL;
	struct sipcid_webhook_template *t = sipcid_webhook_template_new(text, e, &bad);
	g_assert_nonnull(t);
	GString *out = g_string_new(NULL);
	sipcid_webhook_template_render(t, c, out);
	sipcid_webhook_template_free(t);
	return g_string_free(out, FALSE);
}

static void test_escaping(void)
{
	struct sipcid_call c = hostile_call();
	g_autofree char *json = render("{\"m\": \"{name} ({number})\", \"n\": {ring_ms}}",
	                               SIPCID_WEBHOOK_ESCAPE_JSON, &c);
	g_assert_cmpstr(json, ==, "{\"m\": \"O\\\"Brien \\\\ & = ?é/ (+15551234567)\", \"n\": 0}");
	g_autofree char *form = render("name={name}&n={number}", SIPCID_WEBHOOK_ESCAPE_URL, &c);
	g_assert_cmpstr(form, ==, "name=O%22Brien%20%5C%20%26%20%3D%20%3F%C3%A9%2F&n=%2B15551234567");
	g_autofree char *text = render("{who} calls {called} at {time}: {what} {direction} [{box}] [{line}]",
	                               SIPCID_WEBHOOK_ESCAPE_NONE, &c);
	g_assert_cmpstr(text, ==, "O\"Brien \\ & = ?é/ calls 100 at 2023-11-14T22:13:20.123Z: "
	                          "Incoming call incoming [office] [100]");
	/* Braces that are not a lowercase word stay text. */
	g_autofree char *other = render("{} {A} {\"x\"} {who", SIPCID_WEBHOOK_ESCAPE_NONE, &c);
	g_assert_cmpstr(other, ==, "{} {A} {\"x\"} {who");
	char *bad = NULL;
	g_assert_null(sipcid_webhook_template_new("x {nmuber} y", SIPCID_WEBHOOK_ESCAPE_NONE, &bad));
	g_assert_cmpstr(bad, ==, "nmuber");
	g_free(bad);
}

static GPtrArray *load(const char *text, GError **error)
{
	struct sipcid_config *cfg = sipcid_config_load_data("t.conf", text, error);
	g_assert_nonnull(cfg);
	GPtrArray *out = NULL;
	bool ok = sipcid_webhook_settings_load(cfg, &out, error);
	sipcid_config_free(cfg);
	g_assert_true(ok == (out != NULL));
	return out;
}

static void test_settings(void)
{
	GError *err = NULL;
	GPtrArray *l = load("[numbers]\n[webhook]\nurl = http://a/\n"
	                    "[webhook two]\nurl = https://b/{number}\nmethod = get\nevents = blocked, updates\n"
	                    "timeout = 2\nretries = 0\nqueue = 5\ntls-verify = no\nheader-X-A = {who}\n", &err);
	g_assert_no_error(err);
	g_assert_cmpuint(l->len, ==, 2);
	const struct sipcid_webhook_settings *a = l->pdata[0], *b = l->pdata[1];
	g_assert_cmpstr(a->name, ==, "webhook");
	g_assert_cmpint(a->method, ==, SIPCID_WEBHOOK_POST);
	g_assert_null(a->body);
	g_assert_cmpstr(a->content_type, ==, "application/json");
	g_assert_cmpint(a->timeout_s, ==, 10);
	g_assert_cmpint(a->retries, ==, 3);
	g_assert_true(a->tls_verify);
	g_assert_cmpstr(b->name, ==, "two");
	g_assert_cmpint(b->method, ==, SIPCID_WEBHOOK_GET);
	g_assert_cmpint(b->timeout_s, ==, 2);
	g_assert_cmpint(b->retries, ==, 0);
	g_assert_cmpint(b->queue, ==, 5);
	g_assert_false(b->tls_verify);
	g_assert_cmpuint(b->headers->len, ==, 1);

	struct sipcid_call c = hostile_call();
	g_assert_true(sipcid_webhook_settings_wants(a->events, &c));   /* calls */
	g_assert_false(sipcid_webhook_settings_wants(b->events, &c));
	c.action = SIPCID_ACTION_BLOCK;
	c.state = SIPCID_STATE_MISSED;
	g_assert_true(sipcid_webhook_settings_wants(a->events, &c));   /* blocked */
	g_assert_true(sipcid_webhook_settings_wants(b->events, &c));
	c.action = SIPCID_ACTION_ALLOW;
	c.kind = SIPCID_EVENT_UPDATE;
	c.state = SIPCID_STATE_ANSWERED;
	g_assert_false(sipcid_webhook_settings_wants(a->events, &c));
	g_assert_true(sipcid_webhook_settings_wants(b->events, &c));
	c.state = SIPCID_STATE_MISSED;
	g_assert_true(sipcid_webhook_settings_wants(a->events, &c));
	/* Dialling out: only "outgoing" (or "all") wants it. */
	c.direction = SIPCID_DIR_OUTGOING;
	g_assert_false(sipcid_webhook_settings_wants(a->events, &c));
	g_assert_false(sipcid_webhook_settings_wants(b->events, &c));
	g_assert_true(sipcid_webhook_settings_wants(SIPCID_WEBHOOK_OUTGOING, &c));
	g_assert_true(sipcid_webhook_settings_wants(SIPCID_WEBHOOK_ALL, &c));
	g_ptr_array_unref(l);

	static const struct {
		const char *text, *error;
	} bad[] = {
		{ "[webhook x]\nmethod = GET\n", "t.conf:1: [webhook x]: a webhook needs a url" },
		{ "[webhook x]\nurl = ftp://a/\n", "t.conf:2: [webhook x] url: expected an http:// or https:// URL" },
		{ "[webhook x]\nurl = http://a/\nmethod = DELETE\n", "t.conf:3: [webhook x] method: expected one of POST, PUT, GET" },
		{ "[webhook x]\nurl = http://a/\nmethod = GET\nbody = {who}\n", "t.conf:4: [webhook x] body: a GET request has no body" },
		{ "[webhook x]\nurl = http://a/\nretries = 11\n", "t.conf:3: [webhook x] retries: expected a whole number from 0 to 10" },
		{ "[webhook x]\nurl = http://a/\nheader-X = {nope}\n", "t.conf:3: [webhook x] header-X: header X: unknown field {nope}" },
		{ "[webhook x]\nurl = http://a/\nheader-Bad:Name = 1\n", "t.conf:3: [webhook x] header-Bad:Name: unknown key" },
		{ "[webhook x.y]\nurl = http://a/\n", "t.conf:1: [webhook x.y]: a webhook's name has letters" },
		{ "[webhook x]\nurl = http://a/\nca-file = /nonexistent/ca.pem\n", "t.conf:3: [webhook x] ca-file: cannot read /nonexistent/ca.pem" },
		{ "[webhook x]\nurl = http://a/\nevents = ,\n", "t.conf:3: [webhook x] events: expected at least one event" },
		{ "[webhook x]\nurl = http://a/\nheader-file = /nonexistent/h\n", "t.conf:3: [webhook x] header-file: cannot open /nonexistent/h" },
		{ "[webhook]\nurl = http://a/\n[webhook webhook]\nurl = http://b/\n", "t.conf:3: [webhook webhook]: [webhook] is named 'webhook' too" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *e = NULL;
		g_assert_null(load(bad[i].text, &e));
		g_assert_nonnull(e);
		if (!g_str_has_prefix(e->message, bad[i].error))
			g_error("case %zu: got '%s', expected '%s...'", i, e->message, bad[i].error);
		g_error_free(e);
	}
}

static void test_groups(void)
{
	static const char *const known[] = { "numbers", "webhook", "webhook *", NULL };
	static const char *const texts[] = { "[webhook]\n", "[webhook a]\n", "[webhook a b]\n",
		                             "[webhooks]\n", "[webhook ]\n", "[numbers x]\n" };
	static const bool accepted[] = { true, true, true, false, false, false };
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		GError *e = NULL;
		struct sipcid_config *cfg = sipcid_config_load_data("t.conf", texts[i], &e);
		if (!cfg) {  /* GKeyFile or the line scan refused it first */
			g_assert_false(accepted[i]);
			g_error_free(e);
			continue;
		}
		bool ok = sipcid_config_check_groups(cfg, known, &e);
		if (ok != accepted[i])
			g_error("%s: accepted %d", texts[i], ok);
		g_clear_error(&e);
		sipcid_config_free(cfg);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/webhook/escaping", test_escaping);
	g_test_add_func("/webhook/settings", test_settings);
	g_test_add_func("/webhook/groups", test_groups);
	return g_test_run();
}
