#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A blocked call over TCP is turned away without ringing the phone, and the
# connection lives on (docs/datapath.md, "Blocking and TCP"). One TCP
# connection from the provider to baresip on the phone side carries, in turn:
# a blocked INVITE in one segment, an allowed call (answered, hung up), a
# blocked INVITE split in its headers, one whose last segment holds only SDP,
# one in three segments whose last holds one SDP line, and another allowed
# call. Each blocked one must reach the provider as 603 Decline (the default
# outcome), none may reach baresip as a call, both allowed calls must ring and
# be answered, and every byte must pass (nothing dropped).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

BLOCKED=+15551230001
printf 'block number %s\n' $BLOCKED >"$LAB_TMP/rules"
printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"

lab_baresip_phone 40 ';answermode=auto'
phone=$LAB_PID

invite() {  # invite CALL_ID FROM_USER [HEADER]: writes $LAB_TMP/CALL_ID
	lab_net sip INVITE --transport TCP --call-id "$1" --from-user "$2" --src $LAB_PROV_IP \
		--dst $LAB_PHONE_IP ${3:+--header "$3"} >"$LAB_TMP/$1"
}
offset() {  # offset CALL_ID TEXT: where TEXT starts in the INVITE
	python3 -c 'import sys; print(open(sys.argv[1], "rb").read().index(sys.argv[2].encode().decode("unicode_escape").encode()))' \
		"$LAB_TMP/$1" "$2"
}
ua='User-Agent: Provider SBC 7.1'
invite blk-whole@lab $BLOCKED "$ua"
invite allowed-1@lab +15551234567
invite blk-headers@lab $BLOCKED "$ua"
invite blk-body@lab $BLOCKED "$ua"
invite blk-three@lab $BLOCKED "$ua"
invite allowed-2@lab +15557654321
cut_headers=$(offset blk-headers@lab 'Via:')
cut_body=$(($(offset blk-body@lab '\r\n\r\n') + 4))
cut3a=$(offset blk-three@lab 'From:')
cut3b=$(offset blk-three@lab 'a=rtpmap')

lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" tcp-calls \
	--call "$LAB_TMP/blk-whole@lab::0" \
	--call "$LAB_TMP/allowed-1@lab::0" \
	--call "$LAB_TMP/blk-headers@lab:$cut_headers:200" \
	--call "$LAB_TMP/blk-body@lab:$cut_body:200" \
	--call "$LAB_TMP/blk-three@lab:$cut3a,$cut3b:200" \
	--call "$LAB_TMP/allowed-2@lab::0" \
	$LAB_PHONE_IP 5060 >"$LAB_TMP/calls" 2>"$LAB_TMP/calls.err" ||
	lab_fail "the TCP client failed: $(cat "$LAB_TMP/calls.err")"
cat "$LAB_TMP/calls"
kill "$phone" 2>/dev/null  # its log is whole once it has quit
wait "$phone" 2>/dev/null

code() { awk -v c="$1" '$1 == c { print $2 }' "$LAB_TMP/calls"; }
for c in blk-whole blk-headers blk-body blk-three; do
	[ "$(code $c@lab)" = 603 ] || lab_fail "$c: the provider got '$(code $c@lab)', expected 603"
	grep -q "^$c@lab 603 SIP/2.0 603 Decline *\$" "$LAB_TMP/calls" || lab_fail "$c: not a clean 603 Decline status line"
	[ "$(lab_events_matching ".event == \"call\" and .call_id == \"$c@lab\" and .action == \"block\" and .state == \"blocked\" and .outcome == \"decline\"")" = 1 ] ||
		lab_fail "$c: not announced once as blocked (decline)"
done
for c in allowed-1 allowed-2; do
	[ "$(code $c@lab)" = 200 ] || lab_fail "$c: the allowed call after a TCP reject got '$(code $c@lab)', expected 200"
done
# baresip never showed a blocked call: it rejected each before alerting.
grep -a "$BLOCKED" "$LAB_TMP/phone/baresip.log" | grep -av 'rejected\|no common' && lab_fail "baresip showed the blocked caller"
[ "$(grep -ac 'Incoming call\|Call established\|call: connecting' "$LAB_TMP/phone/baresip.log")" -ge 2 ] ||
	lab_fail "baresip did not show the allowed calls: $(cat "$LAB_TMP/phone/baresip.log")"
grep -a -A2 'Incoming call' "$LAB_TMP/phone/baresip.log" | grep -aq "$BLOCKED" && lab_fail "baresip alerted for the blocked caller"
status=$(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL")
echo "$status" | grep -E '^(dropped|changed|tcp-rejects|tcp-rejects-as-sent|blocks-not-enforced):'
echo "$status" | grep -q '^dropped: *0 ' || lab_fail "sipcidd dropped packets"
echo "$status" | grep -q '^blocks-not-enforced: *0 ' || lab_fail "a block was not enforced"
echo "$status" | grep -q '^tcp-rejects-as-sent: *0 ' || lab_fail "a rejection reached the provider unchanged"
echo "PASS: 4 blocked INVITEs over TCP (whole, split in headers, SDP-only last segment, three segments) got 603 without ringing; 2 allowed calls on the same connection rang"
