#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-web over plain HTTP on loopback, with curl: every API route (the
# compiled tables and docs/web-api.md) needs a session; login, wrong
# password, lockout per address (429 even with the right password, logged);
# cookie flags; CSRF token and Origin on every change (403, and the session
# is still there); security headers on every answer; static files without
# traversal, hidden files or listings, with their MIME types; 404/405/413.
# usage: web_server.sh SIPCID_WEB ROUTES_LIST SOURCE_DIR
set -u
SIPCID_WEB=$1; ROUTES_LIST=$2; SRC=$3
WEB_TMP=$(mktemp -d)
. "$(dirname "$0")/web_lib.sh"
trap web_cleanup EXIT
port=$(web_free_port)
base=http://127.0.0.1:$port
pass='correct horse battery'

# A static directory with what a traversal would want to reach outside it.
st=$WEB_TMP/static
mkdir -p "$st/public" "$st/sub"
echo '<!DOCTYPE html><title>console</title>' >"$st/index.html"
echo 'console.log(1);' >"$st/app.js"
echo 'body { color: black; }' >"$st/style.css"
echo 'form { margin: 0; }' >"$st/public/login.css"
echo 'in sub' >"$st/sub/file.txt"
echo 'hidden' >"$st/.hidden"
echo 'OUTSIDE-SECRET' >"$WEB_TMP/outside.txt"
ln -s "$WEB_TMP/outside.txt" "$st/link.txt"
cat >"$WEB_TMP/sipcid.conf" <<CONF
[web]
listen = 127.0.0.1:$port
tls = no
password-file = $WEB_TMP/web-password
login-attempts = 3
lockout-minutes = 1
static-dir = $st
[log]
database = $WEB_TMP/calls.db
[record]
directory = $WEB_TMP/recordings
CONF

# --set-password: one line from stdin (not a terminal), stored as Argon2id.
echo short | "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" --set-password >/dev/null 2>"$WEB_TMP/err"
check "--set-password refuses a short password" '[ $? = 1 ] && [ ! -e "$WEB_TMP/web-password" ] && grep -q "at least 8" "$WEB_TMP/err"'
echo "$pass" | "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" --set-password >/dev/null
check "--set-password stores an Argon2id hash, not the password" \
	'grep -q "^.argon2id.v=19.m=8192,t=5,p=1" "$WEB_TMP/web-password" && ! grep -q "$pass" "$WEB_TMP/web-password" && [ "$(stat -c %a "$WEB_TMP/web-password")" = 640 ]'

web_start "$WEB_TMP/sipcid.conf" "$base/login" || exit 1

# Without a session: pages go to /login, the API answers 401.
check "GET / without a session is 303 to /login" \
	'[ "$(curl -s -o /dev/null -w "%{http_code} %{redirect_url}" $base/)" = "303 $base/login" ]'
check "GET /app.js without a session is 303, not the file" \
	'[ "$(web_status GET $base/app.js)" = 303 ]'
check "GET /login is the login form" \
	'curl -s $base/login | grep -q "name=\"password\""'
check "the login page's public files need no session" \
	'[ "$(curl -s -o /dev/null -w "%{http_code} %{content_type}" $base/public/login.css)" = "200 text/css; charset=utf-8" ]'
{ "$ROUTES_LIST"; grep -o '^| `[A-Z]* /[^` ?]*' "$SRC/docs/web-api.md" | sed 's/^| `//'; } |
	sort -u >"$WEB_TMP/routes"
bad=
while read -r method path; do
	[ "$path" = /login ] && continue
	path=${path//NAME/x.wav}
	case $path in */) path=${path}x ;; esac
	code=$(web_status "$method" "$base$path")
	[ "$code" = 401 ] || bad="$bad $method:$path=$code"
	if [ "$method" = POST ]; then
		code=$(web_status POST "$base$path" -H "X-CSRF-Token: 00" -d a=b)
		[ "$code" = 401 ] || bad="$bad $method+token:$path=$code"
	fi
done <"$WEB_TMP/routes"
check "every route of the tables and docs/web-api.md answers 401 without a session ($(wc -l <"$WEB_TMP/routes") routes)" \
	'[ -z "$bad" ] && [ "$(wc -l <"$WEB_TMP/routes")" -ge 20 ]' || echo "# $bad"

# Login.
check "a wrong password is 401" '[ "$(web_status POST $base/login -d password=wrong)" = 401 ]'
check "the failure is logged with the peer's address" 'grep -q "127.0.0.1: failed login" "$WEB_TMP/log"'
curl -s -D "$WEB_TMP/h" -o /dev/null -c "$WEB_TMP/jar" --data-urlencode "password=$pass" "$base/login"
cookie=$(grep -i '^set-cookie: sipcid_session=' "$WEB_TMP/h" | tr -d '\r')
check "the right password is 303 to / with the session cookie" \
	'grep -q "^HTTP/1.1 303" "$WEB_TMP/h" && grep -qi "^location: $base/\s*$" "$WEB_TMP/h" && [ -n "$cookie" ]'
