#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Listen Live on the control socket (`listen CALL-ID WHO`, what sipcid-web's
# /api/live/listen streams), on a real bridge: baresip calls baresip, the
# caller playing a 1 kHz tone, the phone a 440 Hz one; a `record` rule marks the call; sipcidd hears
# its RTP through the firewall helper's NFLOG rule.
#   - the listener gets "ok:" and PCM within 1 s, and the left channel (the
#     far end, here the caller) carries the 1 kHz tone while the right (the
#     phone) carries its 440 Hz one;
#   - both the start and the end of the listen are logged with the call, the
#     caller and the requester;
#   - listening is refused for a call no rule marks record (on-demand off),
#     and for a Call-ID that is not in progress.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/lab/live_lib.sh"
lab_require jq baresip sox python3
[ -e /usr/lib/baresip/modules/aufile.so ] || lab_fail "baresip has no aufile module (package baresip-core)"
lab_setup
PEER=$LAB_SRC/tests/lab/control_peer.py
live_sipcidd
pid=$LAB_SIPCIDD_PID

live_tone_call 9
lab_wait_for "the call to be answered" 80 eval \
	'[ "$(lab_events_matching ".number == \"+15551230000\" and .state == \"answered\"")" -ge 1 ]'
call_id=$(jq -r 'select(.number == "+15551230000") | .call_id' "$LAB_TMP/events.json" | head -n 1)
sleep 0.5  # the RTP has started

# ---- 1. Listening to the recorded call ----
out=$(python3 "$PEER" listen "$LAB_CONTROL" "$call_id" "tester@lab" "$LAB_TMP/listen.pcm" --seconds 2.5)
echo "listen: $out"
[ "$(echo "$out" | jq -r .reply | cut -c1-3)" = "ok:" ] || lab_fail "listen was refused: $out"
first=$(echo "$out" | jq -r .first_audio_s)
[ "$first" != null ] && awk -v f="$first" 'BEGIN { exit !(f < 1.0) }' ||
	lab_fail "no audio within 1 s of the request (first audio: $first s)"
bytes=$(echo "$out" | jq -r .bytes)
# 2.5 s of 8 kHz 16-bit stereo is 80 000 bytes; at least 1.5 s of it came.
[ "$bytes" -ge 48000 ] || lab_fail "only $bytes bytes of audio in 2.5 s"
echo "$out" | jq -e '.left.tone_share >= 0.8 and .left.frames >= 20' >/dev/null ||
	lab_fail "the left channel does not carry the caller's 1 kHz tone: $out"
# The right channel is the phone's 440 Hz: loud, and not at 1 kHz (so the
# check can tell the tones apart, and the channels are not swapped).
echo "$out" | jq -e '.right.frames >= 20 and .right.tone_share < 0.2' >/dev/null ||
	lab_fail "the right channel does not carry the phone's 440 Hz tone alone: $out"
grep -F "listen live: tester@lab (pid" "$LAB_TMP/sipcidd.log" | grep -F "listens to call $call_id from +15551230000 (Tone Caller)" ||
	lab_fail "the start of the listen is not logged with requester, call and caller"
lab_wait_for "the end of the listen in the log" 30 grep -qF "stopped listening to call $call_id" "$LAB_TMP/sipcidd.log"
grep -F "stopped listening to call $call_id" "$LAB_TMP/sipcidd.log"

# ---- 2. Refusals ----
lab_net sip INVITE --call-id not-recorded@lab --from-user +442079460000 --from-name Other >"$LAB_TMP/other"
# Not from port 5060: the calling baresip holds it.
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5070 $LAB_PHONE_IP 5060 \
	"$LAB_TMP/other" || lab_fail "could not send the second INVITE"
lab_wait_for "the unrecorded call's event" 30 eval \
	'[ "$(lab_events_matching ".call_id == \"not-recorded@lab\"")" -ge 1 ]'
no=$(python3 "$PEER" listen "$LAB_CONTROL" not-recorded@lab tester@lab "$LAB_TMP/no.pcm" --seconds 0.5)
echo "unrecorded call: $no"
echo "$no" | jq -e '(.reply | startswith("error:")) and (.reply | test("not permitted")) and .bytes == 0' \
	>/dev/null || lab_fail "listening to a call no rule marks record was not refused: $no"
none=$(python3 "$PEER" listen "$LAB_CONTROL" no-such-call@lab tester@lab "$LAB_TMP/none.pcm" --seconds 0.5)
echo "unknown call: $none"
echo "$none" | jq -e '(.reply | startswith("error:")) and .bytes == 0' >/dev/null ||
	lab_fail "listening to an unknown Call-ID was not refused: $none"
grep -F "listens to call not-recorded@lab" "$LAB_TMP/sipcidd.log" && lab_fail "a refused listen was logged as started"

live_tone_call_end
lab_stop "$pid"
rc=$?
[ $rc = 0 ] || lab_fail "sipcidd exited with status $rc (see $LAB_TMP/sipcidd.log)"
grep -E "runtime error|AddressSanitizer|LeakSanitizer" "$LAB_TMP/sipcidd.log" &&
	lab_fail "the sanitizers reported errors"
echo "PASS: first audio ${first} s after the request, $bytes bytes, left $(echo "$out" | jq -c .left)," \
	"right $(echo "$out" | jq -c .right); refusals right"
