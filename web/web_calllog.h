/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-web's read-only connection to the call log (ctx->calllog): opened
 * when first needed, and opened again when the file was replaced (restored
 * from a backup, moved aside by hand), so the console never shows a file
 * that is gone. sipcid-web never writes the call log. */
#ifndef SIPCID_WEB_CALLLOG_H
#define SIPCID_WEB_CALLLOG_H

#include "web_context.h"

#include <glib.h>
#include <sqlite3.h>

/* The connection, or NULL: with *error set when the file is there but cannot
 * be read (words for the user), without it when there is no call log yet
 * (sipcidd creates it with the first call: an empty log, not an error). */
sqlite3 *sipcid_web_calllog_get(struct sipcid_web_context *ctx, GError **error);
/* Closes ctx->calllog (at exit). */
void sipcid_web_calllog_close(struct sipcid_web_context *ctx);

#endif
