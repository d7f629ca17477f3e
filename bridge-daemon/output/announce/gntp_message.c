/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building GNTP 1.0 requests and reading the replies. */
#include "gntp_message.h"

#include <stdlib.h>
#include <string.h>

static const char *hash_name(enum gntp_hash h)
{
	switch (h) {
	case GNTP_HASH_MD5: return "MD5";
	case GNTP_HASH_SHA1: return "SHA1";
	case GNTP_HASH_SHA512: return "SHA512";
	default: return "SHA256";
	}
}

static GChecksumType checksum_type(enum gntp_hash h)
{
	switch (h) {
	case GNTP_HASH_MD5: return G_CHECKSUM_MD5;
	case GNTP_HASH_SHA1: return G_CHECKSUM_SHA1;
	case GNTP_HASH_SHA512: return G_CHECKSUM_SHA512;
	default: return G_CHECKSUM_SHA256;
	}
}

static void append_hex_upper(GString *out, const guint8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(out, "%02X", p[i]);
}

void sipcid_gntp_key_hash(GString *out, enum gntp_hash hash, const char *password, const guint8 *salt,
                   size_t salt_len)
{
	if (!password || !*password)
		return;
	GChecksumType t = checksum_type(hash);
	guint8 key[64], key_hash[64];
	gsize key_len = sizeof key, hash_len = sizeof key_hash;
	GChecksum *ck = g_checksum_new(t);
	g_checksum_update(ck, (const guchar *)password, (gssize)strlen(password));
	g_checksum_update(ck, salt, (gssize)salt_len);
	g_checksum_get_digest(ck, key, &key_len);
	g_checksum_free(ck);
	ck = g_checksum_new(t);
	g_checksum_update(ck, key, (gssize)key_len);
	g_checksum_get_digest(ck, key_hash, &hash_len);
	g_checksum_free(ck);
	g_string_append_printf(out, " %s:", hash_name(hash));
	append_hex_upper(out, key_hash, hash_len);
	g_string_append_c(out, '.');
	append_hex_upper(out, salt, salt_len);
}

static void info_line(GString *out, const char *type, enum gntp_hash hash, const char *password)
{
	guint8 salt[16];
	for (size_t i = 0; i < sizeof salt; i += 4) {
		guint32 r = g_random_int();
		memcpy(salt + i, &r, 4);
	}
	g_string_append_printf(out, "GNTP/1.0 %s NONE", type);
	sipcid_gntp_key_hash(out, hash, password, salt, sizeof salt);
	g_string_append(out, "\r\n");
}

/* A header whose value can never end the line early: CR is dropped, and LF
 * stays only where the value may span lines (the text). */
static void header(GString *out, const char *name, const char *value, bool multiline)
{
	g_string_append_printf(out, "%s: ", name);
	for (const char *p = value; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n' && !multiline)
			g_string_append_c(out, ' ');
		else
			g_string_append_c(out, *p);
	}
	g_string_append(out, "\r\n");
}

GBytes *sipcid_gntp_register_request(const char *app, const char *const *names, enum gntp_hash hash,
                              const char *password)
{
	GString *s = g_string_new(NULL);
	info_line(s, "REGISTER", hash, password);
	header(s, "Application-Name", app, false);
	guint n = g_strv_length((char **)names);
	g_string_append_printf(s, "Notifications-Count: %u\r\n", n);
	for (guint i = 0; i < n; i++) {
		g_string_append(s, "\r\n");
		header(s, "Notification-Name", names[i], false);
		header(s, "Notification-Display-Name", names[i], false);
		header(s, "Notification-Enabled", "True", false);
	}
	g_string_append(s, "\r\n");
	return g_string_free_to_bytes(s);
}

GBytes *sipcid_gntp_notify_request(const char *app, const char *name, const char *title,
                            const char *text, int priority, bool sticky, enum gntp_hash hash,
                            const char *password)
{
	GString *s = g_string_new(NULL);
	info_line(s, "NOTIFY", hash, password);
	header(s, "Application-Name", app, false);
	header(s, "Notification-Name", name, false);
	header(s, "Notification-Title", title, false);
	if (text && *text)
		header(s, "Notification-Text", text, true);
	g_string_append_printf(s, "Notification-Priority: %d\r\n", CLAMP(priority, -2, 2));
	g_string_append_printf(s, "Notification-Sticky: %s\r\n", sticky ? "True" : "False");
	g_string_append(s, "\r\n");
	return g_string_free_to_bytes(s);
}

enum gntp_reply sipcid_gntp_parse_reply(const char *buf, size_t len, int *code)
{
	*code = 0;
	static const char prefix[] = "GNTP/1.0 ";
	size_t plen = sizeof prefix - 1;
	if (memcmp(buf, prefix, MIN(len, plen)))
		return GNTP_REPLY_GARBAGE;
	const char *end = g_strstr_len(buf, (gssize)len, "\r\n\r\n");
	if (!end)
		return GNTP_REPLY_INCOMPLETE;
	size_t head_len = (size_t)(end - buf);
	g_autofree char *head = g_strndup(buf, head_len);
	if (g_str_has_prefix(head + plen, "-OK"))
		return GNTP_REPLY_OK;
	if (!g_str_has_prefix(head + plen, "-ERROR"))
		return GNTP_REPLY_GARBAGE;
	g_auto(GStrv) lines = g_strsplit(head, "\r\n", -1);
	for (int i = 1; lines[i]; i++) {
		if (!g_ascii_strncasecmp(lines[i], "Error-Code:", 11)) {
			*code = atoi(lines[i] + 11);
			break;
		}
	}
	return GNTP_REPLY_ERROR;
}
