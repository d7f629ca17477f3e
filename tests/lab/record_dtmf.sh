#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Touch-tone recording controls and the per-call record switch, live, with no
# `record` rule: every call may be recorded on request ([record] on-demand).
#   1. A real baresip call across the bridge; the phone's side presses *1
#      mid-call and *0 later (RFC 4733 telephone-events, baresip's default):
#      the recording covers only that stretch. The caller's *1, earlier, is
#      not obeyed: only the household's keys count.
#   2. SIP INFO (application/dtmf-relay and application/dtmf) from the phone
#      starts and stops a scripted call's recording; the same from the far
#      end does nothing.
#   3. sipcid-log record CALL-ID on|off on a live call, and its errors: an
#      unknown call, an ended call, a blocked call.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip sox soxi python3
SIPCID_LOG=${SIPCID_LOG:-$LAB_BUILD/calllog/sipcid-log}
[ -x "$SIPCID_LOG" ] || lab_fail "no sipcid-log at $SIPCID_LOG"
[ -e /usr/lib/baresip/modules/ctrl_tcp.so ] || lab_fail "baresip has no ctrl_tcp module (package baresip-core)"
lab_setup
lab_sipcidd_recording 'block number +1666*' 'allow *'
DB=$LAB_DB RECDIR=$LAB_RECDIR
pid=$LAB_SIPCIDD_PID
event_matching() { lab_events_matching "$1"; }
ended_event() { jq -c "select(.call_id == \"$1\" and .state == \"ended\")" "$LAB_TMP/events.json" | tail -n 1; }
log_row() { "$SIPCID_LOG" -d "$DB" --json -n 0 | jq -c "select(.call_id == \"$1\")"; }
recording_of() { log_row "$1" | jq -r .recording; }
sipcidd_log_count() { grep -c -F -- "$1" "$LAB_TMP/sipcidd.log"; }
log_record() { lab_bridge "$SIPCID_LOG" --control-socket "$LAB_CONTROL" record "$@"; }

# ---- 1. baresip: the phone presses *1, later *0 ----
for side in caller callee; do
	mkdir -p "$LAB_TMP/$side"
	cp "$LAB_SRC/tests/lab/data/baresip/$side/config" "$LAB_TMP/$side/config"
	printf 'module_app\t\tctrl_tcp.so\n' >>"$LAB_TMP/$side/config"
done
printf 'ctrl_tcp_listen\t\t%s:4444\n' $LAB_PROV_IP >>"$LAB_TMP/caller/config"
printf 'ctrl_tcp_listen\t\t%s:4444\n' $LAB_PHONE_IP >>"$LAB_TMP/callee/config"
printf '"Alice Example" <sip:+15551234567@%s>;regint=0\n' $LAB_PROV_IP >"$LAB_TMP/caller/accounts"
printf '<sip:bob@%s>;regint=0;answermode=auto\n' $LAB_PHONE_IP >"$LAB_TMP/callee/accounts"
# press NS HOST KEYS: baresip at HOST sends KEYS in its call (ctrl_tcp's
# netstring JSON; "sndcode" sends each key as a telephone-event).
press() {
	lab_$1 python3 - "$2" "$3" <<'EOP' || lab_fail "could not ask baresip at $2 to press $3"
import json, socket, sys
msg = json.dumps({"command": "sndcode", "params": sys.argv[2], "token": "t"}).encode()
s = socket.create_connection((sys.argv[1], 4444), timeout=5)
s.sendall(b"%d:%s," % (len(msg), msg))
try:
    print("baresip:", s.recv(4096).decode(errors="replace"))
except socket.timeout:
    pass
EOP
}
lab_start phone "$LAB_TMP/callee.log" baresip -f "$LAB_TMP/callee" -t 24
callee=$LAB_PID
sleep 1
lab_start prov "$LAB_TMP/caller.log" baresip -f "$LAB_TMP/caller" -t 18 -e "/dial sip:bob@$LAB_PHONE_IP"
caller=$LAB_PID
lab_wait_for "the baresip call to be answered" 100 eval \
	'[ "$(event_matching ".number_raw == \"+15551234567\" and .state == \"answered\"")" -ge 1 ]'
call=$(jq -r 'select(.number_raw == "+15551234567") | .call_id' "$LAB_TMP/events.json" | head -n 1)
sleep 2
press prov $LAB_PROV_IP '*1'   # the far end: not obeyed
sleep 3
press phone $LAB_PHONE_IP '*1'
lab_wait_for "the phone's *1 to start recording" 50 \
	grep -q -F "recording of call $call started mid-call (by touch-tones *1)" "$LAB_TMP/sipcidd.log"
t_start=$(lab_clock)
sleep 4
press phone $LAB_PHONE_IP '*0'
lab_wait_for "the phone's *0 to stop recording" 50 \
	grep -q -F "recording of call $call stopped (by touch-tones *0)" "$LAB_TMP/sipcidd.log"
