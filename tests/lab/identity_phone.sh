#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What the rules judge is what the phone shows (issue 14, findings 1, 2, 4),
# with baresip as the phone and `block number +15551234567` in force:
#  - a Call-ID reused with the blocked caller after the phone refused the
#    first INVITE (420 for an unknown Require) is judged again and dropped;
#  - an INVITE with two From headers (baresip shows the last) is dropped;
#  - an INVITE with a To tag for a dialog that never was is dropped;
# and baresip's log never shows an incoming call from the blocked number,
# while an allowed call sent after them all rings (so the log is live).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

printf 'block number +15551234567\nallow *\n' >"$LAB_TMP/rules"
printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"

# The phone: baresip that rings (manual answer) and logs each incoming call.
lab_ringing_phone

python3 "$LAB_SRC/tests/hostile/make_identity_captures.py" --lab "$LAB_TMP/msg" \
	$LAB_PROV_IP $LAB_PHONE_IP || lab_fail "cannot make the INVITEs"
send() { lab_send_sip "$LAB_TMP/msg/$1.sip"; }
event() { lab_events_matching ".event == \"call\" and .call_id == \"$1\" and ($2)"; }
rang() { lab_phone_rang "$1"; }

# Finding 1: the phone refuses the first INVITE (420) before the second comes.
send reuse-first
lab_wait_for "the phone to refuse the first INVITE" 50 eval \
	"grep -aq 'rejected with 420' '$LAB_TMP/phone.log' '$LAB_TMP/phone.err'"
sleep 0.5
send reuse-second
send twofrom     # finding 2
send totag       # finding 4
send marker
lab_wait_for "the allowed marker call to ring at the phone" 100 eval '[ "$(rang +15550009999)" -ge 1 ]'
sleep 0.5
cat "$LAB_TMP/events.json"
cat "$LAB_TMP/phone.log" "$LAB_TMP/phone.err" | grep -a "Incoming call\|rejected"

[ "$(rang +15551234567)" = 0 ] ||
	lab_fail "the phone rang for the blocked number: $(cat "$LAB_TMP/phone.log" "$LAB_TMP/phone.err" | grep -a 'Incoming call' | grep -- +15551234567)"
[ "$(event reuse@lab '.action == "block" and .number == "+15551234567"')" = 1 ] ||
	lab_fail "the reused Call-ID was not announced as a new, blocked call"
[ "$(event twofrom@lab '.action == "block" and .malformed == true')" = 1 ] ||
	lab_fail "the INVITE with two From headers was not announced as blocked and malformed"
[ "$(event totag@lab '.action == "block"')" = 1 ] ||
	lab_fail "the To-tagged INVITE of an unknown dialog was not announced as blocked"
[ "$(event marker@lab '.action == "allow"')" = 1 ] || lab_fail "the marker call was not announced"
echo "PASS: Call-ID reuse, two From headers and an unknown dialog's INVITE never rang the phone"
