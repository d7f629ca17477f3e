#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# First law, stall 3 of 3: the main loop stuck (frozen with ptrace) while the
# packet thread lives. The packet path goes on by itself: one INVITE with its
# retransmissions reaches the phone within 2 s, a blocked caller is still
# dropped, and a burst of calls that overflows the event ring still passes
# (its events are dropped and counted, never waited for). sipcid-guard never
# opens the line. The watchdog pings stop (systemd would restart sipcidd: its
# announcements and --status are dead). When the loop runs again it announces
# what the ring kept, and counts the rest in events-dropped.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/lab/stall.sh"
RING=512      # the pipeline's event ring (bridge-daemon/pipeline/pipeline.c)
BURST=600
STALL_WATCHDOG_USEC=1000000 stall_setup
stall_blocked_dropped before
before=$(lab_events_matching '.event == "call"')

t0=$(lab_clock)
stall_begin main
stall_ring_within_limit main "the main loop frozen"
ttr=$STALL_TTR
stall_blocked_dropped during

lab_net sip INVITE --call-id burst@lab --from-user $STALL_ALLOWED >"$LAB_TMP/burst.sip"
lab_udp_receiver "$LAB_TMP/burst" 5099 $BURST 0.0.0.0 --timeout 30
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 --count $BURST --vary-call-id \
	$LAB_PHONE_IP 5099 "$LAB_TMP/burst.sip" || lab_fail "sending the burst"
wait "$LAB_RECV_PID"
[ "$(cat "$LAB_TMP/burst/count")" = $BURST ] || lab_fail "$(cat "$LAB_TMP/burst/count") of $BURST INVITEs reached the phone with the main loop frozen"
[ "$(lab_guard_state opens)" = 0 ] || lab_fail "the guard opened the line although the packet thread ran: $(cat "$LAB_TMP/guard.log")"
stall_no_pings_while_frozen "$t0" "main loop"
[ "$(lab_events_matching '.event == "call"')" = "$before" ] || lab_fail "events were announced with the main loop frozen"
grep -q '^State:.*t (tracing stop)' /proc/"$LAB_SIPCIDD_PID"/task/"$LAB_SIPCIDD_PID"/status ||
	lab_fail "the main loop ran during the test"

t2=$(lab_clock)
stall_end main
stall_pings_resume "$t2"
# The frozen loop's calls: the ring, the blocked one and its marker, the burst.
frozen_calls=$((1 + 2 + BURST))
lab_wait_for "the kept events to be announced" 100 eval \
	'[ "$(lab_events_matching ".event == \"call\"")" -ge $((before + RING)) ]'
dropped=$(stall_status events-dropped)
announced=$(( $(lab_events_matching '.event == "call"') - before ))
echo "with the main loop frozen: $frozen_calls calls, $announced announced after, $dropped events dropped"
[ "$announced" = $RING ] || lab_fail "$announced of the frozen loop's calls were announced, expected the ring's $RING"
[ "$dropped" = $((frozen_calls - RING)) ] || lab_fail "events-dropped is $dropped, expected $((frozen_calls - RING))"
stall_blocked_dropped after
[ "$(lab_guard_state opens)" = 0 ] || lab_fail "the guard opened the line"
[ "$(stall_status guard-opens)" = 0 ] || lab_fail "sipcidd --status counts an opening"
[ "$(stall_status guard)" = watching ] || lab_fail "sipcidd --status does not say the guard watches"
lab_stop "$LAB_GUARD_PID" || lab_fail "sipcid-guard exited with an error: $(cat "$LAB_TMP/guard.log")"
[ "$(stall_status guard)" = NOT ] || lab_fail "sipcidd --status does not say the guard is not running"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
echo "PASS: a frozen main loop: the phone rang after $ttr s, blocked calls stayed blocked, $BURST calls passed, $dropped events dropped and counted"
