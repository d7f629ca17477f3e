/* The NCID server: listener, clients, connection startup, and feeding
 * calls to every started client (ncid.h). */
#include "ncid.h"

#include "ncid_line.h"
#include "log.h"
#include "ncid_log.h"
#include "text.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* When sipcid honours NCID's Feature Set 1 (server output, HELLO:, GOODBYE,
 * the call log) and the server output lines of Feature Set 2 (BLK:, END:);
 * docs/ncid.md says what is left out. */
#define STARTUP_LINES "200 Server: sipcid " SIPCID_VERSION "\r\n210 API: 1.12 Feature Set 1 2\r\n"

/* A client's HELLO: CMD: send_log when log-calls = 0 gets this many calls. */
enum { SEND_LOG_CALLS = 100 };

enum phase {
	PHASE_HELLO,    /* 200 and 210 sent; HELLO: lines awaited */
	PHASE_LOG,      /* the call log is being read */
	PHASE_STARTED,  /* 300 sent: gets every call */
};

struct server;

struct client {
	gint refs;
	struct server *server;        /* NULL once closed */
	GSocket *socket;
	GSource *in_source, *out_source;
	char peer[INET6_ADDRSTRLEN + 8];
	enum phase phase;
	bool no_log, send_log, told_unknown;
	guint hello_timer;
	char in[SIPCID_NCID_LINE_IN_MAX];
	size_t in_len;
	gint64 line_started_us;       /* when the unfinished line's first byte came */
	GString *out;                 /* unsent bytes */
	GString *held;                /* calls that came during the startup */
};

struct server {
	struct sipcid_output output;
	struct sipcid_ncid_settings settings;
	bool log_enabled;
	char database[4096];
	GSocket *listener;
	GSource *accept_source;
	guint sweep_timer;
	uint16_t port;
	GPtrArray *clients;           /* struct client *, every connected one */
	GString *lines;               /* one event's lines, formatted once */
	gint64 refused_logged_us;
	unsigned refused_since_log;
};

static struct client *client_ref(struct client *c)
{
	g_atomic_int_inc(&c->refs);
	return c;
}

static void client_unref(struct client *c)
{
	if (!g_atomic_int_dec_and_test(&c->refs))
		return;
	g_string_free(c->out, TRUE);
	g_string_free(c->held, TRUE);
	g_free(c);
}

static void remove_source(GSource **s)
{
	if (*s) {
		g_source_destroy(*s);
		g_source_unref(*s);
		*s = NULL;
	}
}

/* Forgets the client at once: nothing blocks on a peer that went away. */
static void client_drop(struct client *c, const char *why)
{
	struct server *sv = c->server;
	if (!sv)
		return;
	if (why)
		sipcid_log_info("[ncid] client %s dropped: %s", c->peer, why);
	else
		sipcid_log_info("[ncid] client %s left", c->peer);
	c->server = NULL;
	remove_source(&c->in_source);
	remove_source(&c->out_source);
	if (c->hello_timer)
		g_source_remove(c->hello_timer);
	c->hello_timer = 0;
	g_socket_close(c->socket, NULL);
	g_clear_object(&c->socket);
	g_ptr_array_remove_fast(sv->clients, c);
	client_unref(c);   /* the server's reference */
}

static gboolean on_writable(GSocket *socket, GIOCondition cond, gpointer data);

/* Sends what the socket takes now; the rest waits for it to drain. */
static void client_flush(struct client *c)
{
	while (c->server && c->out->len) {
		GError *error = NULL;
		gssize n = g_socket_send_with_blocking(c->socket, c->out->str, c->out->len, FALSE,
		                                       NULL, &error);
		if (n < 0) {
			if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
				g_error_free(error);
				break;
			}
			client_drop(c, error->message);
			g_error_free(error);
			return;
		}
		g_string_erase(c->out, 0, n);
	}
	if (!c->server)
		return;
	if (c->out->len && !c->out_source) {
		c->out_source = g_socket_create_source(c->socket, G_IO_OUT, NULL);
		g_source_set_callback(c->out_source, G_SOURCE_FUNC(on_writable), c, NULL);
		g_source_attach(c->out_source, NULL);
	} else if (!c->out->len) {
		remove_source(&c->out_source);
	}
}

