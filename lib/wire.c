/* Encoding and decoding the sipcid datagram (docs/protocol.md). */
#include "wire.h"

#include "text.h"

#include <errno.h>
#include <string.h>

const uint8_t sipcid_wire_magic[4] = { 'S', 'C', 'I', 'D' };

enum {
	HEADER_LEN = 5,   /* magic + version */
	TLV_HEAD = 3,     /* type + 16-bit length */
	REPLAY_BITS = 64, /* sequence numbers remembered below the highest one */
};

/* The longest value of each text field. They match struct sipcid_call, and
 * their sum keeps the worst-case datagram under SIPCID_WIRE_MAX (checked below). */
enum {
	CAP_CALL_ID = SIPCID_CALLID_MAX - 1,
	CAP_NUMBER = SIPCID_NUMBER_MAX - 1,
	CAP_NAME = SIPCID_NAME_MAX - 1,
	CAP_RULE = SIPCID_RULE_MAX - 1,
	CAP_ENUM = 16,
	WORST_CASE = HEADER_LEN + TLV_HEAD * 22 + CAP_CALL_ID + 4 * CAP_NUMBER + 2 * CAP_NAME +
	             CAP_RULE + 6 * CAP_ENUM + 1 + 6 * 8 + (SIPCID_WIRE_SENDER_MAX - 1) +
	             SIPCID_WIRE_MAC_LEN,
};
G_STATIC_ASSERT((int)WORST_CASE <= (int)SIPCID_WIRE_MAX);

/* ---- key and sender ---- */

bool sipcid_wire_key_load(const char *path, struct sipcid_wire_key *key, GError **error)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	g_autoptr(GError) err = NULL;
	if (!g_file_get_contents(path, &text, &len, &err)) {
		g_set_error(error, G_FILE_ERROR, err->code, "%s: cannot read the key file: %s", path,
		            err->message);
		return false;
	}
	while (len > 0 && g_ascii_isspace(text[len - 1]))
		len--;
	if (len < SIPCID_WIRE_KEY_MIN || len > SIPCID_WIRE_KEY_MAX) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%s: the key must be %d to %d bytes long, this one is %zu (make one with: "
		            "head -c 32 /dev/urandom | base64 > %s)",
		            path, SIPCID_WIRE_KEY_MIN, SIPCID_WIRE_KEY_MAX, (size_t)len, path);
		return false;
	}
	key->len = len;
	memcpy(key->bytes, text, len);
	explicit_bzero(text, len);
	return true;
}

void sipcid_wire_sender_init(struct sipcid_wire_sender *s, const struct sipcid_wire_key *key)
{
	memset(s, 0, sizeof *s);
	/* Random, so a restarted daemon starts a fresh sequence that no listener
	 * mistakes for a replay. */
	g_snprintf(s->id, sizeof s->id, "%08x%08x", g_random_int(), g_random_int());
	if (key) {
		s->has_key = true;
		s->key = *key;
	}
}

/* ---- encoding ---- */

struct writer {
	uint8_t *buf;
	size_t len;
};

static void put_field(struct writer *w, uint8_t type, const void *value, size_t len)
{
	/* WORST_CASE guarantees room; this guards against a future mistake. */
	if (w->len + TLV_HEAD + len > SIPCID_WIRE_MAX)
		return;
	w->buf[w->len++] = type;
	w->buf[w->len++] = (uint8_t)(len >> 8);
	w->buf[w->len++] = (uint8_t)len;
	memcpy(w->buf + w->len, value, len);
	w->len += len;
}

