/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench/web_bench.sh's call log: N calls written by sipcidd's own call log
 * writer (calllog_writer.c), shaped like a household's years of calls: a
 * few thousand numbers, most of them calling more than once, names from
 * caller ID or the phonebook, both directions, every state, blocked calls
 * with their outcomes, some withheld numbers; one call every ~10 minutes,
 * so 100 000 calls span about two years and the newest is an hour ago.
 * Deterministic (a fixed seed), so every run measures the same file.
 *   web_bench_gen DB N */
#include "calllog_writer.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const first[] = {
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
	"Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
	"Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty",
	"Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul",
	"Emily", "Andrew", "Donna", "Joshua", "Michelle", "José", "Zoë", "Łukasz", "Renée",
};
static const char *const last[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
	"Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
	"Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
	"Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
	"Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
};
/* What a carrier's CNAM says for a business or a robocaller. */
static const char *const cnam[] = {
	"WIRELESS CALLER", "TOLL FREE CALL", "SPAM RISK", "CHASE BANK", "HEALTH INS",
	"PHARMACY", "SCHOOL DIST 12", "UNKNOWN NAME", "V12345678901234", "CITY OF DETROIT",
};

struct caller {
	char number[24], display[24], name[64], alias[64];
	bool business, spam;
};

int main(int argc, char **argv)
{
	sipcid_log_init("web_bench_gen");
	if (argc != 3) {
		fprintf(stderr, "usage: web_bench_gen DB N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	struct sipcid_calllog_settings s;
	sipcid_calllog_settings_default(&s);
	g_strlcpy(s.database, argv[1], sizeof s.database);
	s.batch_rows = 1000;
	s.keep_days = 0;
	s.keep_rows = 0;
	GError *err = NULL;
	struct sipcid_output *log = sipcid_calllog_new(&s, &err);
	if (!log) {
		sipcid_log_gerror(NULL, err);
		return 1;
	}
	GRand *rnd = g_rand_new_with_seed(17);
	enum { CALLERS = 6000 };
	struct caller *who = g_new0(struct caller, CALLERS);
	for (int i = 0; i < CALLERS; i++) {
		struct caller *c = &who[i];
		int npa = g_rand_int_range(rnd, 201, 990), nxx = g_rand_int_range(rnd, 200, 999);
		int line = g_rand_int_range(rnd, 0, 10000);
		g_snprintf(c->number, sizeof c->number, "+1%03d%03d%04d", npa, nxx, line);
		g_snprintf(c->display, sizeof c->display, "(%03d) %03d-%04d", npa, nxx, line);
		c->business = g_rand_int_range(rnd, 0, 100) < 25;
		c->spam = g_rand_int_range(rnd, 0, 100) < 15;
		if (c->business || c->spam)
			g_strlcpy(c->name, cnam[g_rand_int_range(rnd, 0, G_N_ELEMENTS(cnam))], sizeof c->name);
		else
			g_snprintf(c->name, sizeof c->name, "%s %s",
			           first[g_rand_int_range(rnd, 0, G_N_ELEMENTS(first))],
			           last[g_rand_int_range(rnd, 0, G_N_ELEMENTS(last))]);
		if (!c->spam && g_rand_int_range(rnd, 0, 100) < 20)
			g_snprintf(c->alias, sizeof c->alias, "%s (%s)",
			           first[g_rand_int_range(rnd, 0, G_N_ELEMENTS(first))],
			           i % 3 ? "work" : "home");
	}
	int64_t now_us = g_get_real_time() - (int64_t)3600 * G_USEC_PER_SEC;
	int64_t t = now_us - (int64_t)n * 600 * G_USEC_PER_SEC;
	for (long i = 0; i < n; i++) {
		/* A few callers call often: the square skews the pick to the front. */
		double u = g_rand_double(rnd);
		const struct caller *c = &who[(int)(u * u * CALLERS)];
		struct sipcid_call call = { 0 };
		call.kind = SIPCID_EVENT_CALL;
		t += g_rand_int_range(rnd, 1, 1200) * (int64_t)G_USEC_PER_SEC;
		call.time_us = t;
		g_snprintf(call.call_id, sizeof call.call_id, "bench-%ld@web", i);
		call.direction = g_rand_int_range(rnd, 0, 100) < 20 ? SIPCID_DIR_OUTGOING
		                                                     : SIPCID_DIR_INCOMING;
		call.source = SIPCID_SRC_FROM;
		g_strlcpy(call.via, "udp", sizeof call.via);
		if (call.direction == SIPCID_DIR_OUTGOING) {
			g_strlcpy(call.called, c->number, sizeof call.called);
			g_strlcpy(call.number, "+13135550100", sizeof call.number);
			call.state = g_rand_int_range(rnd, 0, 100) < 80 ? SIPCID_STATE_ENDED
			                                                 : SIPCID_STATE_MISSED;
		} else if (g_rand_int_range(rnd, 0, 100) < 4) {
			call.presentation = SIPCID_PRES_RESTRICTED;
			call.state = SIPCID_STATE_MISSED;
		} else {
			g_strlcpy(call.number, c->number, sizeof call.number);
			g_strlcpy(call.number_raw, c->number + 2, sizeof call.number_raw);
			g_strlcpy(call.number_display, c->display, sizeof call.number_display);
			g_strlcpy(call.name, c->name, sizeof call.name);
			g_strlcpy(call.alias, c->alias, sizeof call.alias);
			g_strlcpy(call.country, "US", sizeof call.country);
			g_strlcpy(call.number_type, c->business ? "fixed-line" : "mobile",
			          sizeof call.number_type);
			g_strlcpy(call.called, "+13135550100", sizeof call.called);
			if (c->spam && g_rand_int_range(rnd, 0, 100) < 70) {
				call.action = SIPCID_ACTION_BLOCK;
				call.state = SIPCID_STATE_BLOCKED;
				call.outcome = g_rand_int_range(rnd, 0, 2) ? SIPCID_OUTCOME_BUSY
				                                           : SIPCID_OUTCOME_DROP;
				g_strlcpy(call.rule, "rules:12", sizeof call.rule);
			} else {
				int r = g_rand_int_range(rnd, 0, 100);
				call.state = r < 55 ? SIPCID_STATE_ENDED : SIPCID_STATE_MISSED;
			}
			call.verstat = c->spam ? SIPCID_VERSTAT_NONE : SIPCID_VERSTAT_PASSED;
		}
		if (call.state == SIPCID_STATE_ENDED) {
			call.ring_ms = g_rand_int_range(rnd, 1000, 20000);
			call.talk_ms = g_rand_int_range(rnd, 5000, 1800000);
		} else if (call.state == SIPCID_STATE_MISSED) {
			call.ring_ms = g_rand_int_range(rnd, 1000, 30000);
		}
		log->emit(log->ctx, &call);
		if (i % 1500 == 1499)  /* within the writer's queue (QUEUE_MAX 2048) */
			sipcid_calllog_flush(log);
	}
	log->close(log->ctx);
	g_free(who);
	g_rand_free(rnd);
	return 0;
}
