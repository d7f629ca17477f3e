#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Voicemail waiting (issue 19): the provider's NOTIFY message-summary
# (RFC 3842) crosses the bridge toward the ATA. sipcidd announces the counts
# when they change, and passes every NOTIFY untouched.
#
#   provider ns: labnet.py sends tests/lab/data/mwi/*.sip from 10.77.0.1:5060
#   phone ns:    a UDP receiver on 10.77.0.2:5060 keeps what arrives
#   bridge ns:   sipcidd and sipcid-notify --print
#
# The NOTIFYs: RFC 3842's example (2 new, 8 old), the same again (a
# refresh: not announced), Asterisk's form (1/9, no urgent part), all heard
# (Messages-Waiting: no, 0/10), a hostile body (escape codes, a count of
# eleven digits), and a dialog-package NOTIFY (not voicemail).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq python3
lab_setup
NOTIFY=${SIPCID_NOTIFY:-$LAB_BUILD/notifiers/sipcid-notify}
[ -x "$NOTIFY" ] || lab_fail "no sipcid-notify at $NOTIFY"
MWI=$LAB_SRC/tests/lab/data/mwi
SIPCID_LOG=${SIPCID_LOG:-$LAB_BUILD/calllog/sipcid-log}

lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
printf '[log]\ndatabase = %s\nbatch-ms = 50\n' "$LAB_TMP/calls.db" >"$LAB_TMP/sipcid.conf"
# A hook (--exec) keeps each event's environment.
cat >"$LAB_TMP/hook" <<HOOK
#!/bin/sh
env | grep '^SIPCID_' | sort >"$LAB_TMP/hook.\$\$.env"
HOOK
chmod +x "$LAB_TMP/hook"
lab_start bridge "$LAB_TMP/notify.out" "$NOTIFY" --print --json --exec "$LAB_TMP/hook"
notify_pid=$LAB_PID
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
files=("$MWI"/*.sip)
lab_udp_receiver "$LAB_TMP/ata" 5060 "${#files[@]}" $LAB_PHONE_IP
# One at a time, in order: each is its own datagram.
for f in "${files[@]}"; do
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$f" ||
		lab_fail "sending $f"
	sleep 0.2
done
lab_wait_received "$LAB_TMP/ata" "${#files[@]}"

# Never dropped, never altered: the ATA got each NOTIFY byte for byte.
for f in "${files[@]}"; do
	found=
	for got in "$LAB_TMP"/ata/*.bin; do
		cmp -s "$f" "$got" && found=1
	done
	[ -n "$found" ] || lab_fail "the ATA did not get $(basename "$f") unchanged"
done

vm() { jq -c 'select(.event == "voicemail")' "$LAB_TMP/events.json"; }
lab_wait_for "4 voicemail events" 50 eval '[ "$(vm | wc -l)" -ge 4 ]'
sleep 1
vm >"$LAB_TMP/vm.json"
cat "$LAB_TMP/vm.json"
[ "$(wc -l <"$LAB_TMP/vm.json")" = 4 ] ||
	lab_fail "expected 4 voicemail events (the refresh and the dialog NOTIFY are not news)"
expect() {  # expect N JQ: the Nth voicemail event satisfies JQ
	sed -n "${1}p" "$LAB_TMP/vm.json" | jq -e "$2" >/dev/null ||
		lab_fail "voicemail event $1 is not $2: $(sed -n "${1}p" "$LAB_TMP/vm.json")"
}
expect 1 '.waiting == true and .new == 2 and .old == 8 and .urgent == 0 and .urgent_old == 2'
expect 2 '.waiting == true and .new == 1 and .old == 9 and .urgent == null'
expect 3 '.waiting == false and .new == 0 and .old == 10'
# The hostile one: its count is no count, and nothing raw got through.
expect 4 '.waiting == true and .new == null and .old == null'
grep -q $'\x1b' "$LAB_TMP/events.json" && lab_fail "an escape character reached the events"

# The listener says it in words.
lab_wait_for "sipcid-notify to print 4 voicemail events" 50 eval \
	'[ "$(grep -c "\"event\":\"voicemail\"" "$LAB_TMP/notify.out")" -ge 4 ]'
diff <(jq -c 'del(.box)' "$LAB_TMP/vm.json") \
	<(grep '"event":"voicemail"' "$LAB_TMP/notify.out" | jq -c 'del(.box)') ||
	lab_fail "sipcid-notify printed other voicemail events than sipcidd"
lab_wait_for "the hook to run 4 times" 50 eval '[ "$(ls "$LAB_TMP"/hook.*.env | wc -l)" -ge 4 ]'
grep -l '^SIPCID_WHAT=2 new voicemails$' "$LAB_TMP"/hook.*.env >"$LAB_TMP/hook-2"
[ "$(wc -l <"$LAB_TMP/hook-2")" = 1 ] || lab_fail "no hook run said '2 new voicemails'"
hook2=$(cat "$LAB_TMP/hook-2")
for kv in SIPCID_EVENT=voicemail SIPCID_NEW=2 SIPCID_OLD=8 SIPCID_URGENT=0 SIPCID_STATE=; do
	grep -qx "$kv" "$hook2" || lab_fail "the hook's environment lacks $kv: $(cat "$hook2")"
done
sed -n 's/^SIPCID_JSON=//p' "$hook2" | jq -e '.event == "voicemail" and .new == 2' >/dev/null ||
	lab_fail "the hook's SIPCID_JSON: $(grep JSON "$hook2")"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd did not stop cleanly"
"$SIPCID_LOG" -d "$LAB_TMP/calls.db" --line-events >"$LAB_TMP/log.txt" || lab_fail "sipcid-log --line-events"
cat "$LAB_TMP/log.txt"
grep -q "vmail  2 new voicemails$" "$LAB_TMP/log.txt" || lab_fail "the call log lacks '2 new voicemails'"
grep -q "vmail  1 new voicemail$" "$LAB_TMP/log.txt" || lab_fail "the call log lacks '1 new voicemail'"
grep -q "vmail  No new voicemail$" "$LAB_TMP/log.txt" || lab_fail "the call log lacks 'No new voicemail'"
lab_stop "$notify_pid"
echo "ok: ${#files[@]} NOTIFYs passed unchanged; 4 voicemail events, the refresh not repeated"
