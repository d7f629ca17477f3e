/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building legacy Growl UDP packets. */
#include "growl_packet.h"

#include <glib.h>
#include <string.h>

enum {
	TYPE_REGISTRATION = 0,  /* + 2 for SHA-256, + 4 for no auth */
	TYPE_NOTIFICATION = 1,
	NOTIFY_HEADER = 12,
	REGISTER_HEADER = 6,
};

unsigned sipcid_growl_flags(int priority, bool sticky)
{
	priority = CLAMP(priority, -2, 2);
	return (((unsigned)priority & 7u) << 1) | (sticky ? 1u : 0u);
}

static size_t digest_len(enum growl_auth auth)
{
	switch (auth) {
	case GROWL_AUTH_MD5: return 16;
	case GROWL_AUTH_SHA256: return 32;
	default: return 0;
	}
}

static uint8_t type_byte(int base, enum growl_auth auth)
{
	return (uint8_t)(base + (auth == GROWL_AUTH_SHA256 ? 2 : auth == GROWL_AUTH_NONE ? 4 : 0));
}

/* Appends H(packet ‖ password); an empty password appends nothing to the hash input. */
static size_t append_digest(uint8_t *out, size_t len, enum growl_auth auth, const char *password)
{
	if (auth == GROWL_AUTH_NONE)
		return len;
	GChecksum *ck = g_checksum_new(auth == GROWL_AUTH_MD5 ? G_CHECKSUM_MD5 : G_CHECKSUM_SHA256);
	g_checksum_update(ck, out, (gssize)len);
	if (password && *password)
		g_checksum_update(ck, (const guchar *)password, (gssize)strlen(password));
	gsize n = digest_len(auth);
	g_checksum_get_digest(ck, out + len, &n);
	g_checksum_free(ck);
	return len + n;
}

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t sipcid_growl_registration(uint8_t *out, size_t cap, const char *app, const char *const *names,
                          size_t n_names, const uint8_t *defaults, size_t n_defaults,
                          enum growl_auth auth, const char *password)
{
	size_t app_len = strlen(app);
	if (n_names > 255 || n_defaults > 255 || app_len > 0xffff)
		return 0;
	size_t need = REGISTER_HEADER + app_len + n_defaults + digest_len(auth);
	for (size_t i = 0; i < n_names; i++) {
		size_t l = strlen(names[i]);
		if (l > 0xffff)
			return 0;
		need += 2 + l;
	}
	if (need > cap)
		return 0;
	size_t p = 0;
	out[p++] = 1;
	out[p++] = type_byte(TYPE_REGISTRATION, auth);
	put16(out + p, app_len);
	p += 2;
	out[p++] = (uint8_t)n_names;
	out[p++] = (uint8_t)n_defaults;
	memcpy(out + p, app, app_len);
	p += app_len;
	for (size_t i = 0; i < n_names; i++) {
		size_t l = strlen(names[i]);
		put16(out + p, l);
		memcpy(out + p + 2, names[i], l);
		p += 2 + l;
	}
	memcpy(out + p, defaults, n_defaults);
	p += n_defaults;
	return append_digest(out, p, auth, password);
}

/* Longest prefix of s within cap bytes that does not split a character. */
static size_t utf8_prefix(const char *s, size_t len, size_t cap)
{
	if (len <= cap)
		return len;
	while (cap > 0 && ((unsigned char)s[cap] & 0xc0) == 0x80)
		cap--;
	return cap;
}

size_t sipcid_growl_notification(uint8_t *out, size_t cap, const char *app, const char *name,
                          const char *title, const char *description, int priority, bool sticky,
                          enum growl_flags_order order, enum growl_auth auth,
                          const char *password)
{
	size_t app_len = strlen(app), name_len = strlen(name);
	size_t title_len = strlen(title), desc_len = strlen(description);
	size_t fixed = NOTIFY_HEADER + app_len + name_len + digest_len(auth);
	if (fixed > cap || app_len > 0xffff || name_len > 0xffff)
		return 0;
	size_t room = cap - fixed;
	title_len = utf8_prefix(title, title_len, MIN(room, 0xffff));
	room -= title_len;
	desc_len = utf8_prefix(description, desc_len, MIN(room, 0xffff));

	unsigned f = sipcid_growl_flags(priority, sticky);
	size_t p = 0;
	out[p++] = 1;
	out[p++] = type_byte(TYPE_NOTIFICATION, auth);
	if (order == GROWL_FLAGS_LITTLE_ENDIAN) {
		out[p++] = (uint8_t)f;
		out[p++] = 0;
	} else {
		out[p++] = 0;
		out[p++] = (uint8_t)f;
	}
	put16(out + p, name_len);
	put16(out + p + 2, title_len);
	put16(out + p + 4, desc_len);
	put16(out + p + 6, app_len);
	p += 8;
	memcpy(out + p, name, name_len);
	p += name_len;
	memcpy(out + p, title, title_len);
	p += title_len;
	memcpy(out + p, description, desc_len);
	p += desc_len;
	memcpy(out + p, app, app_len);
	p += app_len;
	return append_digest(out, p, auth, password);
}
