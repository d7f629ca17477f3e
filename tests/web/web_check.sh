#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-web --check: 0 for a good configuration; 1 for a bad one, with
# FILE:LINE of the bad value and words about what was expected. Also the
# groups it reads beside [web] ([log], [record], [rules]).
# usage: web_check.sh SIPCID_WEB
set -u
SIPCID_WEB=$1
WEB_TMP=$(mktemp -d)
. "$(dirname "$0")/web_lib.sh"
trap web_cleanup EXIT
conf=$WEB_TMP/sipcid.conf

# bad_value GROUP LINE_TEXT: the line as line 3 of a file; --check must fail naming conf:3.
bad_value() {
	printf '# a configuration\n[%s]\n%s\n' "$1" "$2" >"$conf"
	"$SIPCID_WEB" --check --config "$conf" >"$WEB_TMP/out" 2>"$WEB_TMP/err"
	local rc=$?
	[ $rc = 1 ] && grep -q "^sipcid-web: $conf:3: \[$1\]" "$WEB_TMP/err" && [ ! -s "$WEB_TMP/out" ] ||
		{ echo "# rc $rc: $(cat "$WEB_TMP/err")"; return 1; }
}

printf '[web]\nlisten = 192.168.1.2, [fd00::2]:8443, 10.0.0.1:9443\ntls = no\nsession-hours = 24\n' >"$conf"
check "a good [web] passes" '"$SIPCID_WEB" --check --config "$conf" | grep -q "good"'
check "no file at all is the defaults, and good" \
	'"$SIPCID_WEB" --check --config /dev/null >/dev/null'
check "an unknown key names FILE:LINE" 'bad_value web "sesion-hours = 3"'
check "a listen entry that is not an address names FILE:LINE" 'bad_value web "listen = my-box:8443"'
check "a port out of range names FILE:LINE" 'bad_value web "listen = 192.168.1.2:70000"'
check "an empty listen names FILE:LINE" 'bad_value web "listen = ,"'
check "tls must be a boolean" 'bad_value web "tls = maybe"'
check "session-hours 0 names FILE:LINE" 'bad_value web "session-hours = 0"'
check "login-attempts must be a number" 'bad_value web "login-attempts = five"'
check "a relative certificate path names FILE:LINE" 'bad_value web "certificate = web.crt"'
check "a relative static-dir names FILE:LINE" 'bad_value web "static-dir = web"'
check "[log] database is checked as sipcidd does" 'bad_value log "database = calls.db"'
check "[record] directory is checked as sipcidd does" 'bad_value record "directory = rec"'
check "[rules] rules must be an absolute path" 'bad_value rules "rules = rules"'
check "the message says what was expected" 'bad_value web "listen = box" && grep -q "like 192.168.1.2:8443" "$WEB_TMP/err"'
"$SIPCID_WEB" --check --config "$WEB_TMP/missing.conf" 2>"$WEB_TMP/err"; rc=$?
check "a missing file named with --config is an error" '[ $rc = 1 ] && grep -q missing.conf "$WEB_TMP/err"'
web_done
