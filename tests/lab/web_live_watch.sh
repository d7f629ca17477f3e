#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The control socket's `watch` (what sipcid-web's live page reads), on a real
# bridge with NFQUEUE:
#   - a watcher gets the INVITE's event within 1 s of the INVITE crossing
#     the bridge (the phone's receiver stamps its arrival; the delay is printed);
#   - a watcher that connects while the call rings gets it in its snapshot,
#     and one that connects after the call ended gets an empty snapshot;
#   - a watcher that never reads does not stall sipcidd: a flood of 1500
#     calls all cross the bridge, --status answers meanwhile, and sipcidd
#     drops that watcher (said in its log) once it is 256 KiB behind.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq python3
lab_setup
PEER=$LAB_SRC/tests/lab/control_peer.py
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
printf 'allow *\n' >"$LAB_TMP/rules"
printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
lab_sipcidd --no-notify -c "$LAB_TMP/sipcid.conf"
pid=$LAB_SIPCIDD_PID

# ---- 1. The INVITE's event within 1 s ----
lab_start bridge "$LAB_TMP/watch1.err" python3 "$PEER" watch "$LAB_CONTROL" "$LAB_TMP/watch1" --seconds 90
lab_wait_for "the first watcher's snapshot" 50 grep -q snapshot "$LAB_TMP/watch1"
[ "$(cut -f2 "$LAB_TMP/watch1" | head -n 1 | jq -c .snapshot)" = '[]' ] ||
	lab_fail "the first snapshot is not empty: $(head -n 1 "$LAB_TMP/watch1")"
lab_udp_receiver "$LAB_TMP/inv" 5060 1 0.0.0.0 --first-at "$LAB_TMP/inv.at"
lab_net sip INVITE --call-id live-1@lab --from-name "Watch Me" >"$LAB_TMP/invite"
sent=$(lab_clock)
lab_send_sip "$LAB_TMP/invite"
wait "$LAB_RECV_PID"
[ -s "$LAB_TMP/inv.at" ] || lab_fail "the INVITE did not cross the bridge"
lab_wait_for "the INVITE's event at the watcher" 30 grep -q 'live-1@lab' "$LAB_TMP/watch1"
crossed=$(cat "$LAB_TMP/inv.at")
seen=$(grep -m1 'live-1@lab' "$LAB_TMP/watch1" | cut -f1)
# After its arrival at the phone (the INVITE crossed the bridge): sipcidd
# gave its verdict before the phone's receiver woke up, so the event may even
# come first (a negative delay). From the moment before it was sent is
# printed too; it is mostly starting a process in a namespace.
delay=$(awk -v a="$crossed" -v b="$seen" 'BEGIN { printf "%.3f", b - a }')
from_sent=$(awk -v a="$sent" -v b="$seen" 'BEGIN { printf "%.3f", b - a }')
ev=$(grep -m1 'live-1@lab' "$LAB_TMP/watch1" | cut -f2)
echo "the watcher had the INVITE's event ${delay} s after it crossed the bridge" \
	"(${from_sent} s after the sender was started)"
echo "event: $ev"
awk -v d="$delay" 'BEGIN { exit !(d < 1.0) }' || lab_fail "the event came ${delay} s after the INVITE crossed"
[ "$(echo "$ev" | jq -r '[.state, .name, .number] | join("|")')" = "ringing|Watch Me|+15551234567" ] ||
	lab_fail "the watcher's event is not the ringing call: $ev"

# ---- 2. Snapshots ----
lab_start bridge /dev/null python3 "$PEER" watch "$LAB_CONTROL" "$LAB_TMP/watch2" --seconds 3
lab_wait_for "the second watcher's snapshot" 50 grep -q snapshot "$LAB_TMP/watch2"
snap=$(head -n 1 "$LAB_TMP/watch2" | cut -f2)
echo "snapshot while ringing: $snap"
[ "$(echo "$snap" | jq -r '[.snapshot[] | .call_id + "|" + .state] | join(",")')" = "live-1@lab|ringing" ] ||
	lab_fail "the snapshot does not hold the ringing call: $snap"