static gboolean on_writable(GSocket *socket, GIOCondition cond, gpointer data)
{
	(void)socket;
	(void)cond;
	struct client *c = client_ref(data);
	/* The source ends here; client_flush makes a new one if still needed. */
	g_source_unref(c->out_source);
	c->out_source = NULL;
	client_flush(c);
	client_unref(c);
	return G_SOURCE_REMOVE;
}

/* Queues text for the client; a client that lets too much pile up is
 * dropped rather than held in memory. */
static void client_send(struct client *c, const char *text, size_t len)
{
	if (!c->server)
		return;
	if (c->out->len + len > SIPCID_NCID_PENDING_MAX) {
		client_drop(c, "it does not read its lines (too many unsent)");
		return;
	}
	g_string_append_len(c->out, text, (gssize)len);
	client_flush(c);
}

static void client_send_str(struct client *c, const char *text)
{
	client_send(c, text, strlen(text));
}

/* The end of the connection startup: OPT: lines, 300, then the calls that
 * came meanwhile. */
static void client_started(struct client *c, const GString *log)
{
	if (!c->server)
		return;
	client_send(c, log->str, log->len);
	if (!c->server)
		return;
	g_autofree char *opt = g_strdup_printf("OPT: country: %s\r\n", c->server->settings.country);
	client_send_str(c, opt);
	client_send_str(c, "300 End of connection startup\r\n");
	if (!c->server)
		return;
	c->phase = PHASE_STARTED;
	client_send(c, c->held->str, c->held->len);
	g_string_truncate(c->held, 0);
}

static void on_log_read(GObject *source, GAsyncResult *result, gpointer data)
{
	(void)source;
	struct client *c = data;
	GString *log = sipcid_ncid_log_read_finish(result);
	if (log)
		client_started(c, log);
	else if (c->server)
		client_drop(c, "the call log could not be read");
	if (log)
		g_string_free(log, TRUE);
	client_unref(c);   /* the query's reference */
}

/* After the HELLO: lines: the call log, or why there is none. */
static void client_start_log(struct client *c)
{
	struct server *sv = c->server;
	c->phase = PHASE_LOG;
	int calls = sv->settings.log_calls;
	if (!calls && c->send_log)
		calls = SEND_LOG_CALLS;
	const char *none = !sv->log_enabled ? "253 No Call log\r\n"
	                   : c->no_log || !calls ? "251 Call log not sent\r\n" : NULL;
	if (none) {
		GString *log = g_string_new(none);
		client_started(c, log);
		g_string_free(log, TRUE);
		return;
	}
	sipcid_ncid_log_read(sv->database, calls, &sv->settings, on_log_read, client_ref(c));
}

static gboolean on_hello_over(gpointer data)
{
	struct client *c = data;
	c->hello_timer = 0;
	client_start_log(c);
	return G_SOURCE_REMOVE;
}

/* "HELLO: CMD: no_log", also without the second colon. */
static const char *after_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	if (g_ascii_strncasecmp(s, word, n))
		return NULL;
	s += n;
	if (*s == ':')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* What a client sent, fit for the log: cleaned, at most 80 bytes. */
static const char *loggable(const char *text, char out[81])
{
	sipcid_text_clean(text, strlen(text), out, 81);
	return out;
}

static void client_hello(struct client *c, const char *rest)
{
	const char *v;
	char text[81];
	if ((v = after_word(rest, "IDENT"))) {
		sipcid_log_info("[ncid] client %s is %s", c->peer, loggable(v, text));
	} else if ((v = after_word(rest, "CMD"))) {
		if (!strcmp(v, "no_log"))
			c->no_log = true;
		else if (!strcmp(v, "send_log"))
			c->send_log = true;
	}
}

