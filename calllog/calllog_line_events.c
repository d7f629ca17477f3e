/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The line_events table, read back. */
#include "calllog_line_events.h"

#include "calllog_schema.h"
#include "text.h"

#include <string.h>

static void column_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	/* The file may have been edited by hand: cleaned like any input. */
	sipcid_text_clean(s ? s : "", s ? (size_t)sqlite3_column_bytes(st, i) : 0, out, size);
}

bool sipcid_calllog_line_events(sqlite3 *db, const struct sipcid_calllog_filter *f,
                                sipcid_calllog_line_event_fn fn, void *ctx, GError **error)
{
	g_autofree char *sql = g_strdup_printf(
		"SELECT time_us, kind, state, reason, registrar, since_us, new_messages,"
		" old_messages, urgent_messages FROM line_events"
		" WHERE (?1 = 0 OR time_us >= ?1) AND (?2 = 0 OR time_us < ?2)"
		" ORDER BY time_us %s, id %s LIMIT ?3",
		f->newest_first ? "DESC" : "ASC", f->newest_first ? "DESC" : "ASC");
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "cannot read line events: %s",
		            sqlite3_errmsg(db));
		return false;
	}
	sqlite3_bind_int64(st, 1, f->since_us);
	sqlite3_bind_int64(st, 2, f->until_us);
	sqlite3_bind_int64(st, 3, f->limit > 0 ? f->limit : -1);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sipcid_line_event ev;
		memset(&ev, 0, sizeof ev);
		char text[16];
		ev.time_us = sqlite3_column_int64(st, 0);
		column_text(st, 1, text, sizeof text);
		if (!sipcid_line_event_kind_parse(text, &ev.kind))
			continue;  /* a kind from a newer sipcidd */
		column_text(st, 2, text, sizeof text);
		(void)sipcid_line_event_state_parse(text, &ev.state);
		column_text(st, 3, ev.reason, sizeof ev.reason);
		column_text(st, 4, ev.registrar, sizeof ev.registrar);
		ev.since_us = sqlite3_column_int64(st, 5);
		ev.new_messages = sqlite3_column_int(st, 6);
		ev.old_messages = sqlite3_column_int(st, 7);
		ev.urgent_new = sqlite3_column_int(st, 8);
		ev.urgent_old = -1;  /* not kept */
		ev.waiting = ev.new_messages > 0;
		fn(ctx, &ev);
	}
	bool ok = rc == SQLITE_DONE;
	if (!ok)
		g_set_error(error, SIPCID_CALLLOG_ERROR, 0, "cannot read line events: %s",
		            sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return ok;
}
