/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GFileMonitor on the rule file and the phonebook, debounced. */
#include "rules_watch.h"

#include "log.h"

#include <gio/gio.h>

struct sipcid_rules_watch {
	struct sipcid_rules_settings settings;
	struct sipcid_number_plan plan;
	sipcid_rules_loaded_fn loaded;
	sipcid_rules_failed_fn failed;
	void *user_data;
	GFileMonitor *monitors[2];
	GSource *pending;       /* the debounce timer */
	unsigned delay_ms;
};

bool sipcid_rules_watch_reload(struct sipcid_rules_watch *w)
{
	GError *error = NULL;
	struct sipcid_rules *r = sipcid_rules_load_settings(&w->settings, &w->plan, &error);
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
	for (int i = 0; i < 2; i++) {
		if (!w->monitors[i])
			continue;
		g_signal_handlers_disconnect_by_data(w->monitors[i], w);
		g_file_monitor_cancel(w->monitors[i]);
		g_object_unref(w->monitors[i]);
	}
	if (w->pending) {
		g_source_destroy(w->pending);
		g_source_unref(w->pending);
	}
	sipcid_rules_settings_clear(&w->settings);
	g_free(w);
}
