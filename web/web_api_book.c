/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The phonebook (docs/web-api.md): listed, changed and imported through
 * sipcid-rules (list-phonebook, name-number, unname-number, import), so
 * that its parser is the one sipcidd loads the file with. */
#include "web_api.h"
#include "web_rules_child.h"

#include <string.h>

/* The largest contacts export taken: a phone's whole address book is far less. */
#define IMPORT_MAX ((gsize)8 << 20)

static void list(struct sipcid_web_request *req)
{
	sipcid_web_rules_child_ask(req, "list-phonebook", NULL, NULL, NULL);
}

static void delete(struct sipcid_web_request *req)
{
	const char *number = sipcid_web_param(req, "number");
	if (!number || !number[0]) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       "expected the number to remove");
		return;
	}
	const char *const opts[] = { "--json", NULL };
	const char *const args[] = { number, NULL };
	g_autofree char *what = g_strdup_printf("removed %s from the phonebook", number);
	sipcid_web_rules_child_change(req, what, "unname-number", opts, args, NULL);
}

/* The parts of a multipart/form-data upload that import needs. */
struct upload {
	GBytes *file;
	char *filename;
	bool dry_run;
};

static bool read_upload(struct sipcid_web_request *req, struct upload *up)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(req->msg);
	SoupMessageBody *body = soup_server_message_get_request_body(req->msg);
	g_autoptr(GBytes) all = soup_message_body_flatten(body);
	SoupMultipart *mp = soup_multipart_new_from_message(headers, all);
	if (!mp)
		return false;
	for (int i = 0; i < soup_multipart_get_length(mp); i++) {
		SoupMessageHeaders *ph;
		GBytes *pb;
		char *disposition = NULL;
		GHashTable *params = NULL;
		if (!soup_multipart_get_part(mp, i, &ph, &pb) ||
		    !soup_message_headers_get_content_disposition(ph, &disposition, &params))
			continue;
		const char *name = g_hash_table_lookup(params, "name");
		if (name && !strcmp(name, "file") && !up->file) {
			up->file = g_bytes_ref(pb);
			const char *fn = g_hash_table_lookup(params, "filename");
			up->filename = g_strdup(fn && fn[0] ? fn : "upload");
		} else if (name && !strcmp(name, "dry_run")) {
			gsize len;
			const char *v = g_bytes_get_data(pb, &len);
			up->dry_run = len == 1 && v[0] == '1';
		}
		g_free(disposition);
		g_hash_table_unref(params);
	}
	soup_multipart_free(mp);
	return up->file != NULL;
}

static void import(struct sipcid_web_request *req)
{
	struct upload up = { 0 };
	if (!read_upload(req, &up)) {
		sipcid_web_reply_error(req, SOUP_STATUS_UNPROCESSABLE_ENTITY,
		                       "expected a multipart/form-data upload with a part named file "
		                       "(a vCard or a contacts CSV export)");
		return;
	}
	const char *dry = sipcid_web_param(req, "dry_run");
	up.dry_run = up.dry_run || (dry && !strcmp(dry, "1"));
	if (g_bytes_get_size(up.file) > IMPORT_MAX) {
		sipcid_web_reply_error(req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
		                       "this file is larger than 8 MiB; expected a contacts export");
	} else {
		/* The name only as --name's value: never an option or a path. */
		g_autofree char *base = g_path_get_basename(up.filename);
		g_autofree char *name_opt = g_strconcat("--name=", base, NULL);
		const char *const opts[] = { "--json", name_opt, up.dry_run ? "--dry-run" : NULL,
			                     NULL };
		const char *const args[] = { "-", NULL };
		g_autofree char *what = g_strdup_printf("imported %s into the phonebook%s", base,
		                                        up.dry_run ? " (dry run)" : "");
		if (up.dry_run)
			sipcid_web_rules_child_ask(req, "import", opts, args, up.file);
		else
			sipcid_web_rules_child_change(req, what, "import", opts, args, up.file);
	}
	g_bytes_unref(up.file);
	g_free(up.filename);
}

const struct sipcid_web_route sipcid_web_api_book_routes[] = {
	{ "GET", "/api/phonebook", list },
	{ "POST", "/api/phonebook", sipcid_web_rules_child_name_number },
	{ "POST", "/api/phonebook/delete", delete },
	{ "POST", "/api/phonebook/import", import },
	{ NULL, NULL, NULL },
};
