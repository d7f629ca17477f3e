#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real Linux path: sipcid datagrams on loopback -> sipcid-notify
# (libnotify) -> a real notification server (dunst) on a private session bus
# under Xvfb. Asserts what the server was asked to show (summary, body,
# icon, hints), that a state change replaces the popup (same id), that a
# duplicate shows nothing, and saves a screenshot.
#   test_desktop_popup.sh SIPCID_NOTIFY SEND_CALL NOTIFY_MONITOR ARTIFACT_DIR SIPCIDD CAPTURE
NOTIFY=$(realpath "$1") SEND=$(realpath "$2") MONITOR=$(realpath "$3") ARTIFACTS=$(realpath "$4")
SIPCIDD=$(realpath "$5") CAPTURE=$(realpath "$6")
. "$(dirname "$0")/desktop_session.sh"
export TZ=UTC

start_desktop "$MONITOR"
T_BEFORE=$(date +%H:%M)

# 0. sipcidd replays a real capture and announces its calls (signed, to IPv4
#    and IPv6 loopback: each event arrives twice).
head -c 32 /dev/urandom | base64 >"$WORK/key"
start_notify "$NOTIFY" --key-file "$WORK/key"
cat >"$WORK/sipcid.conf" <<CONF
[notify]
udp = 127.0.0.1:$NOTIFY_PORT, [::1]:$NOTIFY_PORT
growl =
auth-key-file = $WORK/key
CONF
"$SIPCIDD" --config "$WORK/sipcid.conf" --read "$CAPTURE" --json >"$WORK/sipcidd.jsonl" \
	2>"$WORK/sipcidd.err" || fail "sipcidd --read failed: $(cat "$WORK/sipcidd.err")"
events=$(wc -l <"$WORK/sipcidd.jsonl")
[ "$events" = 10 ] ||
	fail "sipcidd found $events events in $CAPTURE, expected 10 (4 missed calls, the line down and up)"
wait_for '[ "$(notify_count)" -ge 10 ]' "10 popups from sipcidd"
# Before the calls, the phone's registrar refuses it ("403 Wrong password")
# from 09:33:10 until 09:39:16: the line is announced down once it stayed
# down for a minute, then back up, in the same popup.
assert_json 1 .summary "Phone line"
assert_json 1 .body "Phone line down since 09:33 (403 Wrong password)"
assert_json 1 .hints.urgency 2
assert_json 1 .timeout 0
assert_json 2 .summary "Phone line"
assert_json 2 .body "Phone line back up"
assert_json 2 .replaces_id "$(notification 1 | jq -r .id)"
# The capture's first call: the phone (816666, "arik"), registered in the
# capture, calls 97239287044 on 2005-07-04 09:40:49 UTC, and gives up after
# 34.1 s. It is the phone calling out, in its own words.
assert_json 3 .summary "Calling"
assert_json 3 .body "$(printf '<b>97239287044</b>\nFrom line 816666\n2005-07-04 09:40')"
assert_json 3 .hints.category "call.outgoing"
assert_json 3 .replaces_id 0
assert_json 4 .summary "No answer"
assert_json 4 .body "$(printf '<b>97239287044</b>\nFrom line 816666\n2005-07-04 09:40, rang 34 s')"
assert_json 4 .replaces_id "$(notification 3 | jq -r .id)"
assert_json 4 .id "$(notification 3 | jq -r .id)"
assert_json 10 .summary "No answer"
assert_json 10 .body "$(printf '<b>35104724</b>\nFrom line 35104723\n2005-07-04 09:56, rang 17 s')"
[ "$(dunstctl count displayed)" = 5 ] ||
	fail "dunst shows $(dunstctl count displayed) popups for 4 calls and the line"
screenshot "$ARTIFACTS/notify-popup-sipcidd-replay.png"
stop_notify
dunstctl close-all
: >"$MONITOR_LOG"
# The datagram carries numbers in E.164; the listener writes them for
# reading, national format for its own country's.
start_notify "$NOTIFY" --country GB

# 1. A new call, sent twice (broadcast and unicast): one popup.
"$SEND" --port "$NOTIFY_PORT" --call-id call-1@test --number +441632960001 \
	--name "Alice Example" --called 2001 --copies 2
wait_for '[ "$(notify_count)" -ge 1 ]' "the first popup"
assert_json 1 .app "sipcid-notify"
assert_json 1 .replaces_id 0
assert_json 1 .summary "Incoming call"
assert_body 1 '<b>Alice Example</b>\n01632 960001\nLine 2001\n%s'
assert_json 1 .icon "call-start"
assert_json 1 .hints.category "call.incoming"
assert_json 1 .hints.urgency 1
assert_json 1 '.hints["desktop-entry"]' "sipcid-notify"
assert_json 1 .timeout -1
first_id=$(notification 1 | jq -r .id)
[ "$first_id" -gt 0 ] || fail "the server gave no id"
screenshot "$ARTIFACTS/notify-popup-ringing.png"
[ "$(dunstctl count displayed)" = 1 ] || fail "dunst shows $(dunstctl count displayed) popups, expected 1"

