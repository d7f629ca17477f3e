#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The web console's block button reaches sipcidd without a restart (issue
# 17): a caller rings; POST /api/numbers/block on sipcid-web (which asks
# sipcid-rules) writes the rule; sipcidd's file watch reloads it, and the
# caller's next INVITE across the bridge is blocked, busy. Then a broken rule
# file saved from the editor is refused with its line (422), the file stays
# as it was, and the block is still in force. sipcid-web runs in the bridge
# namespace, on its own loopback.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq curl
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

caller=+15557770001
web=http://127.0.0.1:8080
printf '# the household'"'"'s rules\nallow *\n' >"$LAB_TMP/rules"
mkdir -p "$LAB_TMP/static"
cat >"$LAB_TMP/sipcid.conf" <<CONF
[rules]
rules = $LAB_TMP/rules
[web]
listen = 127.0.0.1:8080
tls = no
password-file = $LAB_TMP/web-password
static-dir = $LAB_TMP/static
CONF
lab_sipcidd --config "$LAB_TMP/sipcid.conf"

SIPCID_WEB=${SIPCID_WEB:-$LAB_BUILD/web/sipcid-web}
echo 'lab web password' | "$SIPCID_WEB" --config "$LAB_TMP/sipcid.conf" --set-password >/dev/null ||
	lab_fail "sipcid-web --set-password"
LAB_ERR=$LAB_TMP/web.log lab_start bridge "$LAB_TMP/web.log" "$SIPCID_WEB" \
	--config "$LAB_TMP/sipcid.conf" --sipcid-rules "$LAB_BUILD/rules/sipcid-rules"
lab_wait_for "sipcid-web to answer" 100 lab_bridge curl -sf -o /dev/null "$web/login"
lab_bridge curl -s -c "$LAB_TMP/jar" -o /dev/null --data-urlencode 'password=lab web password' "$web/login"
csrf=$(lab_bridge curl -s -b "$LAB_TMP/jar" "$web/api/session" | jq -r .csrf)
[ -n "$csrf" ] && [ "$csrf" != null ] || lab_fail "no session: $(cat "$LAB_TMP/web.log")"
post() {  # post PATH CURL-ARGS...: the body in $LAB_TMP/body; prints the status
	local path=$1
	shift
	lab_bridge curl -s -b "$LAB_TMP/jar" -H "X-CSRF-Token: $csrf" -o "$LAB_TMP/body" \
		-w '%{http_code}' --max-time 30 "$@" "$web$path"
}
call() {  # call CALL_ID: the caller's INVITE from the provider; waits for its event
	lab_net sip INVITE --call-id "$1" --from-user "$caller" >"$LAB_TMP/$1"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$LAB_TMP/$1"
	lab_wait_for "the announcement of $1" 50 eval \
		"[ \"\$(lab_events_matching '.event == \"call\" and .call_id == \"$1\"')\" = 1 ]"
}
blocked_busy() { [ "$(lab_events_matching ".call_id == \"$1\" and .action == \"block\" and .state == \"blocked\" and .outcome == \"busy\"")" = 1 ]; }

call first@lab
[ "$(lab_events_matching '.call_id == "first@lab" and .action == "allow"')" = 1 ] ||
	lab_fail "the first call was not allowed: $(cat "$LAB_TMP/events.json")"

code=$(post /api/numbers/block --data-urlencode "number=$caller" -d outcome=busy)
[ "$code" = 200 ] || lab_fail "block answered $code: $(cat "$LAB_TMP/body")"
grep -qx "reject busy number $caller" "$LAB_TMP/rules" || lab_fail "no rule in: $(cat "$LAB_TMP/rules")"
lab_wait_for "sipcidd to reload the rules" 100 grep -q "rules reloaded: 2 rules" "$LAB_TMP/sipcidd.log"
call second@lab
blocked_busy second@lab || lab_fail "the caller's next call was not blocked busy: $(cat "$LAB_TMP/events.json")"

cp "$LAB_TMP/rules" "$LAB_TMP/rules.before"
code=$(post /api/rules --data-urlencode $'text=allow *\nblok everyone\n')
[ "$code" = 422 ] || lab_fail "a broken rule file was answered $code: $(cat "$LAB_TMP/body")"
[ "$(jq -c '[.errors[] | [.line, .column]]' "$LAB_TMP/body")" = '[[2,1]]' ] ||
	lab_fail "the error does not name line 2, column 1: $(cat "$LAB_TMP/body")"
cmp -s "$LAB_TMP/rules" "$LAB_TMP/rules.before" || lab_fail "the refused save changed the file"
call third@lab
blocked_busy third@lab || lab_fail "after the refused save the block is gone: $(cat "$LAB_TMP/events.json")"
grep -q "127.0.0.1: blocked $caller, busy" "$LAB_TMP/web.log" || lab_fail "the block was not logged: $(cat "$LAB_TMP/web.log")"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
echo "PASS: a block from the web console was in force at the next call, with no restart; a broken save changed nothing"
