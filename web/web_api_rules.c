/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule file (docs/web-api.md): read here, but checked, saved and tested
 * only through sipcid-rules (check --json, save rules, test), so that the
 * web console gives the same errors and answers as the command line and
 * sipcidd, without loading the rules itself. */
#include "web_api.h"
#include "web_rules_child.h"

#include "event_format.h"

#include <string.h>

static void append_json(GString *out, const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s ? s : "", -1);
	sipcid_event_json_string(out, valid, false);
}

static void get(struct sipcid_web_request *req)
{
	const char *path = req->ctx->rules_path;
	if (!path) {
		sipcid_web_reply_error(req, SOUP_STATUS_NOT_FOUND,
		                       "no rule file is configured ([rules] rules is empty)");
		return;
	}
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			sipcid_web_reply_error(req, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
			return;
		}
		text = g_strdup("");  /* no rules yet: every call rings */
	}
	GString *out = g_string_new("{\"text\":");
	append_json(out, text);
	g_string_append(out, ",\"path\":");
	append_json(out, path);
	g_string_append_c(out, '}');
	sipcid_web_reply_json(req, SOUP_STATUS_OK, out);
}

/* The text to check or save; answers 422 and returns NULL without one. */
static GBytes *text_of(struct sipcid_web_request *req)
{
	const char *text = sipcid_web_param(req, "text");
	if (!text) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       "expected the rule file's text");
		return NULL;
	}
	return g_bytes_new(text, strlen(text));
}

/* check answers 200 either way: the errors are its answer, not a failure. */
static void on_checked(struct sipcid_web_request *req,
                       const struct sipcid_web_rules_child_result *res, void *data)
{
	(void)data;
	struct sipcid_web_rules_child_result as_answer = *res;
	if (res->exit == 1 && res->out[0])
		as_answer.exit = 0;
	sipcid_web_rules_child_reply(req, &as_answer);
}

static void check(struct sipcid_web_request *req)
{
	g_autoptr(GBytes) text = text_of(req);
	if (!text)
		return;
	const char *const opts[] = { "--json", NULL };
	const char *const args[] = { "-", NULL };
	sipcid_web_rules_child_run(req, "check", opts, args, text, on_checked, NULL, NULL);
}

static void save(struct sipcid_web_request *req)
{
	g_autoptr(GBytes) text = text_of(req);
	if (!text)
		return;
	const char *const opts[] = { "--json", NULL };
	const char *const args[] = { "rules", NULL };
	g_autofree char *what = g_strdup_printf("saved the rule file (%zu bytes)",
	                                        g_bytes_get_size(text));
	sipcid_web_rules_child_change(req, what, "save", opts, args, text);
}

static void test(struct sipcid_web_request *req)
{
	static const char *const params[] = { "number", "name", "direction" };
	g_autoptr(GPtrArray) opts = g_ptr_array_new_with_free_func(g_free);
	for (size_t i = 0; i < G_N_ELEMENTS(params); i++) {
		const char *v = sipcid_web_param(req, params[i]);
		if (v && v[0])
			g_ptr_array_add(opts, g_strdup_printf("--%s=%s", params[i], v));
	}
	if (!sipcid_web_param(req, "number")) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       "expected the caller's number (empty for a withheld one)");
		return;
	}
	if (opts->len == 0 || strncmp(opts->pdata[0], "--number=", 9))
		g_ptr_array_insert(opts, 0, g_strdup("--presentation=restricted"));
	g_ptr_array_add(opts, NULL);
	sipcid_web_rules_child_ask(req, "test", (const char *const *)opts->pdata, NULL, NULL);
}

const struct sipcid_web_route sipcid_web_api_rules_routes[] = {
	{ "GET", "/api/rules", get },
	{ "POST", "/api/rules/check", check },
	{ "POST", "/api/rules", save },
	{ "POST", "/api/rules/test", test },
	{ NULL, NULL, NULL },
};
