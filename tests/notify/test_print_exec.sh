#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-notify for terminals and scripts: --print (one line per event),
# --print --json (exactly sipcidd's event JSON: sipcidd --read replays a
# capture and announces it, signed, to sipcid-notify), and --exec
# (fields in SIPCID_* variables, no shell, a bound on running hooks).
#   test_print_exec.sh SIPCID_NOTIFY SEND_CALL SIPCIDD CAPTURE
NOTIFY=$(realpath "$1") SEND=$(realpath "$2") SIPCIDD=$(realpath "$3") CAPTURE=$(realpath "$4")
. "$(dirname "$0")/desktop_session.sh"
need jq
export TZ=UTC

# ---- --print --json: sipcidd replays a capture and announces it ----
# sipcidd --read sends each event as a signed sipcid datagram, twice (two
# destinations, as broadcast plus unicast would); sipcid-notify must print
# exactly what sipcidd itself prints with --json, once per event.
# The datagram does not carry box and line (docs/events.md): null at the listener.
"$SIPCIDD" --read "$CAPTURE" --json --no-notify >"$WORK/sipcidd.raw" 2>"$WORK/sipcidd.err" ||
	fail "sipcidd --read $CAPTURE failed: $(cat "$WORK/sipcidd.err")"
# Line events (docs/events.md, "Line events") have no line key.
jq -c '.box = null | if has("call_id") then .line = null else . end' "$WORK/sipcidd.raw" \
	>"$WORK/sipcidd.jsonl" || fail "jq"
