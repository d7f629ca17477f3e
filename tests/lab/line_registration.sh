#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Line health (issue 19): the ATA's registrations crossing the bridge tell
# whether the phone line works, and the household hears when it stops.
#
#   provider ns: SIPp registrar 10.77.0.1 (tests/lab/data/sipp_registrar_403.xml):
#                401, then 200 for 10 s, then 403 Forbidden to the refresh
#   phone ns:    baresip, the ATA, registering as 2001 with a password
#   bridge ns:   sipcidd ([line] down-after = 3s) and sipcid-notify --print
#
# 1. baresip registers: 401, 200 (Expires 10): "line up", the first state.
# 2. its refresh gets 403: down, announced once it stayed down 3 s.
# 3. a new baresip registers (a new Call-ID): "back up", once.
# (A registrar that stops answering is tested with capture time, without
# waiting for Timer F: tests/cli/test_read_line.sh, part E.)
# Each in sipcidd's --json, in sipcid-notify's words, in --status and in the
# call log's line_events (sipcid-log --line-events).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip sipp
lab_setup
export TZ=UTC
SIPCID_LOG=${SIPCID_LOG:-$LAB_BUILD/calllog/sipcid-log}
NOTIFY=${SIPCID_NOTIFY:-$LAB_BUILD/notifiers/sipcid-notify}
[ -x "$NOTIFY" ] || lab_fail "no sipcid-notify at $NOTIFY"
DB=$LAB_TMP/calls.db

lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
cat >"$LAB_TMP/sipcid.conf" <<CONF
[line]
down-after = 3s
[log]
database = $DB
batch-ms = 50
CONF
# The desktop listener, on the bridge box's LAN (sipcidd broadcasts there).
lab_start bridge "$LAB_TMP/notify.out" "$NOTIFY" --print
notify_pid=$LAB_PID
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }
line_events() { jq -c 'select(.event == "line")' "$LAB_TMP/events.json"; }
line_count() { line_events | wc -l; }
nth() { line_events | sed -n "${1}p"; }
wait_lines() { lab_wait_for "$2" "$3" eval "[ \"\$(line_count)\" -ge $1 ]"; }

lab_start prov "$LAB_TMP/registrar.out" sipp -sf "$LAB_SRC/tests/lab/data/sipp_registrar_403.xml" \
	-i $LAB_PROV_IP -p 5060 -nostdin -timeout 170s
sleep 0.5
ata() {  # ata NAME: a baresip ATA registering 2001 with a password, for 60 s at most
	mkdir -p "$LAB_TMP/$1"
	cp "$LAB_SRC/tests/lab/data/baresip/callee/config" "$LAB_TMP/$1/config"
	printf '<sip:2001@%s>;auth_pass=secret;regint=10\n' $LAB_PROV_IP >"$LAB_TMP/$1/accounts"
	lab_start phone "$LAB_TMP/$1.log" stdbuf -oL -eL baresip -f "$LAB_TMP/$1" -t 60
}

# 1. Up, at once: the first state learned.
ata ata1
ata1=$LAB_PID
wait_lines 1 "the line up after 401 and 200" 100
up=$(nth 1)
jq -e '.state == "up" and .first == true and .reason == null and .registrar == "10.77.0.1:5060"' \
	<<<"$up" >/dev/null || lab_fail "the first line event: $up"
# Granted 10 s: expires 10 s after it went up.
[ "$(jq -r '(.expires | sub("\\.[0-9]+Z$"; "Z") | fromdate) - (.since | sub("\\.[0-9]+Z$"; "Z") | fromdate)' <<<"$up")" = 10 ] ||
	lab_fail "the line's expiry is not the registrar's 10 s: $up"
status | grep -q "^line: *up since .*, registered with 10.77.0.1:5060 until " ||
	lab_fail "--status does not show the line up: $(status | grep '^line')"

# 2. The refresh is refused: down, but only after 3 s of it.
wait_lines 2 "the line down after the 403" 200
down=$(nth 2)
jq -e '.state == "down" and .first == false and .reason == "403 Forbidden" and .registrar == "10.77.0.1:5060"' \
	<<<"$down" >/dev/null || lab_fail "the 403 line event: $down"
damped=$(jq -r '((.time | sub("\\.[0-9]+Z$"; "Z") | fromdate) - (.since | sub("\\.[0-9]+Z$"; "Z") | fromdate))' <<<"$down")
[ "$damped" -ge 3 ] && [ "$damped" -le 5 ] ||
	lab_fail "the down was announced $damped s after it happened, expected 3 s (down-after) and a tick"
status | grep -q "^line: *down since .* (403 Forbidden), registrar 10.77.0.1:5060$" ||
	lab_fail "--status does not show the line down: $(status | grep '^line')"
kill -KILL "$ata1"  # no de-REGISTER: the ATA just stops

# 3. Another registration (a new Call-ID): back up, once.
ata ata2
wait_lines 3 "the line back up" 100
jq -e '.state == "up" and .first == false' <<<"$(nth 3)" >/dev/null || lab_fail "back up: $(nth 3)"

sleep 2
[ "$(line_count)" = 3 ] || lab_fail "expected 3 line events, got: $(line_events)"
status | grep -q "^line: *up since " || lab_fail "--status when back up: $(status | grep '^line')"

# The words on the desktop, from the datagram.
lab_wait_for "sipcid-notify to print 3 line events" 50 eval \
	'[ "$(grep -c "  line   " "$LAB_TMP/notify.out")" -ge 3 ]'
down_hhmm=$(jq -r '.since | sub("\\.[0-9]+Z$"; "Z") | fromdate | strftime("%H:%M")' <<<"$down")
grep -q "  line   Phone line up  registrar 10.77.0.1:5060$" "$LAB_TMP/notify.out" ||
	lab_fail "sipcid-notify did not say the line is up: $(cat "$LAB_TMP/notify.out")"
grep -q "  line   Phone line down since $down_hhmm (403 Forbidden)  registrar 10.77.0.1:5060$" \
	"$LAB_TMP/notify.out" || lab_fail "sipcid-notify did not say the line is down: $(cat "$LAB_TMP/notify.out")"
grep -q "  line   Phone line back up  " "$LAB_TMP/notify.out" ||
	lab_fail "sipcid-notify did not say the line is back up: $(cat "$LAB_TMP/notify.out")"

# The call log keeps them, newest first.
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd did not stop cleanly: $(tail -5 "$LAB_TMP/sipcidd.log")"
"$SIPCID_LOG" -d "$DB" --line-events --json >"$LAB_TMP/log.json" || lab_fail "sipcid-log --line-events"
[ "$(jq -r .state "$LAB_TMP/log.json" | tr '\n' ' ')" = "up down up " ] ||
	lab_fail "the call log's line events: $(cat "$LAB_TMP/log.json")"
[ "$(jq -r .reason "$LAB_TMP/log.json" | sed -n 2p)" = "403 Forbidden" ] ||
	lab_fail "the call log lost the reason: $(cat "$LAB_TMP/log.json")"
"$SIPCID_LOG" -d "$DB" --line-events | grep -q "Phone line down since $down_hhmm (403 Forbidden)" ||
	lab_fail "sipcid-log --line-events: $("$SIPCID_LOG" -d "$DB" --line-events)"
lab_stop "$notify_pid"
echo "ok: up, down (403 Forbidden, after 3 s), back up: --json, sipcid-notify, --status, call log"
