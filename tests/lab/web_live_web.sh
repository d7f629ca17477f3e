#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The live routes of sipcid-web against a lab bridge's sipcidd, with curl:
#   - after login, GET /api/live is an event stream: a snapshot, then the
#     INVITE's call within 1 s of it being sent;
#   - GET /api/live/listen streams a WAV (RIFF header, 8 kHz stereo) whose
#     left channel carries the caller's 1 kHz tone; a call sipcidd may not
#     let anyone hear is 403, a hostile call_id 422, both before any audio;
#   - POST /api/live/record (with the CSRF token) stops the recording;
#   - when sipcidd restarts, the open stream gets a new snapshot.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/lab/live_lib.sh"
lab_require jq baresip sox python3 curl
[ -x "${SIPCID_WEB:-}" ] || lab_fail "no sipcid-web at ${SIPCID_WEB:-}"
lab_setup
PEER=$LAB_SRC/tests/lab/control_peer.py
live_sipcidd

# sipcid-web on the host's loopback, talking to the lab's control socket.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
cat >"$LAB_TMP/web.conf" <<CONF
[web]
listen = 127.0.0.1:$port
tls = no
password-file = $LAB_TMP/web-password
static-dir = $LAB_SRC/web/static
[log]
database = $LAB_TMP/web-calls.db
[record]
directory = $LAB_TMP/web-recordings
CONF
echo 'correct horse battery' | "$SIPCID_WEB" --config "$LAB_TMP/web.conf" --set-password >/dev/null ||
	lab_fail "sipcid-web --set-password"
"$SIPCID_WEB" --config "$LAB_TMP/web.conf" --control-socket "$LAB_CONTROL" >"$LAB_TMP/web.log" 2>&1 &
LAB_PIDS+=($!)
web_pid=$!
lab_wait_for "sipcid-web" 100 curl -sf -o /dev/null --max-time 1 "$base/login"
curl -s -o /dev/null -c "$LAB_TMP/jar" --data-urlencode 'password=correct horse battery' "$base/login"
csrf=$(curl -s -b "$LAB_TMP/jar" "$base/api/session" | jq -r .csrf)
[ -n "$csrf" ] && [ "$csrf" != null ] || lab_fail "no session after login"

# ---- 1. The event stream ----
# A reader that stamps each line as it arrives (curl would stamp nothing).
cookie="sipcid_session=$(awk '$6 == "sipcid_session" { print $7 }' "$LAB_TMP/jar")"
python3 "$PEER" sse "$base/api/live" "$cookie" "$LAB_TMP/sse.t" --seconds 90 &
LAB_PIDS+=($!)
lab_wait_for "the snapshot on /api/live" 50 grep -q 'event: snapshot' "$LAB_TMP/sse.t"
head -n 1 "$LAB_TMP/sse.t" | grep -q 'status 200 text/event-stream' ||
	lab_fail "/api/live is not an event stream: $(head -n 1 "$LAB_TMP/sse.t")"
lab_net sip INVITE --call-id web-live@lab --from-user +442079460000 --from-name 'Web <b>Live</b>' >"$LAB_TMP/invite"
# The phone's receiver stamps the INVITE's arrival: it crossed the bridge.
lab_udp_receiver "$LAB_TMP/inv" 5060 1 0.0.0.0 --first-at "$LAB_TMP/inv.at"
lab_send_sip "$LAB_TMP/invite"
wait "$LAB_RECV_PID"
[ -s "$LAB_TMP/inv.at" ] || lab_fail "the INVITE did not cross the bridge"
lab_wait_for "the call on /api/live" 30 grep -q 'web-live@lab' "$LAB_TMP/sse.t"
seen=$(grep -m1 'web-live@lab' "$LAB_TMP/sse.t" | cut -f1)
delay=$(awk -v a="$(cat "$LAB_TMP/inv.at")" -v b="$seen" 'BEGIN { printf "%.3f", b - a }')
echo "the call reached the browser's event stream ${delay} s after the INVITE crossed the bridge"
awk -v d="$delay" 'BEGIN { exit !(d < 1.0) }' || lab_fail "the call came ${delay} s after the INVITE crossed"
cut -f2 "$LAB_TMP/sse.t" >"$LAB_TMP/sse"
grep -B1 'web-live@lab' "$LAB_TMP/sse" | head -n 1 | grep -qx 'event: call' ||
	lab_fail "the call is not an 'event: call'"
data=$(grep '^data: ' "$LAB_TMP/sse" | grep 'web-live@lab' | head -n 1 | cut -c7-)
echo "event: $data"
[ "$(echo "$data" | jq -r '[.state, .name] | join("|")')" = 'ringing|Web <b>Live</b>' ] ||
	lab_fail "the stream's call is not the ringing call: $data"

