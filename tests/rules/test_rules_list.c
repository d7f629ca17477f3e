/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Number lists: the packed keys, the index, the two formats (one number a
 * line and the FTC's complaint CSV) with hostile input, `list NAME` in rules,
 * [lists] settings, and reloading a list file when it changes. */
#include "rules_test_util.h"

#include "config.h"
#include "log.h"
#include "rules_list.h"
#include "rules_settings.h"
#include "rules_watch.h"

#include <glib/gstdio.h>

static struct sipcid_rules_list *parse(const char *text, size_t len)
{
	struct sipcid_number_plan plan = nanp();
	return sipcid_rules_list_parse("spam", "spam.txt", text, len, &plan);
}

static struct sipcid_rules_list *parse_str(const char *text)
{
	return parse(text, strlen(text));
}

static void test_key(void)
{
	uint64_t a, b;
	g_assert_true(sipcid_rules_list_key("+15551234567", &a));
	g_assert_true(sipcid_rules_list_key("15551234567", &b));
	g_assert_cmpuint(a, !=, b);
	g_assert_true(sipcid_rules_list_key("0123", &a));
	g_assert_true(sipcid_rules_list_key("123", &b));
	g_assert_cmpuint(a, !=, b);
	g_assert_true(sipcid_rules_list_key("+12345678901234567", &a));   /* 17 digits */
	g_assert_false(sipcid_rules_list_key("+123456789012345678", &a)); /* 18 */
	g_assert_false(sipcid_rules_list_key("", &a));
	g_assert_false(sipcid_rules_list_key("+", &a));
	g_assert_false(sipcid_rules_list_key("alice", &a));
	g_assert_false(sipcid_rules_list_key("555-1234", &a));  /* not normalised */
	g_assert_false(sipcid_rules_list_contains(NULL, "+15551234567"));
}

static void test_plain(void)
{
	/* comments, blanks, separators, CRLF, a BOM, duplicates, no newline at the end */
	g_autoptr(sipcid_rules_list) l = parse_str("\xef\xbb\xbf# spam\r\n"
	                                           "+1 (212) 555-0100\r\n"
	                                           "\r\n"
	                                           "   2125550101   # a comment\n"
	                                           "212.555.0100\n"
	                                           "\t+44 20 7946 0958");
	g_assert_cmpuint(sipcid_rules_list_count(l), ==, 3);
	g_assert_cmpuint(sipcid_rules_list_skipped(l), ==, 0);
	g_assert_false(sipcid_rules_list_is_ftc(l));
	g_assert_cmpstr(sipcid_rules_list_name(l), ==, "spam");
	g_assert_true(sipcid_rules_list_contains(l, "+12125550100"));
	g_assert_true(sipcid_rules_list_contains(l, "+12125550101"));
	g_assert_true(sipcid_rules_list_contains(l, "+442079460958"));
	g_assert_false(sipcid_rules_list_contains(l, "+12125550102"));
	g_assert_false(sipcid_rules_list_contains(l, "12125550100"));
	g_assert_false(sipcid_rules_list_contains(l, "alice"));
}

static void test_plain_hostile(void)
{
	/* 0 entries: empty, only comments, only blank lines */
	g_autoptr(sipcid_rules_list) empty = parse("", 0);
	g_assert_cmpuint(sipcid_rules_list_count(empty), ==, 0);
	g_autoptr(sipcid_rules_list) comments = parse_str("# nothing\n\n   \n#\n");
	g_assert_cmpuint(sipcid_rules_list_count(comments), ==, 0);
	g_assert_cmpuint(sipcid_rules_list_skipped(comments), ==, 0);

	/* a huge line, broken UTF-8, a NUL, text, a number too long: each skipped, the rest kept */
	GString *t = g_string_new("2125550100\n");
	for (int i = 0; i < 200000; i++)
		g_string_append_c(t, '5');
	g_string_append(t, "\n\xc3\x28\xff 2125550101\n");
	g_string_append_len(t, "21255\0" "50102\n", 12);
	g_string_append(t, "call me maybe\n+1234567890123456789012\n2125550103");
	g_autoptr(sipcid_rules_list) l = parse(t->str, t->len);
	g_string_free(t, TRUE);
	g_assert_cmpuint(sipcid_rules_list_count(l), ==, 2);
	g_assert_cmpuint(sipcid_rules_list_skipped(l), ==, 5);
	g_assert_true(sipcid_rules_list_contains(l, "+12125550100"));
	g_assert_true(sipcid_rules_list_contains(l, "+12125550103"));
	g_assert_false(sipcid_rules_list_contains(l, "+12125550101"));
	g_assert_false(sipcid_rules_list_contains(l, "+12125550102"));
}

#define FTC_HEADER "\"Company_Phone_Number\",\"Created_Date\",\"Violation_Date\",\"Consumer_City\"," \
	"\"Consumer_State\",\"Consumer_Area_Code\",\"Subject\",\"Recorded_Message_Or_Robocall\"\r\n"

static void test_ftc(void)
{
	g_autoptr(sipcid_rules_list) l = parse_str(
		FTC_HEADER
		"\"8005550199\",\"2024-01-02 10:00:00\",\"2024-01-01 09:00:00\",\"Austin\",\"Texas\","
		"\"512\",\"Reducing your debt (credit cards, mortgage, student loans)\",\"Y\"\r\n"
		"\"\",\"2024-01-02\",\"2024-01-01\",\"\",\"\",\"\",\"Other\",\"N\"\r\n"
		"8005550198,2024,2024,\"Multi\r\nline, city\",TX,512,\"Dr \"\"Who\"\"\",N\r\n"
		"\"not a number\",2024,2024,x,y,1,z,N\r\n"
		"\"+1 (800) 555-0197\",2024,2024,x,y,1,z,N");
	g_assert_true(sipcid_rules_list_is_ftc(l));
	g_assert_cmpuint(sipcid_rules_list_count(l), ==, 3);
	g_assert_cmpuint(sipcid_rules_list_skipped(l), ==, 1);
	g_assert_true(sipcid_rules_list_contains(l, "+18005550199"));
	g_assert_true(sipcid_rules_list_contains(l, "+18005550198"));
	g_assert_true(sipcid_rules_list_contains(l, "+18005550197"));
	/* only the number column is read: 512 and 2024 are not on the list */
	g_assert_false(sipcid_rules_list_contains(l, "512"));
	g_assert_false(sipcid_rules_list_contains(l, "2024"));

	/* the number column anywhere, the header unquoted, LF only; the 10 digits are NANP
	 * even when the configured plan is not */
	struct sipcid_number_plan uk;
	sipcid_number_plan_preset("uk", &uk);
	static const char moved[] = "Created_Date,Company_Phone_Number,Subject\n2024,2125550100,x\n";
	g_autoptr(sipcid_rules_list) m =
		sipcid_rules_list_parse("ftc", "ftc.csv", moved, strlen(moved), &uk);
	g_assert_true(sipcid_rules_list_is_ftc(m));
	g_assert_true(sipcid_rules_list_contains(m, "+12125550100"));
	g_assert_cmpuint(sipcid_rules_list_count(m), ==, 1);

	/* the header alone: an FTC list with nothing on it */
	g_autoptr(sipcid_rules_list) h = parse_str(FTC_HEADER);
	g_assert_true(sipcid_rules_list_is_ftc(h));
	g_assert_cmpuint(sipcid_rules_list_count(h), ==, 0);
}

static void test_ftc_hostile(void)
{
	/* an unbalanced quote does not swallow the rest of the file, and a huge record is skipped */
	GString *t = g_string_new(FTC_HEADER "\"8005550199,2024\n8005550198,2024\n");
	g_string_append(t, "8005550197,\"");
	for (int i = 0; i < 100000; i++)
		g_string_append(t, "xx,\"\"");
	g_string_append(t, "\"\n8005550196,2024\n\"\xff\xfe\",1\n");
	g_autoptr(sipcid_rules_list) l = parse(t->str, t->len);
	g_string_free(t, TRUE);
	g_assert_true(sipcid_rules_list_is_ftc(l));
	g_assert_false(sipcid_rules_list_contains(l, "+18005550199"));
	g_assert_true(sipcid_rules_list_contains(l, "+18005550198"));  /* read again from the next line */
	g_assert_true(sipcid_rules_list_contains(l, "+18005550196"));
	g_assert_false(sipcid_rules_list_contains(l, "+18005550197"));
	g_assert_cmpuint(sipcid_rules_list_skipped(l), >=, 3);
}

/* The index against a hash table of the same numbers, both ways. */
static void test_index_large(void)
{
	GRand *rand = g_rand_new_with_seed(18);
	GString *t = g_string_new(NULL);
	GHashTable *want = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (int i = 0; i < 100000; i++) {
		char n[32];
		g_snprintf(n, sizeof n, "+1%03d%07d", 200 + g_rand_int_range(rand, 0, 800),
		           g_rand_int_range(rand, 0, 10000000));
		g_string_append_printf(t, "%s\n", n);
		g_hash_table_add(want, g_strdup(n));
	}
	g_autoptr(sipcid_rules_list) l = parse(t->str, t->len);
	g_assert_cmpuint(sipcid_rules_list_count(l), ==, g_hash_table_size(want));
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, want);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_assert_true(sipcid_rules_list_contains(l, key));
	unsigned absent = 0;
	for (int i = 0; i < 100000; i++) {
		char n[32];
		g_snprintf(n, sizeof n, "+1%03d%07d", 200 + g_rand_int_range(rand, 0, 800),
		           g_rand_int_range(rand, 0, 10000000));
		g_assert_cmpint(sipcid_rules_list_contains(l, n), ==,
		                g_hash_table_contains(want, n));
		absent += !g_hash_table_contains(want, n);
	}
	g_assert_cmpuint(absent, >, 90000);
	g_hash_table_unref(want);
	g_string_free(t, TRUE);
	g_rand_free(rand);
}

