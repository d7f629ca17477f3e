#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# On SIGTERM sipcidd gives every packet it has read, and every packet still
# in the kernel queue, its verdict before it unbinds: none is lost.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd

N=500
lab_net sip OPTIONS --call-id held@lab >"$LAB_TMP/options"
lab_udp_receiver "$LAB_TMP/rx" 5060 $N 0.0.0.0 --save-prefix none
kill -STOP "$LAB_SIPCIDD_PID"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count $N $LAB_PHONE_IP 5060 "$LAB_TMP/options"
lab_wait_for "$N packets waiting in the queue" 50 lab_queue_waiting_is $N
kill -TERM "$LAB_SIPCIDD_PID"
kill -CONT "$LAB_SIPCIDD_PID"
wait "$LAB_SIPCIDD_PID"
rc=$?
[ $rc -eq 0 ] || lab_fail "sipcidd exited with $rc: $(cat "$LAB_TMP/sipcidd.log")"
lab_queue_bound && lab_fail "the queue is still bound after sipcidd exited"
wait "$LAB_RECV_PID"
got=$(cat "$LAB_TMP/rx/count")
[ "$got" -eq $N ] || lab_fail "the phone got $got of the $N packets queued when sipcidd was told to stop"
echo "PASS: all $N queued packets got their verdict on SIGTERM"
