#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Traffic that is not SIP crosses the bridge byte for byte and never enters
# the queue: UDP and TCP on other ports, IPv4 and IPv6.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd

head -c 1200 /dev/urandom >"$LAB_TMP/udp_payload"
head -c 300000 /dev/urandom >"$LAB_TMP/tcp_payload"
ids_before=$(lab_queue_field 8)
rules_before=$(lab_rule_packets)

for dst in $LAB_PHONE_IP $LAB_PHONE_IP6; do
	# UDP to a port next to SIP's, from a SIP-looking source port too would be
	# queued by design; use other ports on both ends.
	rx=$LAB_TMP/rx-$dst
	lab_udp_receiver "$rx" 5070 20 "$dst"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 40000 --count 20 "$dst" 5070 "$LAB_TMP/udp_payload"
	wait "$LAB_RECV_PID"
	[ "$(cat "$rx/count")" -eq 20 ] || lab_fail "UDP to $dst: $(cat "$rx/count") of 20 datagrams arrived"
	for f in "$rx"/*.bin; do
		cmp -s "$f" "$LAB_TMP/udp_payload" || lab_fail "UDP to $dst: a datagram changed"
	done

	out=$LAB_TMP/tcp-$dst
	lab_start phone "$out.log" python3 "$LAB_SRC/tests/lab/labnet.py" recv-tcp "$dst" 8080 "$out"
	recv=$LAB_PID
	lab_wait_for "the TCP receiver" 100 test -e "$out.ready"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-tcp "$dst" 8080 "$LAB_TMP/tcp_payload" ||
		lab_fail "TCP to $dst: the connection failed"
	wait "$recv" || lab_fail "TCP to $dst: the receiver failed: $(cat "$out.log")"
	cmp -s "$out" "$LAB_TMP/tcp_payload" || lab_fail "TCP to $dst: the stream changed"
done

ids_after=$(lab_queue_field 8)
rules_after=$(lab_rule_packets)
[ "$ids_after" = "$ids_before" ] || lab_fail "non-SIP packets entered the queue (id_sequence $ids_before -> $ids_after)"
[ "$rules_after" = "$rules_before" ] || lab_fail "the NFQUEUE rules matched non-SIP packets ($rules_before -> $rules_after)"

# And the lab does queue SIP, so the check above can fail.
lab_net sip OPTIONS --call-id probe@lab >"$LAB_TMP/options"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp $LAB_PHONE_IP 5060 "$LAB_TMP/options"
lab_wait_for "the SIP probe to be queued" 50 eval '[ "$(lab_queue_field 8)" -gt "$ids_after" ]'
echo "PASS: UDP and TCP on other ports, IPv4 and IPv6, crossed untouched and unqueued"