/* Cuts s to at most cap bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap + 1);
	if (n <= cap)
		return n;
	n = cap;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static void put_text(struct writer *w, uint8_t type, const char *s, size_t cap, bool always)
{
	size_t n = utf8_cut(s, cap);
	if (n > 0 || always)
		put_field(w, type, s, n);
}

static void put_u64(struct writer *w, uint8_t type, uint64_t v)
{
	uint8_t b[8];
	for (int i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
	put_field(w, type, b, sizeof b);
}

static void mac(const struct sipcid_wire_key *key, const uint8_t *data, size_t len,
                uint8_t out[SIPCID_WIRE_MAC_LEN])
{
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, key->bytes, key->len);
	g_hmac_update(h, data, (gssize)len);
	gsize n = SIPCID_WIRE_MAC_LEN;
	g_hmac_get_digest(h, out, &n);
	g_hmac_unref(h);
}

size_t sipcid_wire_encode(const struct sipcid_call *c, struct sipcid_wire_sender *s,
                          int64_t now_us, uint8_t out[SIPCID_WIRE_MAX])
{
	struct writer w = { out, 0 };
	memcpy(out, sipcid_wire_magic, 4);
	out[4] = SIPCID_WIRE_VERSION;
	w.len = HEADER_LEN;

	put_text(&w, SIPCID_WF_KIND, c->kind == SIPCID_EVENT_UPDATE ? "update" : "call", CAP_ENUM,
	         true);
	put_text(&w, SIPCID_WF_CALL_ID, c->call_id, CAP_CALL_ID, true);
	put_u64(&w, SIPCID_WF_TIME, (uint64_t)c->time_us);
	put_text(&w, SIPCID_WF_NUMBER, c->number, CAP_NUMBER, false);
	put_text(&w, SIPCID_WF_NUMBER_RAW, c->number_raw, CAP_NUMBER, false);
	put_text(&w, SIPCID_WF_NAME, c->name, CAP_NAME, false);
	put_text(&w, SIPCID_WF_PRESENTATION, sipcid_presentation_name(c->presentation), CAP_ENUM,
	         true);
	put_text(&w, SIPCID_WF_SOURCE, sipcid_source_name(c->source), CAP_ENUM, true);
	put_text(&w, SIPCID_WF_CALLED, c->called, CAP_NUMBER, false);
	put_text(&w, SIPCID_WF_VIA, c->via, CAP_NUMBER, false);
	put_text(&w, SIPCID_WF_ALIAS, c->alias, CAP_NAME, false);
	put_text(&w, SIPCID_WF_ACTION, sipcid_action_name(c->action), CAP_ENUM, true);
	put_text(&w, SIPCID_WF_RULE, c->rule, CAP_RULE, false);
	uint8_t rec = c->record ? 1 : 0;
	put_field(&w, SIPCID_WF_RECORD, &rec, 1);
	put_text(&w, SIPCID_WF_STATE, sipcid_state_name(c->state), CAP_ENUM, true);
	put_u64(&w, SIPCID_WF_RING_MS, (uint64_t)(c->ring_ms < 0 ? 0 : c->ring_ms));
	put_u64(&w, SIPCID_WF_TALK_MS, (uint64_t)(c->talk_ms < 0 ? 0 : c->talk_ms));
	/* After the fields of version 1's first listeners, which skip it. */
	put_text(&w, SIPCID_WF_DIRECTION, sipcid_direction_name(c->direction), CAP_ENUM, true);
	put_text(&w, SIPCID_WF_SENDER, s->id, SIPCID_WIRE_SENDER_MAX - 1, true);
	put_u64(&w, SIPCID_WF_SEQUENCE, ++s->sequence);
	put_u64(&w, SIPCID_WF_SENT, (uint64_t)now_us);
	if (s->has_key) {
		uint8_t m[SIPCID_WIRE_MAC_LEN];
		/* The signature covers every byte before its own field. */
		mac(&s->key, out, w.len, m);
		put_field(&w, SIPCID_WF_MAC, m, sizeof m);
	}
	return w.len;
}

/* ---- decoding ---- */

struct seen_sender {
	char id[SIPCID_WIRE_SENDER_MAX];
	uint64_t highest;
	uint64_t bits;        /* bit i: highest - i was seen */
	int64_t last_used_us;
};

struct sipcid_wire_listener {
	bool has_key;
	struct sipcid_wire_key key;
	int64_t skew_us;
	struct seen_sender senders[SIPCID_WIRE_REPLAY_SENDERS];
};

struct sipcid_wire_listener *sipcid_wire_listener_new(const struct sipcid_wire_key *key,
                                                      int64_t skew_us)
{
	struct sipcid_wire_listener *l = g_new0(struct sipcid_wire_listener, 1);
	if (key) {
		l->has_key = true;
		l->key = *key;
	}
	l->skew_us = skew_us;
	return l;
}

void sipcid_wire_listener_free(struct sipcid_wire_listener *l)
{
	if (!l)
		return;
	explicit_bzero(&l->key, sizeof l->key);
	g_free(l);
}

