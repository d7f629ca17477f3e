#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Nothing passes uninspected and uncounted (issue 14, finding 6), live:
#  - datagrams on the SIP port that are not readable as SIP pass (the first
#    law), are counted as `uninspected` in --status and warned about in the
#    log, at most one line a minute; keep-alives are not counted;
#  - an INVITE with tabs in its request line, which phones take, is read:
#    a blocked caller's is dropped.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
printf 'block number +15551234567\nallow *\n' >"$LAB_TMP/rules"
printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
lab_udp_receiver "$LAB_TMP/rx" 5060 1000 0.0.0.0 --timeout 60

python3 "$LAB_SRC/tests/hostile/make_identity_captures.py" --lab "$LAB_TMP/msg" \
	$LAB_PROV_IP $LAB_PHONE_IP || lab_fail "cannot make the INVITEs"
printf 'INVITE sip:bob@%s' $LAB_PHONE_IP >"$LAB_TMP/msg/cut.bin"          # cut before its version
printf 'NOTSIP what is this\r\n\r\n' >"$LAB_TMP/msg/garbage.bin"
printf '\r\n\r\n' >"$LAB_TMP/msg/keepalive.bin"
sed 's/^INVITE sip:\([^ ]*\) SIP\/2.0/INVITE\tsip:\1\tSIP\/2.0/' "$LAB_TMP/msg/reuse-second.sip" |
	sed 's/reuse@lab/tab@lab/' >"$LAB_TMP/msg/tab.sip"
grep -q "$(printf 'INVITE\tsip:')" "$LAB_TMP/msg/tab.sip" || lab_fail "no tab in the request line"
send() {  # send FILE COUNT
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 --count "$2" \
		$LAB_PHONE_IP 5060 "$LAB_TMP/msg/$1" || lab_fail "send $1"
}
send cut.bin 2
send garbage.bin 1
send keepalive.bin 3
send tab.sip 1
send marker.sip 1
lab_wait_for "the marker INVITE at the phone" 100 eval \
	'grep -lq "Call-ID: marker@lab" "$LAB_TMP"/rx/*.bin'

status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }
value() { status | awk -v k="$1:" '$1 == k { print $2 }'; }
status
[ "$(value uninspected)" = 3 ] || lab_fail "uninspected: $(value uninspected), expected 3"
[ "$(grep -lc "NOTSIP" "$LAB_TMP"/rx/*.bin | wc -l)" = 1 ] || lab_fail "the unreadable datagram did not pass"
[ "$(grep -la "^INVITE sip:bob@$LAB_PHONE_IP\$" "$LAB_TMP"/rx/*.bin | wc -l)" = 2 ] ||
	lab_fail "the cut INVITEs did not pass"
grep -lq "Call-ID: tab@lab" "$LAB_TMP"/rx/*.bin && lab_fail "the blocked INVITE with tabs reached the phone"
[ "$(lab_events_matching '.event == "call" and .call_id == "tab@lab" and .action == "block"')" = 1 ] ||
	lab_fail "the INVITE with tabs was not announced as blocked"
# The first warning comes within a tick (0.5 s) of the first packet: it says
# the count then, and the total since start.
lab_wait_for "the warning in the log" 30 grep -Eq "[1-3] packets on SIP ports passed uninspected .*; [1-3] since start" \
	"$LAB_TMP/sipcidd.log"
[ "$(grep -c "passed uninspected" "$LAB_TMP/sipcidd.log")" = 1 ] ||
	lab_fail "not exactly one warning: $(grep "passed uninspected" "$LAB_TMP/sipcidd.log")"
# More within the minute: counted at once, warned about no sooner than a minute after.
send garbage.bin 2
lab_wait_for "uninspected to reach 5" 50 eval '[ "$(value uninspected)" = 5 ]'
sleep 1
[ "$(grep -c "passed uninspected" "$LAB_TMP/sipcidd.log")" = 1 ] ||
	lab_fail "a second warning within the minute"
echo "PASS: unreadable SIP-port datagrams passed, counted and warned about once; tabs read"
