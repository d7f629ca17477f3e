/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Encoding and decoding the sipcid datagram (docs/protocol.md). */
#include "wire.h"

#include "text.h"

#include <errno.h>
#include <stddef.h>
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
	SHAKEN_LEN = 2,
	/* 23 fields: 6 enums, 5 integers (time, ring, talk, sequence, sent), record, shaken */
	WORST_CASE = HEADER_LEN + TLV_HEAD * 23 + CAP_CALL_ID + 4 * CAP_NUMBER + 2 * CAP_NAME +
	             CAP_RULE + 6 * CAP_ENUM + 1 + 5 * 8 + SHAKEN_LEN +
	             (SIPCID_WIRE_SENDER_MAX - 1) + SIPCID_WIRE_MAC_LEN,
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
	put_text(&w, SIPCID_WF_PRESENTATION, sipcid_call_presentation_name(c->presentation), CAP_ENUM,
	         true);
	put_text(&w, SIPCID_WF_SOURCE, sipcid_call_source_name(c->source), CAP_ENUM, true);
	put_text(&w, SIPCID_WF_CALLED, c->called, CAP_NUMBER, false);
	put_text(&w, SIPCID_WF_VIA, c->via, CAP_NUMBER, false);
	put_text(&w, SIPCID_WF_ALIAS, c->alias, CAP_NAME, false);
	put_text(&w, SIPCID_WF_ACTION, sipcid_call_action_name(c->action), CAP_ENUM, true);
	put_text(&w, SIPCID_WF_RULE, c->rule, CAP_RULE, false);
	uint8_t rec = c->record ? 1 : 0;
	put_field(&w, SIPCID_WF_RECORD, &rec, 1);
	put_text(&w, SIPCID_WF_STATE, sipcid_call_state_name(c->state), CAP_ENUM, true);
	put_u64(&w, SIPCID_WF_RING_MS, (uint64_t)(c->ring_ms < 0 ? 0 : c->ring_ms));
	put_u64(&w, SIPCID_WF_TALK_MS, (uint64_t)(c->talk_ms < 0 ? 0 : c->talk_ms));
	/* After the fields of version 1's first listeners, which skip it. */
	put_text(&w, SIPCID_WF_DIRECTION, sipcid_call_direction_name(c->direction), CAP_ENUM, true);
	if (c->verstat || c->attest) {
		uint8_t shaken[SHAKEN_LEN] = { (uint8_t)c->verstat, (uint8_t)c->attest };
		put_field(&w, SIPCID_WF_SHAKEN, shaken, sizeof shaken);
	}
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

/* ---- decoding: the replay window ---- */

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

/* ---- decoding: one decoder per known field type ---- */

/* Where the field decoders put what they find. */
struct decoded {
	struct sipcid_call *call;
	struct sipcid_wire_meta *meta;
};

/* Decodes one known field's value; false when it is malformed. The table
 * below holds one per field type; a type without one is unknown. */
struct field_decoder {
	bool (*decode)(const struct field_decoder *d, const uint8_t *v, size_t n,
	               struct decoded *out);
	size_t offset; /* of the struct sipcid_call member a text or time field fills */
	size_t size;   /* of that member, for text */
};

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Every integer field is exactly 8 bytes; the signed ones are never negative. */
static bool get_nonnegative(const uint8_t *v, size_t n, int64_t *out)
{
	if (n != 8)
		return false;
	*out = (int64_t)get_u64(v);
	return *out >= 0;
}

/* Text is cleaned (lib/text.h) and cut to fit its buffer: never malformed. */
static bool decode_text(const struct field_decoder *d, const uint8_t *v, size_t n,
                        struct decoded *out)
{
	sipcid_text_clean((const char *)v, n, (char *)out->call + d->offset, d->size);
	return true;
}

static bool decode_call_time(const struct field_decoder *d, const uint8_t *v, size_t n,
                             struct decoded *out)
{
	return get_nonnegative(v, n, (int64_t *)(void *)((char *)out->call + d->offset));
}

/* An enum's name, cleaned into s; false when it is too long to be one. */
static bool enum_name(const uint8_t *v, size_t n, char s[CAP_ENUM + 1])
{
	if (n > CAP_ENUM)
		return false;
	sipcid_text_clean((const char *)v, n, s, CAP_ENUM + 1);
	return true;
}