const char *sipcid_wire_status_text(enum sipcid_wire_status st)
{
	switch (st) {
	case SIPCID_WIRE_OK: return "accepted";
	case SIPCID_WIRE_TRUNCATED: return "truncated datagram";
	case SIPCID_WIRE_OVERSIZE: return "datagram longer than 1200 bytes";
	case SIPCID_WIRE_BAD_MAGIC: return "not a sipcid datagram";
	case SIPCID_WIRE_BAD_VERSION: return "unsupported sipcid datagram version";
	case SIPCID_WIRE_MALFORMED: return "malformed field";
	case SIPCID_WIRE_REPEATED: return "a field appears twice";
	case SIPCID_WIRE_UNSIGNED: return "unsigned datagram (a key is configured)";
	case SIPCID_WIRE_BAD_MAC: return "wrong signature";
	case SIPCID_WIRE_STALE: return "send time outside the accepted window";
	case SIPCID_WIRE_REPLAYED: return "replayed datagram";
	}
	return "unknown status";
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static bool valid_sender(const uint8_t *p, size_t n)
{
	if (n == 0 || n >= SIPCID_WIRE_SENDER_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(p[i]) && p[i] != '.' && p[i] != '_' && p[i] != '-')
			return false;
	return true;
}

/* An enum name: cleaned into a small buffer, then parsed. An unknown name is
 * ignored (a newer sender may know more states); the field keeps its default. */
static void parse_enum(const uint8_t *p, size_t n, bool (*parse)(const char *, int *), int *out)
{
	char s[CAP_ENUM + 1];
	if (n > CAP_ENUM)
		return;
	sipcid_text_clean((const char *)p, n, s, sizeof s);
	int v;
	if (parse(s, &v))
		*out = v;
}

#define ENUM_PARSER(fn, type, parse_fn)                 \
	static bool fn(const char *s, int *out)            \
	{                                                  \
		type v;                                        \
		if (!parse_fn(s, &v))                          \
			return false;                              \
		*out = (int)v;                                 \
		return true;                                   \
	}
ENUM_PARSER(parse_presentation, enum sipcid_presentation, sipcid_presentation_parse)
ENUM_PARSER(parse_state, enum sipcid_state, sipcid_state_parse)
ENUM_PARSER(parse_action, enum sipcid_action, sipcid_action_parse)
ENUM_PARSER(parse_direction, enum sipcid_direction, sipcid_direction_parse)

static bool parse_source(const char *s, int *out)
{
	for (int i = SIPCID_SRC_NONE; i <= SIPCID_SRC_PPI; i++) {
		if (!g_ascii_strcasecmp(s, sipcid_source_name((enum sipcid_id_source)i))) {
			*out = i;
			return true;
		}
	}
	return false;
}

static bool parse_kind(const char *s, int *out)
{
	if (!g_ascii_strcasecmp(s, "call"))
		*out = SIPCID_EVENT_CALL;
	else if (!g_ascii_strcasecmp(s, "update"))
		*out = SIPCID_EVENT_UPDATE;
	else
		return false;
	return true;
}

static bool mac_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t diff = 0;
	for (int i = 0; i < SIPCID_WIRE_MAC_LEN; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

static struct seen_sender *find_sender(struct sipcid_wire_listener *l, const char *id,
                                       bool create)
{
	struct seen_sender *oldest = &l->senders[0];
	for (int i = 0; i < SIPCID_WIRE_REPLAY_SENDERS; i++) {
		struct seen_sender *s = &l->senders[i];
		if (s->id[0] && !strcmp(s->id, id))
			return s;
		if (!s->id[0] || (oldest->id[0] && s->last_used_us < oldest->last_used_us))
			oldest = s;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof *oldest);
	g_strlcpy(oldest->id, id, sizeof oldest->id);
	return oldest;
}

static bool replayed(const struct seen_sender *s, uint64_t seq)
{
	if (!s || seq > s->highest)
		return false;
	uint64_t back = s->highest - seq;
	if (back >= REPLAY_BITS)
		return true; /* too old to tell: treat as replayed */
	return (s->bits >> back) & 1;
}

static void remember(struct seen_sender *s, uint64_t seq, int64_t now_us)
{
	if (seq > s->highest) {
		uint64_t shift = seq - s->highest;
		s->bits = shift >= REPLAY_BITS ? 0 : s->bits << shift;
		s->highest = seq;
	}
	s->bits |= (uint64_t)1 << (s->highest - seq);
	s->last_used_us = now_us;
}

enum sipcid_wire_status sipcid_wire_decode(struct sipcid_wire_listener *l, const uint8_t *buf,
                                           size_t len, int64_t now_us, struct sipcid_call *c,
                                           struct sipcid_wire_meta *meta_out)
{
	struct sipcid_wire_meta meta;
	memset(&meta, 0, sizeof meta);
	memset(c, 0, sizeof *c);
	if (meta_out)
		memset(meta_out, 0, sizeof *meta_out);

	if (len > SIPCID_WIRE_MAX)
		return SIPCID_WIRE_OVERSIZE;
	if (len < 4)
		return len > 0 && memcmp(buf, sipcid_wire_magic, len) ? SIPCID_WIRE_BAD_MAGIC
		                                                      : SIPCID_WIRE_TRUNCATED;
	if (memcmp(buf, sipcid_wire_magic, 4))
		return SIPCID_WIRE_BAD_MAGIC;
	if (len < HEADER_LEN)
		return SIPCID_WIRE_TRUNCATED;
	if (buf[4] != SIPCID_WIRE_VERSION)
		return SIPCID_WIRE_BAD_VERSION;

	uint32_t seen = 0;     /* bit per known field type, to catch repeats */
	bool seen_mac = false, have_seq = false, have_sent = false;
	const uint8_t *mac_value = NULL;
	size_t mac_offset = 0;
	int kind = -1;
	size_t pos = HEADER_LEN;
	while (pos < len) {
		if (seen_mac)
			return SIPCID_WIRE_MALFORMED; /* nothing may follow the signature */
		if (len - pos < TLV_HEAD)
			return SIPCID_WIRE_TRUNCATED;
		uint8_t type = buf[pos];
		size_t n = ((size_t)buf[pos + 1] << 8) | buf[pos + 2];
		if (len - pos - TLV_HEAD < n)
			return SIPCID_WIRE_TRUNCATED;
		const uint8_t *v = buf + pos + TLV_HEAD;
		size_t field_start = pos;
		pos += TLV_HEAD + n;

		int bit = -1;
		if (type >= SIPCID_WF_KIND && type <= SIPCID_WF_TALK_MS)
			bit = type;
		else if (type >= SIPCID_WF_SENDER && type <= SIPCID_WF_SENT)
			bit = type - SIPCID_WF_SENDER + 18;
		else if (type == SIPCID_WF_MAC)
			bit = 21;
		else if (type == SIPCID_WF_DIRECTION)
			bit = 22;
		if (bit < 0) {
			meta.unknown_fields++;
			continue;
		}
		if (seen & (1u << bit))
			return SIPCID_WIRE_REPEATED;
		seen |= 1u << bit;

		const char *t = (const char *)v;
		switch (type) {
		case SIPCID_WF_KIND: {
			int k = -1;
			parse_enum(v, n, parse_kind, &k);
			if (k < 0)
				return SIPCID_WIRE_MALFORMED; /* a listener must know what it shows */
			kind = k;
			break;
		}
		case SIPCID_WF_TIME:
		case SIPCID_WF_RING_MS:
		case SIPCID_WF_TALK_MS: {
			if (n != 8)
				return SIPCID_WIRE_MALFORMED;
			int64_t x = (int64_t)get_u64(v);
			if (x < 0)
				return SIPCID_WIRE_MALFORMED;
			if (type == SIPCID_WF_TIME)
				c->time_us = x;
			else if (type == SIPCID_WF_RING_MS)
				c->ring_ms = x;
			else
				c->talk_ms = x;
			break;
		}
		case SIPCID_WF_CALL_ID:
			sipcid_text_clean(t, n, c->call_id, sizeof c->call_id);
			break;
		case SIPCID_WF_NUMBER:
			sipcid_text_clean(t, n, c->number, sizeof c->number);
			break;
		case SIPCID_WF_NUMBER_RAW:
			sipcid_text_clean(t, n, c->number_raw, sizeof c->number_raw);
			break;
		case SIPCID_WF_NAME:
			sipcid_text_clean(t, n, c->name, sizeof c->name);
			break;
		case SIPCID_WF_CALLED:
			sipcid_text_clean(t, n, c->called, sizeof c->called);
			break;
		case SIPCID_WF_VIA:
			sipcid_text_clean(t, n, c->via, sizeof c->via);
			break;
		case SIPCID_WF_ALIAS:
			sipcid_text_clean(t, n, c->alias, sizeof c->alias);
			break;
		case SIPCID_WF_RULE:
			sipcid_text_clean(t, n, c->rule, sizeof c->rule);
			break;
		case SIPCID_WF_PRESENTATION: {
			int x = SIPCID_PRES_ALLOWED;
			parse_enum(v, n, parse_presentation, &x);
			c->presentation = (enum sipcid_presentation)x;
			break;
		}
		case SIPCID_WF_SOURCE: {
			int x = SIPCID_SRC_NONE;
			parse_enum(v, n, parse_source, &x);
			c->source = (enum sipcid_id_source)x;
			break;
		}
		case SIPCID_WF_ACTION: {
			int x = SIPCID_ACTION_ALLOW;
			parse_enum(v, n, parse_action, &x);
			c->action = (enum sipcid_action)x;
			break;
		}
		case SIPCID_WF_DIRECTION: {
			int x = SIPCID_DIR_INCOMING;
			parse_enum(v, n, parse_direction, &x);
			c->direction = (enum sipcid_direction)x;
			break;
		}
		case SIPCID_WF_STATE: {
			int x = SIPCID_STATE_RINGING;
			parse_enum(v, n, parse_state, &x);
			c->state = (enum sipcid_state)x;
			break;
		}
		case SIPCID_WF_RECORD:
			if (n != 1 || v[0] > 1)
				return SIPCID_WIRE_MALFORMED;
			c->record = v[0] == 1;
			break;
		case SIPCID_WF_SENDER:
			if (!valid_sender(v, n))
				return SIPCID_WIRE_MALFORMED;
			memcpy(meta.sender, v, n);
			meta.sender[n] = '\0';
			break;
		case SIPCID_WF_SEQUENCE:
			if (n != 8)
				return SIPCID_WIRE_MALFORMED;
			meta.sequence = get_u64(v);
			have_seq = meta.sequence > 0;
			if (!have_seq)
				return SIPCID_WIRE_MALFORMED;
			break;
		case SIPCID_WF_SENT:
			if (n != 8)
				return SIPCID_WIRE_MALFORMED;
			meta.sent_us = (int64_t)get_u64(v);
			if (meta.sent_us < 0)
				return SIPCID_WIRE_MALFORMED;
			have_sent = true;
			break;
		case SIPCID_WF_MAC:
			if (n != SIPCID_WIRE_MAC_LEN)
				return SIPCID_WIRE_MALFORMED;
			seen_mac = true;
			mac_value = v;
			mac_offset = field_start;
			break;
		}
	}
	if (kind < 0 || !(seen & (1u << SIPCID_WF_CALL_ID)))
		return SIPCID_WIRE_MALFORMED;
	c->kind = (enum sipcid_event_kind)kind;
	meta.is_signed = seen_mac;

	if (l && l->has_key) {
		if (!seen_mac)
			return SIPCID_WIRE_UNSIGNED;
		uint8_t m[SIPCID_WIRE_MAC_LEN];
		mac(&l->key, buf, mac_offset, m);
		if (!mac_equal(m, mac_value))
			return SIPCID_WIRE_BAD_MAC;
		/* Signed but without the replay fields: a forged or broken sender. */
		if (!meta.sender[0] || !have_seq || !have_sent)
			return SIPCID_WIRE_MALFORMED;
		if (meta.sent_us < now_us - l->skew_us || meta.sent_us > now_us + l->skew_us)
			return SIPCID_WIRE_STALE;
		struct seen_sender *s = find_sender(l, meta.sender, false);
		/* Any genuine datagram keeps its sender remembered, so replaying an
		 * active sender's traffic cannot push it out of the table. */
		if (s)
			s->last_used_us = now_us;
		if (replayed(s, meta.sequence))
			return SIPCID_WIRE_REPLAYED;
		if (!s)
			s = find_sender(l, meta.sender, true);
		remember(s, meta.sequence, now_us);
	}
	if (meta_out)
		*meta_out = meta;
	return SIPCID_WIRE_OK;
}
