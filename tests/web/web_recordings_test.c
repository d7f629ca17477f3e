/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The recordings API without HTTP (web/web_recordings.h): the list (only the
 * recorder's files, newest first, size, time, length from the WAV header,
 * the call from the call log, the disk used against the budget), opening
 * one, deleting one, and every way a name could leave the directory or
 * reach something that is not a recording refused: "..", '/', a leading
 * '.', a symbolic link (to a file outside, to /etc/passwd), a directory, a
 * FIFO (without blocking), a control character. WAV headers from hostile
 * files never read out of bounds or divide by zero. */
#include "calllog_schema.h"
#include "calllog_writer.h"
#include "web_calls.h"
#include "web_recordings.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *top, *dir, *outside;

static void put32(guint8 *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8 & 0xff;
	p[2] = v >> 16 & 0xff;
	p[3] = v >> 24;
}

/* A canonical 44-byte header: 8000 Hz, 16-bit, stereo (32000 bytes a second). */
static void wav_header(guint8 *h, uint32_t data_bytes)
{
	memcpy(h, "RIFF", 4);
	put32(h + 4, 36 + data_bytes);
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);
	h[20] = 1, h[21] = 0, h[22] = 2, h[23] = 0;
	put32(h + 24, 8000);
	put32(h + 28, 32000);
	h[32] = 4, h[33] = 0, h[34] = 16, h[35] = 0;
	memcpy(h + 36, "data", 4);
	put32(h + 40, data_bytes);
}

static void write_wav(const char *name, uint32_t data_bytes, int64_t mtime_s)
{
	gsize len = 44 + data_bytes;
	guint8 *b = g_malloc0(len);
	wav_header(b, data_bytes);
	for (gsize i = 44; i < len; i++)
		b[i] = (guint8)(i * 7);
	g_autofree char *path = g_build_filename(dir, name, NULL);
	GError *err = NULL;
	g_assert_true(g_file_set_contents(path, (char *)b, (gssize)len, &err));
	g_assert_no_error(err);
	struct timespec t[2] = { { mtime_s, 0 }, { mtime_s, 0 } };
	g_assert_cmpint(utimensat(AT_FDCWD, path, t, 0), ==, 0);
	g_free(b);
}

