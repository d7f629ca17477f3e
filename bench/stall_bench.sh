#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stall_bench.sh [BUILD_DIR]: time-to-ring after each kind of stall, in a
# namespace lab (root): sipcidd with sipcid-guard beside it, stalled three
# ways (tests/lab/stall.sh):
#   sigstop        the whole process stopped (SIGSTOP);
#   packet-thread  the packet thread frozen (ptrace), the main loop alive;
#   main-loop      the main loop frozen (ptrace), the packet thread alive.
# Each run stalls sipcidd, sends one INVITE with its RFC 3261
# retransmissions (0.5, 1, 2, 4, 4, 4 s apart) from the provider, and times
# its first send to the phone's first copy; then ends the stall and waits
# for the guard to close the line. Prints the median and the maximum of
# RUNS (5) runs per kind.
#
# A stall that lets the phone ring lets it ring at a retransmission: 0 s
# when sipcidd still inspects (main loop), else 0.5 s or 1.5 s, whichever
# is the first copy sent after the guard opened the line (it opens once a
# packet has waited --stall-ms, 500 ms, read every 100 ms). The box's load
# decides between the two. Bounded: a copy that does not come in 20 s fails
# the run. SMOKE=1 runs each kind once (CI): it checks that the phone rings
# within 2 s of the first send, as the lab tests do.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export SIPCID_SRC=${SIPCID_SRC:-$(dirname "$HERE")}
export SIPCID_BUILD=${1:-${SIPCID_BUILD:-$SIPCID_SRC/build}}
export SIPCIDD=${SIPCIDD:-$SIPCID_BUILD/bridge-daemon/sipcidd}
export SIPCID_GUARD=${SIPCID_GUARD:-$SIPCID_BUILD/bridge-daemon/guard/sipcid-guard}
export FREEZE_THREAD=${FREEZE_THREAD:-$SIPCID_BUILD/tests/lab/freeze_thread}
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/lab/stall.sh"
for f in "$SIPCIDD" "$SIPCID_GUARD" "$FREEZE_THREAD"; do [ -x "$f" ] || lab_fail "build first: $f is missing"; done
RUNS=${RUNS:-5}
LIMIT=2.0
[ "${SMOKE:-0}" = 1 ] && RUNS=1
stall_setup

# run KIND N: one stall, one measured INVITE; its time-to-ring in STALL_TTR.
run() {
	stall_begin "$1"
	stall_ring "$1-$2"
	stall_end "$1"
	[ "$1" = main ] || stall_guard_closed
	# The copies the stall held back have left the queue before the next run.
	lab_wait_for "the queue to empty" 100 lab_queue_waiting_is 0
}

printf '%-14s %4s %8s %8s   %s\n' "stall" "runs" "median" "max" "time-to-ring, s (INVITE first sent -> phone's first copy)"
failed=0
for kind in sigstop packets main; do
	times=()
	for ((i = 0; i < RUNS; i++)); do
		run $kind $i
		times+=("$STALL_TTR")
	done
	case $kind in
	sigstop) name=sigstop ;;
	packets) name=packet-thread ;;
	main) name=main-loop ;;
	esac
	printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" -v limit=$LIMIT '
		{ t[NR] = $1 }
		END {
			med = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%-14s %4d %8.3f %8.3f   (each: %s)\n", name, NR, med, t[NR], all
			exit t[NR] >= limit
		}
		{ all = all (NR > 1 ? " " : "") $1 }' || failed=1
done
echo "guard: opened the line $(lab_guard_state opens) times, $(lab_guard_state open-ms-total) ms in all"
if [ "${SMOKE:-0}" = 1 ] && [ $failed != 0 ]; then
	lab_fail "the phone rang later than $LIMIT s after a stall"
fi
[ $failed = 0 ] || echo "note: some runs rang later than $LIMIT s (a loaded box?)"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
lab_stop "$LAB_GUARD_PID"
exit 0
