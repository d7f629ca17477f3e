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
stall_setup() {
	lab_require jq
	lab_setup
	lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
	printf '# stall lab\nblock number %s\n' "$STALL_BLOCKED" >"$LAB_TMP/rules"
	printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
	lab_sipcidd --config "$LAB_TMP/sipcid.conf" "$@"
	lab_guard
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
# (0.5, 1, 2, 4, 4, 4 s apart) from the provider; prints the seconds from its
# first send to the phone's first copy. Fails when none arrives in 20 s.
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
	awk 'NR == FNR { sent = $1; next } { printf "%.3f\n", $1 - sent }' "$dir.sent" "$dir.first"
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
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 --count 3 --gap-ms 20 \
		$LAB_PHONE_IP $STALL_PORT "$dir.blocked" || lab_fail "sending blocked-$1"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 \
		$LAB_PHONE_IP $STALL_PORT "$dir.marker" || lab_fail "sending marker-$1"
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
	if lab_bridge iptables -w -S SIPCID | grep -q 'sipcid-guard'; then
		lab_fail "the guard's rule is still in chain SIPCID: $(lab_bridge iptables -w -S SIPCID)"
	fi
}

# stall_status KEY: a value of sipcidd --status.
stall_status() {
	lab_bridge "${SIPCIDD:-$LAB_BUILD/bridge-daemon/sipcidd}" --status --control-socket "$LAB_CONTROL" |
		awk -v k="$1:" '$1 == k { print $2 }'
}
