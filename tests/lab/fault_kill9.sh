#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# First law: when sipcidd is killed outright, the next INVITE still reaches
# the phone (--queue-bypass lets packets pass while no process is bound).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd

lab_net sip INVITE --call-id kill9-before@lab >"$LAB_TMP/invite1"
lab_net sip INVITE --call-id kill9-after@lab >"$LAB_TMP/invite2"
lab_udp_receiver "$LAB_TMP/rx1" 5060 1
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$LAB_TMP/invite1"
lab_wait_received "$LAB_TMP/rx1" 1
cmp -s "$LAB_TMP/rx1/000000.bin" "$LAB_TMP/invite1" || lab_fail "the INVITE changed on its way through sipcidd"
before=$(lab_queue_field 8)
[ "$before" -ge 1 ] || lab_fail "the INVITE did not go through the queue (id_sequence $before)"

kill -KILL "$LAB_SIPCIDD_PID"
wait "$LAB_SIPCIDD_PID" 2>/dev/null
lab_wait_unbound

lab_udp_receiver "$LAB_TMP/rx2" 5060 1
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$LAB_TMP/invite2"
lab_wait_received "$LAB_TMP/rx2" 1
cmp -s "$LAB_TMP/rx2/000000.bin" "$LAB_TMP/invite2" || lab_fail "the INVITE after kill -9 arrived changed"
n=$(lab_events_matching '.call_id == "kill9-before@lab"')
[ "$n" -ge 1 ] || lab_fail "sipcidd did not announce the INVITE before it was killed (events: $(cat "$LAB_TMP/events.json"))"
echo "PASS: INVITE reached the phone after kill -9 of sipcidd"
