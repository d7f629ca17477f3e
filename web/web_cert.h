/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `sipcid-web --make-certificate`: a self-signed certificate for the console
 * (GnuTLS): ECDSA P-256, ten years, named for the box's host name, its
 * .local name and the bridge's addresses, so a browser that is told to trust
 * it once keeps trusting it at any of these names. */
#ifndef SIPCID_WEB_CERT_H
#define SIPCID_WEB_CERT_H

#include <glib.h>
#include <stdbool.h>

/* addresses: IP address texts for the certificate's names (may be empty).
 * Writes key and certificate (PEM) atomically, mode 0640; run as root, owned
 * by root and group `group` when that group exists. */
bool sipcid_web_cert_make(const char *cert_path, const char *key_path,
                          const char *const *addresses, const char *group, GError **error);

#endif
