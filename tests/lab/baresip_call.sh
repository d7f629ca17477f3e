#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real baresip call through the bridge: it rings through, and sipcidd
# announces it exactly once although the INVITE was retransmitted (the phone
# ignores the first copies, as a busy ATA would).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd

for side in caller callee; do
	mkdir -p "$LAB_TMP/$side"
	cp "$LAB_SRC/tests/lab/data/baresip/$side/config" "$LAB_TMP/$side/config"
done
printf '"Alice Example" <sip:+15551234567@%s>;regint=0\n' $LAB_PROV_IP >"$LAB_TMP/caller/accounts"
printf '<sip:bob@%s>;regint=0;answermode=auto\n' $LAB_PHONE_IP >"$LAB_TMP/callee/accounts"

# The phone drops the first INVITEs it receives, so the caller retransmits
# them across the bridge (RFC 3261 timer A: 0.5 s, 1 s, ...).
lab_phone iptables -w -I INPUT -p udp --dport 5060 -m string --string INVITE --algo bm -j DROP
lab_start phone "$LAB_TMP/callee.log" baresip -f "$LAB_TMP/callee" -t 12
callee=$LAB_PID
sleep 1
lab_start prov "$LAB_TMP/caller.log" baresip -f "$LAB_TMP/caller" -t 8 -e "/dial sip:bob@$LAB_PHONE_IP"
caller=$LAB_PID
sleep 1.8
lab_phone iptables -w -D INPUT -p udp --dport 5060 -m string --string INVITE --algo bm -j DROP
dropped_invites=$(lab_phone iptables -w -nvxL INPUT | awk 'NR > 2 { s += $1 } END { print s + 0 }')

lab_wait_for "the call to be answered" 100 eval \
	'[ "$(lab_events_matching ".event == \"update\" and .state == \"answered\"")" -ge 1 ]'
wait "$caller"
wait "$callee"
cat "$LAB_TMP/events.json"
invites=$(awk '/^invites:/ { print $2 }' < <(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"))
retrans=$(awk '/^retransmissions:/ { print $2 }' < <(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"))
echo "INVITEs seen by sipcidd: $invites, counted as retransmissions: $retrans"
[ "$invites" -ge 2 ] || lab_fail "the INVITE was not retransmitted ($invites seen); the test proves nothing"
n=$(lab_events_matching '.event == "call"')
[ "$n" = 1 ] || lab_fail "$n call events for one call, expected exactly 1"
[ "$(lab_events_matching '.event == "call" and .name == "Alice Example" and .number_raw == "+15551234567"')" = 1 ] ||
	lab_fail "the call was not announced as Alice Example +15551234567"
grep -aq "Call with sip:+15551234567@$LAB_PROV_IP terminated (duration: [1-9]" "$LAB_TMP/callee.log" ||
	lab_fail "the phone's baresip did not report a call with Alice that lasted"
echo "PASS: one baresip call, $invites INVITEs, announced once"
