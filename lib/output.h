/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output stage: something that consumes finished call records (print,
 * announce on the LAN, write the call log, record audio). Outputs run on the
 * main loop, never on the packet path, and must not block it: anything slow
 * is asynchronous inside the output.
 *
 * Events about the line rather than a call (lib/line_event.h: the
 * registration up or down, voicemail waiting) come through emit_line. It is
 * optional: an output that leaves it NULL never sees them (the recorder,
 * the phonebook suggestions). They are rare and already damped, so the rate
 * limit in front of the announcing outputs lets every one through. */
#ifndef SIPCID_OUTPUT_H
#define SIPCID_OUTPUT_H

#include "call.h"
#include "line_event.h"

struct sipcid_output {
	const char *name;
	void *ctx;
	void (*emit)(void *ctx, const struct sipcid_call *call);
	/* Finish pending work (bounded in time) and free ctx. */
	void (*close)(void *ctx);
	/* NULL: line events are not for this output. Last, so that outputs
	 * written before it need not name it. */
	void (*emit_line)(void *ctx, const struct sipcid_line_event *ev);
};

#endif
