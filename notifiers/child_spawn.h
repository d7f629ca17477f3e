/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Runs programs asynchronously, without a shell, with a bound on how many
 * run at once: a burst of calls or a hung hook must not fork without limit
 * or stall the listener. Beyond max_running, runs wait in a queue of
 * max_queued; beyond that they are dropped (and said so). A child still
 * running after timeout_s gets SIGTERM, then SIGKILL 5 s later. Children are
 * reaped from the thread-default main context. */
#ifndef SIPCID_CHILD_SPAWN_H
#define SIPCID_CHILD_SPAWN_H

#include <stdbool.h>

struct notify_child_spawner;

struct notify_child_spawner *notify_child_spawn_new(const char *what, unsigned max_running,
                                                    unsigned max_queued, unsigned timeout_s);
/* Copies argv and envp (NULL: our own environment). False when dropped or
 * when the program could not be started; both are logged. */
bool notify_child_spawn_run(struct notify_child_spawner *s, char **argv, char **envp);
unsigned notify_child_spawn_running(const struct notify_child_spawner *s);
/* Forgets running children (they finish on their own) and queued runs. */
void notify_child_spawn_free(struct notify_child_spawner *s);

#endif
