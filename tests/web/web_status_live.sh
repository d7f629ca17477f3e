#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# GET /api/status's answer (web/web_status.c) from a real sipcidd in live
# mode, in a network namespace of our own: running, its version, queue and
# fail-open from the first line, every "name: N" line a counter with the
# same value as `sipcidd --status` prints, the lines in words (the phone
# line, the learned ATA, the guard); then sipcidd stopped: running false
# with words; then a socket that takes the connection and never answers:
# the answer comes from the client's timeout while the asking program's
# main loop kept running. The same through a real sipcid-web's
# GET /api/status, whose answer waits without holding its main loop.
#   web_status_live.sh SIPCIDD WEB_STATUS_PROBE SIPCID_WEB
set -u
SIPCIDD=$1; PROBE=$2; SIPCID_WEB=$3
. "$(dirname "$0")/../announce/netns.sh" webstatus
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else n=$((n + 1)); echo "not ok $n - $1"; failed=1; fi; }
failed=0
sock=$WORK/control.sock
# Not in_ns: a function run in the background is a subshell, and its pid
# would not be sipcidd's.
ip netns exec "$NS" timeout 60 "$SIPCIDD" --no-notify --queue 7 --control-socket "$sock" -c /dev/null \
	> "$WORK/sipcidd.out" 2> "$WORK/sipcidd.err" &
CAP_PID=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
[ -S "$sock" ] || fail "sipcidd made no control socket: $(cat "$WORK/sipcidd.err")"

"$PROBE" "$sock" > "$WORK/up.json" 2> "$WORK/up.err" || fail "the probe failed: $(cat "$WORK/up.err")"
in_ns "$SIPCIDD" --status --control-socket "$sock" > "$WORK/status.txt"
check "running, with sipcidd's version, queue, fail-open and uptime" \
	'jq -e ".running == true and .version == \"$("$SIPCIDD" --version | awk "{print \$NF}")\" and .queue == 7 and .fail_open == true and (.uptime_s | type) == \"number\"" "$WORK/up.json" > /dev/null'
# The counters that do not move on an idle queue, compared with --status.
for key in packets calls invites dropped uninspected replies-sent line-registrations recordings; do
	want=$(awk -v k="$key:" '$1 == k { print $2 }' "$WORK/status.txt")
	check "counter $key is $want, as sipcidd --status says" \
		'[ -n "$want" ] && [ "$(jq -r ".counters[\"$key\"]" "$WORK/up.json")" = "$want" ]'
done
check "as many counters as --status has number lines" \
	'[ "$(jq ".counters | length" "$WORK/up.json")" = "$(grep -cE "^[a-z0-9.-]+: +[0-9]+( |$)" "$WORK/status.txt")" ]'
check "the line, the ATA the bridge learned, and the guard, in words" \
	'jq -e ".lines.line and .lines[\"line-ata\"] and (.lines.guard | startswith(\"unknown\"))" "$WORK/up.json" > /dev/null'
check "the whole text too" '[ "$(jq -r .text "$WORK/up.json" | head -1 | cut -d, -f1)" = "$(head -1 "$WORK/status.txt" | cut -d, -f1)" ]'

# sipcid-web on the namespace's loopback, asking the same socket.
printf '[web]\nlisten = 127.0.0.1:8089\ntls = no\npassword-file = %s\nstatic-dir = %s\n[log]\ndatabase = %s\n' \
	"$WORK/pw" "$WORK" "$WORK/calls.db" > "$WORK/web.conf"
echo 'correct horse battery' | "$SIPCID_WEB" -c "$WORK/web.conf" --set-password > /dev/null
ip netns exec "$NS" "$SIPCID_WEB" -c "$WORK/web.conf" --control-socket "$sock" > "$WORK/web.log" 2>&1 &
WEB_PID=$!
trap 'kill $WEB_PID 2>/dev/null; netns_cleanup' EXIT
web() { in_ns curl -s --max-time 20 -b "$WORK/jar" "$@"; }
for _ in $(seq 100); do web -o /dev/null http://127.0.0.1:8089/login && break; sleep 0.05; done
web -o /dev/null -c "$WORK/jar" --data-urlencode 'password=correct horse battery' http://127.0.0.1:8089/login
web -D "$WORK/h" http://127.0.0.1:8089/api/status > "$WORK/web.json"
check "GET /api/status: running, the same counters as the probe" \
	'jq -e ".running == true and .queue == 7" "$WORK/web.json" > /dev/null && [ "$(jq -c ".counters | del(.\"queue-id-sequence\")" "$WORK/web.json")" = "$(jq -c ".counters | del(.\"queue-id-sequence\")" "$WORK/up.json")" ]'
check "GET /api/status is JSON, not stored" \
	'grep -qi "^content-type: application/json" "$WORK/h" && grep -qi "^cache-control: no-store" "$WORK/h"'

kill "$CAP_PID"; wait "$CAP_PID" 2>/dev/null; CAP_PID=
check "GET /api/status with sipcidd stopped: running false, in words" \
	'web http://127.0.0.1:8089/api/status | jq -e ".running == false and (.message | test(\"not running\"))" > /dev/null'
"$PROBE" "$sock" > "$WORK/down.json" 2>/dev/null
check "sipcidd stopped: running false, in words" \
	'jq -e ".running == false and (.message | test(\"sipcidd is not running, or not reachable at\")) and .counters == {}" "$WORK/down.json" > /dev/null'

# A socket that accepts and never answers (a stalled daemon).
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(4)
c, _ = s.accept(); time.sleep(30)' "$WORK/stalled.sock" &
CAP_PID=$!
for _ in $(seq 100); do [ -S "$WORK/stalled.sock" ] && break; sleep 0.05; done
"$PROBE" "$WORK/stalled.sock" > "$WORK/stalled.json" 2> "$WORK/stalled.err"
read -r _ ticks _ ms < "$WORK/stalled.err"
check "a stalled sipcidd: running false after the timeout ($ms ms)" \
	'jq -e ".running == false and (.message | test(\"talking to sipcidd\"))" "$WORK/stalled.json" > /dev/null && [ "$ms" -ge 4000 ] && [ "$ms" -lt 15000 ]'
check "the main loop kept running while it waited ($ticks ticks of 50 ms)" '[ "$ticks" -ge $((ms / 50 / 2)) ]'
kill $WEB_PID; wait $WEB_PID 2>/dev/null
echo "1..$n"
exit $failed
