/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for whole captures through the `sipcidd --read` path: the
 * input is written out as a capture file and read by sipcid_pcap_read(), the
 * same reader, frame decoder, IP reassembly and pipeline (decode, call table,
 * rules) that offline mode uses, with its events drained as offline mode
 * drains them. The inputs are pcap or pcapng files; the seeds are the bundled
 * captures (tests/captures). Built only with -Dfuzz=true and clang;
 * tests/fuzz/run-fuzz.sh runs it. */
#include "capture_pcap.h"
#include "pipeline.h"
#include "rules.h"
#include "settings.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sipcid_settings *settings;
static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	settings = sipcid_settings_load(NULL, NULL);
	if (!settings)
		abort();
	/* Small, so that the table fills and evicts within one input. */
	settings->table_size = 16;
	if (settings->rules)
		sipcid_rules_unref(settings->rules);
	settings->rules = sipcid_rules_load_data("fuzz.rules",
	                                         "block number +15551234567\n"
	                                         "block number anonymous\nallow *\n",
	                                         NULL, NULL, &settings->numbers, NULL);
	if (!settings->rules)
		abort();
	/* The capture lives in memory: the reader takes a path, as --read does. */
	fd = memfd_create("fuzz-capture", 0);
	if (fd < 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return 0;
}

struct replay {
	struct sipcid_pipeline *pl;
	int64_t last_expire_us;
};

static void on_packet(void *ctx, const struct sipcid_packet *pkt)
{
	struct replay *r = ctx;
	sipcid_pipeline_handle(r->pl, pkt);
	if (pkt->time_us - r->last_expire_us > G_USEC_PER_SEC) {
		sipcid_pipeline_expire(r->pl, pkt->time_us);
		r->last_expire_us = pkt->time_us;
	}
	struct sipcid_call c;
	while (sipcid_pipeline_next_event(r->pl, &c))
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	struct replay r = { .pl = sipcid_pipeline_new(settings) };
	sipcid_pipeline_set_uninspected_scope(r.pl, true);
	GError *err = NULL;
	uint64_t frames = 0;
	/* Refusing a broken file is fine; crashing, hanging or leaking is not. */
	if (!sipcid_pcap_read(path, on_packet, &r, &frames, &err))
		g_clear_error(&err);
	sipcid_pipeline_free(r.pl);
	return 0;
}
