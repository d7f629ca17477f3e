#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mqtt_cost.sh [BUILD_DIR] [CALLS]: the MQTT output's CPU cost per event.
#
# `sipcidd --read` over a generated capture of CALLS calls (20 000), three
# times without a broker and three times publishing to a real mosquitto
# (QoS 1, the test's own network namespace, loopback), keeping each side's
# best user+sys CPU time (the box is shared; see offline_bench.sh for why
# CPU time and the best of N). The difference over the events published is
# what the output costs sipcidd per event: formatting the JSON, the line's
# state, the queue, and libmosquitto's thread. The broker's own CPU is not
# counted. Needs root (unshare -n).
set -u
if [ -z "${MQTT_COST_NETNS:-}" ]; then
	MQTT_COST_NETNS=1 exec unshare -n "$0" "$@"
fi
ip link set lo up
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build}
calls=${2:-20000}
tmp=$(mktemp -d)
broker=
trap '[ -n "$broker" ] && kill $broker; rm -rf "$tmp"' EXIT
"$build/bench/gen_invites" -n "$calls" -o "$tmp/calls.pcap" >/dev/null || exit 1
printf 'listener 1883 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' >"$tmp/broker.conf"
mosquitto -c "$tmp/broker.conf" 2>/dev/null &
broker=$!
sleep 0.5
# Every event is measured: the flood limit in front of MQTT is opened wide.
wide='[notify]\nudp =\ngrowl =\nflood-burst = 1000000\nflood-per-minute = 1000000\n'
printf "$wide[mqtt]\nbox = bench\n" >"$tmp/off.conf"
printf "$wide[mqtt]\nbox = bench\nbroker = 127.0.0.1:1883\nqueue = 100000\n" >"$tmp/on.conf"

cpu() {  # cpu CONF: user+sys seconds of one run; events in $tmp/events
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$build/bridge-daemon/sipcidd" --no-notify \
		--read "$tmp/calls.pcap" --json --config "$1" >"$tmp/events" 2>"$tmp/log" || exit 1
	awk '{ print $1 + $2 }' "$tmp/time"
}
best() { sort -g | head -n 1; }
off=$(for i in 1 2 3; do cpu "$tmp/off.conf"; done | best)
on=$(for i in 1 2 3; do cpu "$tmp/on.conf"; done | best)
events=$(wc -l <"$tmp/events")
if grep -q 'not delivered' "$tmp/log"; then
	echo "warning: $(grep 'not delivered' "$tmp/log")" >&2
fi
awk -v off="$off" -v on="$on" -v n="$events" 'BEGIN {
	printf "events %d: without MQTT %.3f s CPU, with %.3f s: %.1f us per event (%.1f us without)\n",
		n, off, on, (on - off) * 1e6 / n, off * 1e6 / n }'
