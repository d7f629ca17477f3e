/* SPDX-License-Identifier: GPL-2.0-or-later */
/* POST /api/numbers/block|allow|name (docs/web-api.md): the call rows'
 * buttons. Each is a sipcid-rules command (block-number, allow-number,
 * name-number), which refuses withheld and emergency numbers in words. */
#include "web_api.h"
#include "web_rules_child.h"

#include <string.h>

/* The number the request names; answers 422 and returns NULL without one. */
static const char *number_of(struct sipcid_web_request *req)
{
	const char *number = sipcid_web_param(req, "number");
	if (!number || !number[0]) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       "this caller sent no number (withheld or unavailable): there "
		                       "is nothing to block, allow or name by");
		return NULL;
	}
	return number;
}

static void block(struct sipcid_web_request *req)
{
	const char *number = number_of(req);
	if (!number)
		return;
	const char *outcome = sipcid_web_param(req, "outcome");
	if (outcome && !outcome[0])
		outcome = NULL;
	const char *const opts[] = { "--json", NULL };
	const char *const args[] = { number, outcome, NULL };
	g_autofree char *what = g_strdup_printf("blocked %s%s%s", number, outcome ? ", " : "",
	                                        outcome ? outcome : "");
	sipcid_web_rules_child_change(req, what, "block-number", opts, args, NULL);
}

static void allow(struct sipcid_web_request *req)
{
	const char *number = number_of(req);
	if (!number)
		return;
	const char *const opts[] = { "--json", NULL };
	const char *const args[] = { number, NULL };
	g_autofree char *what = g_strdup_printf("allowed %s", number);
	sipcid_web_rules_child_change(req, what, "allow-number", opts, args, NULL);
}

const struct sipcid_web_route sipcid_web_api_numbers_routes[] = {
	{ "POST", "/api/numbers/block", block },
	{ "POST", "/api/numbers/allow", allow },
	{ "POST", "/api/numbers/name", sipcid_web_rules_child_name_number },
	{ NULL, NULL, NULL },
};
