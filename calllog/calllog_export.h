/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ways sipcid-log prints a call: a readable table line, CSV (RFC 4180,
 * safe to open in a spreadsheet) and JSON (the keys of sipcidd --json, plus
 * "recording"). */
#ifndef SIPCID_CALLLOG_EXPORT_H
#define SIPCID_CALLLOG_EXPORT_H

#include "calllog_query.h"

#include <glib.h>

void sipcid_calllog_csv_header(GString *out);
void sipcid_calllog_csv_row(GString *out, const struct sipcid_calllog_row *r);
/* One CSV field: quoted when needed; a leading = + - @ (or tab, CR) gets a
 * ' in front so a spreadsheet shows it as text instead of running it. */
void sipcid_calllog_csv_field(GString *out, const char *s);
void sipcid_calllog_json_row(GString *out, const struct sipcid_calllog_row *r);
void sipcid_calllog_text_row(GString *out, const struct sipcid_calllog_row *r);

#endif
