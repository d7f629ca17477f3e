/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Failed logins per address, in a sliding window. A check still running
 * counts as a failure, so parallel guesses cannot get past the limit. */
#include "web_auth.h"

#include <string.h>

/* A bound on what a scan of addresses can make the table hold; when full,
 * addresses with nothing in the window go, then the least recent. */
enum { MAX_ADDRESSES = 4096 };

struct attempts {
	GArray *failures;  /* gint64 monotonic times, oldest first */
	unsigned running;
	gint64 last;
};

struct sipcid_web_auth_limit {
	GHashTable *by_address;  /* char* -> struct attempts */
	unsigned max;
	gint64 window_us;
};

static void free_attempts(gpointer p)
{
	struct attempts *a = p;
	g_array_unref(a->failures);
	g_free(a);
}

struct sipcid_web_auth_limit *sipcid_web_auth_limit_new(long attempts, long seconds)
{
	struct sipcid_web_auth_limit *l = g_new0(struct sipcid_web_auth_limit, 1);
	l->by_address = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_attempts);
	l->max = (unsigned)attempts;
	l->window_us = (gint64)seconds * G_USEC_PER_SEC;
	return l;
}

void sipcid_web_auth_limit_free(struct sipcid_web_auth_limit *l)
{
	if (!l)
		return;
	g_hash_table_destroy(l->by_address);
	g_free(l);
}

static void forget_old(struct sipcid_web_auth_limit *l, struct attempts *a, gint64 now)
{
	guint n = 0;
	while (n < a->failures->len && g_array_index(a->failures, gint64, n) <= now - l->window_us)
		n++;
	if (n)
		g_array_remove_range(a->failures, 0, n);
}

static void make_room(struct sipcid_web_auth_limit *l, gint64 now)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, l->by_address);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct attempts *a = v;
		forget_old(l, a, now);
		if (a->failures->len == 0 && a->running == 0)
			g_hash_table_iter_remove(&it);
	}
	while (g_hash_table_size(l->by_address) >= MAX_ADDRESSES) {
		gpointer oldest_key = NULL;
		gint64 oldest = G_MAXINT64;
		gpointer k;
		g_hash_table_iter_init(&it, l->by_address);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (((struct attempts *)v)->last < oldest) {
				oldest = ((struct attempts *)v)->last;
				oldest_key = k;
			}
		g_hash_table_remove(l->by_address, oldest_key);
	}
}

static struct attempts *lookup(struct sipcid_web_auth_limit *l, const char *address, bool add)
{
	gint64 now = g_get_monotonic_time();
	struct attempts *a = g_hash_table_lookup(l->by_address, address);
	if (!a && add) {
		if (g_hash_table_size(l->by_address) >= MAX_ADDRESSES)
			make_room(l, now);
		a = g_new0(struct attempts, 1);
		a->failures = g_array_new(FALSE, FALSE, sizeof(gint64));
		g_hash_table_insert(l->by_address, g_strdup(address), a);
	}
	if (a) {
		forget_old(l, a, now);
		a->last = now;
	}
	return a;
}

bool sipcid_web_auth_limit_locked(struct sipcid_web_auth_limit *l, const char *address)
{
	struct attempts *a = lookup(l, address, false);
	return a && a->failures->len + a->running >= l->max;
}

void sipcid_web_auth_limit_begin(struct sipcid_web_auth_limit *l, const char *address)
{
	lookup(l, address, true)->running++;
}

unsigned sipcid_web_auth_limit_end(struct sipcid_web_auth_limit *l, const char *address,
                                   bool success)
{
	struct attempts *a = lookup(l, address, true);
	if (a->running)
		a->running--;
	if (success) {
		/* The one who knows the password is not held to earlier typos. */
		g_array_set_size(a->failures, 0);
	} else {
		gint64 now = g_get_monotonic_time();
		g_array_append_val(a->failures, now);
		/* Only the window's last `max` matter. */
		if (a->failures->len > l->max)
			g_array_remove_range(a->failures, 0, a->failures->len - l->max);
	}
	return a->failures->len;
}
