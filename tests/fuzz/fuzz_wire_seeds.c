/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writes fuzz_wire's seed datagrams, made by the encoder, into a directory:
 *
 *   build/tests/fuzz/fuzz_wire_seeds tests/fuzz/seeds-wire
 *
 * A bare minimum, a full call unsigned and signed, an update signed, and a
 * signed call with every text field at its limit in multi-byte characters.
 * The sender ids are fixed, so the output is the same every time. */
#include "fuzz_wire.h"
#include "text.h"

#include <glib/gstdio.h>
#include <stdio.h>

static struct sipcid_call full_call(void)
{
	return (struct sipcid_call){
		.time_us = SIPCID_FUZZ_WIRE_NOW - 4 * G_USEC_PER_SEC,
		.call_id = "a84b4c76e66710@pc33.example.com",
		.number = "+15551234567",
		.number_raw = "5551234567",
		.name = "Zoë Ångström 李",
		.source = SIPCID_SRC_PAI,
		.called = "100",
		.via = "+15559990000",
		.alias = "Grand-mère",
		.action = SIPCID_ACTION_BLOCK,
		.record = true,
		.rule = "/etc/sipcid/rules:12",
	};
}

/* Every text field filled to its limit with 1- to 4-byte characters. */
static struct sipcid_call maximal_call(void)
{
	struct sipcid_call c = full_call();
	const char *pieces[] = { "a", "é", "€", "😀" };
	char *bufs[] = { c.call_id, c.number, c.number_raw, c.name, c.called, c.via, c.alias, c.rule };
	size_t sizes[] = { sizeof c.call_id, sizeof c.number, sizeof c.number_raw, sizeof c.name,
	                   sizeof c.called, sizeof c.via, sizeof c.alias, sizeof c.rule };
	for (size_t i = 0; i < G_N_ELEMENTS(bufs); i++) {
		GString *s = g_string_new(NULL);
		for (size_t j = 0; s->len < sizes[i] + 8; j++)
			g_string_append(s, pieces[j % G_N_ELEMENTS(pieces)]);
		sipcid_call_strlcpy_utf8(bufs[i], s->str, sizes[i]);
		g_string_free(s, TRUE);
	}
	c.presentation = SIPCID_PRES_UNAVAILABLE;
	c.state = SIPCID_STATE_ANSWERED;
	c.ring_ms = INT64_MAX;
	c.talk_ms = INT64_MAX;
	return c;
}

static bool write_seed(const char *dir, const char *name, const struct sipcid_call *c,
                       bool sign, uint64_t sequence)
{
	struct sipcid_wire_key key = sipcid_fuzz_wire_key();
	struct sipcid_wire_sender s;
	sipcid_wire_sender_init(&s, sign ? &key : NULL);
	g_snprintf(s.id, sizeof s.id, "seed-%s", name);
	s.sequence = sequence - 1;
	uint8_t buf[SIPCID_WIRE_MAX];
	size_t n = sipcid_wire_encode(c, &s, SIPCID_FUZZ_WIRE_NOW, buf);
	g_autofree char *file = g_strdup_printf("%s/%s.bin", dir, name);
	g_autoptr(GError) err = NULL;
	if (!g_file_set_contents(file, (const char *)buf, (gssize)n, &err)) {
		fprintf(stderr, "fuzz_wire_seeds: %s\n", err->message);
		return false;
	}
	printf("%s: %zu bytes\n", file, n);
	return true;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_wire_seeds DIRECTORY\n");
		return 2;
	}
	if (g_mkdir_with_parents(argv[1], 0755) != 0) {
		perror(argv[1]);
		return 1;
	}
	struct sipcid_call minimal;
	memset(&minimal, 0, sizeof minimal);
	struct sipcid_call full = full_call(), update = full_call(), maximal = maximal_call();
	update.kind = SIPCID_EVENT_UPDATE;
	update.action = SIPCID_ACTION_ALLOW;
	update.state = SIPCID_STATE_ENDED;
	update.ring_ms = 8200;
	update.talk_ms = 61000;
	bool ok = write_seed(argv[1], "minimal", &minimal, false, 1) &&
	          write_seed(argv[1], "full", &full, false, 7) &&
	          write_seed(argv[1], "full-signed", &full, true, 1) &&
	          write_seed(argv[1], "update-signed", &update, true, 2) &&
	          write_seed(argv[1], "maximal-signed", &maximal, true, UINT64_MAX);
	return ok ? 0 : 1;
}
