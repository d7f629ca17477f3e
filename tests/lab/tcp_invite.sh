#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An INVITE over TCP, split across segments, is announced; the stream
# reaches the phone byte for byte (sipcidd never drops TCP).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd

i=0
for pair in "$LAB_PROV_IP $LAB_PHONE_IP" "$LAB_PROV_IP6 $LAB_PHONE_IP6"; do
	set -- $pair
	i=$((i + 1))
	lab_net sip INVITE --transport TCP --call-id "tcp-$i@lab" --src "$1" --dst "$2" --sdp-bytes 3000 >"$LAB_TMP/invite$i"
	out=$LAB_TMP/rx$i
	lab_start phone "$out.log" python3 "$LAB_SRC/tests/lab/labnet.py" recv-tcp "$2" 5060 "$out"
	recv=$LAB_PID
	lab_wait_for "the TCP receiver" 100 test -e "$out.ready"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-tcp "$2" 5060 "$LAB_TMP/invite$i" ||
		lab_fail "TCP to $2: the connection failed"
	wait "$recv" || lab_fail "TCP receiver on $2 failed: $(cat "$out.log")"
	cmp -s "$out" "$LAB_TMP/invite$i" || lab_fail "the INVITE over TCP to $2 arrived changed"
	lab_wait_for "the announcement of tcp-$i" 50 eval \
		"[ \"\$(lab_events_matching '.event == \"call\" and .call_id == \"tcp-$i@lab\"')\" = 1 ]"
done
status=$(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL")
echo "$status" | grep -q '^dropped: *0 ' || lab_fail "sipcidd dropped packets: $status"
echo "PASS: INVITEs over TCP (IPv4, IPv6) announced and delivered intact"
