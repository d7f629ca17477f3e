/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GNTP 1.0 requests and responses (TCP port 23053): REGISTER and NOTIFY for
 * the app "sipcid", with the password key hash the specification defines:
 * key = H(password ‖ salt), keyHash = hex(H(key)). */
#ifndef SIPCID_GNTP_MESSAGE_H
#define SIPCID_GNTP_MESSAGE_H

#include <glib.h>
#include <stdbool.h>

enum { GNTP_PORT = 23053 };

enum gntp_hash {
	GNTP_HASH_MD5 = 0,
	GNTP_HASH_SHA1,
	GNTP_HASH_SHA256,
	GNTP_HASH_SHA512,
};

/* The information line's security part, " SHA256:KEYHASH.SALT", for a
 * given salt; empty when password is NULL or empty. Exposed for tests. */
void sipcid_gntp_key_hash(GString *out, enum gntp_hash hash, const char *password, const guint8 *salt,
                   size_t salt_len);

/* A whole request, ending with the blank line. A random salt is used per
 * request. Header values are cleaned: CR never appears, and line breaks in
 * the text are sent as a bare LF. */
GBytes *sipcid_gntp_register_request(const char *app, const char *const *names, enum gntp_hash hash,
                              const char *password);
GBytes *sipcid_gntp_notify_request(const char *app, const char *name, const char *title,
                            const char *text, int priority, bool sticky, enum gntp_hash hash,
                            const char *password);

enum gntp_reply {
	GNTP_REPLY_INCOMPLETE = 0,   /* no blank line yet */
	GNTP_REPLY_OK,
	GNTP_REPLY_ERROR,
	GNTP_REPLY_GARBAGE,          /* not a GNTP response */
};

/* Looks at what the server sent so far. On GNTP_REPLY_ERROR, *code is the
 * Error-Code header (0 when absent): 401 and 402 mean "register again". */
enum gntp_reply sipcid_gntp_parse_reply(const char *buf, size_t len, int *code);

#endif
