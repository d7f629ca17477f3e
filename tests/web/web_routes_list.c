/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints "METHOD PATH" for every route of the API's tables, so the web tests
 * try each one, including routes docs/web-api.md does not list yet. */
#include "web_server_private.h"

#include <stdio.h>

static void print_route(const struct sipcid_web_route *route, void *data)
{
	(void)data;
	printf("%s %s\n", route->method, route->path);
}

int main(void)
{
	sipcid_web_routes_foreach(print_route, NULL);
	return 0;
}
