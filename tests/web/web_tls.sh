#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-web under TLS: --make-certificate (ECDSA P-256, ten years, the host
# name, its .local name and the listen address, mode 0640), a server that
# curl verifies against that certificate, the Secure cookie, and the error
# that names what to do when there is no certificate.
# usage: web_tls.sh SIPCID_WEB
set -u
SIPCID_WEB=$1
WEB_TMP=$(mktemp -d)
. "$(dirname "$0")/web_lib.sh"
trap web_cleanup EXIT
port=$(web_free_port)
base=https://127.0.0.1:$port
pass='tls password here'
mkdir "$WEB_TMP/static"
echo '<!DOCTYPE html><title>console</title>' >"$WEB_TMP/static/index.html"
cat >"$WEB_TMP/sipcid.conf" <<CONF
[web]
listen = 127.0.0.1:$port
certificate = $WEB_TMP/web.crt
key = $WEB_TMP/web.key
password-file = $WEB_TMP/web-password
static-dir = $WEB_TMP/static
[log]
database = $WEB_TMP/calls.db
[record]
directory = $WEB_TMP/recordings
CONF
echo "$pass" | "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" --set-password >/dev/null

"$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" >"$WEB_TMP/err" 2>&1
rc=$?
check "without a certificate it refuses to start and says how to make one" \
	'[ $rc = 1 ] && grep -q "sipcid-web --make-certificate" "$WEB_TMP/err" && grep -q "$WEB_TMP/web.crt" "$WEB_TMP/err"'

"$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" --make-certificate >/dev/null
check "--make-certificate writes the certificate and key, mode 0640" \
	'[ "$(stat -c %a "$WEB_TMP/web.crt") $(stat -c %a "$WEB_TMP/web.key")" = "640 640" ]'
text=$(openssl x509 -in "$WEB_TMP/web.crt" -noout -text)
host=$(hostname)
check "the key is ECDSA P-256" 'grep -q "ASN1 OID: prime256v1" <<<"$text" && openssl ec -in "$WEB_TMP/web.key" -noout 2>/dev/null'
check "it names the host name, its .local name and the listen address" \
	'grep -q "DNS:$host, DNS:$host.local, IP Address:127.0.0.1" <<<"$text"'
end=$(date -d "$(openssl x509 -in "$WEB_TMP/web.crt" -noout -enddate | cut -d= -f2)" +%s)
check "it lasts ten years" '[ $(( (end - $(date +%s)) / 86400 )) -ge 3650 ]'
check "it is a server certificate, not a CA" \
	'grep -q "CA:FALSE" <<<"$text" && grep -q "TLS Web Server Authentication" <<<"$text"'

web_start "$WEB_TMP/sipcid.conf" "$base/login" || exit 1
check "curl verifies the server against the certificate" \
	'[ "$(curl -s --cacert "$WEB_TMP/web.crt" -o /dev/null -w %{http_code} $base/login)" = 200 ]'
check "plain HTTP on the TLS port gets no page" \
	'! curl -s --max-time 5 -o /dev/null http://127.0.0.1:$port/login'
curl -s --cacert "$WEB_TMP/web.crt" -D "$WEB_TMP/h" -o /dev/null -c "$WEB_TMP/jar" \
	--data-urlencode "password=$pass" "$base/login"
cookie=$(grep -i '^set-cookie: sipcid_session=' "$WEB_TMP/h" | tr -d '\r')
check "under TLS the cookie is Secure, HttpOnly and SameSite=Strict" \
	'[[ $cookie == *"; HttpOnly"* && $cookie == *"; SameSite=Strict"* && $cookie == *"; Secure"* ]]'
check "/api/session says tls true" \
	'[ "$(curl -s --cacert "$WEB_TMP/web.crt" -b "$WEB_TMP/jar" $base/api/session | jq .tls)" = true ]'
check "a change from the https Origin with the token is accepted" '
	csrf=$(curl -s --cacert "$WEB_TMP/web.crt" -b "$WEB_TMP/jar" $base/api/session | jq -r .csrf)
	[ "$(curl -s --cacert "$WEB_TMP/web.crt" -o /dev/null -w %{http_code} -b "$WEB_TMP/jar" -X POST \
		-H "X-CSRF-Token: $csrf" -H "Origin: $base" $base/logout)" = 303 ]'
check "the http:// Origin of the same host is foreign under TLS" '
	curl -s --cacert "$WEB_TMP/web.crt" -c "$WEB_TMP/jar2" -o /dev/null --data-urlencode "password=$pass" "$base/login"
	csrf=$(curl -s --cacert "$WEB_TMP/web.crt" -b "$WEB_TMP/jar2" $base/api/session | jq -r .csrf)
	[ "$(curl -s --cacert "$WEB_TMP/web.crt" -o /dev/null -w %{http_code} -b "$WEB_TMP/jar2" -X POST \
		-H "X-CSRF-Token: $csrf" -H "Origin: http://127.0.0.1:$port" $base/logout)" = 403 ]'
web_stop; rc=$?
check "sipcid-web stops cleanly on SIGTERM" '[ $rc = 0 ]'
web_done
