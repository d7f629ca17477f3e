#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's test command: installs every Debian package sipcid needs,
# builds it, and runs every test — the meson suites on a normal build and
# again under ASan+UBSan, a short libFuzzer run and the benchmarks' smoke runs.
#
#   bash tests/run-all.sh
#
# Needs root for apt-get (set SIPCID_NO_INSTALL=1 to skip the install on a
# machine that already has tests/deps-debian.txt). Every step runs even after
# an earlier one failed, so one run shows every problem; the exit status is
# non-zero if any step failed. Each step's outcome is appended to
# $SIPCID_STEPS_FILE (default build-steps.txt) as "PASS|FAIL KIND NAME", which
# .ci/run reads to count results beside meson's testlog.json files.
set -u -o pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
steps=${SIPCID_STEPS_FILE:-$repo/build-steps.txt}
: >"$steps"
failed=0

# step KIND NAME CMD...: KIND is setup (counted only when it fails), suite (a
# meson test run, whose tests .ci/run counts from testlog.json) or test (one
# result of its own).
step() {
	local kind=$1 name=$2
	shift 2
	echo "=== $kind $name"
	if "$@"; then
		echo "PASS $kind $name" >>"$steps"
		return 0
	fi
	echo "FAIL $kind $name" >>"$steps"
	echo "=== $kind $name FAILED"
	failed=1
	return 1
}

install_deps() {
	export DEBIAN_FRONTEND=noninteractive
	apt-get update &&
		xargs apt-get install -y --no-install-recommends < <(grep -v '^#' tests/deps-debian.txt)
}

# setup_build DIR [MESON OPTIONS...]: a fresh build directory every time, so
# no stale option or object survives from an earlier run.
setup_build() {
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --wipe "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}

if [ "${SIPCID_NO_INSTALL:-0}" = 1 ]; then
	echo "=== install: skipped (SIPCID_NO_INSTALL=1)"
elif [ "$(id -u)" != 0 ]; then
	echo "=== install: needs root (or SIPCID_NO_INSTALL=1 when tests/deps-debian.txt is installed)"
	echo "FAIL setup install" >>"$steps"
	failed=1
else
	step setup install install_deps
fi

# playwright-core for the browser tests, at the version package-lock.json
# pins (`npm ci` only when it is not already installed, so a box that has it
# runs offline). Debian's npm only where there is no npm at all.
browser_deps() {
	if ! command -v npm >/dev/null; then
		[ "$(id -u)" = 0 ] && [ "${SIPCID_NO_INSTALL:-0}" != 1 ] &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm || return 1
	fi
	bash tests/web/browser/install.sh
}
step setup "browser deps" browser_deps

export ASAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# The ASan+UBSan build and the fuzz targets compile while the normal suite
# runs, at the lowest priority: most of that suite's time is lab tests
# waiting for SIP timers and real calls, and the tests that time sipcidd run
# last, by when the compilers are done. It saves the run about 4 minutes.
sanitizer_builds() {
	nice -n 19 bash -c '
		step() { local kind=$1 name=$2; shift 2; echo "=== $kind $name (beside the normal suite)"
			if "$@"; then echo "PASS $kind $name" >>"$STEPS"; else echo "FAIL $kind $name" >>"$STEPS"; exit 1; fi; }
		'"$(declare -f setup_build)"'
		step setup build-asan setup_build build-asan -Db_sanitize=address,undefined -Db_lundef=false &&
		step setup "compile build-asan" ninja -C build-asan
		asan=$?
		# The fuzz targets: built now, run after the suites (a failure here shows again there).
		bash tests/fuzz/run-fuzz.sh --build-only >build-fuzz.log 2>&1 || echo "=== fuzz targets did not build yet (see build-fuzz.log)"
		exit $asan' >sanitizer-builds.log 2>&1
}

# Normal build: the README's build step, then every suite.
asan_pid=
if step setup "build" setup_build build && step setup "compile build" ninja -C build; then
	STEPS=$steps sanitizer_builds &
	asan_pid=$!
	step suite build meson test -C build --print-errorlogs
fi

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer.
if [ -n "$asan_pid" ]; then
	wait "$asan_pid"
	asan_built=$?
	cat sanitizer-builds.log
else
	step setup "build-asan" setup_build build-asan -Db_sanitize=address,undefined -Db_lundef=false &&
		step setup "compile build-asan" ninja -C build-asan
	asan_built=$?
fi
if [ "$asan_built" = 0 ]; then
	step suite build-asan meson test -C build-asan --print-errorlogs --timeout-multiplier 3
else
	failed=1
fi

# A short fuzz run of each libFuzzer target (clang, own build directory).
step test fuzz-smoke bash tests/fuzz/run-fuzz.sh --time "${SIPCID_FUZZ_SECONDS:-20}"

# The benchmark's smoke run: every reader works and sipcidd reports exactly
# the generated calls. Its ratios are printed, not judged.
step test bench-smoke bash bench/offline_bench.sh --smoke --build build
# The datapath benchmark's smoke run, in its own namespace lab: the bridge,
# nfq_bare and sipcidd each pass a low rate of the SIP mix with zero loss.
step test datapath-bench-smoke env SMOKE=1 bash bench/datapath_bench.sh build
# The rule engine's smoke run: decisions per second with and without rules on
# libphonenumber's country and type, and the allocations per decision, printed.
step test rules-bench-smoke env SMOKE=1 build/bench/rules_bench
# The stall benchmark's smoke run: time-to-ring after each kind of stall, printed.
step test stall-bench-smoke env SMOKE=1 bash bench/stall_bench.sh build
# The reject benchmark's smoke run: every blocked INVITE answered with its
# outcome's code; provider-side round trips printed against the plain bridge.
step test reject-bench-smoke env SMOKE=1 bash bench/reject_bench.sh build
# The number lists' smoke run: load time, memory and decision cost, printed;
# it fails only when the listed callers are not exactly the ones blocked.
step test lists-bench-smoke env SMOKE=1 build/bench/lists_bench
# The TCP reject benchmark's smoke run: 20 blocked calls over one TCP
# connection get 603, 20 baseline calls 420; the times are printed.
step test tcp-reject-bench-smoke env SMOKE=1 bash bench/tcp_reject_bench.sh build
# sipcid-web's call log benchmark's smoke run: 3 000 calls, every answer
# checked; server times against sqlite3 and a static file, and RSS, printed.
step test web-bench-smoke env SMOKE=1 bash bench/web_bench.sh build

exit $failed
