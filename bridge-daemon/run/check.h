/* sipcidd --check: loads the configuration, the rule file, the phonebook and
 * the [notify] key file exactly as live mode would, and binds, opens and
 * sends nothing. For systemd's ExecStartPre/ExecReload and for people
 * editing the files: an error names FILE:LINE. */
#ifndef SIPCID_CHECK_H
#define SIPCID_CHECK_H

#include "options.h"

/* Prints one line, "configuration OK: ..." on stdout or what is wrong on
 * stderr. Returns the exit status: 0 when everything loads, 1 when not. */
int sipcid_check_run(const struct sipcid_options *opts);

#endif
