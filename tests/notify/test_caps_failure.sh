#!/bin/bash
# Finding 11 of issue 14: the popup body is escaped even when the
# notification server's capability query fails. A fake server on a private
# session bus fails every GetCapabilities call and prints each Notify; a
# caller name full of markup must arrive escaped, never as live markup.
#   test_caps_failure.sh SIPCID_NOTIFY SEND_CALL FAKE_NOTIFYD
set -u
NOTIFY=$(realpath "$1") SEND=$(realpath "$2") FAKE=$(realpath "$3")
WORK=$(mktemp -d /tmp/sipcid-caps-test.XXXXXX)
PIDS=()
cleanup() {
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		kill "${PIDS[i]}" 2>/dev/null && wait "${PIDS[i]}" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	for f in "$WORK"/*.log "$WORK"/*.out; do
		[ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
	done
	exit 1
}
wait_for() {  # bounded: 400 x 0.05 s
	for _ in $(seq 400); do
		eval "$1" && return 0
		sleep 0.05
	done
	fail "timed out waiting for $2"
}
command -v dbus-daemon >/dev/null || fail "dbus-daemon is not installed (see tests/deps-debian.txt)"

cat >"$WORK/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$WORK/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$WORK/bus.conf" --nofork --print-address=1 \
	>"$WORK/bus.address" 2>"$WORK/bus.log" &
PIDS+=($!)
wait_for '[ -s "$WORK/bus.address" ]' "the session bus"
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$WORK/bus.address")
unset DISPLAY WAYLAND_DISPLAY

"$FAKE" --fail-caps >"$WORK/fake.out" 2>"$WORK/fake.log" &
PIDS+=($!)
wait_for 'grep -q READY "$WORK/fake.out"' "the fake notification server"

"$NOTIFY" --port 0 >"$WORK/notify.out" 2>"$WORK/notify.log" &
NPID=$!
PIDS+=($NPID)
wait_for 'grep -q "listening on UDP port" "$WORK/notify.log" || ! kill -0 $NPID' \
	"sipcid-notify to listen"
PORT=$(sed -n 's/.*listening on UDP port \([0-9]*\).*/\1/p' "$WORK/notify.log" | head -n1)
[ -n "$PORT" ] || fail "sipcid-notify did not start"

"$SEND" --port "$PORT" --call-id caps1 --number '<i>1</i>' --name '<b>Eve</b> & <a href="x">y</a>'
wait_for '[ "$(grep -c ^NOTIFY "$WORK/fake.out")" -ge 1 ]' "the popup"
body=$(grep ^NOTIFY "$WORK/fake.out" | head -n1 | cut -f4)
echo "body: $body"
case "$body" in
*'<b>Eve</b>'* | *'<i>1</i>'* | *'<a href'*) fail "caller markup went out unescaped: $body" ;;
esac
case "$body" in
'<b>&lt;b&gt;Eve&lt;/b&gt; &amp; &lt;a href=&quot;x&quot;&gt;y&lt;/a&gt;</b>\n&lt;i&gt;1&lt;/i&gt;\n'*) ;;
*) fail "the body is not the escaped caller text: $body" ;;
esac
kill "$NPID"
wait "$NPID" || fail "sipcid-notify exited with status $? on SIGTERM"
grep -q "Sanitizer\|runtime error" "$WORK/notify.log" && fail "sanitizer report from sipcid-notify"
echo "PASS: the body is escaped although GetCapabilities failed"
