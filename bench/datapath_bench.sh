#!/bin/bash
# datapath_bench.sh [BUILD_DIR]: sipcidd's datapath against two baselines
# measured in the same run, in a namespace lab (root):
#   (a) the bridge with no queue rule, (b) nfq_bare, a bare accept-all
#   NFQUEUE consumer, (c) sipcidd.
# For each: the highest rate of a SIP mix (INVITE, 100, 180, 200, ACK, BYE,
# OPTIONS, REGISTER) passed with zero loss, and one-way latency p50/p99 at a
# fixed rate; then sipcidd's RSS after 100 000 calls. Prints ratios.
# Bounded: each rate step lasts STEP seconds, at most ${#RATES[@]} steps.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export SIPCID_SRC=${SIPCID_SRC:-$(dirname "$HERE")}
export SIPCID_BUILD=${1:-${SIPCID_BUILD:-$SIPCID_SRC/build}}
. "$SIPCID_SRC/tests/lab/lab.sh"
LOAD=$SIPCID_BUILD/bench/sip_load
BARE=$SIPCID_BUILD/bench/nfq_bare
SIPCIDD=$SIPCID_BUILD/bridge-daemon/sipcidd
for f in "$LOAD" "$BARE" "$SIPCIDD"; do [ -x "$f" ] || lab_fail "build first: $f is missing"; done
STEP=${STEP:-2}
RATES=(${RATES:-10000 20000 30000 40000 50000 60000 70000 80000 100000 120000 150000})
LAT_RATE=${LAT_RATE:-5000}
lab_setup

# run RATE SECONDS [mix|invites] [FIRST_CALL]
#   -> "sent received p50 p99 invite_p50 invite_p99 achieved_pps"
run() {
	lab_start phone "$LAB_TMP/sink.out" "$LOAD" sink 5060 $(( ${2%.*} + 10 ))
	local sink=$LAB_PID
	lab_wait_for "the sink" 50 grep -q ready "$LAB_TMP/sink.out"
	local sender
	sender=$(lab_prov "$LOAD" send $LAB_PHONE_IP 5060 "$1" "$2" "${3:-mix}" "${4:-0}")
	wait "$sink"
	awk -v s="$(echo "$sender" | awk '{ print $2 }')" -v a="$(echo "$sender" | awk '{ print $6 }')" \
		'/^received/ { print s, $2, $4, $6, $8, $10, a }' "$LAB_TMP/sink.out"
}

# inspected: packets the consumer under test has read so far (0 for none).
# With fail-open a queue that falls behind still delivers everything, so
# "zero loss" also requires that the consumer saw every packet.
CONSUMER=none
inspected() {
	case $CONSUMER in
	none) echo 0 ;;
	nfq_bare)
		local before
		before=$(grep -c '^packets' "$LAB_TMP/bare.out")
		kill -USR1 "$bare"
		lab_wait_for "nfq_bare's count" 20 eval "[ \$(grep -c '^packets' '$LAB_TMP/bare.out') -gt $before ]"
		awk '/^packets/ { n = $2 } END { print n }' "$LAB_TMP/bare.out" ;;
	sipcidd)
		lab_bridge "$SIPCIDD" --status --control-socket "$LAB_TMP/control.sock" | awk '/^packets:/ { print $2 }' ;;
	esac
}

# max_zero_loss LABEL: the highest rate in RATES with every packet delivered
# (and, with a consumer, inspected by it).
max_zero_loss() {
	local best=0 r out sent got achieved seen0 seen
	for r in "${RATES[@]}"; do
		seen0=$(inspected)
		out=$(run "$r" "$STEP")
		seen=$(( $(inspected) - seen0 ))
		read -r sent got _ _ _ _ achieved <<<"$out"
		[ "$CONSUMER" = none ] && seen=$sent
		echo "  $1: asked $r pps, sent $sent at $achieved pps, received $got, inspected $seen" >&2
		[ "$sent" = "$got" ] && [ "$seen" = "$sent" ] || break
		best=$achieved
	done
	echo "$best"
}

