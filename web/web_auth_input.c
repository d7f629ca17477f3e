/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `sipcid-web --set-password`: the password from the terminal or stdin. */
#include "web_auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum { MAX_PASSWORD = 1024 };

/* One line from stdin, without its newline; echo off on a terminal. */
static bool read_line(const char *prompt, char *buf, size_t size, bool tty)
{
	struct termios old, quiet;
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) != 0)
			return false;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = fgets(buf, (int)size, stdin) != NULL;
	if (tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	if (ok)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

bool sipcid_web_auth_set_password_from_input(const char *path, GError **error)
{
	bool tty = isatty(STDIN_FILENO);
	char *first = sodium_malloc(MAX_PASSWORD), *second = sodium_malloc(MAX_PASSWORD);
	bool ok = false;
	if (!first || !second) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "out of memory");
		goto out;
	}
	if (!read_line("New password for the web console: ", first, MAX_PASSWORD, tty)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "no password given");
		goto out;
	}
	if (strlen(first) < SIPCID_WEB_AUTH_MIN_PASSWORD) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "the password needs at least %d characters", SIPCID_WEB_AUTH_MIN_PASSWORD);
		goto out;
	}
	if (tty) {
		if (!read_line("The same again: ", second, MAX_PASSWORD, tty) ||
		    strcmp(first, second) != 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			            "the two passwords differ; nothing changed");
			goto out;
		}
	}
	ok = sipcid_web_auth_set_password(path, first, error);
out:
	sodium_free(first);
	sodium_free(second);
	return ok;
}
