#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A blocked call over TCP is turned away without ringing the phone, and the
# connection lives on (docs/datapath.md, "Blocking and TCP"). One TCP
# connection from the provider to baresip on the phone side carries, in turn:
# a blocked INVITE in one segment, an allowed call (answered, hung up), a
# blocked INVITE split in its headers, one whose last segment holds only SDP,
# one in three segments whose last holds one SDP line, one of 6 KB (more than
# the MTU, however the stack cuts it), and another allowed
# call; over IPv4, then IPv6. Each blocked one must reach the provider as 603 Decline (the default
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

offset() {  # offset FILE TEXT: where TEXT starts in FILE
	python3 -c 'import sys; print(open(sys.argv[1], "rb").read().index(sys.argv[2].encode().decode("unicode_escape").encode()))' \
		"$1" "$2"
}

# calls V PROV PHONE: the six calls over IPv4 or IPv6 (V), on one connection
# to a baresip listening on PHONE.
calls() {
	local v=$1 prov=$2 phone_ip=$3 c dir=$LAB_TMP/v$1
	mkdir -p "$dir"
	lab_baresip_phone 40 ';answermode=auto' "$phone_ip"
	local phone=$LAB_PID
	invite() {  # invite NAME FROM_USER [HEADER [ARGS]]: writes $dir/NAME, Call-ID NAME-vV@lab
		lab_net sip INVITE --transport TCP --call-id "$1-v$v@lab" --from-user "$2" --src "$prov" \
			--dst "$phone_ip" ${3:+--header "$3"} ${4:-} >"$dir/$1"
	}
	local ua='User-Agent: Provider SBC 7.1'
	invite blk-whole $BLOCKED "$ua"
	invite allowed-1 +15551234567
	invite blk-headers $BLOCKED "$ua"
	invite blk-body $BLOCKED "$ua"
	invite blk-three $BLOCKED "$ua"
	invite blk-big $BLOCKED "$ua" '--sdp-bytes 6000'  # larger than the MTU: one GSO packet or several
	invite allowed-2 +15557654321
	local cut_headers cut_body cut3a cut3b
	cut_headers=$(offset "$dir/blk-headers" 'Via:')
	cut_body=$(($(offset "$dir/blk-body" '\r\n\r\n') + 4))
	cut3a=$(offset "$dir/blk-three" 'From:')
	cut3b=$(offset "$dir/blk-three" 'a=rtpmap')
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" tcp-calls \
		--call "$dir/blk-whole::0" \
		--call "$dir/allowed-1::0" \
		--call "$dir/blk-headers:$cut_headers:200" \
		--call "$dir/blk-body:$cut_body:200" \
		--call "$dir/blk-three:$cut3a,$cut3b:200" \
		--call "$dir/blk-big::0" \
		--call "$dir/allowed-2::0" \
		"$phone_ip" 5060 >"$dir/calls" 2>"$dir/calls.err" ||
		lab_fail "IPv$v: the TCP client failed: $(cat "$dir/calls.err")"
	cat "$dir/calls"
	kill "$phone" 2>/dev/null  # its log is whole once it has quit
	wait "$phone" 2>/dev/null

	code() { awk -v c="$1-v$v@lab" '$1 == c { print $2 }' "$dir/calls"; }
	for c in blk-whole blk-headers blk-body blk-three blk-big; do
		[ "$(code $c)" = 603 ] || lab_fail "IPv$v $c: the provider got '$(code $c)', expected 603"
		grep -q "^$c-v$v@lab 603 SIP/2.0 603 Decline *\$" "$dir/calls" ||
			lab_fail "IPv$v $c: not a clean 603 Decline status line"
		[ "$(lab_events_matching ".event == \"call\" and .call_id == \"$c-v$v@lab\" and .action == \"block\" and .state == \"blocked\" and .outcome == \"decline\"")" = 1 ] ||
			lab_fail "IPv$v $c: not announced once as blocked (decline)"
	done
	for c in allowed-1 allowed-2; do
		[ "$(code $c)" = 200 ] || lab_fail "IPv$v $c: the allowed call after a TCP reject got '$(code $c)', expected 200"
	done
	# baresip never showed a blocked call: it rejected each before alerting.
	local log=$LAB_TMP/phone/baresip.log
	grep -a "$BLOCKED" "$log" | grep -av 'rejected\|no common' && lab_fail "IPv$v: baresip showed the blocked caller"
	[ "$(grep -ac 'Call established' "$log")" = 2 ] ||
		lab_fail "IPv$v: baresip did not show the 2 allowed calls: $(cat "$log")"
	return 0
}
calls 4 $LAB_PROV_IP $LAB_PHONE_IP
calls 6 $LAB_PROV_IP6 $LAB_PHONE_IP6
lab_tcp_rejects_are 10
echo "PASS: over IPv4 and IPv6, 5 blocked INVITEs over TCP (whole, split in headers, SDP-only last segment, three segments, 6 KB) got 603 without ringing; 2 allowed calls on the same connection rang"
