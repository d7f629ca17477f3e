#!/bin/bash
# Finding 11 of issue 14: the popup body is escaped even when the
# notification server's capability query fails. A fake server on a private
# session bus fails every GetCapabilities call and prints each Notify; a
# caller name full of markup must arrive escaped, never as live markup.
#   test_caps_failure.sh SIPCID_NOTIFY SEND_CALL FAKE_NOTIFYD
NOTIFY=$(realpath "$1") SEND=$(realpath "$2") FAKE=$(realpath "$3")
. "$(dirname "$0")/desktop_session.sh"

start_bus
unset DISPLAY WAYLAND_DISPLAY
"$FAKE" --fail-caps >"$WORK/fake.log" 2>"$WORK/fake.err" &
PIDS+=($!)
wait_for 'grep -q READY "$WORK/fake.log"' "the fake notification server"

start_notify "$NOTIFY"
"$SEND" --port "$NOTIFY_PORT" --call-id caps1 --number '<i>1</i>' \
	--name '<b>Eve</b> & <a href="x">y</a>'
wait_for '[ "$(grep -c ^NOTIFY "$WORK/fake.log")" -ge 1 ]' "the popup"
body=$(grep ^NOTIFY "$WORK/fake.log" | head -n1 | cut -f4)
echo "body: $body"
case "$body" in
*'<b>Eve</b>'* | *'<i>1</i>'* | *'<a href'*) fail "caller markup went out unescaped: $body" ;;
esac
case "$body" in
'<b>&lt;b&gt;Eve&lt;/b&gt; &amp; &lt;a href=&quot;x&quot;&gt;y&lt;/a&gt;</b>\n&lt;i&gt;1&lt;/i&gt;\n'*) ;;
*) fail "the body is not the escaped caller text: $body" ;;
esac
stop_notify
echo "PASS: the body is escaped although GetCapabilities failed"