t_stop=$(lab_clock)
wait "$caller"
kill -TERM "$callee" 2>/dev/null
wait "$callee"
lab_wait_for "the baresip call to end" 100 eval '[ -n "$(ended_event "$call")" ]'
lab_wait_for "its recording in the call log" 150 eval '[ "$(recording_of "$call")" != null ]'
wav=$(recording_of "$call")
talk_ms=$(ended_event "$call" | jq -r .talk_ms)
dur=$(soxi -D "$wav")
pressed=$(awk -v a="$t_start" -v b="$t_stop" 'BEGIN { printf "%.1f", b - a }')
echo "baresip call: talked $talk_ms ms; *1 to *0 took $pressed s; recording $wav: $dur s"
[ -f "$wav" ] && [ "$(dirname "$wav")" = "$RECDIR" ] || lab_fail "no recording $wav in $RECDIR"
[ "$talk_ms" -ge 12000 ] || lab_fail "the call talked only $talk_ms ms: the test proves nothing"
# From the phone's *1 to its *0 (about 4 s), not from the caller's *1 nor
# the answer: the file is much shorter than the call.
awk -v d="$dur" -v p="$pressed" 'BEGIN { exit !(d > p - 1.5 && d < p + 1.5) }' ||
	lab_fail "the recording lasts $dur s; the phone pressed *1 then *0 $pressed s apart"
awk -v d="$dur" -v t="$talk_ms" 'BEGIN { exit !(d < t / 1000 - 5) }' ||
	lab_fail "the recording ($dur s) is not much shorter than the call ($talk_ms ms)"
[ "$(sipcidd_log_count "recording of call $call started")" = 1 ] ||
	lab_fail "the recording was started more than once (the caller's *1 obeyed?): $(grep -F "$call" "$LAB_TMP/sipcidd.log")"