/* One complete line from the client (without its line end). */
static void client_line(struct client *c, const char *line)
{
	const char *rest;
	if (!*line)
		return;   /* "are you there?": no answer, as ncidd */
	if (!strcmp(line, "GOODBYE")) {
		client_drop(c, NULL);
		return;
	}
	if (c->phase == PHASE_HELLO && (rest = after_word(line, "HELLO"))) {
		client_hello(c, rest);
		return;
	}
	if (!strcmp(line, "REQ: YO")) {
		client_send_str(c, "ACK: REQ YO\r\n");
		return;
	}
	/* MSG:, CALL:, REQ: jobs, late HELLO:...: not offered. Ignored, so a
	 * client probing for features goes on working; logged once. */
	if (!c->told_unknown) {
		char text[81];
		c->told_unknown = true;
		sipcid_log_info("[ncid] client %s: ignoring what sipcid does not offer: %s", c->peer,
		          loggable(line, text));
	}
}

static void client_received(struct client *c, const char *buf, size_t len)
{
	for (size_t i = 0; i < len && c->server; i++) {
		char ch = buf[i];
		if (ch == '\n') {
			if (c->in_len && c->in[c->in_len - 1] == '\r')
				c->in_len--;
			c->in[c->in_len] = '\0';
			c->in_len = 0;
			c->line_started_us = 0;
			client_line(c, c->in);
			continue;
		}
		if (c->in_len + 1 >= sizeof c->in) {
			client_drop(c, "a line longer than 1 KiB");
			return;
		}
		if (!c->in_len)
			c->line_started_us = g_get_monotonic_time();
		c->in[c->in_len++] = ch == '\0' ? ' ' : ch;
	}
}

static gboolean on_readable(GSocket *socket, GIOCondition cond, gpointer data)
{
	(void)cond;
	struct client *c = client_ref(data);
	/* A few reads per wakeup: one client cannot hold the main loop. */
	for (int i = 0; i < 8 && c->server; i++) {
		char buf[2048];
		GError *error = NULL;
		gssize n = g_socket_receive_with_blocking(socket, buf, sizeof buf, FALSE, NULL, &error);
		if (n < 0) {
			if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
				client_drop(c, error->message);
			g_error_free(error);
			break;
		}
		if (n == 0) {
			client_drop(c, NULL);   /* it closed the connection */
			break;
		}
		client_received(c, buf, (size_t)n);
	}
	gboolean keep = c->server != NULL;
	client_unref(c);
	return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static bool peer_allowed(const struct server *sv, GSocketAddress *peer, char *text, size_t size)
{
	if (!G_IS_INET_SOCKET_ADDRESS(peer))
		return false;
	GInetAddress *a = g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(peer));
	g_autofree char *s = g_inet_address_to_string(a);
	g_snprintf(text, size, "%s:%u", s,
	           g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(peer)));
	int family = g_inet_address_get_family(a) == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET;
	const uint8_t *bytes = g_inet_address_to_bytes(a);
	uint8_t v4[4];
	/* An IPv4 client of a [::] listener arrives as ::ffff:a.b.c.d. */
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	if (family == AF_INET6 && !memcmp(bytes, mapped, sizeof mapped)) {
		memcpy(v4, bytes + 12, 4);
		bytes = v4;
		family = AF_INET;
	}
	if (sv->settings.allow_set)
		return sipcid_trust_allows(&sv->settings.allow, family, bytes);
	return sipcid_addr_is_private(family, bytes);
}

/* Logs refused connections at most once a second, so a flood of them does
 * not flood the log. */
static void note_refused(struct server *sv, const char *peer, const char *why)
{
	gint64 now = g_get_monotonic_time();
	sv->refused_since_log++;
	if (now - sv->refused_logged_us < G_USEC_PER_SEC)
		return;
	sipcid_log_info("[ncid] refused %u connection(s), the last from %s: %s", sv->refused_since_log,
	          peer, why);
	sv->refused_since_log = 0;
	sv->refused_logged_us = now;
}

