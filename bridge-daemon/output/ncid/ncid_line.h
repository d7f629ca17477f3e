/* The NCID lines sipcid sends for a call (NCID API 1.12, docs/ncid.md):
 * which lines an event becomes, and each line's field pairs. Pure
 * formatting, no I/O; safe on any thread.
 *
 * Every line ends with CRLF, as ncidd's do. Caller text never breaks a
 * line's fields: '*' (NCID's field separator) becomes '_', and control
 * characters (none should reach here, lib/call.h) become spaces. */
#ifndef SIPCID_NCID_LINE_H
#define SIPCID_NCID_LINE_H

#include "call.h"
#include "ncid_settings.h"

#include <glib.h>
#include <stdbool.h>

enum { SIPCID_NCID_NAME_MAX_CHARS = 50 };

/* The {CALLTYPE} of a call: "CID" (it rings), "BLK" (dropped: the caller
 * hears ringing) or "HUP" (answered with a reject). */
const char *sipcid_ncid_line_type(const struct sipcid_call *call);

/* CIDINFO: *LINE*…*RING*ring*TIME*hh:mm:ss* */
void sipcid_ncid_line_cidinfo(GString *out, const struct sipcid_ncid_settings *s, int ring,
                              int64_t at_us);
/* TYPE: *DATE*…*TIME*…*LINE*…*NMBR*…*MESG*NONE*NAME*…*; with log, TYPELOG:. */
void sipcid_ncid_line_call(GString *out, const struct sipcid_ncid_settings *s,
                           const struct sipcid_call *call, bool log);
/* END: (or ENDLOG:) for a call in a final state. */
void sipcid_ncid_line_end(GString *out, const struct sipcid_ncid_settings *s,
                          const struct sipcid_call *call, bool log);

/* The lines a live event becomes (docs/ncid.md has the table). */
void sipcid_ncid_line_event(GString *out, const struct sipcid_ncid_settings *s,
                            const struct sipcid_call *call);
/* The log lines of a call log row (its last state) at connect. */
void sipcid_ncid_line_logged(GString *out, const struct sipcid_ncid_settings *s,
                             const struct sipcid_call *call);

#endif
