/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One GET /api/calls query run in-process RUNS times through web_calls.c
 * (parameters checked, the call log read, the page as JSON), as sipcid-web
 * runs it without the HTTP around it; prints "p50 p95 max" in ms of wall time, then "cpu p50 p95" of the
 * thread's CPU time (what a busy machine's scheduling does not inflate). With
 * --next, first the "next" of one run; with --sql, instead, the SQL
 * statements one run executes, parameters filled in, one a line (for the
 * sqlite3 shell's baseline in bench/web_bench.sh).
 *   web_bench_query DB RUNS QUERY [--next | --sql] */
#include "web_calls.h"
#include "calllog_schema.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int print_sql(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)ctx;
	(void)x;
	char *sql = sqlite3_expanded_sql(p);
	if (sql)
		printf("%s;\n", sql);
	sqlite3_free(sql);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: web_bench_query DB RUNS QUERY [--next]\n");
		return 2;
	}
	GError *error = NULL;
	sqlite3 *db = sipcid_calllog_open_read(argv[1], &error);
	if (!db) {
		fprintf(stderr, "%s\n", error->message);
		return 1;
	}
	sqlite3_exec(db, "PRAGMA cache_size=-1024", NULL, NULL, NULL);
	int runs = atoi(argv[2]);
	GHashTable *query = soup_form_decode(argv[3]);
	struct sipcid_calllog_filter f;
	if (!sipcid_web_calls_parse(query, &f, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return 1;
	}
	if (argc > 4 && !strcmp(argv[4], "--sql")) {
		sqlite3_trace_v2(db, SQLITE_TRACE_STMT, print_sql, NULL);
		runs = 1;
	}
	double *ms = g_new(double, runs), *cpu = g_new(double, runs);
	GString *out = g_string_new(NULL);
	for (int i = 0; i < runs; i++) {
		g_string_truncate(out, 0);
		gint64 t0 = g_get_monotonic_time();
		struct timespec c0, c1;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		if (!sipcid_web_calls_json(db, &f, NULL, out, &error)) {
			fprintf(stderr, "%s\n", error->message);
			return 1;
		}
		ms[i] = (g_get_monotonic_time() - t0) / 1000.0;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		cpu[i] = (c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6;
	}
	if (argc > 4 && !strcmp(argv[4], "--next")) {
		const char *next = strstr(out->str, "\"next\":");
		printf("%.*s\n", next ? (int)strcspn(next + 7, "}") : 4, next ? next + 7 : "null");
	}
	qsort(ms, runs, sizeof *ms, cmp);
	qsort(cpu, runs, sizeof *cpu, cmp);
	if (argc <= 4 || strcmp(argv[4], "--sql"))
		printf("%.2f %.2f %.2f cpu %.2f %.2f\n", ms[runs / 2], ms[(runs * 95 + 99) / 100 - 1],
		       ms[runs - 1], cpu[runs / 2], cpu[(runs * 95 + 99) / 100 - 1]);
	g_string_free(out, TRUE);
	g_free(ms);
	g_free(cpu);
	g_hash_table_unref(query);
	sqlite3_close(db);
	return 0;
}
