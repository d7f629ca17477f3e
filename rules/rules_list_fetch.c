/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Refreshing URL lists with libsoup 3 (see rules_list_fetch.h). */
#include "rules_list_fetch.h"

#include "log.h"
#include "rules_list.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>

enum {
	READ_CHUNK = 64 * 1024,
	RETRY_MAX_S = 600,      /* a failed fetch is tried again after at most this */
	DEADLINE_TIMES = 4,     /* the whole fetch may take this many timeouts */
	VALIDATOR_MAX = 256,    /* bytes of an ETag or Last-Modified worth keeping */
};

struct job {
	struct sipcid_rules_list_fetch *f;
	const struct sipcid_rules_list_source *src;
	SoupMessage *msg;
	GCancellable *cancel;
	GInputStream *in;
	GByteArray *body;
	GSource *timer;       /* the next fetch */
	GSource *deadline;    /* the one under way must end by then */
	bool busy, past_deadline;
};

struct sipcid_rules_list_fetch {
	struct sipcid_rules_settings s;
	struct sipcid_number_plan plan;
	SoupSession *session;
	struct job *jobs;
	unsigned n_jobs;
	sipcid_rules_list_fetched_fn done;
	void *user_data;
	bool closing;   /* freed: the last fetch under way frees it when it ends */
};

static void really_free(struct sipcid_rules_list_fetch *f)
{
	g_object_unref(f->session);
	g_free(f->jobs);
	sipcid_rules_settings_clear(&f->s);
	g_free(f);
}

static bool any_busy(const struct sipcid_rules_list_fetch *f)
{
	for (unsigned i = 0; i < f->n_jobs; i++)
		if (f->jobs[i].busy)
			return true;
	return false;
}

static void start(struct job *j);

static GSource *add_timer(unsigned seconds, GSourceFunc fn, void *data)
{
	GSource *src = seconds ? g_timeout_source_new_seconds(seconds) : g_idle_source_new();
	g_source_set_callback(src, fn, data, NULL);
	g_source_attach(src, g_main_context_get_thread_default());
	return src;
}

static void drop_timer(GSource **src)
{
	if (*src) {
		g_source_destroy(*src);
		g_source_unref(*src);
		*src = NULL;
	}
}

static gboolean on_timer(gpointer data)
{
	struct job *j = data;
	g_source_unref(j->timer);
	j->timer = NULL;
	start(j);
	return G_SOURCE_REMOVE;
}

/* The ETag and Last-Modified of the copy, and when it was last checked. */
static char *meta_path(const struct job *j)
{
	return g_strconcat(j->src->path, ".meta", NULL);
}

static GKeyFile *meta_load(const struct job *j)
{
	g_autofree char *path = meta_path(j);
	GKeyFile *kf = g_key_file_new();
	g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL);
	return kf;
}

/* A validator from a stranger goes back into a request header: keep it only
 * when it is short printable ASCII. */
