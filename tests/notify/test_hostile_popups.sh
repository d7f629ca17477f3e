#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile datagrams against the real path (sipcid-notify -> libnotify ->
# dunst): markup, control characters, oversized and invalid UTF-8 names make
# a correct, escaped popup or none at all; with a key, unsigned, forged,
# wrongly keyed and replayed datagrams make no popup. "None at all" is
# checked without timing: a good datagram sent afterwards on the same socket
# shows up, and the count of Notify calls is exact.
#   test_hostile_popups.sh SIPCID_NOTIFY SEND_CALL NOTIFY_MONITOR ARTIFACT_DIR
NOTIFY=$(realpath "$1") SEND=$(realpath "$2") MONITOR=$(realpath "$3") ARTIFACTS=$(realpath "$4")
. "$(dirname "$0")/desktop_session.sh"

start_desktop "$MONITOR"
T_BEFORE=$(date +%H:%M)

# ---- without a key ----
start_notify "$NOTIFY"
P=$NOTIFY_PORT

# 1. Markup in the name and number is shown as text, not interpreted.
"$SEND" --port $P --call-id h1 --number '<i>1</i>' \
	--name "<b>Eve</b> &amp; <a href=\"http://evil.example/\">'click'</a>"
wait_for '[ "$(notify_count)" -ge 1 ]' "the markup popup"
assert_body 1 '<b>&lt;b&gt;Eve&lt;/b&gt; &amp;amp; &lt;a href=&quot;http://evil.example/&quot;&gt;&apos;click&apos;&lt;/a&gt;</b>\n&lt;i&gt;1&lt;/i&gt;\n%s'
assert_json 1 .summary "Incoming call"

# 2. Newlines, tabs, escape sequences and DEL are gone; one line per field.
printf 'Mallory\nIncoming call from Bank\r\n\tX\033[31mred\033]0;title\007\177' >"$WORK/name-ctl"
"$SEND" --port $P --call-id h2 --number 100 --name-file "$WORK/name-ctl"
wait_for '[ "$(notify_count)" -ge 2 ]' "the control-character popup"
assert_body 2 '<b>Mallory Incoming call from Bank X[31mred]0;title</b>\n100\n%s'

# 3. Invalid UTF-8 becomes U+FFFD (D-Bus would refuse the popup otherwise).
printf 'Bad\377\376UTF\303' >"$WORK/name-utf8"
"$SEND" --port $P --call-id h3 --number 101 --name-file "$WORK/name-utf8"
wait_for '[ "$(notify_count)" -ge 3 ]' "the invalid UTF-8 popup"
assert_body 3 '<b>Bad\357\277\275\357\277\275UTF\357\277\275</b>\n101\n%s'

# 4. A 10 kB name does not fit a datagram: refused, no popup. A 1000-byte
#    name of '&' fits: cut to 127 bytes by the decoder, 64 characters by
#    the popup, and every '&' escaped.
head -c 10240 /dev/zero | tr '\0' 'A' >"$WORK/name-10k"
"$SEND" --port $P --call-id h4 --number 102 --name-file "$WORK/name-10k"
head -c 1000 /dev/zero | tr "\\0" "&" >"$WORK/name-1000"
"$SEND" --port $P --call-id h5 --number 103 --name-file "$WORK/name-1000"
wait_for '[ "$(notify_count)" -ge 4 ]' "the long-name popup"
amps=$(printf '&amp;%.0s' $(seq 63))
assert_body 4 "<b>${amps}…</b>\n103\n%s"
screenshot "$ARTIFACTS/notify-popup-hostile.png"

# 5. Garbage, a truncated datagram and a wrong version: nothing.
head -c 300 /dev/urandom >"$WORK/garbage"
"$SEND" --port $P --raw "$WORK/garbage"
"$SEND" --port $P --call-id h6 --number 104 --save "$WORK/good" --copies 0
head -c 20 "$WORK/good" >"$WORK/truncated"
"$SEND" --port $P --raw "$WORK/truncated"
{ printf 'SCID\002'; tail -c +6 "$WORK/good"; } >"$WORK/version2"
"$SEND" --port $P --raw "$WORK/version2"
"$SEND" --port $P --call-id marker-1 --number 199
wait_for '[ "$(notify_count)" -ge 5 ]' "the marker popup"
assert_json 5 .body "$(printf '<b>199</b>\n%s' "$(notification 5 | jq -r .body | tail -n1)")"
[ "$(notify_count)" = 5 ] || fail "$(notify_count) popups after hostile datagrams, expected 5"
grep -q "datagram longer than 1200 bytes" "$NOTIFY_LOG" || fail "the 10 kB datagram was not reported"

stop_notify

# ---- with a key ----
head -c 32 /dev/urandom | base64 >"$WORK/key"
head -c 32 /dev/urandom | base64 >"$WORK/other-key"
start_notify "$NOTIFY" --key-file "$WORK/key"
K=$NOTIFY_PORT
before=$(notify_count)
"$SEND" --port $K --call-id k1 --number 200                               # unsigned
"$SEND" --port $K --call-id k2 --number 201 --key-file "$WORK/other-key"  # wrong key
"$SEND" --port $K --call-id k3 --number 202 --key-file "$WORK/key" --corrupt-mac
"$SEND" --port $K --call-id k4 --number 203 --key-file "$WORK/key" --name-file "$WORK/name-ctl" \
	--corrupt-mac
"$SEND" --port $K --call-id k5 --number 204 --key-file "$WORK/key" --save "$WORK/signed"
wait_for '[ "$(notify_count)" -ge $((before + 1)) ]' "the signed popup"
assert_json $((before + 1)) .body "$(printf '<b>204</b>\n%s' "$(notification $((before + 1)) | jq -r .body | tail -n1)")"
# The same signed datagram again, later: a replay. A forged "answered" for k5
# with the wrong key must not touch its popup either.
"$SEND" --port $K --raw "$WORK/signed"
"$SEND" --port $K --call-id k5 --number 204 --state answered --key-file "$WORK/other-key"
"$SEND" --port $K --call-id marker-2 --number 299 --key-file "$WORK/key"
wait_for '[ "$(notify_count)" -ge $((before + 2)) ]' "the signed marker popup"
assert_json $((before + 2)) .summary "Incoming call"
assert_json $((before + 2)) .body "$(printf '<b>299</b>\n%s' "$(notification $((before + 2)) | jq -r .body | tail -n1)")"
[ "$(notify_count)" = $((before + 2)) ] ||
	fail "$(notify_count) popups with a key, expected $((before + 2))"
for why in "unsigned datagram" "wrong signature"; do
	grep -q "$why" "$NOTIFY_LOG" || fail "sipcid-notify did not report: $why"
done
stop_notify
echo "ok: hostile text escaped and capped, bad datagrams and signatures made no popup"
