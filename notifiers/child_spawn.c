/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded asynchronous child processes (see child_spawn.h). */
#include "child_spawn.h"

#include "log.h"

#include <glib.h>
#include <signal.h>
#include <sys/types.h>

enum { KILL_GRACE_S = 5 };

struct run {
	char **argv;
	char **envp;
};

struct child {
	struct notify_child_spawner *owner;
	GPid pid;
	char *program;
	guint watch_id;
	guint timeout_id;
	bool terminated;
};

struct notify_child_spawner {
	char *what;
	unsigned max_running, max_queued, timeout_s;
	GQueue queue;      /* of struct run */
	GList *children;   /* of struct child */
};

static void run_free(struct run *r)
{
	g_strfreev(r->argv);
	g_strfreev(r->envp);
	g_free(r);
}

static void start_next(struct notify_child_spawner *s);

static void child_forget(struct child *c)
{
	if (c->watch_id)
		g_source_remove(c->watch_id);
	if (c->timeout_id)
		g_source_remove(c->timeout_id);
	g_free(c->program);
	g_free(c);
}

static void child_exited(GPid pid, int status, void *data)
{
	struct child *c = data;
	struct notify_child_spawner *s = c->owner;
	g_autoptr(GError) err = NULL;
	if (!c->terminated && !g_spawn_check_wait_status(status, &err))
		sipcid_log_warnx("%s %s: %s", s->what, c->program, err->message);
	g_spawn_close_pid(pid);
	c->watch_id = 0; /* the source removes itself after this callback */
	s->children = g_list_remove(s->children, c);
	child_forget(c);
	start_next(s);
}

static gboolean child_overdue(void *data)
{
	struct child *c = data;
	if (!c->terminated) {
		sipcid_log_warnx("%s %s still running after %u s, stopping it", c->owner->what,
		                 c->program, c->owner->timeout_s);
		c->terminated = true;
		kill(c->pid, SIGTERM);
		c->timeout_id = g_timeout_add_seconds(KILL_GRACE_S, child_overdue, c);
	} else {
		kill(c->pid, SIGKILL);
		c->timeout_id = 0;
	}
	return G_SOURCE_REMOVE;
}

static bool spawn(struct notify_child_spawner *s, struct run *r)
{
	GPid pid;
	g_autoptr(GError) err = NULL;
	/* No shell, no inherited descriptors but stdout/stderr (GLib closes the
	 * rest), and nothing to read on stdin. */
	if (!g_spawn_async(NULL, r->argv, r->envp,
	                   G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
	                   &pid, &err)) {
		sipcid_log_warnx("cannot run %s %s: %s", s->what, r->argv[0], err->message);
		return false;
	}
	struct child *c = g_new0(struct child, 1);
	c->owner = s;
	c->pid = pid;
	c->program = g_strdup(r->argv[0]);
	c->watch_id = g_child_watch_add(pid, child_exited, c);
	if (s->timeout_s)
		c->timeout_id = g_timeout_add_seconds(s->timeout_s, child_overdue, c);
	s->children = g_list_prepend(s->children, c);
	return true;
}

static void start_next(struct notify_child_spawner *s)
{
	while (!g_queue_is_empty(&s->queue) && g_list_length(s->children) < s->max_running) {
		struct run *r = g_queue_pop_head(&s->queue);
		spawn(s, r);
		run_free(r);
	}
}

struct notify_child_spawner *notify_child_spawn_new(const char *what, unsigned max_running,
                                                    unsigned max_queued, unsigned timeout_s)
{
	struct notify_child_spawner *s = g_new0(struct notify_child_spawner, 1);
	s->what = g_strdup(what);
	s->max_running = max_running ? max_running : 1;
	s->max_queued = max_queued;
	s->timeout_s = timeout_s;
	g_queue_init(&s->queue);
	return s;
}

bool notify_child_spawn_run(struct notify_child_spawner *s, char **argv, char **envp)
{
	struct run *r = g_new0(struct run, 1);
	r->argv = g_strdupv(argv);
	r->envp = envp ? g_strdupv(envp) : g_get_environ();
	if (g_list_length(s->children) < s->max_running) {
		bool ok = spawn(s, r);
		run_free(r);
		return ok;
	}
	if (g_queue_get_length(&s->queue) >= s->max_queued) {
		sipcid_log_warnx("%u %s programs still running and %u waiting; "
		                 "not running %s for this call",
		                 s->max_running, s->what, s->max_queued, argv[0]);
		run_free(r);
		return false;
	}
	g_queue_push_tail(&s->queue, r);
	return true;
}

unsigned notify_child_spawn_running(const struct notify_child_spawner *s)
{
	return g_list_length(s->children);
}

void notify_child_spawn_free(struct notify_child_spawner *s)
{
	if (!s)
		return;
	g_list_free_full(s->children, (GDestroyNotify)child_forget);
	g_queue_clear_full(&s->queue, (GDestroyNotify)run_free);
	g_free(s->what);
	g_free(s);
}
