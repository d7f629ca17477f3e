/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The route tables of sipcid-web's API files (docs/web-api.md), which
 * web_server.c serves after its login and CSRF checks. */
#ifndef SIPCID_WEB_API_H
#define SIPCID_WEB_API_H

#include "web_context.h"
#include "web_route.h"

extern const struct sipcid_web_route sipcid_web_api_calls_routes[];      /* the call log */
extern const struct sipcid_web_route sipcid_web_api_recordings_routes[]; /* recordings */
extern const struct sipcid_web_route sipcid_web_api_status_routes[];     /* sipcidd --status */
extern const struct sipcid_web_route sipcid_web_api_rules_routes[];      /* the rule file */
extern const struct sipcid_web_route sipcid_web_api_book_routes[];       /* the phonebook */
extern const struct sipcid_web_route sipcid_web_api_numbers_routes[];    /* block/allow/name a number */
extern const struct sipcid_web_route sipcid_web_api_live_routes[];       /* calls in progress (SSE), record on/off */
extern const struct sipcid_web_route sipcid_web_api_listen_routes[];     /* Listen Live */

#endif
