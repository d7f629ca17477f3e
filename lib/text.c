/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UTF-8 validation and cleaning for text from the network. */
#include "text.h"

#include <glib.h>
#include <string.h>

static bool dropped_char(gunichar c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return true;
	/* Bidirectional embeddings, overrides and isolates can reorder what a
	 * terminal or popup shows; a caller name has no business with them. */
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
	       c == 0x200f || c == 0x061c;
}

size_t sipcid_text_clean(const char *in, size_t len, char *out, size_t out_size)
{
	if (out_size == 0)
		return 0;
	size_t o = 0;
	bool pending_space = false;
	const char *p = in, *end = in + len;
	while (p < end) {
		/* Printable ASCII, the common case, needs no decoding. */
		unsigned char b = (unsigned char)*p;
		if (b > 0x20 && b < 0x7f) {
			size_t need = pending_space ? 2 : 1;
			if (o + need >= out_size)
				break;
			if (pending_space)
				out[o++] = ' ';
			pending_space = false;
			out[o++] = (char)b;
			p++;
			continue;
		}
		gunichar c;
		const char *next;
		if (*p == '\0') {
			c = 0;
			next = p + 1;
		} else {
			c = g_utf8_get_char_validated(p, end - p);
			if (c == (gunichar)-1 || c == (gunichar)-2) {
				c = 0xfffd;
				next = p + 1;
			} else {
				next = g_utf8_next_char(p);
			}
		}
		p = next;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			pending_space = o > 0;
			continue;
		}
		if (dropped_char(c))
			continue;
		char buf[6];
		int n = g_unichar_to_utf8(c, buf);
		size_t need = n + (pending_space ? 1 : 0);
		if (o + need >= out_size)
			break;
		if (pending_space)
			out[o++] = ' ';
		pending_space = false;
		memcpy(out + o, buf, n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

size_t sipcid_text_display_name(const char *in, size_t len, char *out, size_t out_size)
{
	while (len && (*in == ' ' || *in == '\t')) {
		in++;
		len--;
	}
	while (len && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len < 1 || in[0] != '"')
		return sipcid_text_clean(in, len, out, out_size);
	/* A quoted-string: drop the quotes, keep what each backslash escapes.
	 * An unterminated string ends at the end of the input. */
	char buf[1024];
	size_t b = 0;
	for (size_t i = 1; i < len && b < sizeof buf; i++) {
		if (in[i] == '\\' && i + 1 < len)
			buf[b++] = in[++i];
		else if (in[i] == '"')
			break;
		else
			buf[b++] = in[i];
	}
	return sipcid_text_clean(buf, b, out, out_size);
}

bool sipcid_text_percent_decode(const char *in, size_t len, char *out, size_t out_size)
{
	size_t o = 0;
	if (out_size == 0)
		return false;
	for (size_t i = 0; i < len && o + 1 < out_size; i++) {
		char c = in[i];
		if (c == '%' && i + 2 < len && g_ascii_isxdigit(in[i + 1]) && g_ascii_isxdigit(in[i + 2])) {
			c = (char)(g_ascii_xdigit_value(in[i + 1]) * 16 + g_ascii_xdigit_value(in[i + 2]));
			if (c == '\0') {
				out[0] = '\0';
				return false;
			}
			i += 2;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}
