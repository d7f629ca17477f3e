/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target over sequences of SIP messages through the pipeline,
 * asserting the principle of docs/callerid.md ("Judging"): no INVITE accepted
 * toward the phone carries an identity that a block rule matches.
 *
 * The input bytes drive a small generator: each message is an INVITE or a
 * response, CANCEL, BYE or ACK, on one of four Call-IDs, with one to five
 * From headers (full or compact name, SP, HTAB or folded white space), a
 * To with or without a tag, a CSeq, maybe a second CSeq or Call-ID, maybe a
 * P-Asserted-Identity; each identity is the blocked number
 * (+15551234567, in the forms a phone shows it) or an allowed one. The rule
 * file blocks that number.
 *
 * The oracle is independent of the pipeline: what a phone may show is the
 * PAI when there is one (the source is trusted), else the first or the last
 * From (phones differ). If any of those is the blocked number, an accepted
 * INVITE is a failure. The one exception is the spec's own: an INVITE with a
 * To tag inside a dialog the generator itself answered (a 200 to an accepted
 * INVITE), a re-INVITE, which the phone does not ring for.
 *
 * Built only with -Dfuzz=true and clang; tests/fuzz/run-fuzz.sh runs it. */
#include "pipeline.h"
#include "rules.h"
#include "settings.h"

#include <arpa/inet.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_MESSAGES = 24, CALL_IDS = 4, MAX_FROM = 5 };

static struct sipcid_settings *settings;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* PAI from the generator's provider address is believed, as from a
	 * provider's; whether other sources are is issue 14's trust part. */
	char tmpl[] = "/tmp/fuzz-identity-XXXXXX";
	int fd = g_mkstemp(tmpl);
	const char conf[] = "[callerid]\ntrusted-sources = 203.0.113.0/24\n"
	                    "phone-side = 192.168.1.2\n[datapath]\ncall-table-size = 16\n";
	if (fd < 0 || write(fd, conf, sizeof conf - 1) != (ssize_t)(sizeof conf - 1))
		abort();
	close(fd);
	GError *err = NULL;
	settings = sipcid_settings_load(tmpl, &err);
	g_unlink(tmpl);
	if (!settings) {
		fprintf(stderr, "fuzz_identity: %s\n", err->message);
		abort();
	}
	if (settings->rules)
		sipcid_rules_unref(settings->rules);
	settings->rules = sipcid_rules_load_data("fuzz.rules", "block number +15551234567\nallow *\n",
	                                         NULL, NULL, &settings->numbers, &err);
	if (!settings->rules)
		abort();
	return 0;
}

/* The input, read a choice at a time; zeros once it runs out. */
struct bytes {
	const uint8_t *p;
	size_t n;
};

static unsigned pick(struct bytes *b, unsigned range)
{
	if (b->n == 0)
		return 0;
	b->n--;
	return *b->p++ % range;
}

/* The blocked number as phones are sent it, then allowed callers. */
static const char *const blocked_users[] = { "+15551234567", "15551234567", "5551234567",
                                             "+1-555-123-4567" };
static const char *const allowed_users[] = { "+15550001111", "100", "anonymous", "+15551234568" };

struct identity {
	bool blocked;
	char user[32];
};

static void choose_identity(struct bytes *b, struct identity *id)
{
	unsigned k = pick(b, 8);
	id->blocked = k < 4;
	g_strlcpy(id->user, id->blocked ? blocked_users[k] : allowed_users[k - 4], sizeof id->user);
}

/* One identity header line, in one of the shapes phones accept. */
static void append_identity(GString *m, struct bytes *b, const char *name, const char *compact,
                            const struct identity *id, unsigned tag)
{
	const char *scheme = strchr(id->user, '-') ? "tel:" : "sip:";
	const char *host = scheme[0] == 't' ? "" : "@203.0.113.9";
	switch (pick(b, 5)) {
	case 0:
		g_string_append_printf(m, "%s: \"Caller\" <%s%s%s>", name, scheme, id->user, host);
		break;
	case 1:
		g_string_append_printf(m, "%s:\t<%s%s%s>", compact ? compact : name, scheme, id->user, host);
		break;
	case 2:
		g_string_append_printf(m, "%s :\r\n <%s%s%s>", name, scheme, id->user, host);
		break;
	case 3:
		g_string_append_printf(m, "%s: %s%s%s", name, scheme, id->user, host);
		break;
	default:
		g_string_append_printf(m, "%s:\"Name\"\r\n\t<%s%s%s>", name, scheme, id->user, host);
		break;
	}
	if (tag)
		g_string_append_printf(m, ";tag=f%u", tag);
	g_string_append(m, "\r\n");
}

