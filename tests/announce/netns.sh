# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the announce tests that run in a network namespace of their own,
# so nothing they send leaves it:
#   . "$(dirname "$0")/netns.sh" NAME
# Defines fail and in_ns, sets NS (sipcid-NAME-..., with lo up) and WORK (a
# temporary directory), and on exit kills CAP_PID (the test's own background
# capture, if one is running) and removes the namespace and WORK.
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root to create a network namespace"
NS="sipcid-$1-$$-$RANDOM"
WORK=$(mktemp -d)
netns_cleanup() {
	if [ -n "${CAP_PID:-}" ]; then
		# tshark and its dumpcap; a loaded machine has seen both outlive a TERM
		local kids
		kids=$(pgrep -P "$CAP_PID")
		kill "$CAP_PID" $kids 2>/dev/null
		for _ in $(seq 40); do kill -0 "$CAP_PID" 2>/dev/null || break; sleep 0.05; done
		kill -KILL "$CAP_PID" $kids 2>/dev/null
	fi
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap netns_cleanup EXIT
ip netns add "$NS" || fail "cannot create namespace $NS"
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip link set lo up || fail "cannot bring up lo in $NS"
