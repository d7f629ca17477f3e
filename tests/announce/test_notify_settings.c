/* [notify]: defaults, every key, and errors that name FILE:LINE. */
#include "config.h"
#include "announce_settings.h"

#include <glib/gstdio.h>
#include <string.h>

static bool load(const char *text, struct sipcid_notify_settings *s, GError **err)
{
	struct sipcid_config *cfg = sipcid_config_load_data("test.conf", text, err);
	if (!cfg)
		return false;
	bool ok = sipcid_notify_settings_load(cfg, s, err);
	sipcid_config_free(cfg);
	return ok;
}

static const struct sipcid_announce_dest *dest(GArray *a, guint i)
{
	return &g_array_index(a, struct sipcid_announce_dest, i);
}

static void test_defaults(void)
{
	struct sipcid_notify_settings s;
	g_autoptr(GError) err = NULL;
	g_assert_true(load("", &s, &err));
	g_assert_cmpstr(s.interface, ==, "br0");
	g_assert_null(s.udp);          /* broadcast on br0 */
	g_assert_null(s.growl);
	g_assert_cmpuint(s.gntp->len, ==, 0);
	g_assert_cmpint(s.growl_auth, ==, GROWL_AUTH_MD5);
	g_assert_cmpint(s.gntp_hash, ==, GNTP_HASH_SHA256);
	g_assert_false(s.has_key);
	g_assert_cmpint(s.growl_register_interval_s, ==, 600);
	sipcid_notify_settings_clear(&s);
}