static bool validator_ok(const char *v)
{
	if (!v || !v[0] || strlen(v) > VALIDATOR_MAX)
		return false;
	for (const char *p = v; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}

static void meta_save(const struct job *j, bool new_copy)
{
	g_autoptr(GKeyFile) kf = meta_load(j);
	if (new_copy) {
		SoupMessageHeaders *h = soup_message_get_response_headers(j->msg);
		const char *etag = soup_message_headers_get_one(h, "ETag");
		const char *modified = soup_message_headers_get_one(h, "Last-Modified");
		g_key_file_remove_key(kf, "fetch", "etag", NULL);
		g_key_file_remove_key(kf, "fetch", "last-modified", NULL);
		if (validator_ok(etag))
			g_key_file_set_string(kf, "fetch", "etag", etag);
		if (validator_ok(modified))
			g_key_file_set_string(kf, "fetch", "last-modified", modified);
		g_key_file_set_string(kf, "fetch", "url", j->src->url);
	}
	g_key_file_set_int64(kf, "fetch", "checked", g_get_real_time() / G_USEC_PER_SEC);
	g_autofree char *path = meta_path(j);
	GError *error = NULL;
	if (!g_key_file_save_to_file(kf, path, &error)) {
		sipcid_log_warnx("list %s: %s", j->src->name, error->message);
		g_error_free(error);
	}
}

/* Ends the fetch under way and schedules the next. */
static void finish(struct job *j, enum sipcid_rules_list_fetch_result result, const char *why)
{
	struct sipcid_rules_list_fetch *f = j->f;
	drop_timer(&j->deadline);
	g_clear_object(&j->in);
	g_clear_object(&j->msg);
	g_clear_object(&j->cancel);
	if (j->body) {
		g_byte_array_unref(j->body);
		j->body = NULL;
	}
	j->busy = false;
	if (f->closing) {
		if (!any_busy(f))
			really_free(f);
		return;
	}
	unsigned next = f->s.list_refresh_s;
	if (result == SIPCID_RULES_LIST_FETCH_FAILED) {
		sipcid_log_warnx("list %s: the refresh from %s failed (%s); the list loaded before "
		                 "stays in force", j->src->name, j->src->url, why);
		next = MIN(next, RETRY_MAX_S);
	} else if (result == SIPCID_RULES_LIST_NOT_MODIFIED) {
		sipcid_log_debug("list %s: %s has not changed", j->src->name, j->src->url);
	}
	drop_timer(&j->timer);
	j->timer = add_timer(next, on_timer, j);
	if (f->done)
		f->done(j->src, result, f->user_data);
}

static unsigned deadline_s(const struct job *j)
{
	return j->f->s.list_timeout_s * DEADLINE_TIMES;
}

static void fail_error(struct job *j, GError *error)
{
	g_autofree char *why = NULL;
	if (j->past_deadline)
		why = g_strdup_printf("not done within %u s", deadline_s(j));
	else
		why = g_strdup(error ? error->message : "unknown error");
	if (error)
		g_error_free(error);
	finish(j, SIPCID_RULES_LIST_FETCH_FAILED, why);
}

/* A body that is not a list of numbers (an error page, a truncated file)
 * must not replace the list: most lines must be numbers. */
static void complete(struct job *j)
{
	const char *data = (const char *)j->body->data;
	size_t len = j->body->len;
	if (!len) {
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, "the answer was empty");
		return;
	}
	if (memchr(data, '\0', len)) {
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, "not a list of numbers: it holds NUL bytes");
		return;
	}
	g_autoptr(sipcid_rules_list) l =
		sipcid_rules_list_parse(j->src->name, j->src->url, data, len, &j->f->plan);
	if (sipcid_rules_list_skipped(l) > sipcid_rules_list_count(l)) {
		g_autofree char *why = g_strdup_printf(
			"not a list of numbers: %u lines are not numbers, %zu are",
			sipcid_rules_list_skipped(l), sipcid_rules_list_count(l));
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, why);
		return;
	}
	g_autofree char *dir = g_path_get_dirname(j->src->path);
	GError *error = NULL;
	if (g_mkdir_with_parents(dir, 0755) < 0) {
		g_autofree char *why = g_strdup_printf("cannot make %s: %s", dir, g_strerror(errno));
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, why);
		return;
	}
	/* A new file renamed over the old: the watcher never reads half a list. */
	if (!g_file_set_contents(j->src->path, data, (gssize)len, &error)) {
		fail_error(j, error);
		return;
	}
	meta_save(j, true);
	sipcid_log_info("list %s: %zu numbers fetched from %s", j->src->name,
	                sipcid_rules_list_count(l), j->src->url);
	finish(j, SIPCID_RULES_LIST_FETCHED, NULL);
}

static void on_read(GObject *source, GAsyncResult *res, gpointer data)
{
	struct job *j = data;
	GError *error = NULL;
	GBytes *bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (!bytes) {
		fail_error(j, error);
		return;
	}
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(bytes, &n);
	if (n == 0) {
		g_bytes_unref(bytes);
		complete(j);
		return;
	}
	g_byte_array_append(j->body, p, (guint)n);
	g_bytes_unref(bytes);
	if (j->body->len > j->f->s.list_max_bytes) {
		g_autofree char *why = g_strdup_printf("larger than max-size, %" G_GUINT64_FORMAT
		                                       " bytes", j->f->s.list_max_bytes);
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, why);
		return;
	}
	g_input_stream_read_bytes_async(j->in, READ_CHUNK, G_PRIORITY_LOW, j->cancel, on_read, j);
}

static void on_sent(GObject *source, GAsyncResult *res, gpointer data)
{
	struct job *j = data;
	GError *error = NULL;
	j->in = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (!j->in) {
		fail_error(j, error);
		return;
	}
	guint status = soup_message_get_status(j->msg);
	if (status == SOUP_STATUS_NOT_MODIFIED) {
		meta_save(j, false);
		finish(j, SIPCID_RULES_LIST_NOT_MODIFIED, NULL);
		return;
	}
	if (status != SOUP_STATUS_OK) {
		g_autofree char *why = g_strdup_printf("HTTP %u", status);
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, why);
		return;
	}
	goffset length = soup_message_headers_get_content_length(
		soup_message_get_response_headers(j->msg));
	if (length > 0 && (guint64)length > j->f->s.list_max_bytes) {
		g_autofree char *why = g_strdup_printf("%" G_GOFFSET_FORMAT " bytes, larger than "
		                                       "max-size", length);
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, why);
		return;
	}
	j->body = g_byte_array_new();
	g_input_stream_read_bytes_async(j->in, READ_CHUNK, G_PRIORITY_LOW, j->cancel, on_read, j);
}

