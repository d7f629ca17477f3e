#!/bin/bash
# Live mode without a usable announce interface does not start: it exits 2
# before it binds the queue, naming the interface and the fix, and sends
# nothing (it never falls back to 255.255.255.255). --no-notify is the way
# to run without announcements. In a network namespace of our own; each run
# is bounded by `timeout`, so a sipcidd that wrongly started cannot hang it.
#   live_no_interface.sh SIPCIDD
set -u
SIPCIDD=$1
. "$(dirname "$0")/netns.sh" noif

# start NAME CONFIG_TEXT: live sipcidd on queue 7 of the namespace, at most 20 s.
start() {
	printf '%s\n' "$2" > "$WORK/$1.conf"
	in_ns timeout 20 "$SIPCIDD" --config "$WORK/$1.conf" --queue 7 --control-socket "" \
		> "$WORK/$1.out" 2> "$WORK/$1.err"
}
# refused NAME CONFIG_TEXT PATTERN
refused() {
	start "$1" "$2"
	local rc=$?
	[ $rc = 2 ] || fail "$1: exit $rc, expected 2: $(cat "$WORK/$1.err")"
	grep -q -- "$3" "$WORK/$1.err" || fail "$1: no clear error: $(cat "$WORK/$1.err")"
	grep -q "listening on NFQUEUE" "$WORK/$1.err" && fail "$1: got as far as the queue: $(cat "$WORK/$1.err")"
	echo "ok - $1: $(cat "$WORK/$1.err")"
}

# No br0 at all (the default interface).
refused no-br0 "" "interface br0 does not exist.*set \[notify\] interface to the LAN bridge.*--no-notify"
# A bridge without an IPv4 address.
in_ns ip link add br0 type bridge || fail "cannot add a bridge"
in_ns ip link set br0 up
refused no-address "" "interface br0 has no IPv4 broadcast address.*give it an address"
# Growl alone still needs it.
refused growl-only "[notify]
udp =" "\[notify\] growl: interface br0 has no IPv4 broadcast address"
refused named "[notify]
interface = lan-missing0" "interface lan-missing0 does not exist"
echo ok
