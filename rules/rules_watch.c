/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GFileMonitor on the rule file, the phonebook and the list files, debounced;
 * and the URL lists' refresh. */
#include "rules_watch.h"

#include "log.h"
#include "rules_list.h"
#include "rules_list_fetch.h"

#include <gio/gio.h>
#include <sys/stat.h>

/* What a loaded list was read from: a list is read again only when its
 * file changed, so editing the rule file does not re-read a million numbers. */
struct list_stamp {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	bool valid;
};

struct sipcid_rules_watch {
	struct sipcid_rules_settings settings;
	struct sipcid_number_plan plan;
	sipcid_rules_loaded_fn loaded;
	sipcid_rules_failed_fn failed;
	void *user_data;
	GFileMonitor *monitors[2];
	GSource *pending;       /* the debounce timer */
	unsigned delay_ms;
	GHashTable *lists;      /* the lists in force (name -> list); NULL until first needed */
	struct list_stamp *stamps;       /* per settings.lists[i] */
	GFileMonitor **list_monitors;    /* per settings.lists[i] (files only) */
	struct sipcid_rules_list_fetch *fetch;
};

static struct list_stamp stamp_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return (struct list_stamp){ 0 };
	return (struct list_stamp){ .dev = st.st_dev, .ino = st.st_ino, .size = st.st_size,
		                    .mtime = st.st_mtim, .valid = true };
}