# ---- 2. Listen Live through the web ----
live_tone_call 10
lab_wait_for "the answered call on /api/live" 80 eval \
	"cut -f2 '$LAB_TMP/sse.t' | grep '^data: ' | cut -c7- | jq -r 'select(.number == \"+15551230000\") | .state' | grep -q answered"
call_id=$(cut -f2 "$LAB_TMP/sse.t" | grep '^data: ' | cut -c7- | jq -r 'select(.number == "+15551230000") | .call_id' | head -n 1)
sleep 0.5
curl -s -b "$LAB_TMP/jar" -D "$LAB_TMP/wav.h" --max-time 2 -o "$LAB_TMP/live.wav" \
	"$base/api/live/listen?call_id=$call_id"
head -c 4 "$LAB_TMP/live.wav" | grep -q RIFF || lab_fail "the listen stream is not a WAV: $(head -c 200 "$LAB_TMP/live.wav")"
grep -qi '^content-type: audio/wav' "$LAB_TMP/wav.h" || lab_fail "the listen stream is not audio/wav"
size=$(stat -c %s "$LAB_TMP/live.wav")
tail -c +45 "$LAB_TMP/live.wav" >"$LAB_TMP/live.pcm"
report=$(python3 - "$LAB_TMP/live.pcm" "$PEER" <<'PY'
import importlib.util, json, struct, sys
spec = importlib.util.spec_from_file_location("peer", sys.argv[2])
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)
pcm = open(sys.argv[1], "rb").read()
n = len(pcm) // 4
s = struct.unpack("<%dh" % (2 * n), pcm[:4 * n])
print(json.dumps({"left": peer.channel_report(list(s[0::2])), "seconds": n / 8000}))
PY
)
echo "web listen: $size bytes; $report"
echo "$report" | jq -e '.seconds >= 1.0 and .left.tone_share >= 0.8' >/dev/null ||
	lab_fail "the web stream does not carry the caller's tone on the left: $report"
grep -q "listens to call $call_id" "$LAB_TMP/web.log" || lab_fail "sipcid-web did not log the listen"
grep -q "listen live: web:127.0.0.1" "$LAB_TMP/sipcidd.log" || lab_fail "sipcidd did not log the web's listen"
# While the call lasts: recording off from the page.
out=$(curl -s -b "$LAB_TMP/jar" -H "X-CSRF-Token: $csrf" --data-urlencode "call_id=$call_id" \
	-d on=0 "$base/api/live/record")
echo "record off: $out"
[ "$(echo "$out" | jq -r .ok)" = true ] || lab_fail "POST /api/live/record on=0 failed: $out"
grep -q "recording of call $call_id stopped (by the control socket)" "$LAB_TMP/sipcidd.log" ||
	lab_fail "sipcidd did not stop the recording"
# Refusals.
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$LAB_TMP/jar" --max-time 5 \
	"$base/api/live/listen?call_id=web-live@lab")" = 403 ] || lab_fail "listening to a call not recordable was not 403"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$LAB_TMP/jar" --max-time 5 \
	"$base/api/live/listen?call_id=a%20b%0Astatus")" = 422 ] || lab_fail "a hostile call_id was not 422"

live_tone_call_end

# ---- 3. sipcidd restarts: sipcid-web connects again, the page gets a snapshot ----
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd did not stop cleanly"
mv "$LAB_TMP/sipcidd.log" "$LAB_TMP/sipcidd-1.log"
snapshots=$(grep -c 'event: snapshot' "$LAB_TMP/sse.t")
sleep 1  # sipcid-web tries while sipcidd is away, and backs off
lab_sipcidd --no-notify -c "$LAB_TMP/sipcid.conf"
t0=$(lab_clock)
lab_wait_for "a new snapshot after sipcidd restarted" 150 eval \
	"[ \$(grep -c 'event: snapshot' '$LAB_TMP/sse.t') -gt $snapshots ]"
echo "after sipcidd restarted, the stream had a new snapshot within" \
	"$(awk -v a="$t0" -v b="$(lab_clock)" 'BEGIN { printf "%.1f", b - a }') s"
grep -q 'live calls: .*trying again' "$LAB_TMP/web.log" || lab_fail "sipcid-web did not say it lost sipcidd"
kill -TERM "$web_pid"
wait "$web_pid"
lab_stop "$LAB_SIPCIDD_PID"
rc=$?
[ $rc = 0 ] || lab_fail "sipcidd exited with status $rc (see $LAB_TMP/sipcidd.log)"
grep -E "runtime error|AddressSanitizer|LeakSanitizer|CRITICAL|assertion" "$LAB_TMP/sipcidd"*.log \
	"$LAB_TMP/web.log" && lab_fail "the sanitizers or GLib reported errors"
echo "PASS: /api/live had the call within ${delay} s; the web listen carried the tone ($report); record off worked; a new snapshot after a restart"