n=$(wc -l <"$WORK/sipcidd.jsonl")
[ "$n" -ge 2 ] || fail "sipcidd found $n events in $CAPTURE, expected at least 2"
head -c 32 /dev/urandom | base64 >"$WORK/key"
start_notify "$NOTIFY" --print --json --key-file "$WORK/key"
out=$WORK/${NOTIFY_LOG##*/}; out=${out%.log}.out
cat >"$WORK/sipcid.conf" <<CONF
[notify]
udp = 127.0.0.1:$NOTIFY_PORT, [::1]:$NOTIFY_PORT
growl =
auth-key-file = $WORK/key
CONF
"$SIPCIDD" --config "$WORK/sipcid.conf" --read "$CAPTURE" >/dev/null 2>"$WORK/sipcidd.err" ||
	fail "sipcidd --read with [notify] failed: $(cat "$WORK/sipcidd.err")"
wait_for '[ "$(wc -l <"$out")" -ge '"$n"' ]' "$n JSON lines"
# One more signed event from another sender proves nothing else is queued.
"$SEND" --port "$NOTIFY_PORT" --key-file "$WORK/key" --call-id last
wait_for '[ "$(wc -l <"$out")" -ge '"$((n + 1))"' ]' "the last JSON line"
stop_notify
head -n "$n" "$out" >"$WORK/notify.jsonl"
diff -u "$WORK/sipcidd.jsonl" "$WORK/notify.jsonl" >&2 || fail "--print --json differs from sipcidd --json"
[ "$(wc -l <"$out")" = $((n + 1)) ] || fail "$(wc -l <"$out") lines for $n events and 1 more"

# The same without sipcidd: any field send_call sets comes back as sent.
start_notify "$NOTIFY" --print --json
out=$WORK/${NOTIFY_LOG##*/}; out=${out%.log}.out
"$SEND" --port "$NOTIFY_PORT" --time-us 1795356207123000 --call-id j1 --number 1 \
	--number-raw 001 --name 'Q "x" \\ y' --called 2 --via 3 --alias A --action block \
	--rule r.conf:1 --record --source ppi --state ended --ring-ms 5 --talk-ms 6
wait_for '[ "$(wc -l <"$out")" -ge 1 ]' "a JSON line"
stop_notify
expect='{"event":"update","call_id":"j1","time":"2026-11-22T14:03:27.123Z","number":"1","number_raw":"001","name":"Q \"x\" \\\\ y","presentation":"allowed","source":"ppi","malformed":false,"called":"2","via":"3","direction":"incoming","number_display":null,"country":null,"number_type":null,"region":null,"verstat":null,"attest":null,"alias":"A","action":"block","outcome":null,"rule":"r.conf:1","record":true,"state":"ended","ring_ms":5,"talk_ms":6,"box":null,"line":null}'
[ "$(cat "$out")" = "$expect" ] || fail "JSON line [$(cat "$out")], expected [$expect]"

# ---- --print: the readable line, the number written for reading ----
start_notify "$NOTIFY" --print --country US
out=$WORK/${NOTIFY_LOG##*/}; out=${out%.log}.out
T=1795356207123000 # 2026-11-22T14:03:27.123Z
"$SEND" --port "$NOTIFY_PORT" --time-us $T --call-id p1 --number +441632960001 --name Alice \
	--alias "Aunt Alice" --called 2001 --via 555 --copies 3
"$SEND" --port "$NOTIFY_PORT" --time-us $T --call-id p1 --number +441632960001 --name Alice \
	--alias "Aunt Alice" --called 2001 --via 555 --state missed --ring-ms 12500
"$SEND" --port "$NOTIFY_PORT" --time-us $T --call-id p2 --presentation restricted --action block
wait_for '[ "$(wc -l <"$out")" -ge 3 ]' "3 printed lines"
stop_notify
cat >"$WORK/expected.txt" <<'TXT'
2026-11-22T14:03:27.123Z  call   +44 1632 960001  "Aunt Alice"  (Alice)  -> 2001  via 555
2026-11-22T14:03:27.123Z  update +44 1632 960001  "Aunt Alice"  (Alice)  -> 2001  via 555  missed after 12 s
2026-11-22T14:03:27.123Z  call   Withheld number  BLOCKED
TXT
diff -u "$WORK/expected.txt" "$out" >&2 || fail "--print lines differ"

# ---- --exec: environment, no shell ----
cat >"$WORK/hook" <<HOOK
#!/bin/sh
f=\$(mktemp "$WORK/hook-env.XXXXXX")
env | grep '^SIPCID_' | LC_ALL=C sort >"\$f.tmp" && mv "\$f.tmp" "\$f.env" && rm -f "\$f"
HOOK
chmod +x "$WORK/hook"
# Run from $WORK, so a shell that wrongly ran the name would touch files here.
cd "$WORK"
evil='$(touch pwned) `touch pwned2`; touch pwned3 "x'"'"'y\z'
# A SIPCID_* variable in the listener's own environment must not reach the
# hook: it would pass for a field of the call.
SIPCID_NAME="stale name" SIPCID_STRAY=1 start_notify "$NOTIFY" --no-popup --exec "$WORK/hook"
"$SEND" --port "$NOTIFY_PORT" --time-us $T --call-id 'e1;$(id)' --number '+44$(id)' \
	--name "$evil" --alias 'A&B' --called 2001 --via 555 --action block --rule 'rules.conf:7' \
	--source rpid --number-raw '00441632960001' --record --copies 2
wait_for '[ "$(ls "$WORK"/hook-env.*.env 2>/dev/null | wc -l)" -ge 1 ]' "the hook to run"
cat >"$WORK/expected-env" <<ENV
SIPCID_ACTION=block
SIPCID_ALIAS=A&B
SIPCID_CALLED=2001
SIPCID_CALL_ID=e1;\$(id)
SIPCID_EVENT=call
SIPCID_JSON={"event":"call","call_id":"e1;\$(id)","time":"2026-11-22T14:03:27.123Z","number":"+44\$(id)","number_raw":"00441632960001","name":"$(printf '%s' "$evil" | sed 's/\\/\\\\/g; s/"/\\"/g')","presentation":"allowed","source":"rpid","malformed":false,"called":"2001","via":"555","direction":"incoming","number_display":null,"country":null,"number_type":null,"region":null,"verstat":null,"attest":null,"alias":"A&B","action":"block","outcome":null,"rule":"rules.conf:7","record":true,"state":"ringing","ring_ms":0,"talk_ms":0,"box":null,"line":null}
SIPCID_NAME=$evil
SIPCID_NUMBER=+44\$(id)
SIPCID_NUMBER_RAW=00441632960001
SIPCID_PRESENTATION=allowed
SIPCID_RECORD=1
SIPCID_RING_MS=0
SIPCID_RULE=rules.conf:7
SIPCID_SOURCE=rpid
SIPCID_STATE=ringing
SIPCID_TALK_MS=0
SIPCID_TIME=2026-11-22T14:03:27.123Z
SIPCID_VIA=555
ENV
diff -u "$WORK/expected-env" "$WORK"/hook-env.*.env >&2 || fail "--exec environment differs"
jq -e . "$WORK"/hook-env.*.env >/dev/null 2>&1 ||
	sed -n 's/^SIPCID_JSON=//p' "$WORK"/hook-env.*.env | jq -e . >/dev/null ||
	fail "SIPCID_JSON is not JSON"
stop_notify
for p in pwned pwned2 pwned3; do
	[ -e "$WORK/$p" ] && fail "a shell interpreted the caller name ($p exists)"
done
[ "$(ls "$WORK"/hook-env.*.env | wc -l)" = 1 ] || fail "the hook ran $(ls "$WORK"/hook-env.*.env | wc -l) times for one event"

# ---- --exec: at most --exec-max hooks at once, none lost ----
cat >"$WORK/slow-hook" <<HOOK
#!/bin/sh
touch "$WORK/running.\$\$"
ls "$WORK"/running.* | wc -l >"$WORK/seen.\$\$"
sleep 0.3
rm -f "$WORK/running.\$\$"
echo "\$SIPCID_CALL_ID" >>"$WORK/done"
HOOK
chmod +x "$WORK/slow-hook"
start_notify "$NOTIFY" --no-popup --exec "$WORK/slow-hook" --exec-max 2
for i in 1 2 3 4 5 6; do
	"$SEND" --port "$NOTIFY_PORT" --call-id "burst-$i" --number 10$i
done
wait_for '[ -f "$WORK/done" ] && [ "$(wc -l <"$WORK/done")" -ge 6 ]' "6 slow hooks"
stop_notify
max=$(cat "$WORK"/seen.* | sort -n | tail -n1)
[ "$max" -le 2 ] || fail "$max hooks ran at once with --exec-max 2"
[ "$(sort "$WORK/done" | tr '\n' ' ')" = "burst-1 burst-2 burst-3 burst-4 burst-5 burst-6 " ] ||
	fail "hooks ran for: $(cat "$WORK/done")"
echo "ok: --print, --print --json (= sipcidd --json for $n events), --exec"
