/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Puts the guard's ACCEPT into chain SIPCID and takes it out (guard_bypass.h). */
#include "guard_bypass.h"

#include "log.h"

#include <gio/gio.h>

enum { CLOSE_AT_MOST = 16 };  /* copies deleted per family: bounded */

static const char *const RULE[] = {
	"-m", "comment", "--comment", SIPCID_GUARD_BYPASS_COMMENT, "-j", "ACCEPT",
};

static GSubprocess *start(const char *program, const char *op, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (char *)program);
	g_ptr_array_add(argv, "-w");
	g_ptr_array_add(argv, (char *)op);
	g_ptr_array_add(argv, SIPCID_GUARD_BYPASS_CHAIN);
	if (g_str_equal(op, "-I"))
		g_ptr_array_add(argv, "1");  /* at the top, before the NFQUEUE rules */
	for (size_t i = 0; i < G_N_ELEMENTS(RULE); i++)
		g_ptr_array_add(argv, (char *)RULE[i]);
	g_ptr_array_add(argv, NULL);
	return g_subprocess_newv((const char *const *)argv->pdata,
	                         G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
	                         error);
}

/* Waits for `p`; true when it exited 0. Otherwise *why says what it said. */
static bool finish(GSubprocess *p, char **why)
{
	g_autofree char *err = NULL;
	GError *error = NULL;
	if (!g_subprocess_communicate_utf8(p, NULL, NULL, NULL, &err, &error)) {
		*why = g_strdup(error->message);
		g_error_free(error);
		return false;
	}
	if (g_subprocess_get_if_exited(p) && g_subprocess_get_exit_status(p) == 0)
		return true;
	*why = g_strdup(err && *err ? g_strstrip(err) : "failed");
	return false;
}

/* Runs `op` in every family at once; ok[i] says where it worked. */
static void run_all(struct sipcid_guard_bypass *b, const char *op, const bool *which,
                    bool *ok, bool report)
{
	GSubprocess *p[SIPCID_GUARD_BYPASS_FAMILIES] = { 0 };
	char *why[SIPCID_GUARD_BYPASS_FAMILIES] = { 0 };
	for (int i = 0; i < SIPCID_GUARD_BYPASS_FAMILIES; i++) {
		ok[i] = false;
		GError *error = NULL;
		if (which[i] && !(p[i] = start(b->program[i], op, &error))) {
			why[i] = g_strdup(error->message);
			g_error_free(error);
		}
	}
	for (int i = 0; i < SIPCID_GUARD_BYPASS_FAMILIES; i++) {
		if (p[i]) {
			ok[i] = finish(p[i], &why[i]);
			g_object_unref(p[i]);
		}
		if (report && which[i] && !ok[i] && !b->failing[i])
			sipcid_log_warnx("%s %s " SIPCID_GUARD_BYPASS_CHAIN ": %s", b->program[i], op, why[i]);
		if (report && which[i])
			b->failing[i] = !ok[i];
		g_free(why[i]);
	}
}

bool sipcid_guard_bypass_open(struct sipcid_guard_bypass *b, bool check)
{
	bool need[SIPCID_GUARD_BYPASS_FAMILIES], ok[SIPCID_GUARD_BYPASS_FAMILIES];
	for (int i = 0; i < SIPCID_GUARD_BYPASS_FAMILIES; i++)
		need[i] = true;
	if (check) {
		bool there[SIPCID_GUARD_BYPASS_FAMILIES];
		run_all(b, "-C", need, there, false);
		for (int i = 0; i < SIPCID_GUARD_BYPASS_FAMILIES; i++)
			need[i] = !there[i];
	}
	run_all(b, "-I", need, ok, true);
	bool all = true;
	for (int i = 0; i < SIPCID_GUARD_BYPASS_FAMILIES; i++)
		all = all && (ok[i] || !need[i]);
	return all;
}

bool sipcid_guard_bypass_close(struct sipcid_guard_bypass *b)
{
	bool more[SIPCID_GUARD_BYPASS_FAMILIES], ok[SIPCID_GUARD_BYPASS_FAMILIES];
	for (int i = 0; i < SIPCID_GUARD_BYPASS_FAMILIES; i++)
		more[i] = true;
	/* -D deletes one copy and fails once none is left (or the chain is gone). */
	for (int n = 0; n < CLOSE_AT_MOST; n++) {
		run_all(b, "-D", more, ok, false);
		bool any = false;
		for (int i = 0; i < SIPCID_GUARD_BYPASS_FAMILIES; i++) {
			more[i] = ok[i];
			any = any || ok[i];
		}
		if (!any)
			return true;
	}
	return false;
}
