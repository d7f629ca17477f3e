/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "state_dir.h"

#include <glib.h>
#include <string.h>

void sipcid_state_path(const char *name, char *out, size_t out_size)
{
	const char *dir = g_getenv("STATE_DIRECTORY");
	size_t len = dir ? strcspn(dir, ":") : 0;  /* several directories: the first */
	if (!dir || len == 0 || dir[0] != '/')
		g_snprintf(out, out_size, "/var/lib/sipcid/%s", name);
	else
		g_snprintf(out, out_size, "%.*s/%s", (int)len, dir, name);
}
