/* Helper for the kill -9 test: writes calls to the log as fast as it can and
 * prints, after each flush, how many calls are committed for sure. The test
 * kills it with SIGKILL at an arbitrary moment. */
#include "calllog_writer.h"
#include "log.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	sipcid_log_init("calllog_writer");
	if (argc != 2) {
		fprintf(stderr, "usage: calllog_writer DB\n");
		return 2;
	}
	struct sipcid_calllog_settings s;
	sipcid_calllog_settings_default(&s);
	g_strlcpy(s.database, argv[1], sizeof s.database);
	s.batch_rows = 10;
	/* Every committed call must stay countable: no retention. */
	s.keep_days = 0;
	s.keep_rows = 0;
	GError *err = NULL;
	struct sipcid_output *log = sipcid_calllog_new(&s, &err);
	if (!log) {
		sipcid_log_gerror(NULL, err);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (long i = 1; i <= 2000000; i++) {
		struct sipcid_call c = { 0 };
		c.kind = SIPCID_EVENT_CALL;
		c.time_us = 1700000000000000 + i;
		g_snprintf(c.call_id, sizeof c.call_id, "kill-%ld@test", i);
		g_snprintf(c.number, sizeof c.number, "+1555%07ld", i);
		g_strlcpy(c.name, "Durable Caller", sizeof c.name);
		log->emit(log->ctx, &c);
		if (i % 50 == 0) {
			sipcid_calllog_flush(log);
			printf("%ld\n", i);
		}
	}
	log->close(log->ctx);
	return 0;
}