static void test_all_keys(void)
{
	g_autofree char *dir = g_dir_make_tmp("sipcid-notify-XXXXXX", NULL);
	g_autofree char *key = g_build_filename(dir, "key", NULL);
	g_assert_true(g_file_set_contents(key, "0123456789abcdef0123\n", -1, NULL));
	g_autofree char *text = g_strdup_printf(
		"[notify]\n"
		"interface = lan0\n"
		"udp = 192.168.1.255, [ff02::1]:7000, 239.1.2.3:7651, desk.local\n"
		"growl = 10.0.0.5:9887\n"
		"gntp = 10.0.0.5, [fe80::1%%eth0]:23054\n"
		"growl-password = secret\n"
		"growl-hash = sha256\n"
		"growl-flags-byte-order = little-endian\n"
		"growl-register-interval = 120\n"
		"gntp-password = other\n"
		"gntp-hash = sha512\n"
		"gntp-timeout = 3\n"
		"auth-key-file = %s\n"
		"incoming-priority = 2\n"
		"incoming-sticky = true\n"
		"blocked-priority = -2\n"
		"blocked-sticky = no\n"
		"update-priority = -1\n"
		"update-sticky = yes\n",
		key);
	struct sipcid_notify_settings s;
	g_autoptr(GError) err = NULL;
	g_assert_true(load(text, &s, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(s.interface, ==, "lan0");
	g_assert_cmpuint(s.udp->len, ==, 4);
	g_assert_cmpstr(dest(s.udp, 0)->host, ==, "192.168.1.255");
	g_assert_cmpuint(dest(s.udp, 0)->port, ==, 7651);
	g_assert_cmpstr(dest(s.udp, 1)->host, ==, "ff02::1");
	g_assert_cmpuint(dest(s.udp, 1)->port, ==, 7000);
	g_assert_cmpstr(dest(s.udp, 3)->host, ==, "desk.local");
	g_assert_cmpuint(s.growl->len, ==, 1);
	g_assert_cmpuint(s.gntp->len, ==, 2);
	g_assert_cmpuint(dest(s.gntp, 0)->port, ==, 23053);
	g_assert_cmpstr(dest(s.gntp, 1)->host, ==, "fe80::1%eth0");
	g_assert_cmpstr(s.growl_password, ==, "secret");
	g_assert_cmpint(s.growl_auth, ==, GROWL_AUTH_SHA256);
	g_assert_cmpint(s.growl_flags_order, ==, GROWL_FLAGS_LITTLE_ENDIAN);
	g_assert_cmpint(s.growl_register_interval_s, ==, 120);
	g_assert_cmpint(s.gntp_hash, ==, GNTP_HASH_SHA512);
	g_assert_cmpint(s.gntp_timeout_s, ==, 3);
	g_assert_true(s.has_key);
	g_assert_cmpuint(s.key.len, ==, 20);
	g_assert_cmpint(s.priority[SIPCID_ANNOUNCE_INCOMING], ==, 2);
	g_assert_true(s.sticky[SIPCID_ANNOUNCE_INCOMING]);
	g_assert_cmpint(s.priority[SIPCID_ANNOUNCE_BLOCKED], ==, -2);
	g_assert_false(s.sticky[SIPCID_ANNOUNCE_BLOCKED]);
	g_assert_true(s.sticky[SIPCID_ANNOUNCE_UPDATE]);
	sipcid_notify_settings_clear(&s);
	g_unlink(key);
	g_rmdir(dir);
}

static void test_empty_lists_turn_off(void)
{
	struct sipcid_notify_settings s;
	g_autoptr(GError) err = NULL;
	g_assert_true(load("[notify]\nudp =\ngrowl =\n", &s, &err));
	g_assert_nonnull(s.udp);
	g_assert_cmpuint(s.udp->len, ==, 0);
	g_assert_cmpuint(s.growl->len, ==, 0);
	sipcid_notify_settings_clear(&s);
}

/* What --read keeps without --announce: only what the file names. */
static void test_keep_named(void)
{
	struct sipcid_notify_settings s;
	g_autoptr(GError) err = NULL;
	g_assert_true(load("", &s, &err));
	g_assert_false(s.interface_set);
	sipcid_announce_settings_keep_named(&s);
	g_assert_cmpuint(s.udp->len, ==, 0);   /* the default broadcast is gone */
	g_assert_cmpuint(s.growl->len, ==, 0);
	g_assert_cmpuint(s.gntp->len, ==, 0);
	sipcid_notify_settings_clear(&s);

	g_assert_true(load("[notify]\ngrowl = 10.0.0.9\ngntp = desk\n", &s, &err));
	sipcid_announce_settings_keep_named(&s);
	g_assert_cmpuint(s.udp->len, ==, 0);
	g_assert_cmpuint(s.growl->len, ==, 1);
	g_assert_cmpstr(dest(s.growl, 0)->host, ==, "10.0.0.9");
	g_assert_cmpuint(s.gntp->len, ==, 1);
	sipcid_notify_settings_clear(&s);

	/* Naming the interface asks for its broadcast address. */
	g_assert_true(load("[notify]\ninterface = br0\n", &s, &err));
	g_assert_true(s.interface_set);
	sipcid_announce_settings_keep_named(&s);
	g_assert_null(s.udp);
	g_assert_null(s.growl);
	sipcid_notify_settings_clear(&s);
}

static void expect_error(const char *text, const char *fragment)
{
	struct sipcid_notify_settings s;
	g_autoptr(GError) err = NULL;
	g_assert_false(load(text, &s, &err));
	g_assert_nonnull(err);
	g_test_message("%s", err->message);
	if (!strstr(err->message, fragment))
		g_error("expected '%s' in '%s'", fragment, err->message);
}

static void test_errors(void)
{
	expect_error("[notify]\n\nudp-port = 1\n", "test.conf:3: [notify] udp-port: unknown key");
	expect_error("[notify]\ngrowl = host:99999\n", "test.conf:2: [notify] growl:");
	expect_error("[notify]\ngrowl = host:99999\n", "not a port number");
	expect_error("[notify]\nudp = ff02::1:7651\n", "in brackets");
	expect_error("[notify]\nudp = [ff02::1\n", "closing ']'");
	expect_error("[notify]\nudp = [1.2.3.4]:5\n", "not an IPv6 address");
	expect_error("[notify]\ngntp = :23053\n", "the host is missing");
	expect_error("[notify]\ngntp = a/b\n", "not a host name");
	expect_error("[notify]\ngrowl-hash = sha1\n", "test.conf:2: [notify] growl-hash: expected one of");
	expect_error("[notify]\ngrowl-hash = none\ngrowl-password = x\n", "growl-hash");
	expect_error("[notify]\nincoming-priority = 3\n", "from -2 to 2");
	expect_error("[notify]\nblocked-sticky = maybe\n", "expected true or false");
	expect_error("[notify]\ngrowl-register-interval = 1\n", "from 10 to 86400");
	expect_error("[notify]\nauth-key-file = /nonexistent/k\n",
	             "test.conf:2: [notify] auth-key-file: /nonexistent/k: cannot read");
	expect_error("[notify]\ninterface =\n", "test.conf:2: [notify] interface");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/notify-settings/defaults", test_defaults);
	g_test_add_func("/notify-settings/all-keys", test_all_keys);
	g_test_add_func("/notify-settings/empty-lists-turn-off", test_empty_lists_turn_off);
	g_test_add_func("/notify-settings/errors", test_errors);
	g_test_add_func("/notify-settings/keep-named", test_keep_named);
	return g_test_run();
}