/* A server that trickles a byte now and then never trips the I/O timeout. */
static gboolean on_deadline(gpointer data)
{
	struct job *j = data;
	g_source_unref(j->deadline);
	j->deadline = NULL;
	j->past_deadline = true;
	g_cancellable_cancel(j->cancel);
	return G_SOURCE_REMOVE;
}

static void start(struct job *j)
{
	if (j->busy)
		return;
	j->msg = soup_message_new("GET", j->src->url);
	if (!j->msg) {
		finish(j, SIPCID_RULES_LIST_FETCH_FAILED, "not a valid URL");
		return;
	}
	j->busy = true;
	j->past_deadline = false;
	SoupMessageHeaders *h = soup_message_get_request_headers(j->msg);
	if (g_file_test(j->src->path, G_FILE_TEST_EXISTS)) {
		g_autoptr(GKeyFile) kf = meta_load(j);
		g_autofree char *url = g_key_file_get_string(kf, "fetch", "url", NULL);
		g_autofree char *etag = g_key_file_get_string(kf, "fetch", "etag", NULL);
		g_autofree char *modified = g_key_file_get_string(kf, "fetch", "last-modified", NULL);
		/* Validators are only good for the URL that gave them. */
		if (url && !strcmp(url, j->src->url)) {
			if (validator_ok(etag))
				soup_message_headers_replace(h, "If-None-Match", etag);
			if (validator_ok(modified))
				soup_message_headers_replace(h, "If-Modified-Since", modified);
		}
	}
	j->cancel = g_cancellable_new();
	j->deadline = add_timer(deadline_s(j), on_deadline, j);
	soup_session_send_async(j->f->session, j->msg, G_PRIORITY_LOW, j->cancel, on_sent, j);
}

/* Seconds until list j is due: now when its copy is missing or stale. */
static unsigned due_in(const struct job *j)
{
	if (!g_file_test(j->src->path, G_FILE_TEST_EXISTS))
		return 0;
	g_autoptr(GKeyFile) kf = meta_load(j);
	gint64 checked = g_key_file_get_int64(kf, "fetch", "checked", NULL);
	gint64 age = g_get_real_time() / G_USEC_PER_SEC - checked;
	gint64 refresh = j->f->s.list_refresh_s;
	return age < 0 || age >= refresh ? 0 : (unsigned)(refresh - age);
}

struct sipcid_rules_list_fetch *sipcid_rules_list_fetch_new(const struct sipcid_rules_settings *s,
                                                            const struct sipcid_number_plan *plan,
                                                            sipcid_rules_list_fetched_fn done,
                                                            void *user_data)
{
	unsigned n = 0;
	for (unsigned i = 0; i < s->n_lists; i++)
		n += s->lists[i].url != NULL;
	if (!n)
		return NULL;
	struct sipcid_rules_list_fetch *f = g_new0(struct sipcid_rules_list_fetch, 1);
	sipcid_rules_settings_copy(&f->s, s);
	f->plan = *plan;
	f->done = done;
	f->user_data = user_data;
	/* "timeout" bounds connecting and each read; TLS is verified (the system's CAs). */
	f->session = soup_session_new_with_options("timeout", f->s.list_timeout_s,
	                                           "user-agent", "sipcid/" SIPCID_VERSION, NULL);
	f->jobs = g_new0(struct job, n);
	for (unsigned i = 0; i < f->s.n_lists; i++) {
		if (!f->s.lists[i].url)
			continue;
		struct job *j = &f->jobs[f->n_jobs++];
		j->f = f;
		j->src = &f->s.lists[i];
		j->timer = add_timer(due_in(j), on_timer, j);
	}
	return f;
}

bool sipcid_rules_list_fetch_now(struct sipcid_rules_list_fetch *f, const char *name)
{
	for (unsigned i = 0; f && i < f->n_jobs; i++) {
		if (strcmp(f->jobs[i].src->name, name))
			continue;
		drop_timer(&f->jobs[i].timer);
		start(&f->jobs[i]);
		return true;
	}
	return false;
}

void sipcid_rules_list_fetch_free(struct sipcid_rules_list_fetch *f)
{
	if (!f)
		return;
	for (unsigned i = 0; i < f->n_jobs; i++) {
		struct job *j = &f->jobs[i];
		/* Cancelled callbacks still run later: they must find nothing to do. */
		if (j->cancel)
			g_cancellable_cancel(j->cancel);
		drop_timer(&j->timer);
		drop_timer(&j->deadline);
	}
	f->closing = true;
	soup_session_abort(f->session);
	if (!any_busy(f))
		really_free(f);
}