static void accept_one(struct server *sv, GSocket *socket)
{
	struct client *c = g_new0(struct client, 1);
	c->refs = 1;
	c->socket = socket;
	c->out = g_string_new(NULL);
	c->held = g_string_new(NULL);
	g_autoptr(GSocketAddress) peer = g_socket_get_remote_address(socket, NULL);
	if (!peer || !peer_allowed(sv, peer, c->peer, sizeof c->peer)) {
		note_refused(sv, c->peer[0] ? c->peer : "?", "not in [ncid] allow");
	} else if (sv->clients->len >= (guint)sv->settings.max_clients) {
		note_refused(sv, c->peer, "max-clients reached");
	} else {
		c->server = sv;
		g_ptr_array_add(sv->clients, c);
		g_socket_set_blocking(socket, FALSE);
		/* A client that vanished (power cut, Wi-Fi gone) is noticed. */
		g_socket_set_keepalive(socket, TRUE);
		/* A fixed kernel buffer (no autotuning to megabytes): with
		 * SIPCID_NCID_PENDING_MAX it bounds what a client that stopped
		 * reading costs. Hundreds of calls' lines fit. */
		g_socket_set_option(socket, SOL_SOCKET, SO_SNDBUF, SIPCID_NCID_SNDBUF, NULL);
		c->in_source = g_socket_create_source(socket, G_IO_IN, NULL);
		g_source_set_callback(c->in_source, G_SOURCE_FUNC(on_readable), c, NULL);
		g_source_attach(c->in_source, NULL);
		sipcid_log_info("[ncid] client %s connected", c->peer);
		client_send_str(c, STARTUP_LINES);
		if (c->server)
			c->hello_timer = g_timeout_add(SIPCID_NCID_HELLO_MS, on_hello_over, c);
		return;
	}
	g_socket_close(socket, NULL);
	g_object_unref(socket);
	c->socket = NULL;
	client_unref(c);
}

static gboolean on_accept(GSocket *listener, GIOCondition cond, gpointer data)
{
	(void)cond;
	struct server *sv = data;
	for (int i = 0; i < 16; i++) {
		GError *error = NULL;
		GSocket *s = g_socket_accept(listener, NULL, &error);
		if (!s) {
			if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
				sipcid_log_gerror("[ncid] accepting a client", error);
			g_error_free(error);
			break;
		}
		accept_one(sv, s);
	}
	return G_SOURCE_CONTINUE;
}

/* Slowloris: a line started and never finished holds a client slot;
 * after SIPCID_NCID_LINE_TIMEOUT_S the client is dropped. */
static gboolean on_sweep(gpointer data)
{
	struct server *sv = data;
	gint64 now = g_get_monotonic_time();
	for (guint i = sv->clients->len; i-- > 0;) {
		struct client *c = g_ptr_array_index(sv->clients, i);
		if (c->in_len && now - c->line_started_us > SIPCID_NCID_LINE_TIMEOUT_S * G_USEC_PER_SEC)
			client_drop(c, "a line left unfinished too long");
	}
	return G_SOURCE_CONTINUE;
}

static void ncid_emit(void *ctx, const struct sipcid_call *call)
{
	struct server *sv = ctx;
	g_string_truncate(sv->lines, 0);
	sipcid_ncid_line_event(sv->lines, &sv->settings, call);
	for (guint i = sv->clients->len; i-- > 0;) {
		struct client *c = g_ptr_array_index(sv->clients, i);
		if (c->phase == PHASE_STARTED) {
			client_send(c, sv->lines->str, sv->lines->len);
		} else if (c->held->len + sv->lines->len > SIPCID_NCID_PENDING_MAX) {
			client_drop(c, "too many calls during its connection startup");
		} else {
			g_string_append_len(c->held, sv->lines->str, (gssize)sv->lines->len);
		}
	}
}

