/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-rules as a child process of sipcid-web (web_rules_child.h). */
#include "web_rules_child.h"

#include "event_format.h"
#include "log.h"
#include "text.h"
#include "web_context.h"

#include <string.h>

/* A save with large [lists] loads them twice; far more than that is a child
 * that hangs. */
#define CHILD_TIMEOUT_S 20
/* sipcid-rules answers one line; a phonebook listing can be long. */
#define CHILD_OUT_MAX ((gsize)32 << 20)

struct job {
	struct sipcid_web_request req;  /* a copy; its strings owned below */
	char *method, *path, *client;
	GSubprocess *child;
	GCancellable *cancel;
	guint timer;
	bool timed_out;
	sipcid_web_rules_child_done_fn done;
	void *data;
	GDestroyNotify free_data;
};

static void job_free(struct job *j)
{
	if (j->timer)
		g_source_remove(j->timer);
	if (j->free_data)
		j->free_data(j->data);
	g_clear_object(&j->child);
	g_clear_object(&j->cancel);
	g_object_unref(j->req.msg);
	g_free(j->method);
	g_free(j->path);
	g_free(j->client);
	g_free(j);
}

static gboolean on_timeout(gpointer p)
{
	struct job *j = p;
	j->timer = 0;
	j->timed_out = true;
	g_subprocess_force_exit(j->child);
	g_cancellable_cancel(j->cancel);
	return G_SOURCE_REMOVE;
}

/* One JSON object on one line, valid UTF-8, no control characters: what
 * sipcid-rules prints. Anything else is not passed on to the browser. */
static bool one_json_object(const char *s, gsize len)
{
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len < 2 || s[0] != '{' || s[len - 1] != '}' || !g_utf8_validate(s, (gssize)len, NULL))
		return false;
	for (gsize i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* The first line of stderr, without the program's name, for the user. */
static char *first_line(GBytes *err)
{
	gsize len = 0;
	const char *s = err ? g_bytes_get_data(err, &len) : NULL;
	g_autofree char *line = g_strndup(s ? s : "", len);
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	const char *from = line;
	if (g_str_has_prefix(from, "sipcid-rules")) {
		const char *colon = strstr(from, ": ");
		if (colon)
			from = colon + 2;
	}
	char clean[512];
	sipcid_text_clean(from, strlen(from), clean, sizeof clean);
	return g_utf8_make_valid(clean, -1);
}

static void on_done(GObject *source, GAsyncResult *result, gpointer p)
{
	struct job *j = p;
	g_autoptr(GBytes) out = NULL, err = NULL;
	g_autoptr(GError) error = NULL;
	bool ok = g_subprocess_communicate_finish(G_SUBPROCESS(source), result, &out, &err, &error);
	gsize len = 0;
	const char *text = out ? g_bytes_get_data(out, &len) : NULL;
	g_autofree char *json = NULL;
	struct sipcid_web_rules_child_result res = { .exit = -1, .out = "" };
	g_autofree char *why = NULL;
	if (ok && !j->timed_out && g_subprocess_get_if_exited(j->child)) {
		res.exit = g_subprocess_get_exit_status(j->child);
		if (text && len <= CHILD_OUT_MAX && one_json_object(text, len))
			res.out = json = g_strndup(text, len);
		why = first_line(err);
	} else if (j->timed_out) {
		why = g_strdup_printf("sipcid-rules did not answer within %d s", CHILD_TIMEOUT_S);
	} else {
		why = g_strdup_printf("sipcid-rules failed: %s",
		                      error ? error->message : "it was killed");
	}
	if (res.exit < 0)
		sipcid_log_warnx("%s: %s: %s", j->client, j->path, why);
	else if (res.exit > 1)
		sipcid_log_warnx("%s: %s: sipcid-rules exited %d: %s", j->client, j->path, res.exit,
		                 why);
	res.error = why;
	j->done(&j->req, &res, j->data);
	soup_server_message_unpause(j->req.msg);
	job_free(j);
}

void sipcid_web_rules_child_run(struct sipcid_web_request *req, const char *command,
                                const char *const *options, const char *const *args,
                                GBytes *input, sipcid_web_rules_child_done_fn done, void *data,
                                GDestroyNotify free_data)
{
	struct job *j = g_new0(struct job, 1);
	j->method = g_strdup(req->method);
	j->path = g_strdup(req->path);
	j->client = g_strdup(req->client);
	j->req = (struct sipcid_web_request){
		.msg = g_object_ref(req->msg), .method = j->method, .path = j->path,
		.ctx = req->ctx, .client = j->client,
	};
	j->done = done;
	j->data = data;
	j->free_data = free_data;
	j->cancel = g_cancellable_new();

	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(req->ctx->sipcid_rules ? req->ctx->sipcid_rules
	                                                       : "sipcid-rules"));
	g_ptr_array_add(argv, g_strdup(command));
	if (req->ctx->config_path)
		g_ptr_array_add(argv, g_strconcat("--config=", req->ctx->config_path, NULL));
	for (size_t i = 0; options && options[i]; i++)
		g_ptr_array_add(argv, g_strdup(options[i]));
	g_ptr_array_add(argv, g_strdup("--"));
	for (size_t i = 0; args && args[i]; i++)
		g_ptr_array_add(argv, g_strdup(args[i]));
	g_ptr_array_add(argv, NULL);

	g_autoptr(GError) error = NULL;
	j->child = g_subprocess_newv((const char *const *)argv->pdata,
	                             G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
	if (!j->child) {
		sipcid_log_warnx("could not start %s: %s", (const char *)argv->pdata[0],
		                 error->message);
		g_autofree char *why = g_strdup_printf("sipcid-rules could not be started: %s",
		                                       error->message);
		struct sipcid_web_rules_child_result res = { .exit = -1, .out = "", .error = why };
		done(&j->req, &res, data);
		job_free(j);
		return;
	}
	soup_server_message_pause(req->msg);
	j->timer = g_timeout_add_seconds(CHILD_TIMEOUT_S, on_timeout, j);
	/* Always a pipe: a child never reads sipcid-web's own stdin. */
	g_autoptr(GBytes) none = input ? NULL : g_bytes_new_static("", 0);
	g_subprocess_communicate_async(j->child, input ? input : none, j->cancel, on_done, j);
}

void sipcid_web_rules_child_reply(struct sipcid_web_request *req,
                                  const struct sipcid_web_rules_child_result *res)
{
	if ((res->exit == 0 || res->exit == 1) && res->out[0]) {
		sipcid_web_reply_json(req, res->exit == 0 ? SOUP_STATUS_OK
		                                          : SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                      g_string_new(res->out));
		return;
	}
	if (res->exit == 1 || res->exit == 2) {
		/* a refusal or a usage error (an unknown outcome): words on stderr */
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       res->error && res->error[0] ? res->error : "refused");
		return;
	}
	sipcid_web_reply_error(req, SOUP_STATUS_BAD_GATEWAY,
	                       res->error ? res->error : "sipcid-rules failed");
}

