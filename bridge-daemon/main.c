/* sipcidd: caller ID and call blocking on a SIP bridge. See sipcidd(8). */
#include "offline.h"
#include "options.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	struct sipcid_options opts;
	if (!sipcid_options_parse(argc, argv, &opts))
		return 2;
	int status = 0;
	switch (opts.mode) {
	case SIPCID_MODE_VERSION:
		puts("sipcidd " SIPCID_VERSION);
		break;
	case SIPCID_MODE_READ:
		status = sipcid_offline_run(&opts);
		break;
	case SIPCID_MODE_LIVE:
	case SIPCID_MODE_STATUS:
		fprintf(stderr, "sipcidd: live mode is not built yet; use --read FILE\n");
		status = 2;
		break;
	}
	sipcid_options_clear(&opts);
	return status;
}
