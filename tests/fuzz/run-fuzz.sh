#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer targets with clang, ASan and UBSan in their own build
# directory and runs each for a bounded time.
#
#   tests/fuzz/run-fuzz.sh [--smoke] [--time SECONDS] [--build DIR] [--build-only] [TARGET...]
#
# TARGET is fuzz_callerid, fuzz_frame, fuzz_wire, fuzz_read, fuzz_identity,
# fuzz_attest, fuzz_reply and/or fuzz_tcp_rewrite (default: all eight). --time
# is per target (default 60; --smoke, for CI, is 30; run it for hours by hand),
# except that fuzz_wire, fuzz_read, fuzz_identity, fuzz_attest, fuzz_reply and
# fuzz_tcp_rewrite get a third of it when other targets run too (fuzz_attest's
# and fuzz_reply's code is small, like fuzz_wire's; fuzz_tcp_rewrite is pure:
# 550 000 runs in 30 s):
# fuzz_wire's decoder is small (a 60 s run had 97% of its final coverage
# after 3 s), fuzz_read's and fuzz_identity's code is mostly fuzz_frame's and
# fuzz_callerid's, and the whole run stays near what it was.
# New inputs that reach new code are kept in DIR/corpus-TARGET between runs;
# a crash leaves its input in DIR/artifacts/ and the script fails. To replay
# one: DIR/tests/fuzz/TARGET DIR/artifacts/crash-...
set -u -o pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$repo/build-fuzz
seconds=60
targets=()
while [ $# -gt 0 ]; do
	case $1 in
	--time)
		[ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "run-fuzz.sh: --time expects seconds" >&2; exit 2; }
		seconds=$2; shift ;;
	--smoke) seconds=30 ;;
	--build-only) build_only=1 ;;  # compile the targets, run nothing (tests/run-all.sh)
	--build) [ $# -ge 2 ] || { echo "run-fuzz.sh: --build expects a directory" >&2; exit 2; }
		build=$2; shift ;;
	fuzz_callerid|fuzz_frame|fuzz_wire|fuzz_read|fuzz_identity|fuzz_attest|fuzz_reply|fuzz_tcp_rewrite) targets+=("$1") ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run-fuzz.sh: unknown argument $1 (targets: fuzz_callerid fuzz_frame fuzz_wire fuzz_read fuzz_identity fuzz_attest fuzz_reply fuzz_tcp_rewrite)" >&2; exit 2 ;;
	esac
	shift
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_callerid fuzz_frame fuzz_wire fuzz_read fuzz_identity fuzz_attest fuzz_reply fuzz_tcp_rewrite)

if ! command -v clang >/dev/null; then
	echo "run-fuzz.sh: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi

# -fsanitize=fuzzer-no-link instruments the library code the targets link for
# coverage; the targets themselves add -fsanitize=fuzzer (tests/fuzz/meson.build).
if [ -f "$build/build.ninja" ]; then
	setup=(meson setup --reconfigure "$build")
else
	setup=(meson setup "$build")
fi
setup_log=$(mktemp "${TMPDIR:-/tmp}/sipcid-fuzz-setup.XXXXXX")
trap 'rm -f "$setup_log"' EXIT
# clang++ too: lib/phonenumber.cpp is C++, and the targets link with it.
CC=clang CXX=clang++ "${setup[@]}" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
	-Dbuildtype=debugoptimized -Dc_args=-fsanitize=fuzzer-no-link \
	-Dcpp_args=-fsanitize=fuzzer-no-link >"$setup_log" 2>&1 || {
	cat "$setup_log" >&2
	echo "run-fuzz.sh: meson setup failed" >&2
	exit 1
}
ninja -C "$build" "${targets[@]/#/tests/fuzz/}" || { echo "run-fuzz.sh: build failed" >&2; exit 1; }
[ "${build_only:-}" ] && exit 0

export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
	dict=$repo/tests/fuzz/sip.dict
	budget=$seconds
	case $t in
	fuzz_callerid) seeds=("$repo/tests/fuzz/seeds" "$repo/tests/corpus") ;;
	fuzz_frame) seeds=("$repo/tests/fuzz/seeds-frame") ;;
	fuzz_reply)
		# The response builder is small: a third of the time, as fuzz_wire.
		seeds=("$repo/tests/fuzz/seeds" "$repo/tests/corpus")
		if [ ${#targets[@]} -gt 1 ]; then
			budget=$(( (seconds + 2) / 3 ))
		fi
		;;
	fuzz_wire)
		seeds=("$repo/tests/fuzz/seeds-wire")
		dict=$repo/tests/fuzz/wire.dict
		if [ ${#targets[@]} -gt 1 ]; then
			budget=$(( (seconds + 2) / 3 ))
		fi
		;;
	fuzz_read|fuzz_identity|fuzz_attest|fuzz_tcp_rewrite)
		if [ "$t" = fuzz_read ]; then
			seeds=("$repo/tests/fuzz/seeds-read" "$repo/tests/captures")
		elif [ "$t" = fuzz_attest ]; then
			seeds=("$repo/tests/fuzz/seeds-attest")
		elif [ "$t" = fuzz_tcp_rewrite ]; then
			seeds=("$repo/tests/fuzz/seeds-tcp-rewrite")
		else
			seeds=("$repo/tests/fuzz/seeds-identity")
		fi
		if [ ${#targets[@]} -gt 1 ]; then
			budget=$(( (seconds + 2) / 3 ))
		fi
		;;
	esac
	for d in "${seeds[@]}"; do
		[ -d "$d" ] || { echo "run-fuzz.sh: seed directory $d is missing" >&2; exit 1; }
	done
	mkdir -p "$build/corpus-$t"
	echo "== $t for ${budget}s"
	# The first directory receives the new inputs; the seeds stay read-only.
	# -timeout: one input taking over 10 s is a hang, and a hang on the
	# packet path is a dropped call.
	if "$build/tests/fuzz/$t" -max_total_time="$budget" -timeout=10 -rss_limit_mb=2048 \
			-dict="$dict" -artifact_prefix="$build/artifacts/$t-" \
			-print_final_stats=1 "$build/corpus-$t" "${seeds[@]}" >"$build/$t.log" 2>&1; then
		grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done )' "$build/$t.log"
		echo "PASS $t"
	else
		tail -n 60 "$build/$t.log"
		echo "FAIL $t: the failing input is in $build/artifacts/ (full log: $build/$t.log)"
		status=1
	fi
done
exit $status
