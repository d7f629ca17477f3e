#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIPp calls through the bridge with P-Asserted-Identity, Remote-Party-ID and
# Privacy: sipcidd announces the identity the trust order says, once each.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq sipp
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd --config "$LAB_SRC/tests/lab/data/trusted.conf"

lab_start phone "$LAB_TMP/uas.log" sipp -sn uas -i $LAB_PHONE_IP -p 5060 -bg -nostdin
uas=$LAB_PID
sleep 0.5

call() {  # call FROM EXTRA1 EXTRA2
	lab_prov sipp -sf "$LAB_SRC/tests/lab/data/sipp_uac_callerid.xml" -set fromhdr "$1" \
		-set extra1 "$2" -set extra2 "$3" -s bob -m 1 -i $LAB_PROV_IP -p 5062 \
		-timeout 20s -timeout_error -nostdin $LAB_PHONE_IP:5060 >>"$LAB_TMP/uac.log" 2>&1 ||
		lab_fail "SIPp call with '$2' / '$3' failed: $(tail -5 "$LAB_TMP/uac.log")"
}
call '"Alice From" <sip:+15551234567@10.77.0.1>' \
	'P-Asserted-Identity: "Alice Asserted" <sip:+15557654321@10.77.0.1>' 'Privacy: none'
call '"Bob From" <sip:+15550001111@10.77.0.1>' \
	'Remote-Party-ID: "Bob Rpid" <sip:+15552223333@10.77.0.1>;party=calling;screen=yes;privacy=off' 'X-Test: none'
call '"Anonymous" <sip:anonymous@anonymous.invalid>' \
	'P-Asserted-Identity: <sip:+15554445555@10.77.0.1>' 'Privacy: id'

lab_wait_for "3 calls announced" 100 eval '[ "$(lab_events_matching ".event == \"call\"")" -ge 3 ]'
sleep 1
cat "$LAB_TMP/events.json"
expect() {  # expect JQ_FILTER WHAT
	n=$(lab_events_matching ".event == \"call\" and ($1)")
	[ "$n" = 1 ] || lab_fail "$2: $n matching call events, expected exactly 1"
}
expect '.source == "pai" and (.number_raw | test("15557654321")) and .presentation == "allowed"' \
	"P-Asserted-Identity wins over From"
expect '.source == "rpid" and (.number_raw | test("15552223333"))' "Remote-Party-ID wins over From"
expect '.presentation == "restricted" and .name == "" and .number == ""' "Privacy: id withholds the caller"
[ "$(lab_events_matching '.event == "call"')" = 3 ] || lab_fail "not exactly 3 calls announced"
# Each call was answered and hung up: the state follows the packets.
lab_wait_for "3 ended calls" 50 eval '[ "$(lab_events_matching ".event == \"update\" and .state == \"ended\"")" = 3 ]'
[ "$(lab_events_matching '.event == "update" and .state == "answered"')" = 3 ] || lab_fail "not 3 answered updates"
echo "PASS: PAI, RPID and Privacy announced as the trust order says"
