/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The call log, read-only, for sipcid-web (see web_calllog.h). */
#include "web_calllog.h"

#include "calllog_schema.h"

#include <errno.h>
#include <sys/stat.h>

/* sipcid-web has one context and so one call log: which file the open
 * connection reads, to notice when the path names another one. */
static dev_t open_dev;
static ino_t open_ino;

void sipcid_web_calllog_close(struct sipcid_web_context *ctx)
{
	if (ctx->calllog)
		sqlite3_close(ctx->calllog);
	ctx->calllog = NULL;
}

sqlite3 *sipcid_web_calllog_get(struct sipcid_web_context *ctx, GError **error)
{
	struct stat st;
	if (stat(ctx->calllog_path, &st) != 0) {
		sipcid_web_calllog_close(ctx);
		if (errno == ENOENT)
			return NULL;
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "%s: cannot read the call log: %s",
		            ctx->calllog_path, g_strerror(errno));
		return NULL;
	}
	if (ctx->calllog && (st.st_dev != open_dev || st.st_ino != open_ino))
		sipcid_web_calllog_close(ctx);
	if (ctx->calllog)
		return ctx->calllog;
	ctx->calllog = sipcid_calllog_open_read(ctx->calllog_path, error);
	if (!ctx->calllog)
		return NULL;
	/* A small page cache: sipcid-web should stay within a few MiB (the
	 * kernel's own cache keeps the file's hot pages anyway). */
	sqlite3_exec(ctx->calllog, "PRAGMA cache_size=-1024", NULL, NULL, NULL);
	open_dev = st.st_dev;
	open_ino = st.st_ino;
	return ctx->calllog;
}
