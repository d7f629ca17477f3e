/* Names of the call record's enums, as they appear in JSON, rules and datagrams. */
#include "call.h"

#include <glib.h>
#include <string.h>

static const char *const presentation_names[] = { "allowed", "restricted", "unavailable", NULL };
static const char *const source_names[] = { "none", "pai", "rpid", "from", "ppi", NULL };
static const char *const state_names[] = { "ringing", "answered", "missed", "ended", NULL };
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

const char *sipcid_presentation_name(enum sipcid_presentation p)
{
	return (unsigned)p < 3 ? presentation_names[p] : "unavailable";
}

bool sipcid_presentation_parse(const char *s, enum sipcid_presentation *out)
{
	int i;
	if (!parse_name(presentation_names, s, &i))
		return false;
	*out = (enum sipcid_presentation)i;
	return true;
}

const char *sipcid_source_name(enum sipcid_id_source s)
{
	return (unsigned)s < 5 ? source_names[s] : "none";
}

const char *sipcid_state_name(enum sipcid_state s)
{
	return (unsigned)s < 4 ? state_names[s] : "ringing";
}

bool sipcid_state_parse(const char *s, enum sipcid_state *out)
{
	int i;
	if (!parse_name(state_names, s, &i))
		return false;
	*out = (enum sipcid_state)i;
	return true;
}

const char *sipcid_action_name(enum sipcid_action a)
{
	return (unsigned)a < 2 ? action_names[a] : "allow";
}

bool sipcid_action_parse(const char *s, enum sipcid_action *out)
{
	int i;
	if (!parse_name(action_names, s, &i))
		return false;
	*out = (enum sipcid_action)i;
	return true;
}

const char *sipcid_direction_name(enum sipcid_direction d)
{
	return (unsigned)d < 2 ? direction_names[d] : "incoming";
}

bool sipcid_direction_parse(const char *s, enum sipcid_direction *out)
{
	int i;
	if (!parse_name(direction_names, s, &i))
		return false;
	*out = (enum sipcid_direction)i;
	return true;
}

const char *sipcid_origin_name(enum sipcid_origin o)
{
	return (unsigned)o < 4 ? origin_names[o] : "unknown";
}

bool sipcid_origin_parse(const char *s, enum sipcid_origin *out)
{
	int i;
	if (!parse_name(origin_names, s, &i))
		return false;
	*out = (enum sipcid_origin)i;
	return true;
}

void sipcid_strlcpy_utf8(char *dst, const char *src, size_t dst_size)
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
