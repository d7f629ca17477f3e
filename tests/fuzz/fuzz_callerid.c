/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the SIP decode stage: sipcid_callerid_extract().
 *
 * libFuzzer hands us an exactly-sized heap copy of each input, so ASan sees
 * any read past the message. Besides "no crash", every result the extractor
 * reports as a call must keep the promises of lib/call.h: each string it
 * fills is NUL-terminated inside its buffer, valid UTF-8, and free of control
 * characters and bidirectional overrides. A broken promise aborts, which
 * libFuzzer reports as a crash with the input saved. Built only with
 * -Dfuzz=true and clang; tests/fuzz/run-fuzz.sh runs it. */
#include "callerid.h"
#include "fuzz_check.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sipcid_number_plan plan;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	sipcid_callerid_init();
	sipcid_number_plan_default(&plan);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Both trust settings: they take different paths (PAI/RPID or not). */
	for (int trusted = 0; trusted < 2; trusted++) {
		struct sipcid_call c;
		/* Unfilled promised fields show up as unterminated strings. */
		memset(&c, 0xA5, sizeof c);
		struct sipcid_extract_info info;
		enum sipcid_extract_result r =
			sipcid_callerid_extract(&plan, (const char *)data, size, trusted, &c, &info);
		if ((unsigned)r > SIPCID_EXTRACT_UNREADABLE)
			abort();
		if (r != SIPCID_EXTRACT_OK)
			continue;
		sipcid_fuzz_check_text("call_id", c.call_id, sizeof c.call_id);
		sipcid_fuzz_check_text("number", c.number, sizeof c.number);
		sipcid_fuzz_check_text("number_raw", c.number_raw, sizeof c.number_raw);
		sipcid_fuzz_check_text("name", c.name, sizeof c.name);
		sipcid_fuzz_check_text("called", c.called, sizeof c.called);
		sipcid_fuzz_check_text("via", c.via, sizeof c.via);
		if ((unsigned)c.presentation > SIPCID_PRES_UNAVAILABLE || (unsigned)c.source > SIPCID_SRC_PPI)
			abort();
	}
	return 0;
}
