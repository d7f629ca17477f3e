/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/net/netfilter/nfnetlink_queue reader (see nfq_proc.h). */
#include "nfq_proc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool sipcid_nfq_proc_parse_line(const char *line, struct sipcid_nfq_proc *out)
{
	/* queue_number peer_portid queue_total copy_mode copy_range
	 * queue_dropped user_dropped id_sequence 1 */
	struct sipcid_nfq_proc p;
	unsigned one;
	int end = 0;
	if (sscanf(line, "%" SCNu32 " %" SCNu32 " %" SCNu32 " %" SCNu32 " %" SCNu32 " %" SCNu64
	           " %" SCNu64 " %" SCNu32 " %u %n",
	           &p.queue_num, &p.peer_portid, &p.queue_total, &p.copy_mode, &p.copy_range,
	           &p.queue_dropped, &p.user_dropped, &p.id_sequence, &one, &end) != 9)
		return false;
	if (line[end] != '\0' || strchr(line, '-'))
		return false;
	*out = p;
	return true;
}

static bool scan(FILE *f, uint32_t queue, struct sipcid_nfq_proc *out)
{
	char line[256];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		struct sipcid_nfq_proc p;
		if (sipcid_nfq_proc_parse_line(line, &p) && p.queue_num == queue) {
			*out = p;
			found = true;
		}
	}
	return found;
}

bool sipcid_nfq_proc_read(const char *path, uint32_t queue, struct sipcid_nfq_proc *out)
{
	FILE *f = fopen(path ? path : SIPCID_NFQ_PROC_PATH, "re");
	if (!f)
		return false;
	bool found = scan(f, queue, out);
	fclose(f);
	return found;
}

/* stdio's rewind() may only move back inside the text it buffered and hand
 * out the old counters again (glibc does, for a stream opened for reading):
 * read through a fresh stream on the same open file, from offset 0, where
 * the kernel writes the text anew. */
bool sipcid_nfq_proc_reread(FILE *f, uint32_t queue, struct sipcid_nfq_proc *out)
{
	int fd = dup(fileno(f));
	if (fd < 0)
		return false;
	FILE *fresh = fdopen(fd, "re");
	if (!fresh) {
		close(fd);
		return false;
	}
	bool found = lseek(fd, 0, SEEK_SET) == 0 && scan(fresh, queue, out);
	fclose(fresh);
	return found;
}
