# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by web_rules_api.sh, web_book_api.sh and web_numbers_api.sh: a
# sipcid-web of the test's own on loopback (plain HTTP), with a rule file, a
# phonebook and a [lists] list in $WEB_TMP, the real sipcid-rules, and a
# logged-in session. Source it with SIPCID_WEB and SIPCID_RULES set.
WEB_TMP=$(mktemp -d)
. "$(dirname "$0")/web_lib.sh"
trap web_cleanup EXIT
port=$(web_free_port)
base=http://127.0.0.1:$port
jar=$WEB_TMP/cookies
printf '+15550009999\n' >"$WEB_TMP/spam.txt"
printf '# the household\nblock list spam\nallow name Mom\n' >"$WEB_TMP/rules"
printf '+15550001111 "Ann"\n' >"$WEB_TMP/phonebook"
mkdir "$WEB_TMP/static"
SIPCID_RULES=$(realpath "$SIPCID_RULES")
cat >"$WEB_TMP/sipcid.conf" <<CONF
[web]
listen = 127.0.0.1:$port
tls = no
password-file = $WEB_TMP/web-password
static-dir = $WEB_TMP/static
[numbers]
country = US
[rules]
rules = $WEB_TMP/rules
phonebook = $WEB_TMP/phonebook
[lists]
spam = $WEB_TMP/spam.txt
[log]
database = $WEB_TMP/calls.db
CONF
echo 'edit test password' | "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" --set-password >/dev/null ||
	{ echo "Bail out! --set-password failed"; exit 1; }
web_start "$WEB_TMP/sipcid.conf" "$base/login" --sipcid-rules "$SIPCID_RULES" || exit 1
curl -s -c "$jar" -o /dev/null --data-urlencode 'password=edit test password' "$base/login"
csrf=$(curl -s -b "$jar" "$base/api/session" | jq -r .csrf)
[ -n "$csrf" ] && [ "$csrf" != null ] || { echo "Bail out! no session"; exit 1; }

# api METHOD PATH [CURL ARGS...]: the body in $WEB_TMP/body, prints the status.
api() {
	local method=$1 path=$2
	shift 2
	curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -o "$WEB_TMP/body" -w '%{http_code}' \
		-X "$method" --max-time 30 "$@" "$base$path"
}
body() { jq -r "$1" "$WEB_TMP/body"; }
keep() { cp "$WEB_TMP/$1" "$WEB_TMP/$1.before"; }
same() { cmp -s "$WEB_TMP/$1" "$WEB_TMP/$1.before"; }
decide() { "$SIPCID_RULES" test -c "$WEB_TMP/sipcid.conf" --number "$1"; }
# logged PATTERN: sipcid-web logged a line matching PATTERN (grep -E)
logged() { grep -Eq "$1" "$WEB_TMP/log"; }
# The end: sipcid-web stops cleanly on SIGTERM (exit 0: under AddressSanitizer
# also no leak), then the TAP plan.
web_edit_done() {
	check "sipcid-web stops cleanly" 'web_stop' || sed 's/^/#   /' "$WEB_TMP/log" | tail -20
	web_done
}
