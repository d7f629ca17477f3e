#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The sipcid datagram crosses a LAN the way it does at home: sipcidd replays a
# capture with the default destination (the IPv4 broadcast address of br0),
# then to an IPv4 multicast group, and sipcid-notify in the same network
# namespace receives every call by broadcast and by multicast. What it prints
# (--print --json) must equal what sipcidd prints for the same capture.
#   test_lan_delivery.sh SIPCID_NOTIFY SIPCIDD CAPTURE
set -u
NOTIFY=$(realpath "$1") SIPCIDD=$(realpath "$2") CAPTURE=$(realpath "$3")
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root to create a network namespace"
NS="sipcid-lan-$$-$RANDOM"
WORK=$(mktemp -d)
NPID=
cleanup() {
	[ -n "$NPID" ] && kill "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
in_ns() { ip netns exec "$NS" "$@"; }
ip netns add "$NS" || fail "cannot create namespace $NS"
in_ns ip link set lo up
# A bridge like the bridge box's LAN side, with a port so it has a carrier.
in_ns ip link add br0 type bridge
in_ns ip link add lan0p type veth peer name lan0q
in_ns ip link set lan0p master br0
in_ns ip link set lan0p up
in_ns ip link set lan0q up
in_ns ip addr add 10.78.0.1/24 brd + dev br0
in_ns ip link set br0 up
in_ns ip route add 224.0.0.0/4 dev br0

# The datagram does not carry box and line (docs/events.md): null at the listener.
"$SIPCIDD" --no-notify --read "$CAPTURE" --json >"$WORK/expected.raw" || fail "sipcidd --read"
# Line events (docs/events.md, "Line events") have no line key.
jq -c '.box = null | if has("call_id") then .line = null else . end' "$WORK/expected.raw" \
	>"$WORK/expected.json" || fail "jq"
n=$(wc -l <"$WORK/expected.json")
[ "$n" -ge 2 ] || fail "the capture holds too few calls to prove anything"

# deliver NAME CONFIG [NOTIFY ARGS...]: one replay, one listener.
deliver() {
	local name=$1 conf=$2
	shift 2
	printf '%s\n' "$conf" >"$WORK/$name.conf"
	ip netns exec "$NS" "$NOTIFY" --print --json --port 7651 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	NPID=$!
	for _ in $(seq 100); do grep -q "listening on UDP port" "$WORK/$name.err" && break; sleep 0.05; done
	grep -q "listening on UDP port" "$WORK/$name.err" || fail "$name: sipcid-notify did not start: $(cat "$WORK/$name.err")"
	in_ns "$SIPCIDD" --read "$CAPTURE" --config "$WORK/$name.conf" >/dev/null 2>"$WORK/$name.sipcidd.err" ||
		fail "$name: sipcidd --read failed: $(cat "$WORK/$name.sipcidd.err")"
	for _ in $(seq 100); do [ "$(wc -l <"$WORK/$name.out")" -ge "$n" ] && break; sleep 0.05; done
	kill "$NPID"
	wait "$NPID"
	local rc=$?
	NPID=
	[ $rc = 0 ] || fail "$name: sipcid-notify did not exit cleanly ($rc): $(cat "$WORK/$name.err")"
	cmp -s "$WORK/$name.out" "$WORK/expected.json" ||
		fail "$name: sipcid-notify printed something else than sipcidd: $(diff "$WORK/expected.json" "$WORK/$name.out" | head)"
	grep -q "does not exist" "$WORK/$name.sipcidd.err" && fail "$name: sipcidd did not find br0"
	echo "ok - $name: $n events delivered"
}

# The broadcast address of br0 (10.78.0.255): live mode's default, which
# --read uses only when the configuration names the interface.
deliver broadcast "[notify]
interface = br0
growl ="
# A multicast group: sipcid-notify joins it.
deliver multicast "[notify]
udp = 239.255.76.51:7651
growl =" --group 239.255.76.51
echo "PASS: broadcast and multicast delivery"
