#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# First law, stall 1 of 3: sipcidd stopped whole (SIGSTOP) while bound, its
# queue nearly empty (fail-open would take 8192 packets). One INVITE with
# its retransmissions must reach the phone within 2 s of the first send:
# sipcid-guard sees it wait and opens the line. After SIGCONT sipcidd takes
# the waiting packets, the guard closes the line, and a blocked caller is
# dropped again. sipcidd --status counts the opening. Then the same stall
# ends the way systemd's watchdog ends it: sipcidd is killed and started
# again; the guard closes the line for the new one, which inspects.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/lab/stall.sh"
stall_setup
stall_blocked_dropped before
[ "$(lab_guard_state opens)" = 0 ] || lab_fail "the guard opened the line before any stall: $(cat "$LAB_TMP/guard.log")"

stall_begin sigstop
stall_ring_within_limit stopped "sipcidd stopped"
ttr=$STALL_TTR
grep -q '^State:.*stopped' /proc/"$LAB_SIPCIDD_PID"/status || lab_fail "sipcidd ran during the measurement"
[ "$(lab_guard_state open)" = 1 ] || lab_fail "the guard's state does not say the line is open"
for ipt in iptables ip6tables; do
	lab_bridge $ipt -w -S SIPCID | sed -n 2p | grep -q 'sipcid-guard.*-j ACCEPT' ||
		lab_fail "no guard ACCEPT at the top of $ipt chain SIPCID: $(lab_bridge $ipt -w -S SIPCID)"
done
[ "$(lab_queue_field 3)" -ge 1 ] || lab_fail "no packet waits in the queue of the stopped sipcidd"
lab_firewall status | grep -A1 '^== sipcid-guard' | grep -q '^the line is OPEN: iptables ip6tables:' ||
	lab_fail "sipcid-firewall status does not say the guard opened the line: $(lab_firewall status)"

stall_end sigstop
stall_guard_closed
grep -q 'sipcidd takes packets again' "$LAB_TMP/guard.log" || lab_fail "the guard closed for another reason: $(cat "$LAB_TMP/guard.log")"
stall_blocked_dropped after
lab_firewall status | grep -A1 '^== sipcid-guard' | grep -q '^no bypass in chain SIPCID' ||
	lab_fail "sipcid-firewall status does not say the line is closed: $(lab_firewall status)"
[ "$(lab_guard_state opens)" = 1 ] || lab_fail "the guard opened the line $(lab_guard_state opens) times, expected 1"
[ "$(stall_status guard-opens)" = 1 ] || lab_fail "sipcidd --status does not count the opening: $(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL")"
open_ms=$(stall_status guard-open-ms)
[ "$open_ms" -gt 0 ] || lab_fail "sipcidd --status says the line was open $open_ms ms"

stall_begin sigstop
stall_ring_within_limit restarted "sipcidd stopped again"
kill -KILL "$LAB_SIPCIDD_PID"
wait "$LAB_SIPCIDD_PID" 2>/dev/null
lab_wait_unbound
mv "$LAB_TMP/sipcidd.log" "$LAB_TMP/sipcidd-1.log"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
stall_guard_closed
grep -Eq 'no sipcidd is bound|a new sipcidd is bound' "$LAB_TMP/guard.log" ||
	lab_fail "the guard did not close the line for the restarted sipcidd: $(cat "$LAB_TMP/guard.log")"
stall_blocked_dropped restarted
[ "$(stall_status guard-opens)" = 2 ] || lab_fail "sipcidd --status of the new sipcidd does not count both openings"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
lab_stop "$LAB_GUARD_PID" || lab_fail "sipcid-guard exited with an error: $(cat "$LAB_TMP/guard.log")"
echo "PASS: a stopped sipcidd: the phone rang after $ttr s; inspection resumed after SIGCONT (open $open_ms ms) and after a restart"
