#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A stalled sipcidd (SIGSTOP) with a small queue: the kernel queues what fits
# and fail-open lets the rest pass. The phone gets every packet, and
# `sipcidd --status` counts the ones that passed the full queue
# (bypassed-queue-full), from the nfacct object sipcid-firewall puts on the
# NFQUEUE rules. sipcidd runs as nobody with CAP_NET_ADMIN only, as the
# service does, so reading the object needs nothing more.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require nfacct
id nobody >/dev/null 2>&1 || lab_fail "this test needs the account 'nobody'"
lab_setup
chmod 0755 "$LAB_TMP"  # nobody must reach its state directory and config inside
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

QLEN=64      # [datapath] queue-length, its smallest value
SENT=2000    # more than the queue holds
conf=$LAB_TMP/sipcid.conf
printf '[datapath]\nuser = nobody\nqueue-length = %d\n' $QLEN >"$conf"
chmod 0644 "$conf"
lab_sipcidd --config "$conf"
lab_wait_for "the privilege drop" 50 grep -q "running as user nobody" "$LAB_TMP/sipcidd.log"

lab_net sip OPTIONS --call-id burst@lab >"$LAB_TMP/options"
# Nothing is saved (no datagram starts with the prefix); only counted.
lab_udp_receiver "$LAB_TMP/rx" 5060 $SENT 0.0.0.0 --save-prefix NOTHING
received() { cat "$LAB_TMP/rx/count" 2>/dev/null || echo 0; }

kill -STOP "$LAB_SIPCIDD_PID"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count $SENT $LAB_PHONE_IP 5060 "$LAB_TMP/options"
# The receiver writes its count every 100 datagrams.
passed=$(( (SENT - QLEN) / 100 * 100 ))
lab_wait_for "$passed datagrams past the stopped sipcidd" 150 eval '[ "$(received)" -ge $passed ]'
grep -q '^State:.*stopped' /proc/"$LAB_SIPCIDD_PID"/status || lab_fail "sipcidd was not stopped"
waiting=$(lab_queue_field 3)
echo "with sipcidd stopped: $waiting waiting in the queue, $(received)+ datagrams at the phone"
[ "$waiting" = $QLEN ] || lab_fail "the queue holds $waiting packets, expected it full at $QLEN"
[ "$(lab_queue_field 6)" = 0 ] || lab_fail "the kernel dropped packets (queue_dropped $(lab_queue_field 6))"
[ "$(lab_queue_field 7)" = 0 ] || lab_fail "the kernel dropped packets (user_dropped $(lab_queue_field 7))"

kill -CONT "$LAB_SIPCIDD_PID"
wait "$LAB_RECV_PID"
[ "$(received)" = $SENT ] || lab_fail "the phone got $(received) of $SENT datagrams"
lab_wait_for "an empty queue" 50 lab_queue_waiting_is 0

status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }
value() { awk -v k="$1:" '$1 == k { print $2 }' "$LAB_TMP/status"; }
lab_wait_for "$QLEN packets read" 50 eval 'status >"$LAB_TMP/status" && [ "$(value packets)" = $QLEN ]'
grep -E '^(packets|queue-|bypassed|rule-matches|queued-since)' "$LAB_TMP/status"
bypassed=$(value bypassed-queue-full)
case $bypassed in
''|*[!0-9]*) lab_fail "bypassed-queue-full is not a count: $(grep bypassed-queue-full "$LAB_TMP/status")" ;;
esac
[ "$bypassed" -ge $((SENT - QLEN)) ] && [ "$bypassed" -le $SENT ] ||
	lab_fail "bypassed-queue-full is $bypassed, expected $((SENT - QLEN)) to $SENT"
[ "$(value rule-matches)" = $SENT ] || lab_fail "rule-matches is $(value rule-matches), expected $SENT"
[ $(( $(value queued-since-bind) + bypassed )) = $SENT ] ||
	lab_fail "queued-since-bind $(value queued-since-bind) + bypassed $bypassed is not $SENT"
[ "$(value bypassed-socket-full)" = 0 ] || lab_fail "bypassed-socket-full: $(value bypassed-socket-full)"
grep -q '^rule-matches: .* 4 rules count into nfacct object sipcid-queue0' "$LAB_TMP/status" ||
	lab_fail "rule-matches does not name the object and its 4 rules"

# The helper's own view agrees: the object counted every packet.
lab_firewall status >"$LAB_TMP/fw-status"
grep -A1 "== nfacct object sipcid-queue0" "$LAB_TMP/fw-status" | grep -q "^packets $SENT," ||
	lab_fail "sipcid-firewall status: $(grep -A1 nfacct "$LAB_TMP/fw-status")"

# A burst with sipcidd running: a 64-packet queue may overflow again (that is
# counted too); every packet is either queued or counted as bypassed.
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count 200 $LAB_PHONE_IP 5060 "$LAB_TMP/options"
lab_wait_for "$((SENT + 200)) rule matches, all read" 50 eval 'status >"$LAB_TMP/status" &&
	[ "$(value rule-matches)" = $((SENT + 200)) ] && [ "$(value packets)" = "$(value queue-id-sequence)" ]'
grep -E '^(packets|rule-matches|queued-since|bypassed-queue)' "$LAB_TMP/status"
[ $(( $(value queued-since-bind) + $(value bypassed-queue-full) )) = $((SENT + 200)) ] ||
	lab_fail "after the running burst, queued-since-bind + bypassed-queue-full is not $((SENT + 200))"
[ "$(value bypassed-queue-full)" -ge "$bypassed" ] || lab_fail "bypassed-queue-full went down"

# Made again behind sipcidd's back (down and up): the count is lost, and
# --status says so instead of counting from the wrong base.
lab_firewall down >/dev/null && lab_firewall up >/dev/null || lab_fail "sipcid-firewall down/up"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count 100 $LAB_PHONE_IP 5060 "$LAB_TMP/options"
status >"$LAB_TMP/status"
[ "$(value bypassed-queue-full)" = unavailable ] ||
	lab_fail "after down and up: $(grep bypassed-queue-full "$LAB_TMP/status")"
grep -q "made again since sipcidd bound the queue" "$LAB_TMP/status" || lab_fail "the reason is missing"

lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
echo "PASS: $SENT sent to a stalled sipcidd with a $QLEN-packet queue, all delivered; bypassed-queue-full $bypassed"
