#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The web console in a real browser (issue 17): sipcidd on a real bridge
# with NFQUEUE and the recorder's NFLOG copy, sipcid-web beside it on the
# bridge's address (plain HTTP: TLS is tests/web's), baresip as the phone,
# SIPp and baresip as callers, and Debian's chromium driven by
# playwright-core (tests/web/browser/console.test.mjs) in the bridge's
# namespace. One chromium for every check; the calls are placed by
# web_console_ctl.sh when the browser test asks. Screenshots of every tab at
# 390x844 and 1280x800 go to $SIPCID_BUILD/meson-logs/screenshots/console/.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq sipp baresip sox soxi node
SIPCID_WEB=${SIPCID_WEB:-$LAB_BUILD/web/sipcid-web}
SIPCID_RULES=${SIPCID_RULES:-$LAB_BUILD/rules/sipcid-rules}
[ -x "$SIPCID_WEB" ] || lab_fail "no sipcid-web at $SIPCID_WEB"
[ -x /usr/bin/chromium ] || lab_fail "no /usr/bin/chromium (package chromium, tests/deps-debian.txt)"
bash "$LAB_SRC/tests/web/browser/install.sh" || lab_fail "playwright-core is not installed (tests/web/browser/install.sh)"
SHOTS=$LAB_BUILD/meson-logs/screenshots/console
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

lab_setup
lab_firewall --nflog-group $LAB_NFLOG_GROUP up >/dev/null || lab_fail "sipcid-firewall up"
LAB_RECDIR=$LAB_TMP/state/recordings
WEB_PORT=8080
BASE=http://$LAB_BRIDGE_IP:$WEB_PORT
PASSWORD="lab password $RANDOM$RANDOM"
LOGIN_ATTEMPTS=2

# The household's rules: a known nuisance is blocked, the tone caller is
# recorded (so Listen Live may play it), everyone else rings.
cat >"$LAB_TMP/rules" <<RULES
# the web console lab
block number +15559990000
record number +15553330000
allow *
RULES
: >"$LAB_TMP/phonebook"
cat >"$LAB_TMP/sipcid.conf" <<CONF
[rules]
rules = $LAB_TMP/rules
phonebook = $LAB_TMP/phonebook
[log]
database = $LAB_TMP/state/calls.db
[record]
nflog-group = $LAB_NFLOG_GROUP
directory = $LAB_RECDIR
[web]
listen = $LAB_BRIDGE_IP:$WEB_PORT
tls = no
password-file = $LAB_TMP/web-password
static-dir = $LAB_SRC/web/static
login-attempts = $LOGIN_ATTEMPTS
lockout-minutes = 1
CONF
lab_sipcidd --no-notify -c "$LAB_TMP/sipcid.conf"

printf '%s\n' "$PASSWORD" | "$SIPCID_WEB" --config "$LAB_TMP/sipcid.conf" --set-password \
	>"$LAB_TMP/set-password.out" 2>&1 || lab_fail "sipcid-web --set-password: $(cat "$LAB_TMP/set-password.out")"
LAB_ERR=$LAB_TMP/web.log lab_start bridge "$LAB_TMP/web.out" "$SIPCID_WEB" --config "$LAB_TMP/sipcid.conf" \
	--control-socket "$LAB_CONTROL" --sipcid-rules "$SIPCID_RULES"
WEB_PID=$LAB_PID
lab_wait_for "sipcid-web to listen on $LAB_BRIDGE_IP:$WEB_PORT" 100 eval \
	"lab_bridge ss -Htln | grep -qF '$LAB_BRIDGE_IP:$WEB_PORT'"

# The phone: bob answers every call at once (the calls that should ring
# do, and the log shows each one it saw).
lab_ringing_phone 170 auto

export LAB_NS_PROV LAB_NS_BRIDGE LAB_NS_PHONE LAB_TMP LAB_RECDIR SIPCID_SRC
export WEB_CTL="$LAB_SRC/tests/lab/web_console_ctl.sh"
export WEB_LOGIN_ATTEMPTS=$LOGIN_ATTEMPTS
lab_bridge node "$LAB_SRC/tests/web/browser/console.test.mjs" "$BASE" "$PASSWORD" "$SHOTS"
rc=$?
echo "the whole test: $SECONDS s"
kill -0 "$WEB_PID" 2>/dev/null || lab_fail "sipcid-web died: $(tail -5 "$LAB_TMP/web.log")"
kill -0 "$LAB_SIPCIDD_PID" 2>/dev/null || lab_fail "sipcidd died: $(tail -5 "$LAB_TMP/sipcidd.log")"
grep -q "failed login" "$LAB_TMP/web.log" || lab_fail "sipcid-web logged no failed login"
echo "screenshots: $(find "$SHOTS" -name '*.png' | wc -l) in $SHOTS"
[ $rc = 0 ] || lab_fail "the browser test failed (sipcid-web's log: $LAB_TMP/web.log)"
lab_stop "$WEB_PID" || lab_fail "sipcid-web did not stop cleanly: $(tail -5 "$LAB_TMP/web.log")"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(tail -5 "$LAB_TMP/sipcidd.log")"
echo "PASS: the web console in chromium against sipcid-web and sipcidd on a real bridge"