static bool stamp_same(const struct list_stamp *a, const struct list_stamp *b)
{
	return a->valid == b->valid && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* A new table with the lists whose files changed read again. A list that
 * can no longer be read keeps its last good version; with none (the first
 * reload since start), NULL and the error: the running rules stay. */
static GHashTable *lists_refresh(struct sipcid_rules_watch *w, GError **error)
{
	GHashTable *lists = sipcid_rules_lists_new();
	for (unsigned i = 0; i < w->settings.n_lists; i++) {
		const struct sipcid_rules_list_source *src = &w->settings.lists[i];
		struct sipcid_rules_list *old = w->lists ? g_hash_table_lookup(w->lists, src->name)
		                                         : NULL;
		struct list_stamp now = stamp_of(src->path);
		if (old && stamp_same(&now, &w->stamps[i])) {
			sipcid_rules_lists_put(lists, old);
			continue;
		}
		GError *err = NULL;
		struct sipcid_rules_list *l = sipcid_rules_settings_load_list(src, &w->plan, &err);
		if (!l && !old) {
			g_propagate_error(error, err);
			g_hash_table_unref(lists);
			return NULL;
		}
		if (!l) {
			sipcid_log_warnx("%s; the list loaded before stays in force", err->message);
			g_error_free(err);
			l = sipcid_rules_list_ref(old);
		} else {
			w->stamps[i] = now;
			sipcid_log_info("list %s: %zu numbers", src->name, sipcid_rules_list_count(l));
		}
		sipcid_rules_lists_put(lists, l);
		sipcid_rules_list_unref(l);
	}
	if (w->lists)
		g_hash_table_unref(w->lists);
	w->lists = lists;
	return lists;
}

bool sipcid_rules_watch_reload(struct sipcid_rules_watch *w)
{
	GError *error = NULL;
	GHashTable *lists = lists_refresh(w, &error);
	struct sipcid_rules *r =
		lists ? sipcid_rules_load_settings_with(&w->settings, &w->plan, lists, &error) : NULL;
	if (!r) {
		if (w->failed)
			w->failed(error, w->user_data);
		else
			sipcid_log_warnx("the rules were not reloaded; the previous rules stay in force:\n%s",
			                 error->message);
		g_error_free(error);
		return false;
	}
	w->loaded(r, w->user_data);
	sipcid_rules_unref(r);
	return true;
}

static gboolean debounced(gpointer data)
{
	struct sipcid_rules_watch *w = data;
	g_source_unref(w->pending);
	w->pending = NULL;
	sipcid_rules_watch_reload(w);
	return G_SOURCE_REMOVE;
}

static void on_change(GFileMonitor *monitor, GFile *file, GFile *other,
                      GFileMonitorEvent event, gpointer data)
{
	(void)monitor;
	(void)file;
	(void)other;
	struct sipcid_rules_watch *w = data;
	switch (event) {
	case G_FILE_MONITOR_EVENT_CHANGED:
	case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
	case G_FILE_MONITOR_EVENT_DELETED:
	case G_FILE_MONITOR_EVENT_CREATED:
	case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
	case G_FILE_MONITOR_EVENT_MOVED:
	case G_FILE_MONITOR_EVENT_RENAMED:
	case G_FILE_MONITOR_EVENT_MOVED_IN:
	case G_FILE_MONITOR_EVENT_MOVED_OUT:
		break;
	default:
		return;
	}
	/* Every event pushes the reload back: load once the writing is done. */
	if (w->pending) {
		g_source_destroy(w->pending);
		g_source_unref(w->pending);
	}
	w->pending = g_timeout_source_new(w->delay_ms);
	g_source_set_callback(w->pending, debounced, w, NULL);
	g_source_attach(w->pending, g_main_context_get_thread_default());
}

/* A URL list's new copy is in place: load it now rather than on the monitor's word. */
static void on_fetched(const struct sipcid_rules_list_source *src,
                       enum sipcid_rules_list_fetch_result result, void *data)
{
	(void)src;
	if (result == SIPCID_RULES_LIST_FETCHED)
		sipcid_rules_watch_reload(data);
}

static void monitor_free(GFileMonitor *m, struct sipcid_rules_watch *w)
{
	if (!m)
		return;
	g_signal_handlers_disconnect_by_data(m, w);
	g_file_monitor_cancel(m);
	g_object_unref(m);
}

static GFileMonitor *watch_file(struct sipcid_rules_watch *w, const char *path)
{
	if (!path)
		return NULL;
	g_autoptr(GFile) file = g_file_new_for_path(path);
	GError *error = NULL;
	/* WATCH_MOVES: an editor that saves by renaming a new file over the old. */
	GFileMonitor *m = g_file_monitor_file(file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
	if (!m) {
		sipcid_log_warnx("%s: changes will not be noticed (reload with SIGHUP): %s", path,
		                 error->message);
		g_error_free(error);
		return NULL;
	}
	g_signal_connect(m, "changed", G_CALLBACK(on_change), w);
	return m;
}

struct sipcid_rules_watch *sipcid_rules_watch_new(const struct sipcid_rules_settings *settings,
                                                  const struct sipcid_number_plan *plan,
                                                  sipcid_rules_loaded_fn loaded,
                                                  sipcid_rules_failed_fn failed,
                                                  void *user_data)
{
	struct sipcid_rules_watch *w = g_new0(struct sipcid_rules_watch, 1);
	sipcid_rules_settings_copy(&w->settings, settings);
	w->plan = *plan;
	w->loaded = loaded;
	w->failed = failed;
	w->user_data = user_data;
	w->delay_ms = SIPCID_RULES_WATCH_DELAY_MS;
	w->monitors[0] = watch_file(w, w->settings.rules_path);
	w->monitors[1] = watch_file(w, w->settings.phonebook_path);
	unsigned n = w->settings.n_lists;
	w->stamps = g_new0(struct list_stamp, n ? n : 1);
	w->list_monitors = g_new0(GFileMonitor *, n ? n : 1);
	for (unsigned i = 0; i < n; i++)
		if (!w->settings.lists[i].url)
			w->list_monitors[i] = watch_file(w, w->settings.lists[i].path);
	w->fetch = sipcid_rules_list_fetch_new(&w->settings, &w->plan, on_fetched, w);
	return w;
}

void sipcid_rules_watch_set_delay(struct sipcid_rules_watch *w, unsigned delay_ms)
{
	w->delay_ms = delay_ms;
}

void sipcid_rules_watch_free(struct sipcid_rules_watch *w)
{
	if (!w)
		return;
	sipcid_rules_list_fetch_free(w->fetch);
	for (int i = 0; i < 2; i++)
		monitor_free(w->monitors[i], w);
	for (unsigned i = 0; i < w->settings.n_lists; i++)
		monitor_free(w->list_monitors[i], w);
	g_free(w->list_monitors);
	g_free(w->stamps);
	if (w->lists)
		g_hash_table_unref(w->lists);
	if (w->pending) {
		g_source_destroy(w->pending);
		g_source_unref(w->pending);
	}
	sipcid_rules_settings_clear(&w->settings);
	g_free(w);
}
