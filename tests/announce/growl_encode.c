/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test helper: prints sipcid's legacy Growl packets as hex, one per line.
 *   growl_encode register HASH PASSWORD APP NAME...
 *   growl_encode notify HASH PASSWORD APP NAME TITLE TEXT [PRIORITY STICKY ORDER]
 * HASH is md5, sha256 or none; PASSWORD may be "" ; ORDER big or little. */
#include "growl_packet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc < 6)
		return 2;
	enum growl_auth auth = !strcmp(argv[2], "sha256") ? GROWL_AUTH_SHA256
	                     : !strcmp(argv[2], "none")   ? GROWL_AUTH_NONE
	                                                  : GROWL_AUTH_MD5;
	const char *pw = argv[3], *app = argv[4];
	uint8_t buf[GROWL_PACKET_MAX];
	size_t n;
	if (!strcmp(argv[1], "register")) {
		uint8_t defaults[255];
		int count = argc - 5;
		for (int i = 0; i < count; i++)
			defaults[i] = (uint8_t)i;
		n = sipcid_growl_registration(buf, sizeof buf, app, (const char *const *)argv + 5, (size_t)count,
		                       defaults, (size_t)count, auth, pw);
	} else if (argc >= 8) {
		int prio = argc > 8 ? atoi(argv[8]) : 0;
		bool sticky = argc > 9 && atoi(argv[9]);
		enum growl_flags_order order = argc > 10 && !strcmp(argv[10], "little")
		                                   ? GROWL_FLAGS_LITTLE_ENDIAN
		                                   : GROWL_FLAGS_BIG_ENDIAN;
		n = sipcid_growl_notification(buf, sizeof buf, app, argv[5], argv[6], argv[7], prio, sticky,
		                       order, auth, pw);
	} else {
		return 2;
	}
	if (!n)
		return 1;
	hex(buf, n);
	return 0;
}
