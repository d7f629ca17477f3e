# SPDX-License-Identifier: GPL-2.0-or-later
# stall.sh: the stall guard's lab, for tests/lab/stall_*.sh and
# bench/stall_bench.sh. Source it after lab.sh.
#
# sipcidd runs with one block rule, sipcid-guard beside it. A stall is made
# for real, three ways (stall_begin KIND):
#   sigstop  the whole process stopped (SIGSTOP);
#   packets  the packet thread frozen (ptrace, freeze_thread), the main loop lives;
#   main     the main loop frozen (ptrace), the packet thread lives.
# stall_ring measures one INVITE with its RFC 3261 retransmissions from the
# provider to the phone; stall_blocked_dropped proves the line is inspected.

STALL_BLOCKED=+15550006666   # the rule blocks this caller
STALL_ALLOWED=+15551230000
STALL_PORT=5100              # a fresh receiver port per measurement (the rules
                             # queue it: the sender's source port is 5060)
STALL_FREEZE_PID=

# stall_setup [SIPCIDD ARGS...]: the lab, the firewall, sipcidd and the guard.
# With STALL_WATCHDOG_USEC set, sipcidd runs as under systemd's watchdog:
# its notifications land in $LAB_TMP/notify.log ("MONOTONIC MESSAGE" lines).
stall_setup() {
	lab_require jq
	lab_setup
	lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
	printf '# stall lab\nblock number %s\n' "$STALL_BLOCKED" >"$LAB_TMP/rules"
	printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
	if [ -n "${STALL_WATCHDOG_USEC:-}" ]; then
		lab_start bridge "$LAB_TMP/notify.out" python3 "$LAB_SRC/tests/lab/labnet.py" recv-notify \
			--timeout 170 "$LAB_TMP/notify.sock" "$LAB_TMP/notify.log"
		lab_wait_for "the notify socket" 100 test -e "$LAB_TMP/notify.sock.ready"
		export NOTIFY_SOCKET=$LAB_TMP/notify.sock WATCHDOG_USEC=$STALL_WATCHDOG_USEC
	fi
	lab_sipcidd --config "$LAB_TMP/sipcid.conf" "$@"
	unset NOTIFY_SOCKET WATCHDOG_USEC
	lab_guard
	if [ -n "${STALL_WATCHDOG_USEC:-}" ]; then
		lab_wait_for "sipcidd's READY=1" 100 grep -q ' READY=1$' "$LAB_TMP/notify.log"
		lab_wait_for "sipcidd's watchdog pings" 100 eval '[ "$(stall_pings 0 1e9)" -ge 2 ]'
	fi
}

# stall_pings FROM TO: the WATCHDOG=1 notifications sipcidd sent between
# the monotonic times FROM and TO (seconds).
stall_pings() {
	awk -v a="$1" -v b="$2" '$2 == "WATCHDOG=1" && $1 >= a && $1 <= b { n++ } END { print n + 0 }' \
		"$LAB_TMP/notify.log"
}

# stall_no_pings_while_frozen T0 KIND: nothing pinged systemd from 1 s after
# the stall began at T0 until now (the check runs every half interval: one
# ping may still leave just after the freeze), and the stall lasted 2 s at
# least, twice the lab's watchdog interval: systemd would restart sipcidd.
stall_no_pings_while_frozen() {
	local t1 pings
	sleep 1
	t1=$(lab_clock)
	awk -v a="$1" -v b="$t1" 'BEGIN { exit !(b - a >= 2.0) }' || lab_fail "the stall lasted less than 2 s"
	pings=$(stall_pings "$(awk -v a="$1" 'BEGIN { print a + 1.0 }')" "$t1")
	[ "$pings" = 0 ] || lab_fail "sipcidd sent $pings WATCHDOG=1 with its $2 frozen: $(cat "$LAB_TMP/notify.log")"
}

# stall_pings_resume T: WATCHDOG=1 again after the monotonic time T (at most 5 s).
stall_pings_resume() {
	lab_wait_for "WATCHDOG=1 after the stall" 50 eval '[ "$(stall_pings '"$1"' 1e9)" -ge 1 ]'
}

# stall_begin KIND: stalls sipcidd (see above); returns once it is stalled.
stall_begin() {
	case $1 in
	sigstop)
		kill -STOP "$LAB_SIPCIDD_PID" || lab_fail "kill -STOP sipcidd"
		lab_wait_for "sipcidd to stop" 50 grep -q '^State:.*stopped' /proc/"$LAB_SIPCIDD_PID"/status
		;;
	packets | main)
		"${FREEZE_THREAD:-$LAB_BUILD/tests/lab/freeze_thread}" "$LAB_SIPCIDD_PID" "$1" \
			>"$LAB_TMP/freeze.out" 2>&1 &
		STALL_FREEZE_PID=$!
		LAB_PIDS+=("$STALL_FREEZE_PID")
		lab_wait_for "the $1 thread to freeze" 100 grep -q '^frozen' "$LAB_TMP/freeze.out"
		;;
	*) lab_fail "stall_begin: unknown kind $1" ;;
	esac
}

