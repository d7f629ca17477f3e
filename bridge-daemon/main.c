/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcidd: caller ID and call blocking on a SIP bridge. See sipcidd(8). */
#include "check.h"
#include "control.h"
#include "discover.h"
#include "live_start.h"
#include "log.h"
#include "offline.h"
#include "options.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	sipcid_log_init("sipcidd");
	struct sipcid_options opts;
	if (!sipcid_options_parse(argc, argv, &opts)) {
		sipcid_options_clear(&opts);  /* what parsed before the error */
		return 2;
	}
	int status = 0;
	switch (opts.mode) {
	case SIPCID_MODE_VERSION:
		puts("sipcidd " SIPCID_VERSION);
		break;
	case SIPCID_MODE_CHECK:
		status = sipcid_check_run(&opts);
		break;
	case SIPCID_MODE_READ:
		status = sipcid_offline_run(&opts);
		break;
	case SIPCID_MODE_LIVE:
		status = sipcid_live_main(&opts);
		break;
	case SIPCID_MODE_DISCOVER:
		status = sipcid_discover_run((unsigned)opts.discover_seconds, (uint16_t)opts.nflog_group);
		break;
	case SIPCID_MODE_STATUS:
		status = sipcid_control_print_status(opts.control_path);
		break;
	}
	sipcid_options_clear(&opts);
	return status;
}
