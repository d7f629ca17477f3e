/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Routes of the web console: see docs/web-api.md. (Not written yet.) */
#include "web_api.h"

const struct sipcid_web_route sipcid_web_api_calls_routes[] = {
	{ NULL, NULL, NULL },
};
