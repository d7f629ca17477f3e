#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `sipcidd --status` reads the running daemon's counters over the control
# socket: packets and verdicts, calls, and the kernel's queue counters.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
SIPCIDD=${SIPCIDD:-$LAB_BUILD/bridge-daemon/sipcidd}
"$SIPCIDD" --status --control-socket "$LAB_TMP/none.sock" >/dev/null 2>"$LAB_TMP/err" &&
	lab_fail "--status succeeded with no daemon running"
grep -q "not running" "$LAB_TMP/err" || lab_fail "--status without a daemon said: $(cat "$LAB_TMP/err")"

lab_sipcidd
for i in 1 2 3; do
	lab_net sip INVITE --call-id "status-$i@lab" >"$LAB_TMP/invite$i"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$LAB_TMP/invite$i"
done
lab_net sip OPTIONS --call-id opt@lab >"$LAB_TMP/options"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count 7 $LAB_PHONE_IP 5060 "$LAB_TMP/options"
lab_wait_for "3 calls announced" 100 eval '[ "$(lab_events_matching ".kind == \"call\" or .event == \"call\"")" -ge 3 ]'

status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }
value() { status | awk -v k="$1:" '$1 == k { print $2 }'; }
lab_wait_for "10 packets counted" 50 eval '[ "$(value packets)" = 10 ]'
status
[ "$(value accepted)" = 10 ] || lab_fail "accepted: $(value accepted), expected 10"
[ "$(value dropped)" = 0 ] || lab_fail "dropped: $(value dropped), expected 0"
[ "$(value calls)" = 3 ] || lab_fail "calls: $(value calls), expected 3"
[ "$(value invites)" = 3 ] || lab_fail "invites: $(value invites), expected 3"
[ "$(value queue-id-sequence)" = 10 ] || lab_fail "queue-id-sequence: $(value queue-id-sequence), expected 10"
[ "$(value queue-waiting)" = 0 ] || lab_fail "queue-waiting: $(value queue-waiting)"
[ "$(value bypassed-socket-full)" = 0 ] || lab_fail "bypassed-socket-full: $(value bypassed-socket-full)"
status | grep -q '^sipcidd .* on NFQUEUE queue 0, fail-open on' || lab_fail "status header wrong"

# A second sipcidd on the same control socket refuses to start.
LAB_ERR=$LAB_TMP/second.log lab_start bridge "$LAB_TMP/second.out" "$SIPCIDD" --queue 1 \
	--control-socket "$LAB_CONTROL"
second=$LAB_PID
wait "$second" && lab_fail "a second sipcidd started on the same control socket"
grep -q "already running" "$LAB_TMP/second.log" || lab_fail "second sipcidd said: $(cat "$LAB_TMP/second.log")"
[ "$(value packets)" = 10 ] || lab_fail "the first sipcidd stopped answering"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error"
[ -e "$LAB_CONTROL" ] && lab_fail "the control socket was left behind"
echo "PASS: --status shows packets, verdicts, calls and queue counters"