static bool parse_kind(const char *s, enum sipcid_event_kind *out)
{
	if (!g_ascii_strcasecmp(s, "call"))
		*out = SIPCID_EVENT_CALL;
	else if (!g_ascii_strcasecmp(s, "update"))
		*out = SIPCID_EVENT_UPDATE;
	else
		return false;
	return true;
}

/* An unknown kind is malformed: a listener must know what it shows. */
static bool decode_kind(const struct field_decoder *d, const uint8_t *v, size_t n,
                        struct decoded *out)
{
	(void)d;
	char s[CAP_ENUM + 1];
	return enum_name(v, n, s) && parse_kind(s, &out->call->kind);
}

static bool parse_source(const char *s, enum sipcid_id_source *out)
{
	for (int i = SIPCID_SRC_NONE; i <= SIPCID_SRC_PPI; i++) {
		if (!g_ascii_strcasecmp(s, sipcid_call_source_name((enum sipcid_id_source)i))) {
			*out = (enum sipcid_id_source)i;
			return true;
		}
	}
	return false;
}

/* The other enums: an unknown name leaves the member at its default (the
 * call starts zeroed), because a newer sender may know more states. */
#define ENUM_FIELD(fn, member, parse)                                                      \
	static bool fn(const struct field_decoder *d, const uint8_t *v, size_t n,             \
	               struct decoded *out)                                                   \
	{                                                                                     \
		(void)d;                                                                          \
		char s[CAP_ENUM + 1];                                                             \
		if (enum_name(v, n, s))                                                           \
			(void)parse(s, &out->call->member);                                           \
		return true;                                                                      \
	}
ENUM_FIELD(decode_presentation, presentation, sipcid_call_presentation_parse)
ENUM_FIELD(decode_source, source, parse_source)
ENUM_FIELD(decode_action, action, sipcid_call_action_parse)
ENUM_FIELD(decode_state, state, sipcid_call_state_parse)
ENUM_FIELD(decode_direction, direction, sipcid_call_direction_parse)

/* An unknown verstat or level from a newer sender reads as not known. */
static bool decode_shaken(const struct field_decoder *d, const uint8_t *v, size_t n,
                          struct decoded *out)
{
	(void)d;
	if (n != SHAKEN_LEN)
		return false;
	if (v[0] <= SIPCID_VERSTAT_NO_VALIDATION)
		out->call->verstat = (enum sipcid_verstat)v[0];
	if (v[1] >= 'A' && v[1] <= 'C')
		out->call->attest = (char)v[1];
	return true;
}

static bool decode_record(const struct field_decoder *d, const uint8_t *v, size_t n,
                          struct decoded *out)
{
	(void)d;
	if (n != 1 || v[0] > 1)
		return false;
	out->call->record = v[0] == 1;
	return true;
}

/* The sender id is an identifier, not text: anything else is refused. */
static bool decode_sender(const struct field_decoder *d, const uint8_t *v, size_t n,
                          struct decoded *out)
{
	(void)d;
	if (n == 0 || n >= SIPCID_WIRE_SENDER_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(v[i]) && v[i] != '.' && v[i] != '_' && v[i] != '-')
			return false;
	memcpy(out->meta->sender, v, n);
	out->meta->sender[n] = '\0';
	return true;
}

/* Sequence numbers count from 1, so 0 never marks a datagram as seen. */
static bool decode_sequence(const struct field_decoder *d, const uint8_t *v, size_t n,
                            struct decoded *out)
{
	(void)d;
	if (n != 8)
		return false;
	out->meta->sequence = get_u64(v);
	return out->meta->sequence > 0;
}

static bool decode_sent(const struct field_decoder *d, const uint8_t *v, size_t n,
                        struct decoded *out)
{
	(void)d;
	return get_nonnegative(v, n, &out->meta->sent_us);
}

/* Only the length here: the framing pass noted where the signature starts,
 * and check_authentic() verifies it when the listener holds a key. */
static bool decode_mac(const struct field_decoder *d, const uint8_t *v, size_t n,
                       struct decoded *out)
{
	(void)d, (void)v, (void)out;
	return n == SIPCID_WIRE_MAC_LEN;
}

#define CALL_TEXT(member)                                                                  \
	{ decode_text, offsetof(struct sipcid_call, member), sizeof ((struct sipcid_call *)0)->member }
#define CALL_TIME(member) { decode_call_time, offsetof(struct sipcid_call, member), 0 }

