#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An INVITE with a large SDP is fragmented by the sender (IPv4 and IPv6).
# The firewall helper's conntrack rule makes the kernel reassemble it before
# the queue: sipcidd sees it whole, announces it, and the phone receives the
# whole datagram.
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
	lab_net sip INVITE --call-id "frag-$i@lab" --src "$1" --dst "$2" --sdp-bytes 4000 >"$LAB_TMP/invite$i"
	size=$(stat -c %s "$LAB_TMP/invite$i")
	[ "$size" -gt 3000 ] || lab_fail "the INVITE is only $size bytes; it would not be fragmented"
	ids=$(lab_queue_field 8)
	lab_udp_receiver "$LAB_TMP/rx$i" 5060 1 "$2"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 "$2" 5060 "$LAB_TMP/invite$i"
	lab_wait_received "$LAB_TMP/rx$i" 1
	cmp -s "$LAB_TMP/rx$i/000000.bin" "$LAB_TMP/invite$i" || lab_fail "the $size-byte INVITE to $2 arrived changed"
	lab_wait_for "the announcement of frag-$i" 50 eval \
		"[ \"\$(lab_events_matching '.event == \"call\" and .call_id == \"frag-$i@lab\"')\" = 1 ]"
	queued=$(($(lab_queue_field 8) - ids))
	[ "$queued" = 1 ] || lab_fail "the queue saw $queued packets for one reassembled INVITE to $2"
done
echo "PASS: fragmented INVITEs (IPv4, IPv6) announced and delivered whole"