check "the cookie is HttpOnly, SameSite=Strict, Path=/, and not Secure without TLS" \
	'[[ $cookie == *"; HttpOnly"* && $cookie == *"; SameSite=Strict"* && $cookie == *"; Path=/"* && $cookie != *Secure* ]]'
check "the session id is 32 random bytes" '[[ $cookie =~ sipcid_session=[0-9a-f]{64}\; ]]'
session=$(curl -s -b "$WEB_TMP/jar" "$base/api/session")
csrf=$(echo "$session" | jq -r .csrf)
check "/api/session gives the CSRF token, the version and tls false" \
	'[[ $csrf =~ ^[0-9a-f]{64}$ ]] && [ "$(echo "$session" | jq -c "[.version, .tls, .listen_live]")" = "[\"0.1.0\",false,true]" ]'
check "GET / with the session is the index page" \
	'[ "$(curl -s -b "$WEB_TMP/jar" $base/)" = "<!DOCTYPE html><title>console</title>" ]'
check "a forged cookie is no session" \
	'[ "$(web_status GET $base/api/session -b "sipcid_session=$(printf %064d 0)")" = 401 ]'

# Security headers on every kind of answer.
headers_ok() {  # headers_ok CURL ARGS...: every security header in the answer
	local h
	h=$(curl -s -D - -o /dev/null "$@" | tr -d '\r')
	grep -qxF "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" <<<"$h" &&
	grep -qx "X-Content-Type-Options: nosniff" <<<"$h" && grep -qx "Referrer-Policy: no-referrer" <<<"$h" &&
	grep -qx "X-Frame-Options: DENY" <<<"$h"
}
bad=
for args in "$base/" "$base/login" "$base/api/calls" "-b $WEB_TMP/jar $base/" "-b $WEB_TMP/jar $base/api/session" \
	"-b $WEB_TMP/jar $base/api/nope" "-b $WEB_TMP/jar $base/nope.html" "-b $WEB_TMP/jar -X POST $base/logout" \
	"-d password=wrong $base/login"; do
	# shellcheck disable=SC2086
	headers_ok $args || bad="$bad [$args]"
done
check "CSP, nosniff, no-referrer and DENY on 303, 200, 401, 404, 403 answers" '[ -z "$bad" ]' || echo "# missing on:$bad"

# CSRF: a change needs the session's token and no foreign Origin; refused, nothing runs.
still_in() { [ "$(web_status GET "$base/api/session" -b "$WEB_TMP/jar")" = 200 ]; }
check "POST /logout without the token is 403 and the session stays" \
	'[ "$(web_status POST $base/logout -b "$WEB_TMP/jar")" = 403 ] && still_in'
check "POST /logout with a wrong token is 403 and the session stays" \
	'[ "$(web_status POST $base/logout -b "$WEB_TMP/jar" -H "X-CSRF-Token: $(echo "$csrf" | tr 0-9a-f 1-9a-f0)")" = 403 ] && still_in'
check "POST with another session's token length is 403" \
	'[ "$(web_status POST $base/logout -b "$WEB_TMP/jar" -H "X-CSRF-Token: ${csrf}00")" = 403 ] && still_in'
check "the refusal is logged" 'grep -q "without the session.s CSRF token" "$WEB_TMP/log"'
check "the right token from a foreign Origin is 403 and the session stays" \
	'[ "$(web_status POST $base/logout -b "$WEB_TMP/jar" -H "X-CSRF-Token: $csrf" -H "Origin: http://evil.example")" = 403 ] && still_in'
check "the right token from a cross-site fetch (Sec-Fetch-Site) is 403" \
	'[ "$(web_status POST $base/logout -b "$WEB_TMP/jar" -H "X-CSRF-Token: $csrf" -H "Sec-Fetch-Site: cross-site")" = 403 ] && still_in'
check "a login posted from a foreign Origin is 403 and makes no session" \
	'[ "$(curl -s -D - -o /dev/null -H "Origin: http://evil.example" --data-urlencode "password=$pass" $base/login | tr -d "\r" | grep -c -e "^HTTP/1.1 403" -e "^Set-Cookie")" = 1 ]'
check "a method the API path does not take is 405" \
	'[ "$(web_status POST $base/api/session -b "$WEB_TMP/jar" -H "X-CSRF-Token: $csrf")" = 405 ]'