enum { FIELD_TYPES = 256 };

static const struct field_decoder field_decoders[FIELD_TYPES] = {
	[SIPCID_WF_KIND] = { decode_kind, 0, 0 },
	[SIPCID_WF_TIME] = CALL_TIME(time_us),
	[SIPCID_WF_CALL_ID] = CALL_TEXT(call_id),
	[SIPCID_WF_NUMBER] = CALL_TEXT(number),
	[SIPCID_WF_NUMBER_RAW] = CALL_TEXT(number_raw),
	[SIPCID_WF_NAME] = CALL_TEXT(name),
	[SIPCID_WF_PRESENTATION] = { decode_presentation, 0, 0 },
	[SIPCID_WF_SOURCE] = { decode_source, 0, 0 },
	[SIPCID_WF_CALLED] = CALL_TEXT(called),
	[SIPCID_WF_VIA] = CALL_TEXT(via),
	[SIPCID_WF_ALIAS] = CALL_TEXT(alias),
	[SIPCID_WF_ACTION] = { decode_action, 0, 0 },
	[SIPCID_WF_RULE] = CALL_TEXT(rule),
	[SIPCID_WF_RECORD] = { decode_record, 0, 0 },
	[SIPCID_WF_STATE] = { decode_state, 0, 0 },
	[SIPCID_WF_RING_MS] = CALL_TIME(ring_ms),
	[SIPCID_WF_TALK_MS] = CALL_TIME(talk_ms),
	[SIPCID_WF_DIRECTION] = { decode_direction, 0, 0 },
	[SIPCID_WF_SHAKEN] = { decode_shaken, 0, 0 },
	[SIPCID_WF_SENDER] = { decode_sender, 0, 0 },
	[SIPCID_WF_SEQUENCE] = { decode_sequence, 0, 0 },
	[SIPCID_WF_SENT] = { decode_sent, 0, 0 },
	[SIPCID_WF_MAC] = { decode_mac, 0, 0 },
};

/* ---- decoding: framing ---- */

/* A known field's value, pointing into the datagram. */
struct field {
	const uint8_t *value;
	size_t len;
	bool present;
};

/* What the framing pass found. */
struct frame {
	struct field fields[FIELD_TYPES]; /* indexed by type; known types only */
	unsigned unknown_fields;
	size_t mac_offset;                /* where the mac field starts: the bytes it signs */
	/* SIPCID_WIRE_OK, or the error that stopped the walk; the fields before
	 * it are still recorded, and a malformed one among them is reported
	 * first, being earlier in the datagram. */
	enum sipcid_wire_status status;
};

static enum sipcid_wire_status check_header(const uint8_t *buf, size_t len)
{
	if (len > SIPCID_WIRE_MAX)
		return SIPCID_WIRE_OVERSIZE;
	/* A short datagram that starts like ours is truncated; one that doesn't, foreign. */
	size_t magic_len = sizeof sipcid_wire_magic;
	if (len < magic_len)
		return len > 0 && memcmp(buf, sipcid_wire_magic, len) ? SIPCID_WIRE_BAD_MAGIC
		                                                      : SIPCID_WIRE_TRUNCATED;
	if (memcmp(buf, sipcid_wire_magic, magic_len))
		return SIPCID_WIRE_BAD_MAGIC;
	if (len < HEADER_LEN)
		return SIPCID_WIRE_TRUNCATED;
	if (buf[magic_len] != SIPCID_WIRE_VERSION)
		return SIPCID_WIRE_BAD_VERSION;
	return SIPCID_WIRE_OK;
}

/* Walks the type-length-value fields after a valid header, checking every
 * length against the end, until the end or the first framing error. */
static void walk_fields(const uint8_t *buf, size_t len, struct frame *f)
{
	memset(f, 0, sizeof *f);
	f->status = SIPCID_WIRE_OK;
	size_t pos = HEADER_LEN;
	while (pos < len) {
		if (f->fields[SIPCID_WF_MAC].present) {
			f->status = SIPCID_WIRE_MALFORMED; /* nothing may follow the signature */
			return;
		}
		if (len - pos < TLV_HEAD) {
			f->status = SIPCID_WIRE_TRUNCATED;
			return;
		}
		uint8_t type = buf[pos];
		size_t n = ((size_t)buf[pos + 1] << 8) | buf[pos + 2];
		if (len - pos - TLV_HEAD < n) {
			f->status = SIPCID_WIRE_TRUNCATED;
			return;
		}
		size_t start = pos;
		pos += TLV_HEAD + n;
		if (!field_decoders[type].decode) {
			f->unknown_fields++; /* skipped, and may repeat: forward compatibility */
			continue;
		}
		struct field *fl = &f->fields[type];
		if (fl->present) {
			/* Refused whole, so there is never a question of which copy wins. */
			f->status = SIPCID_WIRE_REPEATED;
			return;
		}
		*fl = (struct field){ buf + start + TLV_HEAD, n, true };
		if (type == SIPCID_WF_MAC)
			f->mac_offset = start;
	}
}

