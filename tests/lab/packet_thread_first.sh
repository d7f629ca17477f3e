#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# When the CPU is short, the packet thread goes first: every other thread of
# a running sipcidd (the main loop with its announcements, the call log
# writer) runs at a nice value 10 above the packet thread's, so that under
# overload the outputs fall behind instead of the packet path (which would
# let calls through uninspected, blocked ones included). Read from the
# kernel's own view of each thread (/proc/PID/task/TID/stat).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd
# One call, so that the call log writer has work and is surely running.
lab_net sip INVITE --call-id "prio@lab" >"$LAB_TMP/invite"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$LAB_TMP/invite"
lab_wait_for "the call announced" 100 eval '[ "$(lab_events_matching ".event == \"call\"")" -ge 1 ]'

# nice_of NAME: the nice value of the thread named NAME (field 19 of stat,
# counted after the parenthesised name, which may contain spaces).
nice_of() {
	local t
	for t in /proc/$LAB_SIPCIDD_PID/task/*; do
		[ "$(cat "$t/comm")" = "$1" ] || continue
		sed 's/.*) //' "$t/stat" | awk '{ print $17 }'
		return 0
	done
	return 1
}
packets=$(nice_of sipcid-packets) || lab_fail "no thread named sipcid-packets in sipcidd"
main=$(nice_of sipcidd) || lab_fail "no main thread named sipcidd"
calllog=$(nice_of sipcid-calllog) || lab_fail "no call log thread (is the call log on?)"
echo "nice values: packet thread $packets, main loop $main, call log $calllog"
[ "$main" = $((packets + 10)) ] || lab_fail "main loop nice $main, expected $((packets + 10))"
[ "$calllog" = $((packets + 10)) ] || lab_fail "call log nice $calllog, expected $((packets + 10))"
grep -q "could not lower the priority" "$LAB_TMP/sipcidd.log" &&
	lab_fail "sipcidd said: $(grep 'could not lower' "$LAB_TMP/sipcidd.log")"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error"
echo "PASS: the packet thread runs at a higher priority than the outputs"
