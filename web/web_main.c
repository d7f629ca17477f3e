/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sipcid-web: the web console (sipcid-web(8)). One of --check,
 * --set-password, --make-certificate, or serve. */
#include "config.h"
#include "log.h"
#include "web_auth.h"
#include "web_cert.h"
#include "web_context.h"
#include "web_server.h"
#include "web_settings.h"

#include <glib-unix.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>

#define DEFAULT_CONFIG "/etc/sipcid/sipcid.conf"

struct options {
	char *config, *control_socket, *static_dir, *sipcid_rules;
	gboolean check, set_password, make_certificate, verbose;
};

static void parse_options(int *argc, char ***argv, struct options *o)
{
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config,
		  "The configuration (default " DEFAULT_CONFIG ")", "FILE" },
		{ "control-socket", 0, 0, G_OPTION_ARG_FILENAME, &o->control_socket,
		  "sipcidd's control socket (default /run/sipcid/sipcidd.sock)", "PATH" },
		{ "static-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->static_dir,
		  "Serve the pages from DIR instead of [web] static-dir", "DIR" },
		{ "sipcid-rules", 0, 0, G_OPTION_ARG_FILENAME, &o->sipcid_rules,
		  "The sipcid-rules program to run for rule and phonebook work", "PATH" },
		{ "check", 0, 0, G_OPTION_ARG_NONE, &o->check,
		  "Check the configuration and exit", NULL },
		{ "set-password", 0, 0, G_OPTION_ARG_NONE, &o->set_password,
		  "Set the console's password (asked twice on a terminal, else one line of stdin)",
		  NULL },
		{ "make-certificate", 0, 0, G_OPTION_ARG_NONE, &o->make_certificate,
		  "Make a self-signed certificate and key for [web] certificate and key", NULL },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose, "Debug messages", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("- the sipcid web console");
	g_option_context_add_main_entries(oc, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(oc, argc, argv, &error))
		sipcid_log_fatalx("%s (see sipcid-web --help)", error->message);
	if (*argc > 1)
		sipcid_log_fatalx("unexpected argument %s (see sipcid-web --help)", (*argv)[1]);
	if (o->check + o->set_password + o->make_certificate > 1)
		sipcid_log_fatalx("--check, --set-password and --make-certificate go one at a time");
}

/* The addresses the certificate names: where the server would listen. */
static char **certificate_addresses(const struct sipcid_web_settings *s, const char *config)
{
	GPtrArray *out = g_ptr_array_new();
	g_autoptr(GPtrArray) listen = sipcid_web_settings_listen_addresses(s, config, NULL);
	for (guint i = 0; listen && i < listen->len; i++) {
		GInetAddress *a = g_inet_socket_address_get_address(listen->pdata[i]);
		if (!g_inet_address_get_is_any(a))
			g_ptr_array_add(out, g_inet_address_to_string(a));
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

static gboolean on_signal(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

static int serve(const struct sipcid_web_settings *s, struct sipcid_web_context *ctx,
                 const char *config)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) addresses = sipcid_web_settings_listen_addresses(s, config, &error);
	if (!addresses)
		sipcid_log_fatalx("%s", error->message);
	struct sipcid_web_server *srv = sipcid_web_server_new(s, ctx, &error);
	if (!srv || !sipcid_web_server_listen(srv, addresses, &error))
		sipcid_log_fatalx("%s", error->message);
	g_autofree char *urls = sipcid_web_server_urls(srv);
	sipcid_log_info("serving %s", urls);
	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, on_signal, loop);
	g_unix_signal_add(SIGINT, on_signal, loop);
	g_main_loop_run(loop);
	sipcid_web_server_free(srv);
	g_main_loop_unref(loop);
	return 0;
}

/* The configuration, [web] and the context, or exit naming FILE:LINE. */
static void load(const struct options *o, struct sipcid_config **cfg,
                 struct sipcid_web_settings *s, struct sipcid_web_context **ctx)
{
	/* Without --config, a box with no configuration file runs on the defaults. */
	const char *path = o->config ? o->config
	                             : g_file_test(DEFAULT_CONFIG, G_FILE_TEST_EXISTS) ? DEFAULT_CONFIG
	                                                                               : NULL;
	g_autoptr(GError) error = NULL;
	if (!(*cfg = sipcid_config_load(path, &error)) || !sipcid_web_settings_load(*cfg, s, &error) ||
	    !(*ctx = sipcid_web_context_new(*cfg, o->control_socket, o->sipcid_rules, &error)))
		sipcid_log_fatalx("%s", error->message);
	if (o->static_dir) {
		g_free(s->static_dir);
		s->static_dir = g_strdup(o->static_dir);
	}
}

static int run(const struct options *o, struct sipcid_web_settings *s,
               struct sipcid_web_context *ctx, const char *config)
{
	g_autoptr(GError) error = NULL;
	if (o->check) {
		printf("%s: the web console's configuration is good\n", config);
	} else if (o->set_password) {
		if (!sipcid_web_auth_set_password_from_input(s->password_file, &error))
			sipcid_log_fatalx("%s", error->message);
		printf("The web console's password is set (%s).\n", s->password_file);
	} else if (o->make_certificate) {
		g_auto(GStrv) addresses = certificate_addresses(s, config);
		if (!sipcid_web_cert_make(s->certificate, s->key, (const char *const *)addresses,
		                          "sipcid", &error))
			sipcid_log_fatalx("%s", error->message);
		printf("Made %s and %s.\n", s->certificate, s->key);
	} else {
		return serve(s, ctx, config);
	}
	return 0;
}

int main(int argc, char **argv)
{
	sipcid_log_init("sipcid-web");
	struct options o = { 0 };
	parse_options(&argc, &argv, &o);
	sipcid_log_set_verbose(o.verbose);
	if (sodium_init() < 0)
		sipcid_log_fatalx("libsodium cannot start");
	struct sipcid_config *cfg = NULL;
	struct sipcid_web_settings s;
	struct sipcid_web_context *ctx = NULL;
	load(&o, &cfg, &s, &ctx);
	int rc = run(&o, &s, ctx, sipcid_config_path(cfg));
	sipcid_web_context_free(ctx);
	sipcid_web_settings_clear(&s);
	sipcid_config_free(cfg);
	g_free(o.config);
	g_free(o.control_socket);
	g_free(o.static_dir);
	g_free(o.sipcid_rules);
	return rc;
}
