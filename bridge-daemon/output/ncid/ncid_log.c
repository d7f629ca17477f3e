/* Reading the call log for a connecting NCID client (ncid_log.h). */
#include "ncid_log.h"

#include "calllog_query.h"
#include "calllog_schema.h"
#include "log.h"
#include "ncid_line.h"

struct log_job {
	char database[4096];
	int calls;
	struct sipcid_ncid_settings settings;
};

static void keep_row(void *ctx, const struct sipcid_calllog_row *row)
{
	g_array_append_val((GArray *)ctx, row->call);
}

static void read_in_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
	(void)source;
	(void)cancel;
	const struct log_job *job = data;
	GString *out = g_string_new(NULL);
	GError *error = NULL;
	if (!g_file_test(job->database, G_FILE_TEST_EXISTS)) {
		g_string_append(out, "253 No Call log\r\n");
		g_task_return_pointer(task, out, NULL);
		return;
	}
	sqlite3 *db = sipcid_calllog_open_read(job->database, &error);
	GArray *calls = g_array_new(FALSE, FALSE, sizeof(struct sipcid_call));
	struct sipcid_calllog_filter f = { .limit = job->calls, .newest_first = true };
	if (!db || !sipcid_calllog_query(db, &f, keep_row, calls, &error)) {
		sipcid_log_gerror("[ncid] call log for a client", error);
		g_clear_error(&error);
		g_string_append(out, "253 No Call log\r\n");
	} else if (calls->len == 0) {
		g_string_append(out, "252 Call log empty\r\n");
	} else {
		g_string_append(out, "254 Start of call log\r\n");
		for (guint i = calls->len; i-- > 0;)
			sipcid_ncid_line_logged(out, &job->settings,
			                        &g_array_index(calls, struct sipcid_call, i));
		g_string_append(out, "250 End of call log\r\n");
	}
	if (db)
		sqlite3_close(db);
	g_array_free(calls, TRUE);
	g_task_return_pointer(task, out, NULL);
}

void sipcid_ncid_log_read(const char *database, int calls, const struct sipcid_ncid_settings *s,
                          GAsyncReadyCallback callback, gpointer user_data)
{
	struct log_job *job = g_new0(struct log_job, 1);
	g_strlcpy(job->database, database, sizeof job->database);
	job->calls = calls;
	job->settings = *s;
	GTask *task = g_task_new(NULL, NULL, callback, user_data);
	g_task_set_task_data(task, job, g_free);
	g_task_run_in_thread(task, read_in_thread);
	g_object_unref(task);
}

GString *sipcid_ncid_log_read_finish(GAsyncResult *result)
{
	return g_task_propagate_pointer(G_TASK(result), NULL);
}
