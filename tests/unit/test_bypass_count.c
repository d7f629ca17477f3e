/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The arithmetic of bypassed-queue-full (bridge-daemon/run/bypass_count.h):
 * bases at bind, a queue instance that was already counting, id_sequence
 * wrapping, packets in flight, a counter made again. */
#include "bypass_count.h"

#include <glib.h>

static struct sipcid_bypass_count count(struct sipcid_bypass_base base,
                                        struct sipcid_bypass_sample now)
{
	struct sipcid_bypass_count c;
	g_assert_true(sipcid_bypass_count(&base, &now, &c));
	return c;
}

/* A fresh queue: ids start at 1; the object had counted packets that passed
 * (--queue-bypass) before sipcidd bound the queue. */
static void test_fresh_queue(void)
{
	struct sipcid_bypass_base base = { .id_sequence = 0, .matched = 500 };
	/* 1000 sent while stopped, queue of 64: 64 queued, 936 passed by fail-open. */
	struct sipcid_bypass_count c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 0, .matched = 1500, .have_queue_line = true, .id_sequence = 64 });
	g_assert_cmpuint(c.matched, ==, 1000);
	g_assert_cmpuint(c.queued, ==, 64);
	g_assert_cmpuint(c.bypassed, ==, 936);
	/* Resumed: it read them all. */
	c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 64, .matched = 1500, .have_queue_line = true, .id_sequence = 64 });
	g_assert_cmpuint(c.bypassed, ==, 936);
	/* Nothing bypassed: matched == queued. */
	c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 10, .matched = 510, .have_queue_line = true, .id_sequence = 10 });
	g_assert_cmpuint(c.bypassed, ==, 0);
}

/* An instance that had handed out ids before the base was taken. */
static void test_instance_reused(void)
{
	struct sipcid_bypass_base base = { .id_sequence = 7000, .matched = 7000 };
	struct sipcid_bypass_count c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 7100, .matched = 7150, .have_queue_line = true, .id_sequence = 7100 });
	g_assert_cmpuint(c.queued, ==, 100);
	g_assert_cmpuint(c.bypassed, ==, 50);
	/* The packet thread saw the ids before the base too (they were queued
	 * between the bind and the base): id_sequence still decides. */
	c = count((struct sipcid_bypass_base){ .id_sequence = 3, .matched = 3 },
	          (struct sipcid_bypass_sample){
		.ids_read = 13, .matched = 13, .have_queue_line = true, .id_sequence = 13 });
	g_assert_cmpuint(c.queued, ==, 10);
	g_assert_cmpuint(c.bypassed, ==, 0);
}

/* id_sequence is 32 bits; the packet thread's count says how often it wrapped. */
static void test_id_wrap(void)
{
	struct sipcid_bypass_base base = { .id_sequence = 0xFFFFFF00u, .matched = 0 };
	struct sipcid_bypass_count c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 0x1F0, .matched = 0x200 + 5, .have_queue_line = true, .id_sequence = 0x100 });
	g_assert_cmpuint(c.queued, ==, 0x200);
	g_assert_cmpuint(c.bypassed, ==, 5);
	/* Five wraps since bind, 2 ids not read yet. */
	uint64_t five = 5ull << 32;
	c = count((struct sipcid_bypass_base){ 0 }, (struct sipcid_bypass_sample){
		.ids_read = five + 10, .matched = five + 12 + 7, .have_queue_line = true,
		.id_sequence = 12 });
	g_assert_cmpuint(c.queued, ==, five + 12);
	g_assert_cmpuint(c.bypassed, ==, 7);
}

/* Reads are not atomic: the kernel's numbers may trail or lead a little. */
static void test_in_flight(void)
{
	struct sipcid_bypass_base base = { 0 };
	/* The object read before a packet that was queued right after: more
	 * queued than matched is never a negative bypass count. */
	struct sipcid_bypass_count c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 100, .matched = 100, .have_queue_line = true, .id_sequence = 103 });
	g_assert_cmpuint(c.queued, ==, 103);
	g_assert_cmpuint(c.bypassed, ==, 0);
	/* The packet thread's count ahead of the queue's line (not in the order
	 * live.c reads them, but harmless). */
	c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 105, .matched = 110, .have_queue_line = true, .id_sequence = 103 });
	g_assert_cmpuint(c.queued, ==, 103);
	g_assert_cmpuint(c.bypassed, ==, 7);
	/* Without the queue's line, the ids read stand in for it. */
	c = count(base, (struct sipcid_bypass_sample){ .ids_read = 90, .matched = 100 });
	g_assert_cmpuint(c.queued, ==, 90);
	g_assert_cmpuint(c.bypassed, ==, 10);
}

/* Without fail-open a full queue drops: those are not bypasses. */
static void test_dropped_not_bypassed(void)
{
	struct sipcid_bypass_base base = { .queue_dropped = 4 };
	struct sipcid_bypass_count c = count(base, (struct sipcid_bypass_sample){
		.ids_read = 64, .matched = 100, .have_queue_line = true, .id_sequence = 64,
		.queue_dropped = 40 });
	g_assert_cmpuint(c.dropped, ==, 36);
	g_assert_cmpuint(c.bypassed, ==, 0);
}

/* The object was deleted and made again: its count went below the base, or
 * (made again from 0 with a base of 0) it is far behind the queue. */
static void test_counter_made_again(void)
{
	struct sipcid_bypass_count c;
	struct sipcid_bypass_base base = { .matched = 1000 };
	struct sipcid_bypass_sample now = { .matched = 20, .have_queue_line = true };
	g_assert_false(sipcid_bypass_count(&base, &now, &c));
	base = (struct sipcid_bypass_base){ 0 };
	now = (struct sipcid_bypass_sample){ .ids_read = 5000, .matched = 300,
	                                     .have_queue_line = true, .id_sequence = 5000 };
	g_assert_false(sipcid_bypass_count(&base, &now, &c));
	/* Within the slack it is packets in flight. */
	now.matched = 5000 - SIPCID_BYPASS_SLACK;
	g_assert_true(sipcid_bypass_count(&base, &now, &c));
	g_assert_cmpuint(c.bypassed, ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/bypass/fresh-queue", test_fresh_queue);
	g_test_add_func("/bypass/instance-reused", test_instance_reused);
	g_test_add_func("/bypass/id-wrap", test_id_wrap);
	g_test_add_func("/bypass/in-flight", test_in_flight);
	g_test_add_func("/bypass/dropped-not-bypassed", test_dropped_not_bypassed);
	g_test_add_func("/bypass/counter-made-again", test_counter_made_again);
	return g_test_run();
}
