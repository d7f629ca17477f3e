/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Recording building blocks: G.711 decoding, SDP on hostile input, RTP
 * headers, file names, [record] settings. */
#include "g711.h"
#include "record_name.h"
#include "record_settings.h"
#include "rtp.h"
#include "sdp.h"

#include <arpa/inet.h>
#include <glib.h>
#include <string.h>

static void test_g711_known(void)
{
	/* G.711 table 2a (µ-law): code 0xFF is +0, 0x7F is -0, 0x80 and 0x00 the
	 * extremes ±8031 on the 14-bit scale (x4 = ±32124 in 16 bits). */
	g_assert_cmpint(sipcid_g711_ulaw_to_pcm(0xFF), ==, 0);
	g_assert_cmpint(sipcid_g711_ulaw_to_pcm(0x7F), ==, 0);
	g_assert_cmpint(sipcid_g711_ulaw_to_pcm(0x00), ==, -32124);
	g_assert_cmpint(sipcid_g711_ulaw_to_pcm(0x80), ==, 32124);
	/* segment 0, step 14 (code 0xF1 inverted = 0x0E): (2*14+33)*4-132 = 112 */
	g_assert_cmpint(sipcid_g711_ulaw_to_pcm(0xF1), ==, 112);
	/* Table 1a (A-law): 0xD5 is the smallest positive value, +1 on the 13-bit
	 * scale (x8 = 8); 0x55 the smallest negative; 0xAA the largest, 4032 x8. */
	g_assert_cmpint(sipcid_g711_alaw_to_pcm(0xD5), ==, 8);
	g_assert_cmpint(sipcid_g711_alaw_to_pcm(0x55), ==, -8);
	g_assert_cmpint(sipcid_g711_alaw_to_pcm(0xAA), ==, 32256);
	g_assert_cmpint(sipcid_g711_alaw_to_pcm(0x2A), ==, -32256);
	/* segment 1 starts at 264 (33 x8): 0xD5 ^ 0x10 = 0xC5 */
	g_assert_cmpint(sipcid_g711_alaw_to_pcm(0xC5), ==, 264);
	/* Monotonic within each sign: decoding never folds over. */
	for (int c = 0; c < 127; c++) {
		g_assert_cmpint(sipcid_g711_ulaw_to_pcm((uint8_t)(0x80 | c)), >, sipcid_g711_ulaw_to_pcm((uint8_t)(0x80 | (c + 1))));
	}
	uint8_t in[3] = { 0xFF, 0x00, 0x80 };
	int16_t out[3];
	sipcid_g711_decode(in, 3, out, 0);
	g_assert_cmpint(out[1], ==, -32124);
	sipcid_g711_decode(in, 3, out, 1);
	g_assert_cmpint(out[0], ==, sipcid_g711_alaw_to_pcm(0xFF));
}

static void test_sdp_basic(void)
{
	const char *s = "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
	                "m=video 5000 RTP/AVP 96\r\nc=IN IP4 192.0.2.99\r\n"
	                "m=audio 40376 RTP/AVP 8 0 101 97\r\na=rtpmap:101 telephone-event/8000\r\n"
	                "a=rtpmap:97 PCMU/8000\r\n";
	struct sipcid_sdp sdp;
	g_assert_true(sipcid_sdp_parse(s, strlen(s), &sdp));
	g_assert_cmpint(sdp.audio.port, ==, 40376);
	g_assert_cmpint(sdp.audio.family, ==, AF_INET);
	uint8_t want[4];
	inet_pton(AF_INET, "192.0.2.10", want);
	g_assert_cmpmem(sdp.audio.addr, 4, want, 4); /* session c=, not the video's */
	g_assert_cmpint(sipcid_sdp_codec(&sdp, 8), ==, SIPCID_CODEC_PCMA);
	g_assert_cmpint(sipcid_sdp_codec(&sdp, 97), ==, SIPCID_CODEC_PCMU);
	g_assert_cmpint(sipcid_sdp_codec(&sdp, 101), ==, SIPCID_CODEC_EVENT);
	g_assert_cmpint(sipcid_sdp_codec(&sdp, 18), ==, SIPCID_CODEC_OTHER);

	const char *v6 = "v=0\nm=audio 0 RTP/AVP 0\nm=audio 7078 RTP/AVP 0\nc=IN IP6 2001:db8::5\n";
	g_assert_true(sipcid_sdp_parse(v6, strlen(v6), &sdp));
	g_assert_cmpint(sdp.audio.port, ==, 7078); /* the disabled stream (port 0) is skipped */
	g_assert_cmpint(sdp.audio.family, ==, AF_INET6);
}