lab_net sip CANCEL --call-id live-1@lab --cseq-method CANCEL >"$LAB_TMP/cancel"
lab_send_sip "$LAB_TMP/cancel"
lab_wait_for "the call's end at the first watcher" 30 eval \
	"cut -f2 '$LAB_TMP/watch1' | grep 'live-1@lab' | jq -r .state | grep -q missed"
lab_start bridge /dev/null python3 "$PEER" watch "$LAB_CONTROL" "$LAB_TMP/watch3" --seconds 3
lab_wait_for "the third watcher's snapshot" 50 grep -q snapshot "$LAB_TMP/watch3"
[ "$(head -n 1 "$LAB_TMP/watch3" | cut -f2 | jq -c .snapshot)" = '[]' ] ||
	lab_fail "the call that ended is still in the snapshot: $(head -n 1 "$LAB_TMP/watch3")"

# ---- 3. A watcher that never reads ----
lab_start bridge /dev/null python3 "$PEER" stall "$LAB_CONTROL" "$LAB_TMP/stall.ready"
stall_pid=$LAB_PID
lab_wait_for "the stalled watcher" 50 test -e "$LAB_TMP/stall.ready"
long_name=$(printf 'Flood%.0s' $(seq 1 12))
lab_net sip INVITE --call-id flood@lab --from-name "$long_name" >"$LAB_TMP/flood"
flood=1500
lab_udp_receiver "$LAB_TMP/flood-recv" 5060 $flood 0.0.0.0 --save-prefix none-saved
lab_start prov /dev/null python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 \
	--count $flood --gap-ms 2 --vary-call-id $LAB_PHONE_IP 5060 "$LAB_TMP/flood"
sender=$LAB_PID
# --status answers while the flood runs and the watcher is stuck.
answers=0
for i in 1 2 3; do
	sleep 0.5
	# A write that blocked on the stuck watcher would never answer; the
	# bound only has to be finite (the flood itself keeps the main loop
	# busy, and more so under the sanitizers).
	took=$(python3 "$PEER" request "$LAB_CONTROL" status --timeout 8) && answers=$((answers + 1))
	echo "status $i answered in ${took:-(no answer)} s"
done
wait "$sender"
wait "$LAB_RECV_PID"
received=$(cat "$LAB_TMP/flood-recv/count")
echo "flood: $received of $flood INVITEs crossed the bridge; status answered $answers of 3 times"
[ "$received" = $flood ] || lab_fail "only $received of $flood INVITEs crossed the bridge"
[ "$answers" = 3 ] || lab_fail "--status did not answer within 8 s while a watcher was stuck"
lab_wait_for "sipcidd to drop the stalled watcher" 50 grep -q "watcher (pid $stall_pid.*dropped: too slow" \
	"$LAB_TMP/sipcidd.log"
grep "watcher (pid $stall_pid" "$LAB_TMP/sipcidd.log"
flood_events=$(cut -f2 "$LAB_TMP/watch1" | grep -c 'flood@lab')
echo "the reading watcher got $flood_events flood events"
[ "$flood_events" -ge 1 ] || lab_fail "the reading watcher got none of the flood's events"
kill -0 "$pid" 2>/dev/null || lab_fail "sipcidd died"
lab_stop "$pid"
rc=$?
[ $rc = 0 ] || lab_fail "sipcidd exited with status $rc (see $LAB_TMP/sipcidd.log)"
grep -E "runtime error|AddressSanitizer|LeakSanitizer" "$LAB_TMP/sipcidd.log" &&
	lab_fail "the sanitizers reported errors"
echo "PASS: event ${delay} s after the INVITE crossed; snapshots right; stalled watcher dropped," \
	"$received/$flood INVITEs passed, status answered"
