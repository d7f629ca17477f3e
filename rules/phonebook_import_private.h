/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the export readers (phonebook_import_vcard.c, phonebook_import_csv.c)
 * share with phonebook_import.c. */
#ifndef SIPCID_PHONEBOOK_IMPORT_PRIVATE_H
#define SIPCID_PHONEBOOK_IMPORT_PRIVATE_H

#include "phonebook_import.h"

/* The contact being read: numbers are counted against the per-contact cap. */
struct phonebook_import_contact {
	char *name;     /* cleaned; NULL or "" when it has none */
	unsigned line;
	unsigned taken;
};

/* Adds one number of `c` (label may be NULL), within the caps. */
void sipcid_phonebook_import_add(struct sipcid_phonebook_import *imp,
                                 struct phonebook_import_contact *c, const char *label,
                                 const char *raw);
/* A label as people read it: Apple's _$!<Mobile>!$_ and Google's "* Mobile"
 * unwrapped, the usual words (cell, iPhone, business...) said one way in
 * lower case, others kept as written. */
char *sipcid_phonebook_import_label(const char *in);
/* Cleaned display text (sipcid_text_clean), at most SIPCID_NAME_MAX * 2 bytes. */
char *sipcid_phonebook_import_clean(const char *in, size_t len);

/* The readers: fill imp->numbers, or fail with "FILE:LINE: why". */
bool sipcid_phonebook_import_vcard(struct sipcid_phonebook_import *imp, const char *text,
                                   size_t len, GError **error);
bool sipcid_phonebook_import_csv(struct sipcid_phonebook_import *imp, const char *text,
                                 size_t len, GError **error);

#endif
