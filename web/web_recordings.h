/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The recordings directory ([record] directory) as the web console sees it
 * (docs/web-api.md): the list with each file's size, time and length and the
 * call it recorded, one file to play, a file deleted. Without HTTP, so tests
 * run it alone; web_api_recordings.c is the route glue.
 *
 * A name comes from the network: it is only ever a file name in the
 * directory (no '/', no leading '.', the characters and endings the recorder
 * gives its files, record_name.h), opened relative to the directory with
 * O_NOFOLLOW, and it must be a regular file. Anything else is "not found". */
#ifndef SIPCID_WEB_RECORDINGS_H
#define SIPCID_WEB_RECORDINGS_H

#include <glib.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* Whether name could be a recording's file name. */
bool sipcid_web_recordings_name_ok(const char *name);

/* The name of the recording at path (a call log's "recording") when that
 * file is still a recording in the directory dirfd; NULL otherwise. */
char *sipcid_web_recordings_name_of(int dirfd, const char *path);

/* A WAV file's length in seconds from its first bytes (RIFF chunks: "fmt "
 * gives the bytes per second, "data" the length; a data chunk longer than
 * the file, as an unfinished file has, counts what is there). False when
 * head is not a WAV header this can read. */
bool sipcid_web_recordings_wav_seconds(const guint8 *head, size_t len, uint64_t file_size,
                                       double *seconds);

/* Appends {"recordings": [...], "used_bytes": N, "budget_bytes": N or null},
 * newest first; each {"name", "bytes", "time", "seconds" (null unless a WAV
 * file), "call" (the call log's row, or null)}. db may be NULL (no call log
 * yet); budget_mb 0: no budget. False with error when the directory cannot be
 * read (G_IO_ERROR_NOT_FOUND: it does not exist). */
bool sipcid_web_recordings_list_json(const char *dir, long budget_mb, sqlite3 *db, GString *out,
                                     GError **error);

/* The whole file, mapped, and its content type. NULL with
 * G_IO_ERROR_NOT_FOUND for a name that is not a recording in dir. */
GBytes *sipcid_web_recordings_open(const char *dir, const char *name, const char **content_type,
                                   GError **error);

/* Deletes one recording. False with G_IO_ERROR_NOT_FOUND as above, or the
 * system's reason. */
bool sipcid_web_recordings_delete(const char *dir, const char *name, GError **error);

#endif