/* ---- decoding: signature, freshness, replay ---- */

static bool mac_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t diff = 0;
	for (int i = 0; i < SIPCID_WIRE_MAC_LEN; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/* For a listener with a key, in the order of docs/protocol.md: signed with
 * it, carrying the replay fields, sent within the clock window, and a
 * sequence number this sender has not used. Only an accepted datagram is
 * remembered. */
static enum sipcid_wire_status check_authentic(struct sipcid_wire_listener *l,
                                               const uint8_t *buf, const struct frame *f,
                                               const struct sipcid_wire_meta *meta,
                                               int64_t now_us)
{
	const struct field *m = &f->fields[SIPCID_WF_MAC];
	if (!m->present)
		return SIPCID_WIRE_UNSIGNED;
	uint8_t want[SIPCID_WIRE_MAC_LEN];
	mac(&l->key, buf, f->mac_offset, want);
	if (!mac_equal(want, m->value))
		return SIPCID_WIRE_BAD_MAC;
	/* Signed but without the replay fields: a forged or broken sender. Their
	 * decoders refused empty or zero values, so presence is enough. */
	if (!f->fields[SIPCID_WF_SENDER].present || !f->fields[SIPCID_WF_SEQUENCE].present ||
	    !f->fields[SIPCID_WF_SENT].present)
		return SIPCID_WIRE_MALFORMED;
	if (meta->sent_us < now_us - l->skew_us || meta->sent_us > now_us + l->skew_us)
		return SIPCID_WIRE_STALE;
	struct seen_sender *s = find_sender(l, meta->sender, false);
	/* Any genuine datagram keeps its sender remembered, so replaying an
	 * active sender's traffic cannot push it out of the table. */
	if (s)
		s->last_used_us = now_us;
	if (replayed(s, meta->sequence))
		return SIPCID_WIRE_REPLAYED;
	if (!s)
		s = find_sender(l, meta->sender, true);
	remember(s, meta->sequence, now_us);
	return SIPCID_WIRE_OK;
}

/* ---- decoding: the whole datagram ---- */

enum sipcid_wire_status sipcid_wire_decode(struct sipcid_wire_listener *l, const uint8_t *buf,
                                           size_t len, int64_t now_us, struct sipcid_call *c,
                                           struct sipcid_wire_meta *meta_out)
{
	struct sipcid_wire_meta meta;
	memset(&meta, 0, sizeof meta);
	memset(c, 0, sizeof *c);
	if (meta_out)
		memset(meta_out, 0, sizeof *meta_out);

	enum sipcid_wire_status st = check_header(buf, len);
	if (st != SIPCID_WIRE_OK)
		return st;
	struct frame f;
	walk_fields(buf, len, &f);
	struct decoded out = { c, &meta };
	for (int type = 0; type < FIELD_TYPES; type++) {
		const struct field *fl = &f.fields[type];
		const struct field_decoder *d = &field_decoders[type];
		if (fl->present && !d->decode(d, fl->value, fl->len, &out))
			return SIPCID_WIRE_MALFORMED;
	}
	if (f.status != SIPCID_WIRE_OK)
		return f.status;
	if (!f.fields[SIPCID_WF_KIND].present || !f.fields[SIPCID_WF_CALL_ID].present)
		return SIPCID_WIRE_MALFORMED;
	meta.unknown_fields = f.unknown_fields;
	meta.is_signed = f.fields[SIPCID_WF_MAC].present;

	if (l && l->has_key) {
		st = check_authentic(l, buf, &f, &meta, now_us);
		if (st != SIPCID_WIRE_OK)
			return st;
	}
	if (meta_out)
		*meta_out = meta;
	return SIPCID_WIRE_OK;
}
