#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `sipcidd --read` sends nothing on the network unless asked: with no
# configuration, and with the shipped sipcid.conf (whose [notify] is all
# comments), replaying a capture of 4 calls sends not one packet. With
# --announce it sends what live mode would (8 sipcid datagrams and 8 Growl
# notifications plus 2 registrations, to br0's broadcast address); with a
# [notify] that names destinations it sends to exactly those. A missing
# interface is an error, never 255.255.255.255.
#
# Everything runs in a network namespace of our own whose "br0" is one end
# of a veth pair (the other end, lan0, has no address and no route, so it
# only swallows what br0 sends); every route leaves by br0 or lo, and tshark
# watches both, so each packet sent is captured once.
#   read_quiet.sh SIPCIDD CAPTURES_DIR SHIPPED_CONF
set -u
SIPCIDD=$1 CAPS=$2 SHIPPED=$3
CAP=$CAPS/sngrep_aaa.pcap
. "$(dirname "$0")/netns.sh" quiet
command -v tshark >/dev/null || fail "tshark is missing (see tests/deps-debian.txt)"
in_ns ip link add br0 type veth peer name lan0 || fail "cannot add a veth pair"
in_ns ip addr add 10.79.0.1/24 brd + dev br0
in_ns ip link set lan0 up
in_ns ip link set br0 up
# A default route, so that a send to any address would leave (and be seen).
in_ns ip route add default dev br0

