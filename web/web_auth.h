/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The console's password: an Argon2id string (libsodium crypto_pwhash_str)
 * in the password file, set by `sipcid-web --set-password`, checked at
 * login off the main loop; and the lockout of an address that keeps
 * guessing (web_auth_limit.c). */
#ifndef SIPCID_WEB_AUTH_H
#define SIPCID_WEB_AUTH_H

#include <gio/gio.h>
#include <stdbool.h>

/* Fewer characters than this are refused by --set-password. */
#define SIPCID_WEB_AUTH_MIN_PASSWORD 8

/* Hashes password and writes the file atomically (mode 0640; when run as
 * root, owned by the directory's owner and group, so the service's user
 * reads it). */
bool sipcid_web_auth_set_password(const char *path, const char *password, GError **error);
/* --set-password: the password twice from the terminal without echo, or once
 * (a line) from stdin when it is not a terminal; then set it. */
bool sipcid_web_auth_set_password_from_input(const char *path, GError **error);

/* Checks password against the file on a worker thread (one check at a
 * time: each takes 8 MiB for a moment) and calls back on the caller's main
 * context; finish says whether it matched. A missing or unreadable file is
 * logged and matches nothing, after the same work as a real check. */
void sipcid_web_auth_verify_async(const char *path, const char *password,
                                  GAsyncReadyCallback callback, gpointer data);
bool sipcid_web_auth_verify_finish(GAsyncResult *result);

/* Failed logins per address. */
struct sipcid_web_auth_limit;
/* `attempts` failures within `seconds` lock an address out. */
struct sipcid_web_auth_limit *sipcid_web_auth_limit_new(long attempts, long seconds);
void sipcid_web_auth_limit_free(struct sipcid_web_auth_limit *l);
/* Whether the address is locked out now: its failures within the window,
 * with the checks still running, reach `attempts`. */
bool sipcid_web_auth_limit_locked(struct sipcid_web_auth_limit *l, const char *address);
/* A check starts; it ends with its result. */
void sipcid_web_auth_limit_begin(struct sipcid_web_auth_limit *l, const char *address);
/* Returns the failures now counted against the address. */
unsigned sipcid_web_auth_limit_end(struct sipcid_web_auth_limit *l, const char *address,
                                   bool success);

#endif