static void test_sdp_hostile(void)
{
	struct sipcid_sdp sdp;
	const char *bad[] = {
		"",
		"not sdp\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n",
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 0 RTP/AVP 0\r\n",
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 65536 RTP/AVP 0\r\n",
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 99999999999999999999 RTP/AVP 0\r\n",
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio -5 RTP/AVP 0\r\n",
		"v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n",
		"v=0\r\nc=IN IP4 999.1.1.1\r\nm=audio 4000 RTP/AVP 0\r\n",
		"v=0\r\nc=IN IP4 192.0.2.1",
		"v=0\r\nm=audio 4000 RTP/AVP 0\r\n", /* no address at all */
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio\r\n",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(sipcid_sdp_parse(bad[i], strlen(bad[i]), &sdp));
	/* Huge: 1 MB of attributes before the audio: bounded, the audio is past
	 * the limit and not found; no crash, no overread. */
	GString *big = g_string_new("v=0\r\nc=IN IP4 192.0.2.1\r\n");
	while (big->len < 1024 * 1024)
		g_string_append(big, "a=x-padding:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
	g_string_append(big, "m=audio 4000 RTP/AVP 0\r\n");
	g_assert_false(sipcid_sdp_parse(big->str, big->len, &sdp));
	g_string_free(big, TRUE);
	/* Many m= lines and payload types: the first usable audio, at most 16 types. */
	GString *many = g_string_new("v=0\r\nc=IN IP4 192.0.2.1\r\n");
	for (int i = 0; i < 200; i++)
		g_string_append(many, "m=audio 0 RTP/AVP 0\r\n");
	g_string_append(many, "m=audio 4002 RTP/AVP");
	for (int i = 0; i < 300; i++)
		g_string_append_printf(many, " %d", i % 140);
	g_string_append(many, "\r\n");
	g_assert_true(sipcid_sdp_parse(many->str, many->len, &sdp));
	g_assert_cmpint(sdp.audio.port, ==, 4002);
	g_assert_cmpint(sdp.n_pt, ==, SIPCID_SDP_MAX_PT);
	g_string_free(many, TRUE);
	/* Over the line limit: the audio line is never reached. */
	GString *lines = g_string_new("v=0\r\nc=IN IP4 192.0.2.1\r\n");
	for (int i = 0; i < 400; i++)
		g_string_append(lines, "a=x\r\n");
	g_string_append(lines, "m=audio 4000 RTP/AVP 0\r\n");
	g_assert_false(sipcid_sdp_parse(lines->str, lines->len, &sdp));
	g_string_free(lines, TRUE);
	/* Embedded NUL ends the body; rtpmap with junk is ignored. */
	const char nul[] = "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU\0/8000\r\n";
	g_assert_true(sipcid_sdp_parse(nul, sizeof nul - 1, &sdp));
	g_assert_cmpint(sipcid_sdp_codec(&sdp, 96), ==, SIPCID_CODEC_OTHER);
	/* Every prefix of a valid body: never a crash (ASan watches the reads). */
	const char *ok = "v=0\r\nc=IN IP6 2001:db8::1\r\nm=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n";
	for (size_t n = 0; n <= strlen(ok); n++) {
		char *copy = g_memdup2(ok, n); /* exact size: an overread is caught */
		sipcid_sdp_parse(copy ? copy : "", n, &sdp);
		g_free(copy);
	}
}

static void test_rtp(void)
{
	uint8_t p[20] = { 0x80, 0x88, 0x00, 0x01, 0, 0, 0, 160, 0xd2, 0xbd, 0x4e, 0x3e, 1, 2, 3, 4 };
	struct sipcid_rtp r;
	g_assert_true(sipcid_rtp_parse(p, 16, &r));
	g_assert_cmpint(r.payload_type, ==, 8);
	g_assert_true(r.marker);
	g_assert_cmpuint(r.timestamp, ==, 160);
	g_assert_cmpuint(r.ssrc, ==, 0xd2bd4e3e);
	g_assert_cmpuint(r.payload_len, ==, 4);
	g_assert_false(sipcid_rtp_parse(p, 11, &r));
	p[0] = 0x8f; /* 15 CSRCs that aren't there */
	g_assert_false(sipcid_rtp_parse(p, 16, &r));
	p[0] = 0xa0; /* padding longer than the payload */
	p[15] = 200;
	g_assert_false(sipcid_rtp_parse(p, 16, &r));
	p[0] = 0x80;
	p[1] = 0xc8; /* RTCP sender report (200) */
	g_assert_false(sipcid_rtp_parse(p, 16, &r));
}

static void test_names(void)
{
	char out[SIPCID_RECORD_NAME_MAX + 1];
	g_setenv("TZ", "UTC", TRUE);
	sipcid_record_name(1105725482000000, "+15514540002", "Ivan", out);
	g_assert_cmpstr(out, ==, "2005-01-14_175802_+15514540002");
	sipcid_record_name(1105725482000000, "", "../../etc/pass\nwd \x1b[31m", out);
	g_assert_cmpstr(out, ==, "2005-01-14_175802_etc_pass_wd_31m");
	sipcid_record_name(1105725482000000, "", "", out);
	g_assert_cmpstr(out, ==, "2005-01-14_175802_unknown");
	sipcid_record_name(1105725482000000, "...", "", out);
	g_assert_cmpstr(out, ==, "2005-01-14_175802_unknown");
	char longname[600];
	memset(longname, 'A', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	sipcid_record_name(1105725482000000, longname, "", out);
	g_assert_cmpuint(strlen(out), ==, SIPCID_RECORD_NAME_MAX);
	g_assert_null(strchr(out, '/'));
	g_assert_true(out[0] != '.');
}

static void test_settings(void)
{
	GError *err = NULL;
	struct sipcid_record_settings s;
	struct sipcid_config *cfg = sipcid_config_load_data("r.conf", "[numbers]\n", &err);
	g_assert_true(sipcid_record_settings_load(cfg, &s, &err));
	g_assert_cmpstr(s.directory, ==, "/var/lib/sipcid/recordings");
	g_assert_cmpint(s.max_minutes, ==, 240);
	sipcid_config_free(cfg);
	cfg = sipcid_config_load_data("r.conf", "[record]\ndirectory = rel/dir\n", &err);
	g_assert_false(sipcid_record_settings_load(cfg, &s, &err));
	g_assert_nonnull(strstr(err->message, "r.conf:2: [record] directory: expected an absolute"));
	g_clear_error(&err);
	sipcid_config_free(cfg);
	cfg = sipcid_config_load_data("r.conf", "[record]\nmax-minutes = 0\n", &err);
	g_assert_false(sipcid_record_settings_load(cfg, &s, &err));
	g_assert_nonnull(strstr(err->message, "r.conf:2:"));
	g_clear_error(&err);
	sipcid_config_free(cfg);
	cfg = sipcid_config_load_data("r.conf", "[record]\nformat = mp3\n", &err);
	g_assert_false(sipcid_record_settings_load(cfg, &s, &err));
	g_assert_nonnull(strstr(err->message, "r.conf:2: [record] format: unknown key"));
	g_clear_error(&err);
	sipcid_config_free(cfg);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/record/g711-known-values", test_g711_known);
	g_test_add_func("/record/sdp", test_sdp_basic);
	g_test_add_func("/record/sdp-hostile", test_sdp_hostile);
	g_test_add_func("/record/rtp", test_rtp);
	g_test_add_func("/record/file-names", test_names);
	g_test_add_func("/record/settings", test_settings);
	return g_test_run();
}
