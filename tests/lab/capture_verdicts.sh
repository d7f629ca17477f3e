#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The capture stage alone (nfq_consumer): DROP verdicts between runs of batch
# ACCEPTs hit exactly the packets they name, and packets queued while the
# consumer is stopped all get their verdict when it is told to exit.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

lab_start bridge "$LAB_TMP/consumer.out" "$NFQ_CONSUMER" --queue "$LAB_QUEUE"
consumer=$LAB_PID
lab_wait_bound

# 60 datagrams, every 3rd one marked DROPME, sent back to back so that drops
# fall inside batches.
mkdir -p "$LAB_TMP/msgs"
for i in $(seq 0 59); do
	if [ $((i % 3)) -eq 2 ]; then tag=DROPME; else tag=KEEP; fi
	printf '%s %02d OPTIONS sip:bob@10.77.0.2 SIP/2.0\r\n\r\n' "$tag" "$i" >"$LAB_TMP/msgs/$i"
done
lab_udp_receiver "$LAB_TMP/rx" 5060 40
# One sender, back to back: 60 processes at once stalled for seconds on a
# loaded machine before any of them sent.
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 \
	$(for i in $(seq 0 59); do echo "$LAB_TMP/msgs/$i"; done)
lab_wait_received "$LAB_TMP/rx" 40 150
sleep 0.5
got=$(lab_received "$LAB_TMP/rx")
[ "$got" -eq 40 ] || lab_fail "the phone got $got datagrams, expected the 40 not marked DROPME"
grep -l DROPME "$LAB_TMP"/rx/*.bin && lab_fail "a DROPME datagram reached the phone"
for i in $(seq 0 59); do
	[ $((i % 3)) -eq 2 ] && continue
	grep -qF "KEEP $(printf %02d "$i") " "$LAB_TMP"/rx/*.bin || lab_fail "datagram $i did not arrive"
done

# Stop the consumer, queue 200 datagrams, then SIGTERM + SIGCONT: every one
# must be accepted before the queue is unbound (unbinding drops the rest).
kill -STOP "$consumer"
printf 'KEEP held OPTIONS sip:bob@10.77.0.2 SIP/2.0\r\n\r\n' >"$LAB_TMP/held"
lab_udp_receiver "$LAB_TMP/rx2" 5060 200
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --count 200 $LAB_PHONE_IP 5060 "$LAB_TMP/held"
lab_wait_for "200 packets waiting in the queue" 50 lab_queue_waiting_is 200
[ "$(lab_received "$LAB_TMP/rx2")" -eq 0 ] || lab_fail "packets passed a stopped consumer with room in the queue"
kill -TERM "$consumer"
kill -CONT "$consumer"
wait "$consumer"
rc=$?
[ $rc -eq 0 ] || lab_fail "nfq_consumer exited with $rc"
lab_wait_received "$LAB_TMP/rx2" 200
cat "$LAB_TMP/consumer.out"
grep -q '^dropped 20$' "$LAB_TMP/consumer.out" || lab_fail "the consumer did not count 20 drops"
grep -q '^fail_open 1$' "$LAB_TMP/consumer.out" || lab_fail "fail-open was not set"
lab_queue_bound && lab_fail "queue still bound after exit"
echo "PASS: drops hit exactly the marked packets; all 200 held packets accepted on exit"
