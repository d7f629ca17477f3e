/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcidd --discover: reading the copies sipcid-firewall discover asks for
 * (see discover.h). */
#include "discover.h"

#include "capture_nflog.h"
#include "discover_tally.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>

static void tally(void *ctx, const struct sipcid_packet *pkt)
{
	sipcid_discover_tally_packet(ctx, pkt);
}

int sipcid_discover_run(unsigned seconds, uint16_t nflog_group)
{
	/* The script that started this removes its rules when it ends; if it
	 * is killed outright, this goes too and frees the group for the next. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	struct sipcid_discover_tally *t = g_new(struct sipcid_discover_tally, 1);
	sipcid_discover_tally_init(t);
	GError *error = NULL;
	struct sipcid_nflog_options o = { .group = nflog_group };
	struct sipcid_nflog *l = sipcid_nflog_open(&o, tally, t, &error);
	if (!l) {
		sipcid_log_gerror(NULL, error);
		g_error_free(error);
		g_free(t);
		return 1;
	}
	int64_t start = g_get_monotonic_time();
	int64_t deadline = start + (int64_t)seconds * G_USEC_PER_SEC;
	int status = 0;
	for (int64_t now = start; now < deadline && !sipcid_discover_tally_done(t);
	     now = g_get_monotonic_time()) {
		struct pollfd p = { .fd = sipcid_nflog_fd(l), .events = POLLIN };
		int wait_ms = (int)MIN((deadline - now + 999) / 1000, 1000);
		if (poll(&p, 1, wait_ms) < 0 && errno != EINTR) {
			sipcid_log_warn("poll");
			status = 1;
			break;
		}
		if (sipcid_nflog_receive(l, &error) < 0) {
			sipcid_log_gerror(NULL, error);
			g_clear_error(&error);
			status = 1;
			break;
		}
	}
	struct sipcid_nflog_stats st;
	sipcid_nflog_get_stats(l, &st);
	sipcid_nflog_close(l);
	if (status == 0) {
		GString *out = g_string_new(NULL);
		double took = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
		if (st.lost || st.enobufs)
			sipcid_log_warnx("%" G_GUINT64_FORMAT " copies were lost on the way (the bridge "
			                 "was busy; the packets themselves passed)", st.lost);
		sipcid_discover_tally_report(t, took, out);
		fputs(out->str, stdout);
		g_string_free(out, TRUE);
		status = sipcid_discover_tally_found(t) ? 0 : 3;
	}
	g_free(t);
	return status;
}
