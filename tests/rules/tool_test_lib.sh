# SPDX-License-Identifier: GPL-2.0-or-later
# What the sipcid-rules tool tests share; sourced after setting $dir (a
# scratch directory the caller removes). Each check counts a failure and
# goes on; finish exits 1 when any failed.
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

run() {  # run STATUS command...: runs it (output in $dir/out, $dir/err), checks the status
	want=$1
	shift
	"$@" >"$dir/out" 2>"$dir/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "'$*' exited $got, expected $want; stdout: $(cat "$dir/out"); stderr: $(cat "$dir/err")"
	fi
}

same() {  # same FILE EXPECTED-TEXT
	if [ "$(cat "$1")" != "$2" ]; then
		fail "expected [$2], got [$(cat "$1")]"
	fi
}

contains() {  # contains FILE TEXT
	if ! grep -qF -- "$2" "$1"; then
		fail "expected [$2] in $1: [$(cat "$1")]"
	fi
}

lacks() {  # lacks FILE TEXT
	if grep -qF -- "$2" "$1"; then
		fail "did not expect [$2] in $1: [$(cat "$1")]"
	fi
}

finish() {
	if [ "$failures" -gt 0 ]; then
		echo "$failures failures" >&2
		exit 1
	fi
}