# watch NAME: tshark on br0 and lo, until unwatch.
# dumpcap's "Capture started" can come before it reads both interfaces, and
# tshark prints what it reads some time after (on a loaded machine a whole
# replay went by unseen, or was still unprinted when tshark was stopped). So
# markers fence the replay: datagrams on br0 and lo to port 9 (discard) until
# both are seen, then, before tshark stops, to port 19 until both are seen;
# unwatch removes them from the file before anything is counted.
mark() {  # mark PORT: one datagram on br0 and one on lo
	in_ns python3 -c 'import socket, sys
for a in ("10.79.0.255", "127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.sendto(b"m", (a, int(sys.argv[1])))' "$1"
}
marked() {  # marked PORT: both markers to PORT are in the current file
	[ "$(grep -P "^(10\\.79\\.0\\.255|127\\.0\\.0\\.1)\\t\\t$1\\t" "$WORK/$NAME.pkts" | sort -u | wc -l)" = 2 ]
}
watch() {
	NAME=$1
	rm -f "$WORK/$1.pkts"
	# Not through in_ns: a function run in the background is a subshell, and
	# $! would be that shell, not tshark, which would outlive unwatch's kill.
	ip netns exec "$NS" tshark -i br0 -i lo -l -n -f 'udp or tcp' -Y 'udp or tcp' -T fields -e ip.dst -e ipv6.dst -e udp.dstport \
		-e tcp.dstport > "$WORK/$1.pkts" 2> "$WORK/$1.shark" &
	CAP_PID=$!
	for _ in $(seq 100); do
		mark 9
		sleep 0.1
		marked 9 && return
		kill -0 "$CAP_PID" 2>/dev/null || break
	done
	fail "tshark did not start: $(cat "$WORK/$1.shark")"
}
unwatch() {
	local seen=
	for _ in $(seq 100); do
		mark 19
		sleep 0.1
		marked 19 && { seen=1; break; }
	done
	[ "$seen" ] || fail "tshark stopped printing: $(cat "$WORK/$NAME.shark")"
	# TERM, not INT: a background job of a script ignores SIGINT.
	kill -TERM "$CAP_PID"
	for _ in $(seq 100); do kill -0 "$CAP_PID" 2>/dev/null || break; sleep 0.05; done
	kill -0 "$CAP_PID" 2>/dev/null && fail "tshark did not stop"
	wait "$CAP_PID"
	CAP_PID=
	grep -vP '^(10\.79\.0\.255|127\.0\.0\.1)\t\t(9|19)\t' "$WORK/$NAME.pkts" >"$WORK/$NAME.tmp"
	mv "$WORK/$NAME.tmp" "$WORK/$NAME.pkts"
}
# count NAME DST PORT: how many packets went to DST:PORT
count() { awk -v d="$2" -v p="$3" '($1 == d) && ($NF == p)' "$WORK/$1.pkts" | wc -l; }
# replay NAME ARGS...: sipcidd --read of the capture in the namespace
replay() {
	local name=$1; shift
	in_ns "$SIPCIDD" --read "$CAP" --json "$@" > "$WORK/$name.json" 2> "$WORK/$name.err"
}

printf '[notify]\ninterface = br0\n' > "$WORK/iface.conf"
printf '[notify]\nudp = 10.79.0.1:7651\ngrowl =\n' > "$WORK/udp.conf"
printf '[notify]\ninterface = nothere0\n' > "$WORK/missing.conf"
# A [notify] that turns Growl off names no destination: still quiet.
printf '[notify]\ngrowl =\n' > "$WORK/growloff.conf"

# Quiet: no configuration, the shipped one, and one that names nothing.
watch quiet
replay none || fail "sipcidd --read failed: $(cat "$WORK/none.err")"
replay shipped --config "$SHIPPED" || fail "--config $SHIPPED failed: $(cat "$WORK/shipped.err")"
replay growloff --config "$WORK/growloff.conf" || fail "growl= failed: $(cat "$WORK/growloff.err")"
# Asked for, but impossible: fails before it sends anything.
replay missing --announce --config "$WORK/missing.conf"; rc=$?
unwatch
events=$(wc -l < "$WORK/none.json")
# 8 call events, and the line: down (403 Wrong password), then back up.
[ "$events" = 10 ] || fail "sipcidd found $events events in $CAP, expected 10"
calls=$(grep -c '"call_id"' "$WORK/none.json")
[ "$calls" = 8 ] || fail "sipcidd found $calls call events in $CAP, expected 8"
[ "$(wc -l < "$WORK/shipped.json")" = 10 ] || fail "with the shipped configuration: not 10 events"
[ -s "$WORK/none.err" ] && fail "sipcidd --read said something: $(cat "$WORK/none.err")"
[ -s "$WORK/quiet.pkts" ] && fail "sipcidd --read sent packets unasked: $(cat "$WORK/quiet.pkts")"
[ $rc = 2 ] || fail "a missing interface with --announce: exit $rc, expected 2"
grep -q "interface nothere0 does not exist.*set \[notify\] interface" "$WORK/missing.err" ||
	fail "no clear error for a missing interface: $(cat "$WORK/missing.err")"
echo "quiet: 0 packets from 3 replays of $events events; a missing interface fails with exit 2"

# Asked: --announce sends what live mode would, to br0's broadcast address.
watch announce
replay announce --announce || fail "--announce failed: $(cat "$WORK/announce.err")"
unwatch
udp=$(count announce 10.79.0.255 7651) growl=$(count announce 10.79.0.255 9887)
total=$(wc -l < "$WORK/announce.pkts")
[ "$udp" = "$events" ] || fail "--announce: $udp sipcid datagrams to 10.79.0.255:7651, expected $events"
# Growl: a registration when the output opens and again before the first
# notification, then one notification per call event (line events are not
# Growl's).
[ "$growl" = $((calls + 2)) ] || fail "--announce: $growl Growl packets, expected $((calls + 2))"
[ "$total" = $((udp + growl)) ] || fail "--announce sent elsewhere too: $(cat "$WORK/announce.pkts")"
echo "--announce: $udp datagrams and $growl Growl packets to 10.79.0.255, nothing else"

# Named in the configuration: the interface, or a destination.
watch named
replay iface --config "$WORK/iface.conf" || fail "interface = br0 failed: $(cat "$WORK/iface.err")"
replay udp --config "$WORK/udp.conf" || fail "udp = failed: $(cat "$WORK/udp.err")"
unwatch
[ "$(count named 10.79.0.255 7651)" = "$events" ] || fail "interface = br0: not $events datagrams"
[ "$(count named 10.79.0.255 9887)" = $((calls + 2)) ] || fail "interface = br0: no Growl"
[ "$(count named 10.79.0.1 7651)" = "$events" ] || fail "udp = 10.79.0.1: not $events datagrams"
[ "$(wc -l < "$WORK/named.pkts")" = $((2 * events + calls + 2)) ] ||
	fail "a named [notify] sent elsewhere too: $(cat "$WORK/named.pkts")"
echo "named: interface = br0 broadcasts, udp = 10.79.0.1 goes there alone"
echo ok
