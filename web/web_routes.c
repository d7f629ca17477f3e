/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The API's route tables (web_api.h), and finding the route of a request:
 * an exact path, or a prefix ending in '/' with something after it. */
#include "web_api.h"
#include "web_server_private.h"

#include <string.h>

static const struct sipcid_web_route *const tables[] = {
	sipcid_web_api_calls_routes,   sipcid_web_api_recordings_routes,
	sipcid_web_api_status_routes,  sipcid_web_api_rules_routes,
	sipcid_web_api_book_routes,    sipcid_web_api_numbers_routes,
	sipcid_web_api_live_routes,    sipcid_web_api_listen_routes,
};

void sipcid_web_routes_foreach(void (*fn)(const struct sipcid_web_route *route, void *data),
                               void *data)
{
	for (size_t t = 0; t < G_N_ELEMENTS(tables); t++)
		for (const struct sipcid_web_route *r = tables[t]; r->method; r++)
			fn(r, data);
}

static bool path_matches(const struct sipcid_web_route *route, const char *path,
                         const char **arg)
{
	size_t n = strlen(route->path);
	if (n && route->path[n - 1] == '/') {
		if (strncmp(path, route->path, n) != 0 || !path[n])
			return false;
		*arg = path + n;
		return true;
	}
	*arg = NULL;
	return strcmp(path, route->path) == 0;
}

const struct sipcid_web_route *sipcid_web_routes_find(const char *method, const char *path,
                                                      const char **arg, bool *path_known)
{
	/* An exact route wins over a prefix one ("/api/rules/check" before "/api/rules/"). */
	const struct sipcid_web_route *prefix = NULL;
	const char *prefix_arg = NULL;
	*path_known = false;
	for (size_t t = 0; t < G_N_ELEMENTS(tables); t++)
		for (const struct sipcid_web_route *r = tables[t]; r->method; r++) {
			const char *a = NULL;
			if (!path_matches(r, path, &a))
				continue;
			*path_known = true;
			if (strcmp(r->method, method) != 0)
				continue;
			if (!a) {
				*arg = NULL;
				return r;
			}
			if (!prefix) {
				prefix = r;
				prefix_arg = a;
			}
		}
	*arg = prefix_arg;
	return prefix;
}
