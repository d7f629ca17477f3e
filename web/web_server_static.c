/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pages: files of the static directory and nothing else. A name with a
 * leading dot ("..", hidden files) is refused before the file system is
 * asked, and the file's real path (symbolic links followed) must still be
 * inside the directory. A directory gives its index.html, never a listing. */
#include "web_server_private.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

/* The pages are small; a bound keeps a stray large file from being read
 * into memory whole. */
#define MAX_FILE ((gsize)8 << 20)

static const char *mime_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".webmanifest", "application/manifest+json" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/vnd.microsoft.icon" },
		{ ".webp", "image/webp" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".wav", "audio/wav" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(name, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static bool name_ok(const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	for (char **p = parts; *p; p++)
		if ((*p)[0] == '.' || strchr(*p, '\\'))
			return false;
	return true;
}

static bool inside(const char *dir, const char *real)
{
	size_t n = strlen(dir);
	return strncmp(real, dir, n) == 0 && real[n] == '/';
}

void sipcid_web_server_static(struct sipcid_web_server_request *r, const char *path)
{
	struct sipcid_web_server *srv = r->srv;
	if (!name_ok(path)) {
		sipcid_web_reply_error(&r->req, SOUP_STATUS_NOT_FOUND, "No such page.");
		return;
	}
	g_autofree char *file = g_build_filename(srv->static_dir, path, NULL);
	if (g_file_test(file, G_FILE_TEST_IS_DIR)) {
		char *index = g_build_filename(file, "index.html", NULL);
		g_free(file);
		file = index;
	}
	char *real = realpath(file, NULL);
	g_autofree char *contents = NULL;
	gsize len = 0;
	GStatBuf st;
	bool ok = real && inside(srv->static_dir, real) && g_stat(real, &st) == 0 &&
	          S_ISREG(st.st_mode) && (gsize)st.st_size <= MAX_FILE &&
	          g_file_get_contents(real, &contents, &len, NULL);
	free(real);
	if (!ok) {
		sipcid_web_reply_error(&r->req, SOUP_STATUS_NOT_FOUND, "No such page.");
		return;
	}
	/* Pages change with the package: the browser asks again each time. */
	soup_message_headers_replace(soup_server_message_get_response_headers(r->req.msg),
	                             "Cache-Control", "no-cache");
	soup_server_message_set_status(r->req.msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(r->req.msg, mime_type(file), SOUP_MEMORY_TAKE,
	                                  g_steal_pointer(&contents), len);
}
