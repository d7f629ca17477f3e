/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A test consumer for the capture stage alone: binds an NFQUEUE queue with
 * capture_nfq, accepts everything except UDP payloads that start with
 * "DROPME", and on SIGTERM gives every read packet its verdict, prints its
 * counters ("key value" lines) and exits.
 *   nfq_consumer [--queue N] [--maxlen N] [--rcvbuf BYTES] [--batch N] */
#include "capture_nfq.h"
#include "log.h"

#include <glib.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop;
static uint64_t handled;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum sipcid_verdict handle(void *ctx, const struct sipcid_packet *pkt)
{
	(void)ctx;
	handled++;
	if (pkt->transport == SIPCID_TRANSPORT_UDP && pkt->payload_len >= 6 &&
	    !memcmp(pkt->payload, "DROPME", 6))
		return SIPCID_VERDICT_DROP;
	return SIPCID_VERDICT_ACCEPT;
}

int main(int argc, char **argv)
{
	sipcid_log_init("nfq_consumer");
	struct sipcid_nfq_options opts = { .timeout_ms = 100 };
	for (int i = 1; i + 1 < argc; i += 2) {
		long v = strtol(argv[i + 1], NULL, 10);
		if (!strcmp(argv[i], "--queue"))
			opts.queue_num = (uint16_t)v;
		else if (!strcmp(argv[i], "--maxlen"))
			opts.queue_maxlen = (uint32_t)v;
		else if (!strcmp(argv[i], "--rcvbuf"))
			opts.rcvbuf_bytes = (int)v;
		else if (!strcmp(argv[i], "--batch"))
			opts.batch = (int)v;
		else {
			sipcid_log_warnx("unknown option %s", argv[i]);
			return 2;
		}
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	GError *error = NULL;
	struct sipcid_nfq *q = sipcid_nfq_open(&opts, handle, NULL, &error);
	if (!q) {
		sipcid_log_gerror(NULL, error);
		return 1;
	}
	sipcid_log_info("bound to queue %u", opts.queue_num);
	int rc = 0;
	while (!stop) {
		if (sipcid_nfq_receive(q, &error) < 0) {
			sipcid_log_gerror(NULL, error);
			rc = 1;
			break;
		}
	}
	sipcid_nfq_drain(q);
	struct sipcid_nfq_stats st;
	sipcid_nfq_get_stats(q, &st);
	printf("packets %" PRIu64 "\naccepted %" PRIu64 "\ndropped %" PRIu64 "\nundecoded %" PRIu64
	       "\nhandled %" PRIu64 "\nid_gaps %" PRIu64 "\nenobufs %" PRIu64 "\nbatches %" PRIu64
	       "\nverdict_sends %" PRIu64 "\nsend_errors %" PRIu64 "\nfail_open %d\ngso %d\n",
	       st.packets, st.accepted, st.dropped, st.undecoded, handled, st.id_gaps, st.enobufs,
	       st.batches, st.verdict_sends, st.send_errors, st.fail_open, st.gso);
	sipcid_nfq_close(q);
	return rc;
}