static void put_file(const char *in, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(in, name, NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void setup(void)
{
	top = g_dir_make_tmp("web-rec-XXXXXX", NULL);
	dir = g_build_filename(top, "recordings", NULL);
	outside = g_build_filename(top, "secret.wav", NULL);
	g_assert_cmpint(g_mkdir(dir, 0750), ==, 0);
	write_wav("2026-11-21_225443_+15551234567.wav", 64000, 1790000000);  /* 2 s */
	write_wav("2026-11-22_080000_+15559876543.wav", 16000, 1790050000);  /* 0.5 s */
	write_wav("2026-11-22_080000_+15559876543-2.wav", 0, 1790040000);
	put_file(dir, "2026-11-20_120000_unknown.pcap", "pcap bytes");
	g_autofree char *pcap = g_build_filename(dir, "2026-11-20_120000_unknown.pcap", NULL);
	struct timespec old[2] = { { 1789900000, 0 }, { 1789900000, 0 } };
	g_assert_cmpint(utimensat(AT_FDCWD, pcap, old, 0), ==, 0);
	put_file(dir, ".sipcid-wav-AbC123", "being written");        /* the recorder's temp file */
	put_file(dir, "notes.txt", "not a recording");
	put_file(top, "secret.wav", "outside the directory");
	g_autofree char *link1 = g_build_filename(dir, "escape.wav", NULL);
	g_autofree char *link2 = g_build_filename(dir, "passwd.wav", NULL);
	g_assert_cmpint(symlink(outside, link1), ==, 0);
	g_assert_cmpint(symlink("/etc/passwd", link2), ==, 0);
	g_autofree char *sub = g_build_filename(dir, "folder.wav", NULL);
	g_assert_cmpint(g_mkdir(sub, 0750), ==, 0);
	g_autofree char *fifo = g_build_filename(dir, "fifo.wav", NULL);
	g_assert_cmpint(mkfifo(fifo, 0640), ==, 0);
}

static sqlite3 *make_log(void)
{
	g_autofree char *path = g_build_filename(top, "calls.db", NULL);
	struct sipcid_calllog_settings s;
	sipcid_calllog_settings_default(&s);
	g_strlcpy(s.database, path, sizeof s.database);
	GError *err = NULL;
	struct sipcid_output *log = sipcid_calllog_new(&s, &err);
	g_assert_no_error(err);
	const struct { const char *id, *number, *name, *file; } rows[] = {
		{ "a@x", "+15551234567", "Alice <b>", "2026-11-21_225443_+15551234567.wav" },
		{ "b@x", "+15559876543", "Bob", "2026-11-22_080000_+15559876543.wav" },
		{ "c@x", "+15550000000", "Gone", "2026-11-01_000000_+15550000000.wav" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct sipcid_call c = { .kind = SIPCID_EVENT_CALL, .time_us = (int64_t)(i + 1) * 1000000,
		                         .record = true };
		g_strlcpy(c.call_id, rows[i].id, sizeof c.call_id);
		g_strlcpy(c.number, rows[i].number, sizeof c.number);
		g_strlcpy(c.name, rows[i].name, sizeof c.name);
		log->emit(log->ctx, &c);
		/* The recorder reports the full path it saved the file at. */
		g_autofree char *full = g_build_filename(dir, rows[i].file, NULL);
		sipcid_calllog_set_recording(log, rows[i].id, full);
	}
	log->close(log->ctx);
	sqlite3 *db = sipcid_calllog_open_read(path, &err);
	g_assert_no_error(err);
	return db;
}

static void test_names(void)
{
	const char *const good[] = { "2026-11-21_225443_+15551234567.wav", "a.pcap", "x-2.wav" };
	const char *const bad[] = {
		"", ".", "..", "../secret.wav", "a/b.wav", "/etc/passwd", ".hidden.wav", "-rf.wav",
		"x.wav/", "x.txt", "x.wav.txt", "x\n.wav", "x .wav", "%2e%2e.wav", "x\\y.wav", "wav",
		"é.wav",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_true(sipcid_web_recordings_name_ok(good[i]));
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		if (sipcid_web_recordings_name_ok(bad[i]))
			g_error("\"%s\" taken as a recording's name", bad[i]);
	GString *longname = g_string_new(NULL);
	while (longname->len < 300)
		g_string_append_c(longname, 'a');
	g_string_append(longname, ".wav");
	g_assert_false(sipcid_web_recordings_name_ok(longname->str));
	g_string_free(longname, TRUE);
}

static void test_wav_header(void)
{
	guint8 h[64];
	double s = -1;
	wav_header(h, 32000);
	g_assert_true(sipcid_web_recordings_wav_seconds(h, 44, 44 + 32000, &s));
	g_assert_cmpfloat_with_epsilon(s, 1.0, 1e-9);
	/* An unfinished file: its data chunk says more than there is. */
	g_assert_true(sipcid_web_recordings_wav_seconds(h, 44, 44 + 16000, &s));
	g_assert_cmpfloat_with_epsilon(s, 0.5, 1e-9);
	/* A streaming header (size unknown). */
	put32(h + 40, 0xffffffffu);
	g_assert_true(sipcid_web_recordings_wav_seconds(h, 44, 44 + 8000, &s));
	g_assert_cmpfloat_with_epsilon(s, 0.25, 1e-9);
	/* Hostile headers: no byte rate, no fmt, a chunk that claims 4 GiB,
	 * a header cut short, something that is not RIFF at all. */
	wav_header(h, 32000);
	put32(h + 28, 0);
	g_assert_false(sipcid_web_recordings_wav_seconds(h, 44, 100, &s));
	wav_header(h, 32000);
	memcpy(h + 12, "junk", 4);
	g_assert_false(sipcid_web_recordings_wav_seconds(h, 44, 100, &s));
	wav_header(h, 32000);
	put32(h + 16, 0xfffffff0u);
	memcpy(h + 12, "LIST", 4);
	g_assert_false(sipcid_web_recordings_wav_seconds(h, 44, 100, &s));
	wav_header(h, 32000);
	for (size_t n = 0; n < 44; n++)
		g_assert_false(sipcid_web_recordings_wav_seconds(h, n, 100, &s));
	g_assert_false(sipcid_web_recordings_wav_seconds((const guint8 *)"RIFF\0\0\0\0WAVX", 12, 12, &s));
}

static void test_list(void)
{
	sqlite3 *db = make_log();
	GString *out = g_string_new(NULL);
	GError *err = NULL;
	g_assert_true(sipcid_web_recordings_list_json(dir, 1, db, out, &err));
	g_assert_no_error(err);
	JsonParser *p = json_parser_new();
	g_assert_true(json_parser_load_from_data(p, out->str, -1, &err));
	JsonObject *root = json_node_get_object(json_parser_get_root(p));
	JsonArray *list = json_object_get_array_member(root, "recordings");
	/* The recorder's files only, newest first. */
	const char *const want[] = {
		"2026-11-22_080000_+15559876543.wav", "2026-11-22_080000_+15559876543-2.wav",
		"2026-11-21_225443_+15551234567.wav", "2026-11-20_120000_unknown.pcap",
	};
	g_assert_cmpuint(json_array_get_length(list), ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++)
		g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(list, i),
		                                              "name"), ==, want[i]);
	JsonObject *alice = json_array_get_object_element(list, 2);
	g_assert_cmpint(json_object_get_int_member(alice, "bytes"), ==, 44 + 64000);
	g_assert_cmpfloat_with_epsilon(json_object_get_double_member(alice, "seconds"), 2.0, 1e-9);
	g_assert_cmpstr(json_object_get_string_member(alice, "time"), ==, "2026-09-21T14:13:20.000Z");
	JsonObject *call = json_object_get_object_member(alice, "call");
	g_assert_nonnull(call);
	g_assert_cmpstr(json_object_get_string_member(call, "name"), ==, "Alice <b>");
	g_assert_cmpstr(json_object_get_string_member(call, "recording"), ==,
	                "2026-11-21_225443_+15551234567.wav");
	JsonObject *second = json_array_get_object_element(list, 1);
	g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(second, "call")));
	g_assert_cmpfloat_with_epsilon(json_object_get_double_member(second, "seconds"), 0, 1e-9);
	JsonObject *pcap = json_array_get_object_element(list, 3);
	g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(pcap, "seconds")));
	/* Every regular file counts against the budget, the recorder's temporary one too. */
	gint64 used = (44 + 64000) + (44 + 16000) + 44 + 10 + 13 + 15;
	g_assert_cmpint(json_object_get_int_member(root, "used_bytes"), ==, used);
	g_assert_cmpint(json_object_get_int_member(root, "budget_bytes"), ==, 1024 * 1024);
	g_string_truncate(out, 0);
	g_assert_true(sipcid_web_recordings_list_json(dir, 0, NULL, out, &err));
	g_assert_nonnull(strstr(out->str, "\"budget_bytes\":null"));
	g_assert_null(strstr(out->str, "\"call\":{"));

	/* The call log's page names a recording only while its file is there. */
	struct sipcid_calllog_filter f;
	g_assert_true(sipcid_web_calls_parse(NULL, &f, &err));
	g_string_truncate(out, 0);
	g_assert_true(sipcid_web_calls_json(db, &f, dir, out, &err));
	g_assert_true(json_parser_load_from_data(p, out->str, -1, &err));
	JsonArray *calls = json_object_get_array_member(
	        json_node_get_object(json_parser_get_root(p)), "calls");
	g_assert_cmpuint(json_array_get_length(calls), ==, 3);
	g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(
	        json_array_get_object_element(calls, 0), "recording")));   /* Gone */
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(calls, 1),
	                                              "recording"), ==,
	                "2026-11-22_080000_+15559876543.wav");
	g_object_unref(p);
	g_string_free(out, TRUE);
	sqlite3_close(db);

	g_autofree char *none = g_build_filename(top, "no-such-dir", NULL);
	out = g_string_new(NULL);
	g_assert_false(sipcid_web_recordings_list_json(none, 0, NULL, out, &err));
	g_assert_true(g_error_matches(err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
	g_clear_error(&err);
	g_string_free(out, TRUE);
}

static void assert_not_found(const char *name)
{
	const char *type = NULL;
	GError *err = NULL;
	GBytes *b = sipcid_web_recordings_open(dir, name, &type, &err);
	if (b)
		g_error("\"%s\" was opened", name);
	if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		g_error("\"%s\": %s, not \"not found\"", name, err->message);
	g_assert_null(strstr(err->message, name[0] ? name : "\x01"));  /* the name is not echoed */
	g_clear_error(&err);
	g_assert_false(sipcid_web_recordings_delete(dir, name, &err));
	g_assert_true(g_error_matches(err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
	g_clear_error(&err);
}

static void test_open_delete(void)
{
	const char *type = NULL;
	GError *err = NULL;
	const char *name = "2026-11-21_225443_+15551234567.wav";
	GBytes *b = sipcid_web_recordings_open(dir, name, &type, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(type, ==, "audio/wav");
	g_autofree char *path = g_build_filename(dir, name, NULL);
	gchar *want;
	gsize want_len;
	g_assert_true(g_file_get_contents(path, &want, &want_len, NULL));
	g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), want, want_len);
	g_free(want);
	g_bytes_unref(b);
	b = sipcid_web_recordings_open(dir, "2026-11-22_080000_+15559876543-2.wav", &type, &err);
	g_assert_no_error(err);
	g_assert_cmpuint(g_bytes_get_size(b), ==, 44);
	g_bytes_unref(b);

	/* Out of the directory, or not a recording: not found, and nothing removed. */
	const char *const refused[] = {
		"../secret.wav", "escape.wav", "passwd.wav", "folder.wav", "fifo.wav", "notes.txt",
		".sipcid-wav-AbC123", "", "..", "/etc/passwd", "recordings/../secret.wav", "nothere.wav",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(refused); i++)
		assert_not_found(refused[i]);
	g_assert_true(g_file_test(outside, G_FILE_TEST_IS_REGULAR));
	g_autofree char *link = g_build_filename(dir, "escape.wav", NULL);
	g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	g_autofree char *temp = g_build_filename(dir, ".sipcid-wav-AbC123", NULL);
	g_assert_true(g_file_test(temp, G_FILE_TEST_EXISTS));

	g_assert_true(sipcid_web_recordings_delete(dir, name, &err));
	g_assert_no_error(err);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	assert_not_found(name);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("TZ", "UTC", TRUE);
	setup();
	g_test_add_func("/web/recordings/names", test_names);
	g_test_add_func("/web/recordings/wav-header", test_wav_header);
	g_test_add_func("/web/recordings/list", test_list);
	g_test_add_func("/web/recordings/open-delete", test_open_delete);
	int rc = g_test_run();
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", top);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