static struct sipcid_packet packet(const GString *m, bool to_phone, int64_t t)
{
	struct sipcid_packet p = { 0 };
	p.time_us = t;
	p.transport = SIPCID_TRANSPORT_UDP;
	p.src.family = p.dst.family = AF_INET;
	inet_pton(AF_INET, to_phone ? "203.0.113.9" : "192.168.1.2", p.src.addr);
	inet_pton(AF_INET, to_phone ? "192.168.1.2" : "203.0.113.9", p.dst.addr);
	p.src.port = p.dst.port = 5060;
	p.payload = (const uint8_t *)m->str;
	p.payload_len = m->len;
	return p;
}

struct dialog {
	bool accepted;   /* an INVITE on this Call-ID was accepted toward the phone */
	bool answered;   /* and the generator answered it: a re-INVITE may follow */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = { data, size };
	struct sipcid_pipeline *pl = sipcid_pipeline_new(settings);
	struct dialog dialogs[CALL_IDS] = { 0 };
	GString *m = g_string_sized_new(1024);
	int64_t t = 1700000000000000;
	for (int i = 0; i < MAX_MESSAGES && b.n > 0; i++) {
		t += (int64_t)pick(&b, 8) * 500000;
		unsigned cid = pick(&b, CALL_IDS);
		unsigned kind = pick(&b, 8);
		g_string_truncate(m, 0);
		if (kind >= 3) {  /* an INVITE, most of the time */
			bool to_tag = pick(&b, 4) == 0;
			g_string_append(m, pick(&b, 3) ? "INVITE sip:100@192.168.1.2 SIP/2.0\r\n"
			                               : "INVITE\tsip:100@192.168.1.2\tSIP/2.0\r\n");
			g_string_append_printf(m, "Via: SIP/2.0/UDP 203.0.113.9;branch=z9hG4bK%u\r\n",
			                       pick(&b, 4));
			unsigned n_from = 1 + (pick(&b, 4) == 0 ? pick(&b, MAX_FROM) : 0);
			struct identity first = { 0 }, last = { 0 }, pai = { 0 };
			for (unsigned f = 0; f < n_from; f++) {
				struct identity id;
				choose_identity(&b, &id);
				append_identity(m, &b, "From", "f", &id, 1 + pick(&b, 2));
				if (f == 0)
					first = id;
				last = id;
			}
			bool has_pai = pick(&b, 4) == 0;
			if (has_pai) {
				choose_identity(&b, &pai);
				append_identity(m, &b, "P-Asserted-Identity", NULL, &pai, 0);
			}
			g_string_append_printf(m, "To: <sip:100@192.168.1.2>%s\r\n",
			                       to_tag ? ";tag=ata" : "");
			g_string_append_printf(m, "Call-ID: call-%u@203.0.113.9\r\n", cid);
			if (pick(&b, 8) == 0)
				g_string_append_printf(m, "i: other-%u\r\n", pick(&b, 2));
			unsigned cseq = 1 + pick(&b, 3);
			g_string_append_printf(m, "CSeq: %u INVITE\r\n", cseq);
			if (pick(&b, 8) == 0)
				g_string_append_printf(m, "CSeq: %u INVITE\r\n", cseq + 1);
			g_string_append(m, "Content-Length: 0\r\n\r\n");

			struct sipcid_packet p = packet(m, true, t);
			enum sipcid_verdict v = sipcid_pipeline_handle(pl, &p);
			bool shows_blocked = has_pai ? pai.blocked : (first.blocked || last.blocked);
			bool reinvite = to_tag && dialogs[cid].answered;
			if (v == SIPCID_VERDICT_ACCEPT && shows_blocked && !reinvite) {
				fprintf(stderr, "fuzz_identity: accepted toward the phone with a blocked "
				        "identity:\n%s\n", m->str);
				abort();
			}
			if (v == SIPCID_VERDICT_ACCEPT)
				dialogs[cid].accepted = true;
		} else {
			static const char *const others[] = { "SIP/2.0 200 OK", "SIP/2.0 420 Bad Extension",
			                                      "CANCEL sip:100@192.168.1.2 SIP/2.0" };
			g_string_append_printf(m, "%s\r\nVia: SIP/2.0/UDP 203.0.113.9;branch=z9hG4bK0\r\n"
			                       "From: <sip:x@203.0.113.9>;tag=f1\r\n"
			                       "To: <sip:100@192.168.1.2>;tag=ata\r\n"
			                       "Call-ID: call-%u@203.0.113.9\r\nCSeq: 1 %s\r\n"
			                       "Content-Length: 0\r\n\r\n",
			                       others[kind], cid, kind == 2 ? "CANCEL" : "INVITE");
			struct sipcid_packet p = packet(m, kind != 2 ? false : true, t);
			sipcid_pipeline_handle(pl, &p);
			if (kind == 0 && dialogs[cid].accepted)
				dialogs[cid].answered = true;
		}
		struct sipcid_call c;
		while (sipcid_pipeline_next_event(pl, &c))
			;
		if (pick(&b, 16) == 0)
			sipcid_pipeline_expire(pl, t);
	}
	g_string_free(m, true);
	sipcid_pipeline_free(pl);
	return 0;
}
