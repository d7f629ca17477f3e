/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "web_cert.h"
#include "web_file.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEN_YEARS ((time_t)3653 * 24 * 3600)

static bool gnutls_ok(int rc, const char *what, GError **error)
{
	if (rc >= 0)
		return true;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, gnutls_strerror(rc));
	return false;
}

/* root:GROUP 0640: sipcid-web (group sipcid) reads the key, nobody else. */
static bool write_private(const char *path, const gnutls_datum_t *data, const char *group,
                          GError **error)
{
	struct group *gr = group ? getgrnam(group) : NULL;
	return sipcid_web_file_replace(path, data->data, data->size, 0, gr ? gr->gr_gid : (gid_t)-1,
	                               error);
}

static bool add_names(gnutls_x509_crt_t crt, const char *const *addresses, GError **error)
{
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0 || !host[0])
		g_strlcpy(host, "sipcid", sizeof host);
	g_autofree char *local = g_str_has_suffix(host, ".local") ? NULL
	                                                          : g_strconcat(host, ".local", NULL);
	if (!gnutls_ok(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, host,
	                                             (unsigned)strlen(host)),
	               "the certificate's name", error) ||
	    !gnutls_ok(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, host,
	                                                    (unsigned)strlen(host), GNUTLS_FSAN_APPEND),
	               "the certificate's host name", error))
		return false;
	if (local && !gnutls_ok(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, local,
	                                                             (unsigned)strlen(local),
	                                                             GNUTLS_FSAN_APPEND),
	                        "the certificate's .local name", error))
		return false;
	for (const char *const *a = addresses; a && *a; a++) {
		unsigned char bytes[16];
		unsigned len = 0;
		if (inet_pton(AF_INET, *a, bytes) == 1)
			len = 4;
		else if (inet_pton(AF_INET6, *a, bytes) == 1)
			len = 16;
		if (len && !gnutls_ok(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
		                                                           bytes, len,
		                                                           GNUTLS_FSAN_APPEND),
		                      "the certificate's address", error))
			return false;
	}
	return true;
}

bool sipcid_web_cert_make(const char *cert_path, const char *key_path,
                          const char *const *addresses, const char *group, GError **error)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t key_pem = { 0 }, crt_pem = { 0 };
	unsigned char serial[16];
	time_t now = time(NULL);
	gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial);
	serial[0] &= 0x7f;  /* a positive number */
	bool ok =
		gnutls_ok(gnutls_x509_privkey_init(&key), "a key", error) &&
		gnutls_ok(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
		                                       GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
		          "generating the key", error) &&
		gnutls_ok(gnutls_x509_crt_init(&crt), "a certificate", error) &&
		gnutls_ok(gnutls_x509_crt_set_version(crt, 3), "the version", error) &&
		gnutls_ok(gnutls_x509_crt_set_serial(crt, serial, sizeof serial), "the serial", error) &&
		/* An hour back: a box whose clock is a little behind the browser's. */
		gnutls_ok(gnutls_x509_crt_set_activation_time(crt, now - 3600), "the start", error) &&
		gnutls_ok(gnutls_x509_crt_set_expiration_time(crt, now + TEN_YEARS), "the end", error) &&
		gnutls_ok(gnutls_x509_crt_set_key(crt, key), "the key", error) &&
		add_names(crt, addresses, error) &&
		gnutls_ok(gnutls_x509_crt_set_basic_constraints(crt, 0, -1), "the constraints", error) &&
		gnutls_ok(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "the usage",
		          error) &&
		gnutls_ok(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
		          "the purpose", error) &&
		gnutls_ok(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0), "signing", error) &&
		gnutls_ok(gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &key_pem),
		          "exporting the key", error) &&
		gnutls_ok(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &crt_pem),
		          "exporting the certificate", error) &&
		write_private(key_path, &key_pem, group, error) &&
		write_private(cert_path, &crt_pem, group, error);
	if (key_pem.data) {
		gnutls_memset(key_pem.data, 0, key_pem.size);
		gnutls_free(key_pem.data);
	}
	gnutls_free(crt_pem.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	return ok;
}
