/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Number lists at the size: a file of 1 000 000 numbers, its load
 * time, the memory the loaded list takes, and the cost of a decision by the
 * rules "block list spam / allow *" against two baselines measured in the
 * same run:
 *   empty - the same rules with an empty list (the rule engine's own cost);
 *   hash  - a GHashTable of the same numbers as strings (what a list would
 *           cost kept like the phonebook), its build time, memory and lookup.
 * Calls are half listed, half not. Each time is the best of three runs.
 * SMOKE=1: 10 000 numbers and fewer decisions, for CI (bench/README, run-all.sh).
 * Not a test: it asserts that listed callers are blocked, nothing about time. */
#include "rules.h"
#include "rules_list.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CALLS = 4096 };

static long rss_kib(void)
{
	g_autofree char *status = NULL;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	const char *p = strstr(status, "VmRSS:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

static double now(void)
{
	return (double)g_get_monotonic_time() / 1e6;
}

static void number_of(GRand *rand, char *out, size_t size)
{
	g_snprintf(out, size, "+1%03d%07d", g_rand_int_range(rand, 200, 1000),
	           g_rand_int_range(rand, 0, 10000000));
}

/* Nanoseconds per decision over the calls, best of three. */
static double decide_ns(const struct sipcid_rules *r, struct sipcid_call *calls, unsigned rounds,
                        unsigned *blocked)
{
	double best = 1e30;
	for (int run = 0; run < 3; run++) {
		unsigned b = 0;
		double t0 = now();
		for (unsigned k = 0; k < rounds; k++)
			for (unsigned i = 0; i < CALLS; i++) {
				sipcid_rules_decide(r, false, &calls[i]);
				b += calls[i].action == SIPCID_ACTION_BLOCK;
			}
		double ns = (now() - t0) * 1e9 / ((double)rounds * CALLS);
		best = MIN(best, ns);
		*blocked = b / rounds;
	}
	return best;
}

static double hash_ns(GHashTable *h, struct sipcid_call *calls, unsigned rounds, unsigned *hits)
{
	double best = 1e30;
	for (int run = 0; run < 3; run++) {
		unsigned n = 0;
		double t0 = now();
		for (unsigned k = 0; k < rounds; k++)
			for (unsigned i = 0; i < CALLS; i++)
				n += g_hash_table_contains(h, calls[i].number);
		double ns = (now() - t0) * 1e9 / ((double)rounds * CALLS);
		best = MIN(best, ns);
		*hits = n / rounds;
	}
	return best;
}

int main(void)
{
	bool smoke = g_getenv("SMOKE") && !strcmp(g_getenv("SMOKE"), "1");
	unsigned n = smoke ? 10000 : 1000000;
	unsigned rounds = smoke ? 5 : 100;
	GRand *rand = g_rand_new_with_seed(18);
	struct sipcid_number_plan plan;
	sipcid_number_plan_preset("nanp", &plan);

	/* The list file, as a user or a download would have it. */
	g_autofree char *dir = g_dir_make_tmp("sipcid-lists-bench-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "spam.txt", NULL);
	GString *text = g_string_sized_new((gsize)n * 13);
	struct sipcid_call *calls = g_new0(struct sipcid_call, CALLS);
	for (unsigned i = 0; i < n; i++) {
		char num[24];
		number_of(rand, num, sizeof num);
		g_string_append_printf(text, "%s\n", num);
		if (i < CALLS / 2)
			g_strlcpy(calls[2 * i].number, num, sizeof calls[0].number);
	}
	/* Unlisted: London numbers, none of which the list (all NANP) can hold. */
	for (unsigned i = 0; i < CALLS / 2; i++)
		g_snprintf(calls[2 * i + 1].number, sizeof calls[0].number, "+4420%08d",
		           g_rand_int_range(rand, 0, 100000000));
	if (!g_file_set_contents(path, text->str, (gssize)text->len, NULL))
		return 1;
	gsize file_bytes = text->len;
	g_string_free(text, TRUE);

	long rss0 = rss_kib();
	double t0 = now();
	GError *error = NULL;
	struct sipcid_rules_list *list = sipcid_rules_list_load("spam", path, &plan, &error);
	double load_s = now() - t0;
	long rss1 = rss_kib();
	if (!list) {
		fprintf(stderr, "%s\n", error->message);
		return 1;
	}

	/* Baseline: the same numbers as strings in a hash table. */
	t0 = now();
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	{
		g_autofree char *again = NULL;
		gsize len;
		g_file_get_contents(path, &again, &len, NULL);
		for (char *line = again, *nl; line < again + len; line = nl + 1) {
			nl = strchr(line, '\n');
			*nl = '\0';
			g_hash_table_add(h, g_strdup(line));
		}
	}
	double hash_load_s = now() - t0;
	long rss2 = rss_kib();

	GHashTable *lists = sipcid_rules_lists_new();
	sipcid_rules_lists_put(lists, list);
	struct sipcid_rules *r = sipcid_rules_load_data_with("rules", "block list spam\nallow *\n",
	                                                     NULL, NULL, &plan, lists, &error);
	g_hash_table_unref(lists);
	lists = sipcid_rules_lists_new();
	struct sipcid_rules_list *empty = sipcid_rules_list_new_empty("spam");
	sipcid_rules_lists_put(lists, empty);
	struct sipcid_rules *r0 = sipcid_rules_load_data_with("rules", "block list spam\nallow *\n",
	                                                      NULL, NULL, &plan, lists, &error);
	if (!r || !r0)
		return 1;

	unsigned blocked = 0, blocked0 = 0, hits = 0;
	double ns = decide_ns(r, calls, rounds, &blocked);
	double ns0 = decide_ns(r0, calls, rounds, &blocked0);
	double nsh = hash_ns(h, calls, rounds, &hits);

	printf("lists_bench%s: %u numbers, a %.1f MB file; %zu distinct on the list\n",
	       smoke ? " (SMOKE)" : "", n, (double)file_bytes / 1e6, sipcid_rules_list_count(list));
	printf("  load:  list %.3f s; hash table %.3f s (%.2fx the list)\n", load_s, hash_load_s,
	       hash_load_s / load_s);
	printf("  memory: the list holds %.1f MB (%.1f bytes a number)\n",
	       (double)sipcid_rules_list_bytes(list) / 1e6,
	       (double)sipcid_rules_list_bytes(list) / (double)MAX(sipcid_rules_list_count(list), 1));
	printf("  RSS:   list +%.1f MB (%.1f bytes a number, with the heap the load freed); "
	       "hash table +%.1f MB (%.2fx the list)\n",
	       (double)(rss1 - rss0) / 1024, (double)(rss1 - rss0) * 1024 / n,
	       (double)(rss2 - rss1) / 1024, (double)(rss2 - rss1) / (double)MAX(rss1 - rss0, 1));
	printf("  decision (block list spam / allow *): %.0f ns; with an empty list %.0f ns "
	       "(%.2fx); hash lookup alone %.0f ns\n", ns, ns0, ns / ns0, nsh);
	printf("  blocked %u of %u calls (%u listed); empty list blocked %u\n", blocked, CALLS,
	       CALLS / 2, blocked0);

	bool ok = blocked == CALLS / 2 && blocked0 == 0 && hits == CALLS / 2;
	sipcid_rules_unref(r);
	sipcid_rules_unref(r0);
	g_hash_table_unref(lists);
	g_hash_table_unref(h);
	sipcid_rules_list_unref(list);
	sipcid_rules_list_unref(empty);
	g_free(calls);
	g_rand_free(rand);
	g_unlink(path);
	g_rmdir(dir);
	if (!ok)
		fprintf(stderr, "lists_bench: the listed callers were not exactly the ones blocked\n");
	return ok ? 0 : 1;
}