/* Numbers of every length, with and without '+': the lookup's directory
 * spans a range far wider than it has buckets, and must still find each. */
static void test_index_mixed(void)
{
	GRand *rand = g_rand_new_with_seed(44);
	GString *t = g_string_new(NULL);
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < 3000; i++) {
		/* E.164 is 15 digits after '+'; a number without one may be longer */
		bool plus = g_rand_boolean(rand);
		int len = g_rand_int_range(rand, 1, (plus ? 15 : SIPCID_RULES_LIST_DIGITS_MAX) + 1);
		GString *n = g_string_new(plus ? "+" : "");
		for (int k = 0; k < len; k++)
			g_string_append_c(n, (char)('0' + g_rand_int_range(rand, 0, 10)));
		g_ptr_array_add(all, g_string_free(n, FALSE));
	}
	/* the first half on the list, the second half asked about */
	for (unsigned i = 0; i < all->len / 2; i++)
		g_string_append_printf(t, "%s\n", (char *)all->pdata[i]);
	struct sipcid_number_plan none;
	sipcid_number_plan_preset("none", &none);
	g_autoptr(sipcid_rules_list) l = sipcid_rules_list_parse("mixed", "mixed", t->str, t->len,
	                                                         &none);
	g_assert_cmpuint(sipcid_rules_list_skipped(l), ==, 0);
	for (unsigned i = 0; i < all->len; i++) {
		bool listed = false;
		for (unsigned k = 0; k < all->len / 2 && !listed; k++)
			listed = !strcmp(all->pdata[i], all->pdata[k]);
		if (sipcid_rules_list_contains(l, all->pdata[i]) != listed)
			g_error("%s: listed %d, found %d", (char *)all->pdata[i], listed, !listed);
	}
	g_ptr_array_unref(all);
	g_string_free(t, TRUE);
	g_rand_free(rand);
}

