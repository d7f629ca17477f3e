/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What sipcidd owns and writes once it is no longer root (see privdrop.h). */
#include "privdrop.h"

#include "control.h"
#include "state_dir.h"

#include <string.h>

static void add(GPtrArray *a, const char *path)
{
	g_ptr_array_add(a, g_strdup(path));
}

void sipcid_privdrop_paths_for(struct sipcid_privdrop_paths *out, const struct sipcid_settings *s,
                               const char *control_path)
{
	GPtrArray *own = out->hand_over = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *write = out->must_write = g_ptr_array_new_with_free_func(g_free);
	char anything[4096];
	sipcid_state_path("x", anything, sizeof anything);
	g_autofree char *state = g_path_get_dirname(anything);
	add(own, state);
	if (s->log.enabled) {
		add(own, s->log.database);
		g_ptr_array_add(own, g_strconcat(s->log.database, "-wal", NULL));
		g_ptr_array_add(own, g_strconcat(s->log.database, "-shm", NULL));
		g_ptr_array_add(write, g_path_get_dirname(s->log.database));
	}
	if (s->record.enabled) {
		/* Only a recordings directory inside the state directory is
		 * sipcid's to give away; elsewhere the user must be able to write. */
		if (g_str_has_prefix(s->record.directory, state) &&
		    s->record.directory[strlen(state)] == '/')
			add(own, s->record.directory);
		add(write, s->record.directory);
	}
	if (!control_path || strcmp(control_path, SIPCID_CONTROL_DEFAULT_PATH) == 0)
		g_ptr_array_add(own, g_path_get_dirname(SIPCID_CONTROL_DEFAULT_PATH));
	/* The socket itself (0700): its user may connect, as sipcid-web does
	 * running as that user (control.h). */
	if (!control_path || *control_path)
		add(own, control_path ? control_path : SIPCID_CONTROL_DEFAULT_PATH);
	g_ptr_array_add(own, NULL);
	g_ptr_array_add(write, NULL);
}

void sipcid_privdrop_paths_clear(struct sipcid_privdrop_paths *p)
{
	if (p->hand_over)
		g_ptr_array_unref(p->hand_over);
	if (p->must_write)
		g_ptr_array_unref(p->must_write);
	p->hand_over = p->must_write = NULL;
}

enum sipcid_privdrop_result sipcid_privdrop_live(const struct sipcid_settings *s,
                                                 const char *control_path, GError **error)
{
	struct sipcid_privdrop_paths paths;
	sipcid_privdrop_paths_for(&paths, s, control_path);
	struct sipcid_privdrop_request req = {
		.user = s->user,
		.hand_over = (const char *const *)paths.hand_over->pdata,
		.must_write = (const char *const *)paths.must_write->pdata,
	};
	enum sipcid_privdrop_result result = sipcid_privdrop(&req, error);
	sipcid_privdrop_paths_clear(&paths);
	return result;
}