static void ncid_close(void *ctx)
{
	struct server *sv = ctx;
	/* What the sockets took already goes out; the rest is given up. */
	while (sv->clients->len)
		client_drop(g_ptr_array_index(sv->clients, sv->clients->len - 1), NULL);
	remove_source(&sv->accept_source);
	if (sv->sweep_timer)
		g_source_remove(sv->sweep_timer);
	g_socket_close(sv->listener, NULL);
	g_object_unref(sv->listener);
	g_ptr_array_free(sv->clients, TRUE);
	g_string_free(sv->lines, TRUE);
	g_free(sv);
}

static GSocket *listen_on(const struct sipcid_ncid_settings *s, uint16_t *port, GError **error)
{
	g_autoptr(GInetAddress) addr = g_inet_address_new_from_string(s->listen_host);
	if (!addr) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "[ncid] listen: %s is not an address", s->listen_host);
		return NULL;
	}
	g_autoptr(GSocketAddress) sa = g_inet_socket_address_new(addr, s->listen_port);
	GSocket *sock = g_socket_new(g_inet_address_get_family(addr), G_SOCKET_TYPE_STREAM,
	                             G_SOCKET_PROTOCOL_TCP, error);
	if (!sock)
		return NULL;
	g_socket_set_blocking(sock, FALSE);
	g_socket_set_listen_backlog(sock, 16);
	GError *e = NULL;
	if (!g_socket_bind(sock, sa, TRUE, &e) || !g_socket_listen(sock, &e)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "[ncid] cannot listen on %s port %u: %s", s->listen_host, s->listen_port,
		            e->message);
		g_error_free(e);
		g_object_unref(sock);
		return NULL;
	}
	g_autoptr(GSocketAddress) bound = g_socket_get_local_address(sock, NULL);
	*port = bound ? g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound)) : s->listen_port;
	return sock;
}

struct sipcid_output *sipcid_ncid_open(const struct sipcid_ncid_settings *s,
                                       const struct sipcid_calllog_settings *log, GError **error)
{
	uint16_t port = 0;
	GSocket *listener = listen_on(s, &port, error);
	if (!listener)
		return NULL;
	struct server *sv = g_new0(struct server, 1);
	sv->settings = *s;
	sv->log_enabled = log->enabled;
	g_strlcpy(sv->database, log->database, sizeof sv->database);
	sv->listener = listener;
	sv->port = port;
	sv->clients = g_ptr_array_new();
	sv->lines = g_string_new(NULL);
	sv->accept_source = g_socket_create_source(listener, G_IO_IN, NULL);
	g_source_set_callback(sv->accept_source, G_SOURCE_FUNC(on_accept), sv, NULL);
	g_source_attach(sv->accept_source, NULL);
	sv->sweep_timer = g_timeout_add_seconds(1, on_sweep, sv);
	sv->output = (struct sipcid_output){
		.name = "ncid", .ctx = sv, .emit = ncid_emit, .close = ncid_close,
	};
	sipcid_log_info("[ncid] listening on %s port %u", s->listen_host, port);
	return &sv->output;
}

uint16_t sipcid_ncid_port(const struct sipcid_output *o)
{
	return ((const struct server *)o->ctx)->port;
}

unsigned sipcid_ncid_clients(const struct sipcid_output *o)
{
	const struct server *sv = o->ctx;
	unsigned n = 0;
	for (guint i = 0; i < sv->clients->len; i++)
		n += ((struct client *)g_ptr_array_index(sv->clients, i))->phase == PHASE_STARTED;
	return n;
}

size_t sipcid_ncid_pending(const struct sipcid_output *o)
{
	const struct server *sv = o->ctx;
	size_t n = 0;
	for (guint i = 0; i < sv->clients->len; i++)
		n += ((struct client *)g_ptr_array_index(sv->clients, i))->out->len;
	return n;
}
