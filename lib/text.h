/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Making hostile text safe. Every string that comes off the wire passes
 * through here before it reaches a struct sipcid_call, because caller names
 * end up in popups, logs, terminals and scripts. None of these allocate. */
#ifndef SIPCID_TEXT_H
#define SIPCID_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Copies in[0..len) to out as valid UTF-8: invalid bytes become U+FFFD,
 * control characters (C0, DEL, C1) and bidirectional overrides are dropped,
 * tabs and line breaks become spaces, runs of spaces collapse to one, and the
 * ends are trimmed. The result is cut on a character boundary to fit.
 * Returns its length. */
size_t sipcid_text_clean(const char *in, size_t len, char *out, size_t out_size);

/* Undoes a SIP display name: a quoted-string loses its quotes and backslash
 * escapes (RFC 3261 §25.1); an unquoted token list keeps its words. The
 * result is cleaned as above. */
size_t sipcid_text_display_name(const char *in, size_t len, char *out, size_t out_size);

/* Percent-decodes a URI user part into out (RFC 3261 §19.1.2). A '%' that does
 * not start a valid escape stays as it is. Returns false, leaving out empty,
 * when an escape decodes to NUL, which can't be shown or compared safely. */
bool sipcid_text_percent_decode(const char *in, size_t len, char *out, size_t out_size);

#endif
