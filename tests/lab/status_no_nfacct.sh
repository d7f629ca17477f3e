#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Without the nfacct object on the NFQUEUE rules (the nfacct tool missing
# when sipcid-firewall ran, or rules of the user's own), `sipcidd --status`
# cannot count the packets that pass a full queue: it says so and why, and
# never prints a count it does not have.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require nfacct
lab_setup
SIPCID_NFACCT=/nonexistent/nfacct lab_firewall up >/dev/null 2>&1 || lab_fail "sipcid-firewall up"
lab_bridge nfacct get sipcid-queue0 >/dev/null 2>&1 && lab_fail "the object exists; the test needs it missing"

lab_sipcidd
grep -q "no nfacct object sipcid-queue0" "$LAB_TMP/sipcidd.log" ||
	lab_fail "sipcidd did not log that it cannot count: $(cat "$LAB_TMP/sipcidd.log")"
lab_net sip OPTIONS --call-id opt@lab >"$LAB_TMP/options"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count 5 $LAB_PHONE_IP 5060 "$LAB_TMP/options"

status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL" >"$LAB_TMP/status"; }
value() { awk -v k="$1:" '$1 == k { print $2 }' "$LAB_TMP/status"; }
# expect_unavailable REASON: the line says unavailable, gives REASON, and no count is shown.
expect_unavailable() {
	local line
	line=$(grep '^bypassed-queue-full:' "$LAB_TMP/status")
	echo "$line"
	[ "$(value bypassed-queue-full)" = unavailable ] || lab_fail "not unavailable: $line"
	[[ $line == *"$1"* ]] || lab_fail "the reason is not '$1': $line"
	grep -Eq '^(rule-matches|queued-since-bind):' "$LAB_TMP/status" && lab_fail "counts shown without an object"
	return 0
}
lab_wait_for "5 packets read" 50 eval 'status && [ "$(value packets)" = 5 ]'
expect_unavailable "there is no nfacct object sipcid-queue0 in this network namespace: \`sipcid-firewall up\` makes it"
# The rest of the status is there all the same.
[ "$(value queue-id-sequence)" = 5 ] || lab_fail "queue-id-sequence: $(value queue-id-sequence)"

# Made after the bind: its count says nothing about what came before.
lab_bridge nfacct add sipcid-queue0 || lab_fail "nfacct add"
status
expect_unavailable "nfacct object sipcid-queue0 was made after sipcidd bound the queue: restart sipcidd"

# There at the bind, but no rule counts into it: a count of 0 would be made up.
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
lab_sipcidd
status
expect_unavailable "no rule counts into nfacct object sipcid-queue0"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
echo "PASS: without a counting nfacct object, --status says why bypassed-queue-full is unavailable"
