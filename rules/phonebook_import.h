/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Contact import: the numbers of a vCard (2.1, 3.0, 4.0) or contacts CSV
 * export (Google, Outlook) added to the phonebook (sipcid-rules import).
 *
 * Three steps, so a dry run is the same code as the real one:
 *   1. read: the export into a list of (name, label, number, line);
 *   2. plan: each number against the phonebook (normalised as sipcidd does):
 *      added, already there, a conflicting name, or skipped with a reason;
 *   3. commit: the new phonebook text, checked to load, written atomically.
 * An export that can't be read is refused whole with FILE:LINE, and the
 * phonebook is never touched. Blocking file I/O: tools only. */
#ifndef SIPCID_PHONEBOOK_IMPORT_H
#define SIPCID_PHONEBOOK_IMPORT_H

#include "call.h"
#include "number.h"

#include <glib.h>
#include <stdbool.h>

enum {
	/* A phone holds a handful of numbers per contact; more is a broken or
	 * hostile export. The rest are dropped with a warning. */
	SIPCID_PHONEBOOK_IMPORT_PER_CONTACT_MAX = 50,
	/* Numbers taken from one export; the rest are dropped with a warning. */
	SIPCID_PHONEBOOK_IMPORT_NUMBERS_MAX = 100000,
	/* Fields in one CSV record (Outlook writes about 90). */
	SIPCID_PHONEBOOK_IMPORT_CSV_FIELDS_MAX = 1024,
};

enum sipcid_phonebook_import_format {
	SIPCID_PHONEBOOK_IMPORT_VCARD,
	SIPCID_PHONEBOOK_IMPORT_GOOGLE_CSV,
	SIPCID_PHONEBOOK_IMPORT_OUTLOOK_CSV,
};

/* One number of one contact, as the export has it. */
struct sipcid_phonebook_import_number {
	char *name;     /* the contact's name, cleaned; "" when the contact has none */
	char *label;    /* "mobile", "home", "work", a custom label...; "" when none */
	char *raw;      /* the number as written */
	char *skip;     /* why it is not a phone number to import (a fax), or NULL */
	unsigned line;  /* where the contact (vCard) or record (CSV) starts */
};

struct sipcid_phonebook_import {
	char *path;
	enum sipcid_phonebook_import_format format;
	unsigned contacts;
	GPtrArray *numbers;   /* struct sipcid_phonebook_import_number *, in file order */
	GPtrArray *warnings;  /* char *, "FILE:LINE: ..." about what was dropped */
	bool full;            /* SIPCID_PHONEBOOK_IMPORT_NUMBERS_MAX reached */
};

/* Reads an export; the format is told by its content. NULL with
 * "FILE:LINE: why" in *error when it is not one or is broken. */
struct sipcid_phonebook_import *sipcid_phonebook_import_read(const char *path, GError **error);
/* The same from text (len bytes, may hold NULs: refused), named `path`. */
struct sipcid_phonebook_import *sipcid_phonebook_import_parse(const char *path, const char *text,
                                                              size_t len, GError **error);
void sipcid_phonebook_import_free(struct sipcid_phonebook_import *imp);
const char *sipcid_phonebook_import_format_name(enum sipcid_phonebook_import_format format);

/* The phonebook name for an imported number: "NAME (LABEL)", or NAME
 * without a label, cut to fit a phonebook name (SIPCID_NAME_MAX). */
void sipcid_phonebook_import_entry_name(const struct sipcid_phonebook_import_number *n,
                                        char *out, size_t size);

enum sipcid_phonebook_import_outcome {
	SIPCID_PHONEBOOK_IMPORT_ADD,       /* a new entry */
	SIPCID_PHONEBOOK_IMPORT_ALREADY,   /* the phonebook has it under this name */
	SIPCID_PHONEBOOK_IMPORT_CONFLICT,  /* the phonebook has it under another name: kept */
	SIPCID_PHONEBOOK_IMPORT_REPLACE,   /* ... and --replace: the import's name wins */
	SIPCID_PHONEBOOK_IMPORT_SKIP,      /* not imported: see reason */
};

struct sipcid_phonebook_import_change {
	enum sipcid_phonebook_import_outcome outcome;
	const struct sipcid_phonebook_import_number *from;  /* in the import */
	char number[SIPCID_NUMBER_MAX];   /* normalised; empty when skipped before that */
	char name[SIPCID_NAME_MAX];       /* the entry's name */
	char *reason;                     /* SKIP: why; CONFLICT/REPLACE/ALREADY: the old entry */
	unsigned phonebook_line;          /* ALREADY, CONFLICT, REPLACE: the old entry's line */
};

struct sipcid_phonebook_import_plan {
	GPtrArray *changes;  /* struct sipcid_phonebook_import_change *, in import order */
	unsigned count[SIPCID_PHONEBOOK_IMPORT_SKIP + 1];
	char *old_text;      /* the phonebook as read ("" when it does not exist yet) */
	char *new_text;      /* what it becomes; NULL when nothing changes */
};

/* Compares the import with the phonebook at `phonebook_path` (missing: empty;
 * one that does not load: an error, as sipcid-rules check would give).
 * `comment` heads the added lines ("# COMMENT"). */
bool sipcid_phonebook_import_plan(const struct sipcid_phonebook_import *imp,
                                  const char *phonebook_path,
                                  const struct sipcid_number_plan *plan, bool replace,
                                  const char *comment,
                                  struct sipcid_phonebook_import_plan *out, GError **error);
/* Writes plan->new_text (if any) over the phonebook atomically, after
 * checking that it loads; false with the phonebook unchanged otherwise. */
bool sipcid_phonebook_import_commit(const char *phonebook_path,
                                    const struct sipcid_phonebook_import_plan *p,
                                    const struct sipcid_number_plan *plan, GError **error);
void sipcid_phonebook_import_plan_clear(struct sipcid_phonebook_import_plan *p);

#endif