# 2. The call is answered: the same popup, replaced in place.
"$SEND" --port "$NOTIFY_PORT" --call-id call-1@test --number +441632960001 \
	--name "Alice Example" --called 2001 --state answered --ring-ms 4200 --copies 2
wait_for '[ "$(notify_count)" -ge 2 ]' "the answered popup"
assert_json 2 .replaces_id "$first_id"
assert_json 2 .id "$first_id"
assert_json 2 .summary "Call answered"
assert_body 2 '<b>Alice Example</b>\n01632 960001\nLine 2001\n%s, rang 4 s'
assert_json 2 .hints.urgency 0
assert_json 2 .timeout 10000
[ "$(dunstctl count displayed)" = 1 ] || fail "dunst shows $(dunstctl count displayed) popups after the state change, expected 1"

# 3. A late copy of "ringing" changes nothing; "ended" replaces it again.
"$SEND" --port "$NOTIFY_PORT" --call-id call-1@test --number +441632960001 --name "Alice Example"
"$SEND" --port "$NOTIFY_PORT" --call-id call-1@test --number +441632960001 \
	--name "Alice Example" --called 2001 --state ended --ring-ms 4200 --talk-ms 65000
wait_for '[ "$(notify_count)" -ge 3 ]' "the ended popup"
assert_json 3 .replaces_id "$first_id"
assert_json 3 .summary "Call ended"
assert_json 3 .hints.category "call.ended"
assert_json 3 .icon "call-stop"

# 4. A second caller over IPv6: listed under an alias, forwarded, blocked,
#    then missed (stays on screen).
"$SEND" --host ::1 --port "$NOTIFY_PORT" --call-id call-2@test --number +441632960002 \
	--name "SPAM CO" --alias "Known nuisance" --called 2002 --via +441632960099 --action block
wait_for '[ "$(notify_count)" -ge 4 ]' "the blocked popup"
assert_json 4 .replaces_id 0
assert_json 4 .summary "Blocked call"
assert_body 4 '<b>Known nuisance</b>\n01632 960002 · SPAM CO\nLine 2002, forwarded via +441632960099\nBlocked\n%s'
assert_json 4 .icon "call-stop"
assert_json 4 .hints.urgency 0
second_id=$(notification 4 | jq -r .id)
[ "$second_id" != "$first_id" ] || fail "two calls share notification id $first_id"

"$SEND" --port "$NOTIFY_PORT" --call-id call-3@test --presentation restricted --called 2001
wait_for '[ "$(notify_count)" -ge 5 ]' "the anonymous popup"
assert_body 5 '<b>Withheld number</b>\nLine 2001\n%s'
"$SEND" --port "$NOTIFY_PORT" --call-id call-3@test --presentation restricted --called 2001 \
	--state missed --ring-ms 20000
wait_for '[ "$(notify_count)" -ge 6 ]' "the missed popup"
assert_json 6 .replaces_id "$(notification 5 | jq -r .id)"
assert_json 6 .summary "Missed call"
assert_json 6 .hints.category "call.unanswered"
assert_json 6 .timeout 0
screenshot "$ARTIFACTS/notify-popup-states.png"

# Nothing else was shown: duplicates and the late copy made no popup.
[ "$(notify_count)" = 6 ] || fail "$(notify_count) Notify calls, expected 6"
grep -q "cannot" "$NOTIFY_LOG" && fail "sipcid-notify complained: $(cat "$NOTIFY_LOG")"
stop_notify

# 5. Without --country the locale's territory is home: on a US desktop a
#    London caller reads in international format, a New York one in national.
dunstctl close-all
: >"$MONITOR_LOG"
start_notify env LC_ALL= LC_TELEPHONE= LANG=en_US.UTF-8 "$NOTIFY"
"$SEND" --port "$NOTIFY_PORT" --call-id call-4@test --number +442071234567 --called 2001
wait_for '[ "$(notify_count)" -ge 1 ]' "the London popup"
assert_body 1 '<b>+44 20 7123 4567</b>\nLine 2001\n%s'
"$SEND" --port "$NOTIFY_PORT" --call-id call-5@test --number +12125550123 --name Bob --called 2001
wait_for '[ "$(notify_count)" -ge 2 ]' "the New York popup"
assert_body 2 '<b>Bob</b>\n(212) 555-0123\nLine 2001\n%s'
screenshot "$ARTIFACTS/notify-popup-formatted.png"
stop_notify
echo "ok: 8 popups, state changes replaced in place, duplicates dropped, numbers formatted"
