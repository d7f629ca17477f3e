/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of the call record's enums, as they appear in JSON, rules and datagrams. */
#include "call.h"

#include <glib.h>
#include <string.h>

static const char *const presentation_names[] = { "allowed", "restricted", "unavailable", NULL };
static const char *const source_names[] = { "none", "pai", "rpid", "from", "ppi", NULL };
static const char *const state_names[] = { "ringing", "answered", "missed", "ended", "blocked", NULL };
static const char *const outcome_names[] = { "none", "drop", "busy", "decline", "gone", NULL };
static const char *const verstat_names[] = { "none", "passed", "failed", "no-validation", NULL };
static const char *const action_names[] = { "allow", "block", NULL };
static const char *const direction_names[] = { "incoming", "outgoing", NULL };
static const char *const origin_names[] = { "unknown", "provider", "stranger", "phone", NULL };

static bool parse_name(const char *const *names, const char *s, int *out)
{
	for (int i = 0; names[i]; i++) {
		if (!g_ascii_strcasecmp(s, names[i])) {
			*out = i;
			return true;
		}
	}
	return false;
}

/* sipcid_call_WHAT_name(): the name, or the first one for a value out of range;
 * sipcid_call_WHAT_parse(): the value of a name, in any letter case. */
#define ENUM_NAME(what, type, names, fallback)                                          \
	const char *sipcid_call_##what##_name(type v)                                          \
	{                                                                                  \
		return (unsigned)v < G_N_ELEMENTS(names) - 1 ? names[v] : fallback;          \
	}
#define ENUM_PARSE(what, type, names)                                                   \
	bool sipcid_call_##what##_parse(const char *s, type *out)                              \
	{                                                                                  \
		int i;                                                                         \
		if (!parse_name(names, s, &i))                                                 \
			return false;                                                              \
		*out = (type)i;                                                                \
		return true;                                                                   \
	}

ENUM_NAME(presentation, enum sipcid_presentation, presentation_names, "unavailable")
ENUM_PARSE(presentation, enum sipcid_presentation, presentation_names)
ENUM_NAME(source, enum sipcid_id_source, source_names, "none")
ENUM_NAME(state, enum sipcid_state, state_names, "ringing")
ENUM_PARSE(state, enum sipcid_state, state_names)
ENUM_NAME(outcome, enum sipcid_outcome, outcome_names, "none")
ENUM_PARSE(outcome, enum sipcid_outcome, outcome_names)
ENUM_NAME(verstat, enum sipcid_verstat, verstat_names, "none")
ENUM_PARSE(verstat, enum sipcid_verstat, verstat_names)
ENUM_NAME(action, enum sipcid_action, action_names, "allow")
ENUM_PARSE(action, enum sipcid_action, action_names)
ENUM_NAME(direction, enum sipcid_direction, direction_names, "incoming")
ENUM_PARSE(direction, enum sipcid_direction, direction_names)
ENUM_NAME(origin, enum sipcid_origin, origin_names, "unknown")
ENUM_PARSE(origin, enum sipcid_origin, origin_names)

void sipcid_call_strlcpy_utf8(char *dst, const char *src, size_t dst_size)
{
	if (dst_size == 0)
		return;
	size_t n = strlen(src);
	if (n >= dst_size) {
		n = dst_size - 1;
		/* Back off continuation bytes so a multi-byte character is never cut. */
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}