check "an unknown API path is 404 with a JSON error" \
	'[ "$(curl -s -b "$WEB_TMP/jar" $base/api/nope | jq -r .error)" = "No such address." ]'

# Static files: only inside the directory; no hidden files, no listing.
bad=
for p in /../outside.txt /%2e%2e/outside.txt /..%2foutside.txt /sub/../../outside.txt \
	/sub/%2e%2e/%2e%2e/outside.txt /link.txt /.hidden /sub/ /sub /%00 "/index.html%00.js"; do
	out=$(curl -s --path-as-is -b "$WEB_TMP/jar" -w '\n%{http_code}' "$base$p")
	code=${out##*$'\n'}
	case $code in 4??) ;; *) bad="$bad $p=$code" ;; esac
	[[ $out == *OUTSIDE-SECRET* || $out == *hidden* || $out == *file.txt* ]] && bad="$bad $p:leaked"
done
check "traversal, a link out, hidden files and directory listings are refused" '[ -z "$bad" ]' || echo "# $bad"
check "a file in a subdirectory is served" '[ "$(curl -s -b "$WEB_TMP/jar" $base/sub/file.txt)" = "in sub" ]'
check "MIME types: JavaScript and CSS" \
	'[ "$(curl -s -o /dev/null -w %{content_type} -b "$WEB_TMP/jar" $base/app.js)" = "text/javascript; charset=utf-8" ] &&
	 [ "$(curl -s -o /dev/null -w %{content_type} -b "$WEB_TMP/jar" $base/style.css)" = "text/css; charset=utf-8" ]'
head -c 100000 /dev/zero | tr '\0' a >"$WEB_TMP/big"
check "a large body without a session is refused before it is read (413)" \
	'[ "$(web_status POST $base/login --data-binary @"$WEB_TMP/big")" = 413 ]'

# Logout with the token and the own Origin.
check "POST /logout with the token and the own Origin ends the session" \
	'[ "$(web_status POST $base/logout -b "$WEB_TMP/jar" -H "X-CSRF-Token: $csrf" -H "Origin: $base")" = 303 ] && ! still_in'

# Lockout: login-attempts = 3 failures from one address, then 429 even with
# the right password; another address is not locked out. A success first
# clears the failures made above.
codes="$(web_status POST $base/login --data-urlencode "password=$pass") "
for _ in 1 2 3; do codes="$codes$(web_status POST $base/login -d password=wrong) "; done
codes="$codes$(web_status POST $base/login --data-urlencode "password=$pass")"
check "three failures, then the right password is 429" '[ "$codes" = "303 401 401 401 429" ]' || echo "# $codes"
check "the lockout is logged with the address" 'grep -q "127.0.0.1: login refused: too many failed logins" "$WEB_TMP/log"'
check "another address still logs in" \
	'[ "$(web_status POST $base/login --interface 127.0.0.2 --data-urlencode "password=$pass")" = 303 ]'
# No password file: every login fails (after the same work as a check), and
# the log says what to do.
mv "$WEB_TMP/web-password" "$WEB_TMP/web-password.away"
check "without a password file the right password is 401" \
	'[ "$(web_status POST $base/login --interface 127.0.0.4 --data-urlencode "password=$pass")" = 401 ]'
check "and the log says to run --set-password" 'grep -q "no password to check against.*run sipcid-web --set-password" "$WEB_TMP/log"'
mv "$WEB_TMP/web-password.away" "$WEB_TMP/web-password"
check "--set-password takes effect at the next login, no restart" '
	echo "another password 2" | "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" --set-password >/dev/null &&
	[ "$(web_status POST $base/login --interface 127.0.0.5 --data-urlencode "password=another password 2")" = 303 ]'

# Memory: each check takes 8 MiB for a moment and gives it back; the
# console stays within its 20 MiB, even at its peak (tripled under
# AddressSanitizer, whose shadow memory and quarantine sipcid-web does not
# control).
for i in 1 2 3; do
	curl -s -o /dev/null --interface 127.0.0.$((10 + i)) -d password=wrong "$base/login" &
done
wait $(jobs -p | grep -v "^$WEB_PID$") 2>/dev/null
limit=20480
ldd "$SIPCID_WEB" 2>/dev/null | grep -q libasan && limit=$((limit * 3))
rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$WEB_PID/status")
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$WEB_PID/status")
echo "# sipcid-web RSS after logins: $rss kB (peak $hwm kB, limit $limit kB)"
check "after three checks at once, the resident size is back under $limit kB" '[ "$rss" -le $limit ]'
check "and it never went above $limit kB, not even during the checks" '[ "$hwm" -le $limit ]'

web_stop; rc=$?
check "sipcid-web stops cleanly on SIGTERM" '[ $rc = 0 ]'
web_done