declare -A PPS P50 P99 IP99
measure() {
	PPS[$1]=$(max_zero_loss "$1")
	read -r _ _ P50[$1] P99[$1] _ IP99[$1] _ <<<"$(run "$LAT_RATE" "$STEP")"
	echo "$1: zero-loss ${PPS[$1]} pps; latency at $LAT_RATE pps p50 ${P50[$1]} us p99 ${P99[$1]} us (INVITE p99 ${IP99[$1]} us)"
}

measure bridge
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
LAB_ERR=$LAB_TMP/bare.log lab_start bridge "$LAB_TMP/bare.out" "$BARE" "$LAB_QUEUE"
bare=$LAB_PID
lab_wait_bound
CONSUMER=nfq_bare
measure nfq_bare
lab_stop "$bare"
lab_wait_unbound
# sipcidd twice: with its packet path alone (outputs off: no announcements,
# no call log, no RTP copies), and as installed (every output on). The
# mix starts a new call every 8 packets, so at these rates the outputs see
# thousands of calls a second and compete for the same 2 CPUs; a home line
# sees a call a minute. Both are printed.
printf '[log]\nenabled = false\n[record]\nnflog-group = 0\n' >"$LAB_TMP/quiet.conf"
start_sipcidd() {
	LAB_ERR=$LAB_TMP/sipcidd.log lab_start bridge /dev/null "$SIPCIDD" --queue "$LAB_QUEUE" \
		--control-socket "$LAB_TMP/control.sock" "$@"
	sipcidd=$LAB_PID
	lab_wait_bound
	lab_wait_for "the control socket" 50 test -S "$LAB_TMP/control.sock"
}
CONSUMER=sipcidd
start_sipcidd --no-notify --config "$LAB_TMP/quiet.conf"
measure sipcidd_path
lab_stop "$sipcidd" >/dev/null
lab_wait_unbound
start_sipcidd
measure sipcidd

rss_before=$(awk '/^VmRSS/ { print $2 }' /proc/$sipcidd/status)
run 20000 5 invites 1000000 >/dev/null
calls=$(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_TMP/control.sock" | awk '/^calls:/ { print $2 }')
rss_after=$(awk '/^VmRSS/ { print $2 }' /proc/$sipcidd/status)
lab_stop "$sipcidd"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
diff_us() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
echo
echo "== results (one run; compare ratios, not absolute numbers)"
echo "zero-loss pps (achieved by the sender; the top step is a floor when all pass): bridge ${PPS[bridge]}, nfq_bare ${PPS[nfq_bare]}, sipcidd packet path ${PPS[sipcidd_path]}, sipcidd with outputs ${PPS[sipcidd]}"
echo "sipcidd packet path / nfq_bare pps:  $(ratio "${PPS[sipcidd_path]}" "${PPS[nfq_bare]}")   (target >= 0.90)"
echo "sipcidd with outputs / nfq_bare pps: $(ratio "${PPS[sipcidd]}" "${PPS[nfq_bare]}")"
echo "nfq_bare / bridge pps:   $(ratio "${PPS[nfq_bare]}" "${PPS[bridge]}")"
echo "added latency p50 (sipcidd - bridge): $(diff_us "${P50[sipcidd]}" "${P50[bridge]}") us; packet path only: $(diff_us "${P50[sipcidd_path]}" "${P50[bridge]}") us; nfq_bare: $(diff_us "${P50[nfq_bare]}" "${P50[bridge]}") us"
echo "added latency p99 (sipcidd - bridge): $(diff_us "${P99[sipcidd]}" "${P99[bridge]}") us; nfq_bare: $(diff_us "${P99[nfq_bare]}" "${P99[bridge]}") us"
echo "added INVITE latency p99 (sipcidd - bridge): $(diff_us "${IP99[sipcidd]}" "${IP99[bridge]}") us   (target <= 200)"
echo "sipcidd RSS: ${rss_before} KiB at start, ${rss_after} KiB after $calls calls   (target <= 16384 KiB)"
