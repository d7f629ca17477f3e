/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output stage: something that consumes finished call records (print,
 * announce on the LAN, write the call log, record audio). Outputs run on the
 * main loop, never on the packet path, and must not block it: anything slow
 * is asynchronous inside the output. */
#ifndef SIPCID_OUTPUT_H
#define SIPCID_OUTPUT_H

#include "call.h"

struct sipcid_output {
	const char *name;
	void *ctx;
	void (*emit)(void *ctx, const struct sipcid_call *call);
	/* Finish pending work (bounded in time) and free ctx. */
	void (*close)(void *ctx);
};

#endif
