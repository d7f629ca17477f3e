#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The user's rules on real traffic crossing the bridge:
#  - with "block number anonymous", an anonymous INVITE never reaches the
#    phone, nor do any of its retransmissions;
#  - a phonebook caller rings through, with the alias in the event;
#  - a rule file changed during a call changes later calls only.
# "Never reaches" is checked without timing: a later INVITE sent after the
# blocked ones on the same path must arrive, and the blocked ones not.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

printf '# lab rules\nblock number anonymous\n' >"$LAB_TMP/rules"
printf '+15551234567 Mom\n' >"$LAB_TMP/phonebook"
printf '[rules]\nrules = %s\nphonebook = %s\n' "$LAB_TMP/rules" "$LAB_TMP/phonebook" >"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
lab_udp_receiver "$LAB_TMP/rx" 5060 1000 0.0.0.0 --timeout 90

invite() {  # invite CALL_ID FROM_USER FROM_NAME: writes $LAB_TMP/CALL_ID
	lab_net sip INVITE --call-id "$1" --from-user "$2" --from-name "$3" >"$LAB_TMP/$1"
}
send() {  # send CALL_ID COUNT: the same bytes COUNT times, as a UA retransmits
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 \
		--count "$2" --gap-ms 50 $LAB_PHONE_IP 5060 "$LAB_TMP/$1" || lab_fail "send $1"
}
arrived() { grep -l -- "Call-ID: $1" "$LAB_TMP"/rx/*.bin 2>/dev/null | wc -l; }
wait_arrived() { lab_wait_for "$1 at the phone" 100 eval "[ \"\$(arrived $1)\" -ge ${2:-1} ]"; }
event() { lab_events_matching ".event == \"call\" and .call_id == \"$1\" and ($2)"; }

# 1. The anonymous call and its retransmissions, then a marker.
invite anon@lab anonymous Anonymous
invite mom@lab +15551234567 "Network Name"
send anon@lab 8
send mom@lab 1
wait_arrived mom@lab
[ "$(arrived anon@lab)" = 0 ] || lab_fail "$(arrived anon@lab) copies of the anonymous INVITE reached the phone"
[ "$(event anon@lab '.action == "block" and .presentation == "restricted" and (.rule | endswith("/rules:2"))')" = 1 ] ||
	lab_fail "the anonymous call was not announced once as blocked by rules:2: $(cat "$LAB_TMP/events.json")"
[ "$(lab_events_matching '.call_id == "anon@lab"')" = 1 ] || lab_fail "the blocked call was announced more than once"
dropped=$(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL" | awk '/^dropped:/ { print $2 }')
[ "$dropped" = 8 ] || lab_fail "sipcidd dropped $dropped packets, expected the 8 copies of the anonymous INVITE"

# 2. The phonebook caller rang through with the alias beside the network's name.
[ "$(event mom@lab '.action == "allow" and .alias == "Mom" and .name == "Network Name" and .number == "+15551234567"')" = 1 ] ||
	lab_fail "the phonebook caller was not announced with alias Mom: $(cat "$LAB_TMP/events.json")"
cmp -s "$(grep -l "Call-ID: mom@lab" "$LAB_TMP"/rx/*.bin)" "$LAB_TMP/mom@lab" ||
	lab_fail "the allowed INVITE changed on its way"

# 3. A call rings; the rules change under it (the file is rewritten; the
# watcher reloads it); the ringing call keeps its decision, later calls don't.
invite ring@lab +15557770000 "Early Caller"
send ring@lab 1
wait_arrived ring@lab
printf '# changed during the call\nblock number +15557770000\n' >"$LAB_TMP/rules.new"
mv "$LAB_TMP/rules.new" "$LAB_TMP/rules"
lab_wait_for "the rules to be reloaded" 100 grep -q "rules reloaded" "$LAB_TMP/sipcidd.log"
send ring@lab 2                        # its retransmissions still pass
invite later@lab +15557770000 "Early Caller"
invite marker@lab +15550009999 "Marker"
send later@lab 3
send marker@lab 1
wait_arrived marker@lab
[ "$(arrived ring@lab)" = 3 ] || lab_fail "the ringing call's retransmissions were blocked after the reload ($(arrived ring@lab) of 3 arrived)"
[ "$(arrived later@lab)" = 0 ] || lab_fail "a later call from the newly blocked number reached the phone"
[ "$(event ring@lab '.action == "allow"')" = 1 ] || lab_fail "the ringing call's announcement changed"
[ "$(event later@lab '.action == "block" and (.rule | endswith("/rules:2"))')" = 1 ] ||
	lab_fail "the later call was not blocked by the new rule"
anon_now=$(lab_events_matching '.call_id == "anon@lab"')
[ "$anon_now" = 1 ] || lab_fail "anonymous events changed"
echo "PASS: anonymous blocked with every retransmission, alias announced, reload changed only later calls"
