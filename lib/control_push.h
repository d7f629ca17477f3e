/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A stream the daemon pushes to: the connection of a control-socket client
 * that stays open (`watch`, `listen`), written from the main loop without
 * ever blocking it.
 *
 * Writes go out at once as far as the socket takes them (non-blocking,
 * GPollableOutputStream); the rest waits in a buffer that a writable-source
 * drains. A client that lets the buffer grow beyond its bound is too slow:
 * the write that would pass the bound fails and the owner drops the client.
 * The daemon never waits for a client. A client that closes its end, or
 * whose socket fails, is reported through the gone callback. */
#ifndef SIPCID_CONTROL_PUSH_H
#define SIPCID_CONTROL_PUSH_H

#include <gio/gio.h>
#include <stdbool.h>
#include <stddef.h>

struct sipcid_control_push;

/* The client went away or its socket failed (why: in words, for the log).
 * Called from the main loop's dispatch, never from inside a write; the owner
 * may free the push from it. */
typedef void (*sipcid_control_push_gone_fn)(void *ctx, const char *why);

/* Takes a reference to conn. max_buffered: the bytes a client may be behind. */
struct sipcid_control_push *sipcid_control_push_new(GSocketConnection *conn, size_t max_buffered,
                                                    sipcid_control_push_gone_fn gone, void *ctx);
/* False when the client is too slow (what it has not read and this would pass
 * max_buffered) or its socket failed; nothing of data is queued then, and
 * the owner should free the push. */
bool sipcid_control_push_write(struct sipcid_control_push *p, const void *data, size_t len);
/* Bytes written to the push and not yet taken by the socket. */
size_t sipcid_control_push_pending(const struct sipcid_control_push *p);
/* Closes the connection (what is still buffered is lost). NULL is fine. */
void sipcid_control_push_free(struct sipcid_control_push *p);

#endif