# ---- 2. SIP INFO ----
send_sip() {
	lab_$1 python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 "$2" 5060 "$3" ||
		lab_fail "could not send $3"
}
# scripted_call ID NUMBER: INVITE from the provider, 200 OK from the phone
# (RTP: the provider listens on 4000, the phone on 4002).
scripted_call() {
	lab_net sip INVITE --call-id "$1" --from-user "$2" >"$LAB_TMP/inv"
	lab_net sip 200 --call-id "$1" --from-user "$2" --src $LAB_PHONE_IP --dst $LAB_PROV_IP \
		--rtp-port 4002 >"$LAB_TMP/ok"
	send_sip prov $LAB_PHONE_IP "$LAB_TMP/inv"
	send_sip phone $LAB_PROV_IP "$LAB_TMP/ok"
}
end_call() {
	lab_net sip BYE --call-id "$1" --from-user "$2" >"$LAB_TMP/bye"
	send_sip prov $LAB_PHONE_IP "$LAB_TMP/bye"
}
# info FROM ID TYPE KEY...: one INFO per key in the call, from the phone or
# the provider, sent together (keys of a code are at most 3 s apart: python
# started once per key on a loaded machine could take longer).
info() {
	local from=$1 id=$2 type=$3 key files=() i=0 addr=()
	shift 3
	[ "$from" = phone ] && addr=(--src $LAB_PHONE_IP --dst $LAB_PROV_IP)
	for key; do
		if [ "$type" = application/dtmf-relay ]; then
			printf 'Signal=%s\r\nDuration=160\r\n' "$key" >"$LAB_TMP/info$i.body"
		else
			printf '%s' "$key" >"$LAB_TMP/info$i.body"
		fi
		lab_net sip INFO --call-id "$id" "${addr[@]}" --body "$LAB_TMP/info$i.body" \
			--content-type "$type" >"$LAB_TMP/info$i"
		files+=("$LAB_TMP/info$i")
		i=$((i + 1))
	done
	if [ "$from" = phone ]; then
		lab_phone python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 \
			$LAB_PROV_IP 5060 "${files[@]}"
	else
		lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 \
			$LAB_PHONE_IP 5060 "${files[@]}"
	fi || lab_fail "could not send INFO"
}
# rtp_burst: 100 RTP packets from the provider to the phone, and the wait
# until sipcidd has read their copies (NFLOG runs apart from the SIP queue:
# a burst read late would land after the next key).
rtp_burst() {
	local copies=$(lab_status_value nflog-packets)
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-rtp --count 100 --src-port 4000 $LAB_PHONE_IP 4002 ||
		lab_fail "could not send RTP"
	lab_wait_for "sipcidd to read the copies of 100 RTP packets" 100 eval \
		'[ "$(lab_status_value nflog-packets)" -ge $((copies + 100)) ]'
}
answered() { [ "$(event_matching ".call_id == \"$1\" and .state == \"answered\"")" -ge 1 ]; }

scripted_call info@lab +15550000002
lab_wait_for "the INFO call to be answered" 50 answered info@lab
saved0=$(lab_status_value rtp-saved)
rtp_burst                                  # before: not recorded
info phone info@lab application/dtmf-relay '*' 1
lab_wait_for "INFO *1 to start recording" 50 \
	grep -q -F "recording of call info@lab started mid-call (by touch-tones *1)" "$LAB_TMP/sipcidd.log"
saved1=$(lab_status_value rtp-saved)
rtp_burst                                  # recorded
info phone info@lab application/dtmf '*' 0
lab_wait_for "INFO *0 to stop recording" 50 \
	grep -q -F "recording of call info@lab stopped (by touch-tones *0)" "$LAB_TMP/sipcidd.log"
saved2=$(lab_status_value rtp-saved)
rtp_burst                                  # after: not recorded
saved3=$(lab_status_value rtp-saved)
end_call info@lab +15550000002
echo "INFO call: RTP saved before *1: $((saved1 - saved0)), between *1 and *0: $((saved2 - saved1)), after *0: $((saved3 - saved2))"
[ $((saved1 - saved0)) = 0 ] && [ $((saved3 - saved2)) = 0 ] ||
	lab_fail "RTP was saved outside *1 ... *0"
[ $((saved2 - saved1)) -ge 90 ] && [ $((saved2 - saved1)) -le 100 ] ||
	lab_fail "$((saved2 - saved1)) of the 100 RTP packets between *1 and *0 were saved"
lab_wait_for "the INFO call's recording" 150 eval '[ "$(recording_of info@lab)" != null ]'

# The far end's INFO *1: nothing starts.
scripted_call far@lab +15550000003
lab_wait_for "the far-end call to be answered" 50 answered far@lab
info prov far@lab application/dtmf-relay '*' 1
info prov far@lab application/dtmf '*' 1
before=$(lab_status_value rtp-saved)
rtp_burst
[ "$(lab_status_value rtp-saved)" = "$before" ] || lab_fail "the far end's INFO *1 started recording"

# ---- 3. sipcid-log record ----
out=$(log_record far@lab on) || lab_fail "sipcid-log record far@lab on failed: $out"
echo "sipcid-log record far@lab on: $out"
grep -q -F "recording of call far@lab started mid-call (by the control socket)" "$LAB_TMP/sipcidd.log" ||
	lab_fail "the log does not say the recording started mid-call"
rtp_burst
on=$(lab_status_value rtp-saved)
[ $((on - before)) -ge 90 ] || lab_fail "only $((on - before)) packets saved after sipcid-log record on"
out=$(log_record far@lab off) || lab_fail "sipcid-log record far@lab off failed: $out"
rtp_burst
[ "$(lab_status_value rtp-saved)" = "$on" ] || lab_fail "RTP still saved after sipcid-log record off"
end_call far@lab +15550000003
lab_wait_for "the far-end call to end" 50 eval '[ -n "$(ended_event far@lab)" ]'
lab_wait_for "the switched call's recording" 150 eval '[ "$(recording_of far@lab)" != null ]'

# expect_error ID ON|OFF TEXT: sipcid-log refuses, exit status 1, and says why.
expect_error() {
	local err rc
	err=$(log_record "$1" "$2" 2>&1 >/dev/null)
	rc=$?
	echo "sipcid-log record $1 $2: exit $rc: $err"
	[ $rc = 1 ] || lab_fail "sipcid-log record $1 $2 exited $rc, not 1"
	echo "$err" | grep -q -F "$3" || lab_fail "sipcid-log record $1 $2 said '$err', not '$3'"
}
expect_error no-such-call@lab on "no call in progress has this Call-ID"
expect_error far@lab on "the call has ended already"
lab_net sip INVITE --call-id spam@lab --from-user +16665550000 >"$LAB_TMP/spam"
send_sip prov $LAB_PHONE_IP "$LAB_TMP/spam"
lab_wait_for "the blocked call" 50 eval \
	'[ "$(event_matching ".call_id == \"spam@lab\" and .action == \"block\"")" -ge 1 ]'
expect_error spam@lab on "recording is not permitted for this call (it was blocked)"
err=$(log_record far@lab maybe 2>&1) && lab_fail "sipcid-log accepted 'record far@lab maybe'"
echo "$err" | grep -q "on or off" || lab_fail "sipcid-log record far@lab maybe said: $err"
err=$("$SIPCID_LOG" --control-socket "$LAB_TMP/nothing.sock" record far@lab on 2>&1) &&
	lab_fail "sipcid-log record succeeded with no sipcidd"
echo "$err" | grep -q "not running" || lab_fail "with no sipcidd, sipcid-log record said: $err"

kill -0 "$pid" 2>/dev/null || lab_fail "sipcidd died"
lab_stop "$pid"
rc=$?
[ $rc = 0 ] || lab_fail "sipcidd exited with status $rc on SIGTERM (see $LAB_TMP/sipcidd.log)"
grep -E "runtime error|AddressSanitizer|LeakSanitizer" "$LAB_TMP/sipcidd.log" &&
	lab_fail "the sanitizers reported errors"
echo "PASS: baresip *1..*0 recorded $dur s of a $talk_ms ms call; INFO and sipcid-log record toggle recording; errors named"