static GHashTable *lists_of(const char *spam, const char *friends)
{
	GHashTable *lists = sipcid_rules_lists_new();
	struct sipcid_rules_list *l = parse_str(spam);
	sipcid_rules_lists_put(lists, l);
	sipcid_rules_list_unref(l);
	struct sipcid_number_plan plan = nanp();
	l = sipcid_rules_list_parse("friends", "friends.txt", friends, strlen(friends), &plan);
	sipcid_rules_lists_put(lists, l);
	sipcid_rules_list_unref(l);
	return lists;
}

static void test_rules(void)
{
	struct sipcid_number_plan plan = nanp();
	g_autoptr(GHashTable) lists = lists_of("2125550100\n911\n", "2125550100\n2125550177\n");
	GError *error = NULL;
	g_autoptr(sipcid_rules) r = sipcid_rules_load_data_with(
		"rules", "allow list friends direction outgoing\nblock list spam\n"
		"record list friends\n", NULL, NULL, &plan, lists, &error);
	g_assert_no_error(error);
	/* the ruleset keeps its lists: the table may go */
	g_hash_table_remove_all(lists);

	struct sipcid_call c = make_call("+12125550100", "");
	struct sipcid_rules_verdict why;
	sipcid_rules_decide_why(r, false, &c, &why);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_BLOCK);
	g_assert_cmpstr(c.rule, ==, "rules:2");
	g_assert_cmpstr(why.list, ==, "spam");

	c = make_call("+12125550177", "");
	sipcid_rules_decide_why(r, false, &c, &why);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_true(c.record);
	g_assert_cmpstr(why.list, ==, "friends");

	c = make_call("+12125550101", "");
	sipcid_rules_decide_why(r, false, &c, &why);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_cmpstr(c.rule, ==, "");
	g_assert_null(why.list);

	/* an emergency number on a spam list still gets through */
	c = make_call("911", "");
	c.origin = SIPCID_ORIGIN_PROVIDER;
	sipcid_rules_decide_why(r, false, &c, &why);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_true(why.emergency_override);

	/* outgoing: the list is asked about the number called */
	c = make_call("", "");
	c.direction = SIPCID_DIR_OUTGOING;
	c.origin = SIPCID_ORIGIN_PHONE;
	g_strlcpy(c.called, "+12125550177", sizeof c.called);
	sipcid_rules_decide_why(r, false, &c, &why);
	g_assert_cmpstr(c.rule, ==, "rules:1");
	g_assert_cmpstr(why.list, ==, "friends");
}

