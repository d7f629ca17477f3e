#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# First law, stall 2 of 3: the packet thread stuck (frozen with ptrace, as a
# loop or a deadlock would hold it) while the main loop lives. One INVITE
# with its retransmissions must reach the phone within 2 s of the first
# send: sipcid-guard opens the line. sipcidd stops pinging systemd's
# watchdog (which would restart it), although its main loop runs. When the
# thread runs again it takes the waiting packets, the guard closes the
# line, a blocked caller is dropped again and the pings resume.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/lab/stall.sh"
STALL_WATCHDOG_USEC=1000000 stall_setup
stall_blocked_dropped before

t0=$(lab_clock)
stall_begin packets
stall_ring_within_limit frozen "the packet thread frozen"
ttr=$STALL_TTR
[ "$(lab_guard_state open)" = 1 ] || lab_fail "the guard's state does not say the line is open"
[ "$(lab_queue_field 3)" -ge 1 ] || lab_fail "no packet waits for the frozen packet thread"
stall_no_pings_while_frozen "$t0" "packet thread"
# The main loop answers --status meanwhile, the guard's opening included.
[ "$(stall_status guard-opens)" = 1 ] || lab_fail "sipcidd --status does not show the opening"
[ "$(stall_status guard)" = LINE ] || lab_fail "sipcidd --status does not say the line is open: $(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL")"

t2=$(lab_clock)
stall_end packets
stall_guard_closed
grep -q 'sipcidd takes packets again' "$LAB_TMP/guard.log" || lab_fail "the guard closed for another reason: $(cat "$LAB_TMP/guard.log")"
stall_pings_resume "$t2"
stall_blocked_dropped after
[ "$(lab_guard_state opens)" = 1 ] || lab_fail "the guard opened the line $(lab_guard_state opens) times, expected 1"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
grep -q ' STOPPING=1$' "$LAB_TMP/notify.log" || lab_fail "sipcidd did not tell systemd it was stopping"
lab_stop "$LAB_GUARD_PID" || lab_fail "sipcid-guard exited with an error: $(cat "$LAB_TMP/guard.log")"
echo "PASS: a frozen packet thread: the phone rang after $ttr s; the watchdog pings stopped; inspection resumed"
