#!/bin/bash
# The sipcid datagram's default destination is the IPv4 broadcast address of
# [notify] interface (found with getifaddrs). Without that interface, or
# without an IPv4 address on it, opening the output fails with an error that
# says how to fix it, and nothing is sent: never 255.255.255.255 instead. All
# inside a network namespace of our own, with a bridge "br0".
set -u
EMIT=$1
CAPTURE=$2
. "$(dirname "$0")/netns.sh" bcast
# A bridge like the real box's, with one veth port so that it has a carrier.
in_ns ip link add br0 type bridge || fail "cannot add a bridge"
in_ns ip link add lan0p type veth peer name lan0q || fail "cannot add a veth pair"
in_ns ip link set lan0p master br0
in_ns ip link set lan0p up
in_ns ip link set lan0q up
in_ns ip addr add 10.77.0.1/24 brd + dev br0
in_ns ip link set br0 up
in_ns ip route add default dev br0

# run_case CONFIG_TEXT BIND_ADDRESS: emits one call, captures it at BIND_ADDRESS:7651.
run_case() {
	printf '%s\n' "$1" > "$WORK/conf"
	rm -f "$WORK/ready"
	in_ns "$CAPTURE" "$2" 7651 1 10 "$WORK/ready" > "$WORK/cap" &
	CAP_PID=$!
	for _ in $(seq 100); do [ -e "$WORK/ready" ] && break; sleep 0.05; done
	[ -e "$WORK/ready" ] || fail "the capture did not start"
	in_ns "$EMIT" "$WORK/conf" call +15550001111 "Broadcast Test" allow ringing \
		> "$WORK/out" 2> "$WORK/err" || fail "announce_emit failed: $(cat "$WORK/err")"
	wait "$CAP_PID" || fail "nothing arrived at $2:7651 ($(cat "$WORK/err"))"
	CAP_PID=
	grep -q '^53434944' "$WORK/cap" || fail "what arrived at $2 is not a sipcid datagram"
}

# Bound to the broadcast address itself: only datagrams sent to it arrive.
run_case "[notify]
growl =" 10.77.0.255
grep -q 'does not exist' "$WORK/err" && fail "warned although br0 exists"

# run_refused CONFIG_TEXT PATTERN: opening fails, the error matches PATTERN,
# and for 2 s nothing arrives at port 7651 on any address of the namespace.
run_refused() {
	printf '%s\n' "$1" > "$WORK/conf"
	rm -f "$WORK/ready"
	in_ns "$CAPTURE" 0.0.0.0 7651 1 2 "$WORK/ready" > "$WORK/cap" &
	CAP_PID=$!
	for _ in $(seq 100); do [ -e "$WORK/ready" ] && break; sleep 0.05; done
	[ -e "$WORK/ready" ] || fail "the capture did not start"
	in_ns "$EMIT" "$WORK/conf" call +15550001111 "Broadcast Test" allow ringing \
		> "$WORK/out" 2> "$WORK/err"
	rc=$?
	[ $rc = 2 ] || fail "announce_emit: exit $rc, expected 2 ($(cat "$WORK/err"))"
	grep -q "$2" "$WORK/err" || fail "no clear error: $(cat "$WORK/err")"
	wait "$CAP_PID" && fail "something was sent: $(cat "$WORK/cap")"
	CAP_PID=
}
run_refused "[notify]
interface = lan-missing0
growl =" 'udp: interface lan-missing0 does not exist.*set \[notify\] interface to the LAN bridge'
# lan0q exists but has no IPv4 address.
run_refused "[notify]
interface = lan0q
growl =" 'udp: interface lan0q has no IPv4 broadcast address.*give it an address'

# Listed destinations replace the default.
run_case "[notify]
udp = 10.77.0.1:7651
growl =" 10.77.0.1
echo "ok"