# stall_end KIND: lets sipcidd run again.
stall_end() {
	case $1 in
	sigstop) kill -CONT "$LAB_SIPCIDD_PID" || lab_fail "kill -CONT sipcidd" ;;
	packets | main)
		kill -TERM "$STALL_FREEZE_PID"
		wait "$STALL_FREEZE_PID" || lab_fail "freeze_thread: $(cat "$LAB_TMP/freeze.out")"
		grep -q '^thawed' "$LAB_TMP/freeze.out" || lab_fail "the $1 thread was not thawed"
		;;
	esac
}

# stall_ring NAME: one INVITE from an allowed caller with its retransmissions
# (0.5, 1, 2, 4, 4, 4 s apart) from the provider; sets STALL_TTR to the
# seconds from its first send to the phone's first copy. Fails when none
# arrives in 20 s. (Not in a $(...) subshell: it counts receiver ports.)
stall_ring() {
	local dir=$LAB_TMP/ring-$1 rx tx
	STALL_PORT=$((STALL_PORT + 1))
	lab_net sip INVITE --call-id "ring-$1@lab" --from-user $STALL_ALLOWED >"$dir.sip"
	lab_start phone "$dir.out" python3 "$LAB_SRC/tests/lab/labnet.py" recv-udp --count 1 \
		--timeout 20 --first-at "$dir.first" 0.0.0.0 $STALL_PORT "$dir"
	rx=$LAB_PID
	lab_wait_for "the phone's receiver" 100 test -e "$dir/ready"
	lab_start prov "$dir.send" python3 "$LAB_SRC/tests/lab/labnet.py" send-retrans --src-port 5060 \
		--first-sent "$dir.sent" --stop-file "$dir.stop" $LAB_PHONE_IP $STALL_PORT "$dir.sip"
	tx=$LAB_PID
	wait "$rx"
	touch "$dir.stop"
	wait "$tx" || lab_fail "the INVITE's sender failed: $(cat "$dir.send")"
	[ -e "$dir.first" ] || lab_fail "no copy of INVITE ring-$1 reached the phone in 20 s"
	cmp -s "$dir/000000.bin" "$dir.sip" || lab_fail "INVITE ring-$1 arrived changed"
	STALL_TTR=$(awk 'NR == FNR { sent = $1; next } { printf "%.3f\n", $1 - sent }' "$dir.sent" "$dir.first")
}

# stall_ring_within_limit NAME WHAT: stall_ring, and the first copy must
# come within 2 s of the first send (the lab tests' limit); says so.
stall_ring_within_limit() {
	stall_ring "$1"
	echo "time-to-ring with $2: $STALL_TTR s"
	awk -v t="$STALL_TTR" 'BEGIN { exit !(t < 2.0) }' ||
		lab_fail "with $2 the phone got the first copy $STALL_TTR s after the first send (limit 2 s)"
}

# stall_blocked_dropped NAME: three copies of an INVITE from the blocked
# caller, then one from an allowed caller, on the same path: the allowed
# one reaches the phone, the blocked copies do not (they would have arrived
# first), so sipcidd inspects the line.
stall_blocked_dropped() {
	local dir=$LAB_TMP/blocked-$1 rx
	STALL_PORT=$((STALL_PORT + 1))
	lab_net sip INVITE --call-id "blocked-$1@lab" --from-user $STALL_BLOCKED >"$dir.blocked"
	lab_net sip INVITE --call-id "marker-$1@lab" --from-user $STALL_ALLOWED >"$dir.marker"
	lab_udp_receiver "$dir" $STALL_PORT 4 0.0.0.0 --timeout 30
	rx=$LAB_RECV_PID
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP $STALL_PORT \
		"$dir.blocked" "$dir.blocked" "$dir.blocked" "$dir.marker" || lab_fail "sending blocked-$1"
	lab_wait_for "marker-$1 at the phone" 100 eval "grep -lq 'Call-ID: marker-$1@lab' '$dir'/*.bin"
	kill "$rx" 2>/dev/null
	wait "$rx" 2>/dev/null
	if grep -lq "Call-ID: blocked-$1@lab" "$dir"/*.bin; then
		lab_fail "$(grep -l "Call-ID: blocked-$1@lab" "$dir"/*.bin | wc -l) copies of the blocked INVITE blocked-$1 reached the phone: the line is not inspected"
	fi
}

# stall_guard_closed: waits (at most 5 s) for the guard to close the line.
stall_guard_closed() {
	lab_wait_for "sipcid-guard to close the line" 50 eval '[ "$(lab_guard_state open)" = 0 ]'
	local ipt
	for ipt in iptables ip6tables; do
		if lab_bridge $ipt -w -S SIPCID | grep -q 'sipcid-guard'; then
			lab_fail "the guard's rule is still in $ipt chain SIPCID: $(lab_bridge $ipt -w -S SIPCID)"
		fi
	done
}

# stall_status KEY: a value of sipcidd --status.
stall_status() {
	lab_bridge "${SIPCIDD:-$LAB_BUILD/bridge-daemon/sipcidd}" --status --control-socket "$LAB_CONTROL" |
		awk -v k="$1:" '$1 == k { print $2 }'
}