void sipcid_web_rules_child_loggable(const char *in, char *out, size_t size)
{
	sipcid_text_clean(in ? in : "", in ? strlen(in) : 0, out, size);
}

/* A change: logged (who, what, and whether it was made), then answered. */
static void on_change(struct sipcid_web_request *req,
                      const struct sipcid_web_rules_child_result *res, void *data)
{
	const char *what = data;
	if (res->exit == 0)
		sipcid_log_info("%s: %s", req->client, what);
	else
		sipcid_log_info("%s: %s: refused: %s", req->client, what,
		                res->error && res->error[0] ? res->error : "see its answer");
	sipcid_web_rules_child_reply(req, res);
}

void sipcid_web_rules_child_change(struct sipcid_web_request *req, const char *what,
                                   const char *command, const char *const *options,
                                   const char *const *args, GBytes *input)
{
	char clean[512];
	sipcid_web_rules_child_loggable(what, clean, sizeof clean);
	sipcid_web_rules_child_run(req, command, options, args, input, on_change, g_strdup(clean),
	                           g_free);
}

static void on_answer(struct sipcid_web_request *req,
                      const struct sipcid_web_rules_child_result *res, void *data)
{
	(void)data;
	sipcid_web_rules_child_reply(req, res);
}

void sipcid_web_rules_child_ask(struct sipcid_web_request *req, const char *command,
                                const char *const *options, const char *const *args,
                                GBytes *input)
{
	sipcid_web_rules_child_run(req, command, options, args, input, on_answer, NULL, NULL);
}

void sipcid_web_rules_child_name_number(struct sipcid_web_request *req)
{
	const char *number = sipcid_web_param(req, "number");
	const char *name = sipcid_web_param(req, "name");
	if (!number || !number[0] || !name || !name[0]) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       !number || !number[0] ? "expected a number to name"
		                                             : "expected a name to give the number");
		return;
	}
	const char *const opts[] = { "--json", NULL };
	const char *const args[] = { number, name, NULL };
	g_autofree char *what = g_strdup_printf("named %s \"%s\"", number, name);
	sipcid_web_rules_child_change(req, what, "name-number", opts, args, NULL);
}
