#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# First law: a stalled sipcidd (SIGSTOP) whose queue is full does not hold
# INVITEs back: with fail-open the kernel lets them pass. When sipcidd runs
# again, every packet it held gets through too.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd

FILL=8400    # more than the queue's 8192 entries
lab_net sip OPTIONS --call-id filler@lab >"$LAB_TMP/options"
lab_net sip INVITE --call-id stalled@lab >"$LAB_TMP/invite"
lab_udp_receiver "$LAB_TMP/rx" 5060 $((FILL + 1)) 0.0.0.0 --save-prefix INVITE

kill -STOP "$LAB_SIPCIDD_PID"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count $FILL $LAB_PHONE_IP 5060 "$LAB_TMP/options"
waiting=$(lab_queue_field 3)
echo "queue: $waiting packets waiting with sipcidd stopped"
[ "$waiting" -ge 8000 ] || lab_fail "the queue holds only $waiting packets; the test needs it full"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp $LAB_PHONE_IP 5060 "$LAB_TMP/invite"
lab_wait_received "$LAB_TMP/rx" 1 100
kill -0 "$LAB_SIPCIDD_PID" && grep -q . /proc/"$LAB_SIPCIDD_PID"/status &&
	grep -q '^State:.*stopped' /proc/"$LAB_SIPCIDD_PID"/status ||
	lab_fail "sipcidd was not stopped while the INVITE passed"
cmp -s "$LAB_TMP/rx/"*.bin "$LAB_TMP/invite" || lab_fail "the INVITE arrived changed"
[ "$(lab_queue_field 6)" = 0 ] || lab_fail "the kernel dropped packets (queue_dropped $(lab_queue_field 6))"
[ "$(lab_queue_field 7)" = 0 ] || lab_fail "the kernel dropped packets (user_dropped $(lab_queue_field 7))"

kill -CONT "$LAB_SIPCIDD_PID"
wait "$LAB_RECV_PID"
total=$(cat "$LAB_TMP/rx/count")
[ "$total" -eq $((FILL + 1)) ] || lab_fail "the phone got $total of $((FILL + 1)) datagrams after sipcidd resumed"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
echo "PASS: INVITE passed a stalled sipcidd with a full queue; all $total datagrams delivered"
