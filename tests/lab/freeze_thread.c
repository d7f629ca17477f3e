/* SPDX-License-Identifier: GPL-2.0-or-later */
/* freeze_thread PID packets|main: stops one thread of sipcidd, and only
 * that one, until this tool gets SIGTERM or SIGINT (or 120 s pass); then
 * lets it go on. A real stall of one thread, without fault-injection code
 * in the daemon: PTRACE_SEIZE + PTRACE_INTERRUPT stop the thread they name,
 * never its siblings (SIGSTOP would stop them all).
 *
 * "packets" is the thread named sipcid-packets (/proc/PID/task/N/comm);
 * "main" is the process's own first thread (TID = PID). Prints
 * "frozen TID" once the thread is stopped, "thawed TID" when it runs again. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { AT_MOST_S = 120 };

static pid_t find_thread(pid_t pid, const char *name)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	pid_t found = -1;
	struct dirent *e;
	while (found < 0 && (e = readdir(d))) {
		char comm_path[sizeof path + 256 + 8], comm[32] = "";
		snprintf(comm_path, sizeof comm_path, "%s/%s/comm", path, e->d_name);
		FILE *f = fopen(comm_path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof comm, f)) {
			comm[strcspn(comm, "\n")] = '\0';
			if (strcmp(comm, name) == 0)
				found = (pid_t)atoi(e->d_name);
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[2], "packets") && strcmp(argv[2], "main"))) {
		fprintf(stderr, "usage: freeze_thread PID packets|main\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[1]);
	pid_t tid = strcmp(argv[2], "main") == 0 ? pid : find_thread(pid, "sipcid-packets");
	if (tid <= 0) {
		fprintf(stderr, "freeze_thread: process %d has no thread named sipcid-packets\n", (int)pid);
		return 1;
	}
	/* The thaw signals wait here, never interrupt the wait below. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) < 0 || ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0) {
		fprintf(stderr, "freeze_thread: ptrace %d: %s\n", (int)tid, strerror(errno));
		return 1;
	}
	int st;
	if (waitpid(tid, &st, __WALL) != tid || !WIFSTOPPED(st)) {
		fprintf(stderr, "freeze_thread: thread %d did not stop\n", (int)tid);
		return 1;
	}
	printf("frozen %d\n", (int)tid);
	fflush(stdout);

	struct timespec limit = { .tv_sec = AT_MOST_S };
	if (sigtimedwait(&set, NULL, &limit) < 0)
		fprintf(stderr, "freeze_thread: no thaw signal in %d s; thawing\n", AT_MOST_S);
	if (ptrace(PTRACE_DETACH, tid, NULL, NULL) < 0) {
		fprintf(stderr, "freeze_thread: detach %d: %s\n", (int)tid, strerror(errno));
		return 1;
	}
	printf("thawed %d\n", (int)tid);
	return 0;
}