static void test_rules_errors(void)
{
	struct sipcid_number_plan plan = nanp();
	g_autoptr(GHashTable) lists = lists_of("2125550100\n", "");
	GError *error = NULL;
	struct sipcid_rules *r = sipcid_rules_load_data_with(
		"rules", "allow *\nblock list spma\n", NULL, NULL, &plan, lists, &error);
	g_assert_null(r);
	g_assert_error(error, SIPCID_RULES_ERROR, SIPCID_RULES_ERROR_SYNTAX);
	g_assert_true(g_str_has_prefix(error->message, "rules:2:12: no list named 'spma'"));
	g_clear_error(&error);
	/* without any lists (sipcid-rules check without --config) */
	g_autofree char *msg = load_error("block list spam\n", NULL);
	g_assert_true(g_str_has_prefix(msg, "rules:1:12: no list named 'spam'"));
	g_assert_nonnull(strstr(msg, "--config"));
	g_autofree char *msg2 = load_error("block list /spam/\n", NULL);
	g_assert_true(g_str_has_prefix(msg2, "rules:1:12: no list named"));
	g_autofree char *msg3 = load_error("block list\n", NULL);
	g_assert_true(g_str_has_prefix(msg3, "rules:1:11: expected a pattern after 'list'"));
}

static void test_settings(void)
{
	g_setenv("STATE_DIRECTORY", "/var/lib/sipcid-test", TRUE);
	GError *error = NULL;
	struct sipcid_config *cfg = sipcid_config_load_data(
		"/etc/sipcid/sipcid.conf",
		"[lists]\nspam = spam.txt\nabs = /srv/a.txt\nftc = https://example.org/dnc.csv\n"
		"refresh = 2h\ntimeout = 5s\nmax-size = 10M\n", &error);
	g_assert_no_error(error);
	struct sipcid_rules_settings s;
	g_assert_true(sipcid_rules_settings_load(cfg, &s, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(s.n_lists, ==, 3);
	g_assert_cmpuint(s.list_refresh_s, ==, 7200);
	g_assert_cmpuint(s.list_timeout_s, ==, 5);
	g_assert_cmpuint(s.list_max_bytes, ==, 10 << 20);
	for (unsigned i = 0; i < s.n_lists; i++) {
		const struct sipcid_rules_list_source *src = &s.lists[i];
		if (!strcmp(src->name, "spam")) {
			g_assert_cmpstr(src->path, ==, "/etc/sipcid/spam.txt");
			g_assert_null(src->url);
		} else if (!strcmp(src->name, "abs")) {
			g_assert_cmpstr(src->path, ==, "/srv/a.txt");
		} else {
			g_assert_cmpstr(src->name, ==, "ftc");
			g_assert_cmpstr(src->url, ==, "https://example.org/dnc.csv");
			g_assert_cmpstr(src->path, ==, "/var/lib/sipcid-test/lists/ftc.list");
		}
	}
	struct sipcid_rules_settings copy;
	sipcid_rules_settings_copy(&copy, &s);
	g_assert_cmpstr(copy.lists[2].path, ==, s.lists[2].path);
	sipcid_rules_settings_clear(&copy);
	/* a list named in a setting that can't be read is an error naming it */
	GError *load_error = NULL;
	GHashTable *lists = sipcid_rules_settings_load_lists(&s, NULL, &load_error);
	g_assert_null(lists);
	g_assert_nonnull(strstr(load_error->message, "list spam"));
	g_clear_error(&load_error);
	sipcid_rules_settings_clear(&s);
	sipcid_config_free(cfg);

	static const char *const bad[][2] = {
		{ "[lists]\nSpam = x\n", "sipcid.conf:2: [lists] Spam: a list's name" },
		{ "[lists]\nspam =\n", "sipcid.conf:2: [lists] spam: expected a file" },
		{ "[lists]\nrefresh = 10\n", "sipcid.conf:2: [lists] refresh: expected a number" },
		{ "[lists]\nrefresh = 6x\n", "sipcid.conf:2: [lists] refresh: expected a number" },
		{ "[lists]\ntimeout = 0\n", "sipcid.conf:2: [lists] timeout: expected a number" },
		{ "[lists]\nmax-size = 99999999G\n", "sipcid.conf:2: [lists] max-size: expected" },
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		cfg = sipcid_config_load_data("sipcid.conf", bad[i][0], &error);
		g_assert_no_error(error);
		g_assert_false(sipcid_rules_settings_load(cfg, &s, &error));
		g_assert_nonnull(error);
		if (!g_str_has_prefix(error->message, bad[i][1]))
			g_error("%s: got '%s'", bad[i][0], error->message);
		g_clear_error(&error);
		sipcid_config_free(cfg);
	}
}

struct watch_state {
	GMainLoop *loop;
	struct sipcid_rules *current;
	unsigned loaded, list_reads, failed;
};

static void on_failed(const GError *error, void *data)
{
	struct watch_state *st = data;
	g_assert_nonnull(strstr(error->message, "list spam: "));
	st->failed++;
	g_main_loop_quit(st->loop);
}

static void on_loaded(struct sipcid_rules *r, void *data)
{
	struct watch_state *st = data;
	sipcid_rules_unref(st->current);
	st->current = sipcid_rules_ref(r);
	st->loaded++;
	g_main_loop_quit(st->loop);
}

static gboolean give_up(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

static void wait_reload(struct watch_state *st)
{
	guint id = g_timeout_add_seconds(10, give_up, st->loop);
	g_main_loop_run(st->loop);
	g_source_remove(id);
}

/* Counts "list spam: N numbers", said each time the watcher reads the list. */
static void count_reads(int priority, const char *msg, void *data)
{
	(void)priority;
	struct watch_state *st = data;
	if (g_str_has_prefix(msg, "list spam: ") && g_str_has_suffix(msg, " numbers"))
		st->list_reads++;
}

static enum sipcid_action action_of(struct sipcid_rules *r, const char *number)
{
	struct sipcid_call c = make_call(number, "");
	sipcid_rules_decide(r, false, &c);
	return c.action;
}

static void test_watch(void)
{
	g_autofree char *dir = g_dir_make_tmp("sipcid-list-XXXXXX", NULL);
	g_autofree char *rules = g_build_filename(dir, "rules", NULL);
	g_autofree char *spam = g_build_filename(dir, "spam.txt", NULL);
	g_assert_true(g_file_set_contents(rules, "block list spam\n", -1, NULL));
	g_assert_true(g_file_set_contents(spam, "2125550100\n", -1, NULL));
	struct sipcid_rules_list_source src = { .name = "spam", .path = spam };
	struct sipcid_rules_settings settings = { .rules_path = rules, .lists = &src, .n_lists = 1 };
	struct sipcid_number_plan plan = nanp();
	struct watch_state st = { .loop = g_main_loop_new(NULL, FALSE) };
	sipcid_log_set_tap(count_reads, &st);
	struct sipcid_rules_watch *w = sipcid_rules_watch_new(&settings, &plan, on_loaded, NULL, &st);
	sipcid_rules_watch_set_delay(w, 50);

	/* editing the list reloads it */
	g_assert_true(g_file_set_contents(spam, "2125550100\n2125550101\n", -1, NULL));
	wait_reload(&st);
	g_assert_cmpuint(st.loaded, ==, 1);
	g_assert_cmpuint(st.list_reads, ==, 1);
	g_assert_cmpint(action_of(st.current, "+12125550101"), ==, SIPCID_ACTION_BLOCK);

	/* editing the rule file does not read the list again */
	g_assert_true(g_file_set_contents(rules, "# spam\nblock list spam\n", -1, NULL));
	wait_reload(&st);
	g_assert_cmpuint(st.loaded, ==, 2);
	g_assert_cmpuint(st.list_reads, ==, 1);
	g_assert_cmpint(action_of(st.current, "+12125550101"), ==, SIPCID_ACTION_BLOCK);

	/* the list file gone: the last good list stays */
	g_unlink(spam);
	wait_reload(&st);
	g_assert_cmpuint(st.loaded, ==, 3);
	g_assert_cmpint(action_of(st.current, "+12125550101"), ==, SIPCID_ACTION_BLOCK);

	/* and comes back changed */
	g_assert_true(g_file_set_contents(spam, "2125550102\n", -1, NULL));
	wait_reload(&st);
	g_assert_cmpint(action_of(st.current, "+12125550101"), ==, SIPCID_ACTION_ALLOW);
	g_assert_cmpint(action_of(st.current, "+12125550102"), ==, SIPCID_ACTION_BLOCK);

	sipcid_rules_watch_free(w);
	sipcid_log_set_tap(NULL, NULL);
	sipcid_rules_unref(st.current);
	g_main_loop_unref(st.loop);
	g_unlink(spam);
	g_unlink(rules);
	g_rmdir(dir);
}

/* The list file gone before the watcher ever read it: a reload fails, so the
 * running rules (with the list sipcidd started with) stay, rather than the
 * list turning empty. */
static void test_watch_missing_first(void)
{
	g_autofree char *dir = g_dir_make_tmp("sipcid-list-XXXXXX", NULL);
	g_autofree char *rules = g_build_filename(dir, "rules", NULL);
	g_autofree char *spam = g_build_filename(dir, "spam.txt", NULL);
	g_assert_true(g_file_set_contents(rules, "block list spam\n", -1, NULL));
	struct sipcid_rules_list_source src = { .name = "spam", .path = spam };
	struct sipcid_rules_settings settings = { .rules_path = rules, .lists = &src, .n_lists = 1 };
	struct sipcid_number_plan plan = nanp();
	struct watch_state st = { .loop = g_main_loop_new(NULL, FALSE) };
	struct sipcid_rules_watch *w = sipcid_rules_watch_new(&settings, &plan, on_loaded,
	                                                      on_failed, &st);
	sipcid_rules_watch_set_delay(w, 50);
	g_assert_true(g_file_set_contents(rules, "# edited\nblock list spam\n", -1, NULL));
	wait_reload(&st);
	g_assert_cmpuint(st.failed, ==, 1);
	g_assert_cmpuint(st.loaded, ==, 0);
	g_assert_true(g_file_set_contents(spam, "2125550100\n", -1, NULL));
	g_assert_true(sipcid_rules_watch_reload(w));
	g_assert_cmpint(action_of(st.current, "+12125550100"), ==, SIPCID_ACTION_BLOCK);
	sipcid_rules_watch_free(w);
	sipcid_rules_unref(st.current);
	g_main_loop_unref(st.loop);
	g_unlink(spam);
	g_unlink(rules);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	sipcid_log_init("test");
	g_test_add_func("/list/key", test_key);
	g_test_add_func("/list/plain", test_plain);
	g_test_add_func("/list/plain-hostile", test_plain_hostile);
	g_test_add_func("/list/ftc", test_ftc);
	g_test_add_func("/list/ftc-hostile", test_ftc_hostile);
	g_test_add_func("/list/index-large", test_index_large);
	g_test_add_func("/list/index-mixed", test_index_mixed);
	g_test_add_func("/list/rules", test_rules);
	g_test_add_func("/list/rules-errors", test_rules_errors);
	g_test_add_func("/list/settings", test_settings);
	g_test_add_func("/list/watch", test_watch);
	g_test_add_func("/list/watch-missing-first", test_watch_missing_first);
	return g_test_run();
}
