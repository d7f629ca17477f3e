/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every sink shares (see notify_sink.h); each sink is its own
 * notify_sink_*.c. */
#include "notify_sink.h"

#include <glib.h>

void notify_sink_free(struct notify_sink *s)
{
	if (!s)
		return;
	if (s->free)
		s->free(s->ctx);
	g_free(s);
}
