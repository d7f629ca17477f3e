/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging to stderr, and to the journal's levels under systemd (see log.h). */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* The lock orders whole messages on stderr and guards the name and the tap. */
static GMutex lock;
static char *progname;
static sipcid_log_tap_fn *tap;
static void *tap_data;
static bool journal;  /* set once, before anything is written */
static gint debug_on;

/* systemd sets JOURNAL_STREAM to the device and inode of the stream it gave
 * us; a program that inherited the variable but writes elsewhere (a shell in
 * a unit redirecting 2>file) must not get <N> prefixes in its file. */
static bool stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	if (!v)
		return false;
	char *end;
	guint64 dev = g_ascii_strtoull(v, &end, 10);
	if (end == v || *end != ':')
		return false;
	const char *ino_text = end + 1;
	guint64 ino = g_ascii_strtoull(ino_text, &end, 10);
	if (end == ino_text || *end)
		return false;
	struct stat st;
	return fstat(STDERR_FILENO, &st) == 0 && (guint64)st.st_dev == dev &&
	       (guint64)st.st_ino == ino;
}

static bool env_debug(void)
{
	const char *v = getenv("SIPCID_DEBUG");
	return v && *v && strcmp(v, "0") != 0;
}

/* Even a program that never calls sipcid_log_init() (a test) logs sensibly. */
static void defaults(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		journal = stderr_is_journal();
		g_atomic_int_set(&debug_on, env_debug());
		g_once_init_leave(&done, 1);
	}
}

static void write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;  /* nowhere left to complain */
		buf += n;
		len -= (size_t)n;
	}
}

static void append_line(GString *out, int priority, const char *name, const char *domain,
                        const char *text, size_t len)
{
	if (journal)
		g_string_append_printf(out, "<%d>", priority);
	g_string_append(out, name);
	g_string_append(out, ": ");
	if (domain) {
		g_string_append(out, domain);
		g_string_append(out, ": ");
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		g_string_append_c(out, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
	}
	g_string_append_c(out, '\n');
}

static void emit(int priority, const char *domain, const char *msg)
{
	size_t len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		len--;
	GString *out = g_string_sized_new(len + 64);
	g_mutex_lock(&lock);
	const char *name = progname ? progname : program_invocation_short_name;
	const char *p = msg, *end = msg + len;
	do {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		append_line(out, priority, name, domain, p, (size_t)(stop - p));
		p = nl ? nl + 1 : end;
	} while (p < end);
	write_all(out->str, out->len);
	sipcid_log_tap_fn *fn = tap;
	void *data = tap_data;
	g_mutex_unlock(&lock);
	g_string_free(out, TRUE);
	if (fn)
		fn(priority, msg, data);
}

/* err: the errno to append, or -1 for none. */
static void vlog(int priority, int err, const char *fmt, va_list ap)
{
	defaults();
	if (priority == LOG_DEBUG && !g_atomic_int_get(&debug_on))
		return;
	char *msg = g_strdup_vprintf(fmt, ap);
	if (err >= 0) {
		char *with = g_strconcat(msg, ": ", g_strerror(err), NULL);
		g_free(msg);
		msg = with;
	}
	emit(priority, NULL, msg);
	g_free(msg);
}

/* The body of every printf-like entry point: errno survives logging. */
#define VLOG(priority, errno_too)                                   \
	do {                                                        \
		int saved = errno;                                  \
		va_list ap;                                         \
		va_start(ap, fmt);                                  \
		vlog(priority, (errno_too) ? saved : -1, fmt, ap);  \
		va_end(ap);                                         \
		errno = saved;                                      \
	} while (0)

void sipcid_log_warn(const char *fmt, ...) { VLOG(LOG_WARNING, true); }
void sipcid_log_warnx(const char *fmt, ...) { VLOG(LOG_WARNING, false); }
void sipcid_log_info(const char *fmt, ...) { VLOG(LOG_INFO, false); }
void sipcid_log_debug(const char *fmt, ...) { VLOG(LOG_DEBUG, false); }

void sipcid_log_fatal(const char *fmt, ...)
{
	VLOG(LOG_ERR, true);
	exit(1);
}

void sipcid_log_fatalx(const char *fmt, ...)
{
	VLOG(LOG_ERR, false);
	exit(1);
}

void sipcid_log_gerror(const char *prefix, const GError *error)
{
	const char *msg = error ? error->message : "(no error)";
	if (prefix)
		sipcid_log_warnx("%s: %s", prefix, msg);
	else
		sipcid_log_warnx("%s", msg);
}

void sipcid_log_set_verbose(bool on)
{
	defaults();
	g_atomic_int_set(&debug_on, on);
}

void sipcid_log_set_tap(sipcid_log_tap_fn *fn, void *data)
{
	g_mutex_lock(&lock);
	tap = fn;
	tap_data = data;
	g_mutex_unlock(&lock);
}

static int glib_priority(GLogLevelFlags level)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		return LOG_ERR;
	if (level & G_LOG_LEVEL_WARNING)
		return LOG_WARNING;
	/* g_message is how sipcid's older code said "info". */
	if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
		return LOG_INFO;
	return LOG_DEBUG;
}

/* Our own code logs without a domain; a library's lines show theirs. */
static bool glib_dropped(GLogLevelFlags level, const char *domain)
{
	if (!(level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)))
		return false;
	if (!domain)
		return (level & G_LOG_LEVEL_DEBUG) && !g_atomic_int_get(&debug_on);
	return g_log_writer_default_would_drop(level, domain);
}

/* A GLib log field's text, which need not be NUL-terminated. */
static char *field_text(const GLogField *f)
{
	return f->length < 0 ? g_strdup(f->value) : g_strndup(f->value, (gsize)f->length);
}

static GLogWriterOutput glib_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
                                    gpointer user_data)
{
	(void)user_data;
	int saved = errno;
	char *domain = NULL, *msg = NULL;
	for (gsize i = 0; i < n; i++) {
		if (!domain && !strcmp(fields[i].key, "GLIB_DOMAIN"))
			domain = field_text(&fields[i]);
		else if (!msg && !strcmp(fields[i].key, "MESSAGE"))
			msg = field_text(&fields[i]);
	}
	level &= G_LOG_LEVEL_MASK;
	if (!glib_dropped(level, domain))
		emit(glib_priority(level), domain, msg ? msg : "");
	g_free(domain);
	g_free(msg);
	errno = saved;
	return G_LOG_WRITER_HANDLED;
}

void sipcid_log_init(const char *name)
{
	defaults();
	g_mutex_lock(&lock);
	g_free(progname);
	progname = g_strdup(name);
	g_mutex_unlock(&lock);
	/* GLib allows one writer per process. */
	static gsize installed;
	if (g_once_init_enter(&installed)) {
		g_log_set_writer_func(glib_writer, NULL, NULL);
		g_once_init_leave(&installed, 1);
	}
}
