/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-web's way to the rule file and the phonebook: the sipcid-rules
 * program, a child process per request (web_context.h says why). It runs
 * asynchronously on the main loop with the request paused, text in on stdin
 * and one JSON line out, and is killed after a timeout, so that a stuck child
 * never holds a request, nor the server, for long. */
#ifndef SIPCID_WEB_RULES_CHILD_H
#define SIPCID_WEB_RULES_CHILD_H

#include "web_route.h"

struct sipcid_web_rules_child_result {
	int exit;           /* the exit code; -1 when it did not start, was killed or timed out */
	const char *out;    /* its one JSON object, checked to be one ("" otherwise) */
	const char *error;  /* words for the user when it failed: its first line of stderr */
};

/* Called on the main loop when the child has ended; req is a copy that lives
 * for the call (the original request has returned long ago). The callback
 * answers the request; it is unpaused after the call. */
typedef void (*sipcid_web_rules_child_done_fn)(struct sipcid_web_request *req,
                                               const struct sipcid_web_rules_child_result *res,
                                               void *data);

/* Runs `ctx->sipcid_rules COMMAND --config=... OPTIONS... -- ARGS...` with
 * `input` (NULL: none) on stdin. `options` and `args` end with NULL; `args`
 * may start with '-' (they come after "--"). `data` is freed with `free_data`
 * after `done`. Pauses req->msg until then. */
void sipcid_web_rules_child_run(struct sipcid_web_request *req, const char *command,
                                const char *const *options, const char *const *args,
                                GBytes *input, sipcid_web_rules_child_done_fn done, void *data,
                                GDestroyNotify free_data);

/* The usual answer: the child's JSON with 200 when it exited 0, with 422 when
 * it refused (exit 1 or 2: a refusal in words, or the text's errors), and
 * 502 {"error"} when it did not answer. */
void sipcid_web_rules_child_reply(struct sipcid_web_request *req,
                                  const struct sipcid_web_rules_child_result *res);

/* run + reply, for a question (check, test, list): nothing is logged. */
void sipcid_web_rules_child_ask(struct sipcid_web_request *req, const char *command,
                                const char *const *options, const char *const *args,
                                GBytes *input);
/* run + reply, for a change: logged with the client's address and `what`
 * ("blocked +15551234567"), and whether it was made or refused. */
void sipcid_web_rules_child_change(struct sipcid_web_request *req, const char *what,
                                   const char *command, const char *const *options,
                                   const char *const *args, GBytes *input);

/* The handler of POST /api/numbers/name and POST /api/phonebook (the same
 * change: the number's phonebook entry, added or replaced). */
void sipcid_web_rules_child_name_number(struct sipcid_web_request *req);

/* A caller's text made safe for a log line: control characters removed,
 * cut to fit. */
void sipcid_web_rules_child_loggable(const char *in, char *out, size_t size);

#endif
