/* The NCID-compatible server ([ncid], docs/ncid.md): NCID's clients
 * (Android, Windows, macOS, Kodi, ncid) connect over TCP and get each call
 * as NCID API 1.12 lines, and the recent call log when they connect.
 *
 * An output stage (lib/output.h): it runs on the main loop's thread and never
 * blocks it. Sockets are non-blocking; a client that does not read has its
 * lines kept up to a bound, then is dropped; the call log is read on a
 * worker thread. Clients are bounded in number, in line length and in the
 * time a started line may take. */
#ifndef SIPCID_NCID_H
#define SIPCID_NCID_H

#include "calllog_settings.h"
#include "ncid_settings.h"
#include "output.h"

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIPCID_NCID_LINE_IN_MAX = 1024,           /* a longer client line drops the client */
	SIPCID_NCID_PENDING_MAX = 256 * 1024,     /* unsent bytes before a slow reader is dropped */
	SIPCID_NCID_SNDBUF = 64 * 1024,           /* each client socket's kernel send buffer */
	SIPCID_NCID_LINE_TIMEOUT_S = 10,          /* a started client line must end within this */
	SIPCID_NCID_HELLO_MS = 500,               /* how long HELLO: lines are awaited */
};

/* Listens on s->listen_host:listen_port. log: where the call log is read
 * from at connect (read-only). Errors (the address is taken) in plain words. */
struct sipcid_output *sipcid_ncid_open(const struct sipcid_ncid_settings *s,
                                       const struct sipcid_calllog_settings *log, GError **error);

/* For tests and the benchmark (tests/ncid/ncid_serve.c). */
uint16_t sipcid_ncid_port(const struct sipcid_output *o);
unsigned sipcid_ncid_clients(const struct sipcid_output *o);     /* fully started */
size_t sipcid_ncid_pending(const struct sipcid_output *o);       /* unsent bytes, all clients */

#endif
