#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# MQTT with real calls across the lab bridge, and a real broker in the
# bridge namespace (127.0.0.1:1883 there, password required):
#  - Home Assistant discovery, availability, and every topic's payload;
#  - the button "block last caller" writes a rule, and the next call from
#    that number never reaches the phone;
#  - the switch "pause blocking" lets that number ring, announced with its rule;
#  - the broker stopped for 10 s loses no event: they wait, then go out in order.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/mqtt/mqtt_lib.sh"
lab_require jq mosquitto mosquitto_sub mosquitto_pub mosquitto_passwd
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

mqtt_lab_broker
printf '# lab rules\nblock number anonymous\n' >"$LAB_TMP/rules"
cat >"$LAB_TMP/sipcid.conf" <<CONF
[rules]
rules = $LAB_TMP/rules
[mqtt]
broker = 127.0.0.1:1883
username = $MQTT_USER
password-file = $LAB_TMP/mqtt.pass
box = office1
CONF
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
lab_udp_receiver "$LAB_TMP/rx" 5060 1000 0.0.0.0 --timeout 170

T=sipcid/office1
mqtt_check_discovery homeassistant office1
mqtt_wait_heard "online" 50 $T/availability true
[ "$(mqtt_retained $T/availability)" = online ] || lab_fail "availability is not retained as online"
[ "$(mqtt_retained $T/state)" = idle ] || lab_fail "the line is not idle at start"
[ "$(mqtt_retained $T/pause_blocking)" = OFF ] || lab_fail "the switch is not OFF at start"

invite() {  # invite CALL_ID FROM_USER
	lab_net sip INVITE --call-id "$1" --from-user "$2" --from-name "Caller $2" >"$LAB_TMP/$1"
}
send() {
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 \
		--count 1 --gap-ms 50 $LAB_PHONE_IP 5060 "$LAB_TMP/$1" || lab_fail "send $1"
}
arrived() { grep -l -- "Call-ID: $1" "$LAB_TMP"/rx/*.bin 2>/dev/null | wc -l; }
wait_arrived() { lab_wait_for "$1 at the phone" 100 eval "[ \"\$(arrived $1)\" -ge 1 ]"; }
event() { mqtt_heard $T/event ".call_id == \"$1\" and ($2)"; }
wait_event() { mqtt_wait_heard "the event of $1" 100 $T/event ".call_id == \"$1\" and ($2)"; }

# 1. A call rings: its event (the --json object, with box and line), the
# retained last call and state.
CALLER=+15557770000
invite one@lab $CALLER
send one@lab
wait_arrived one@lab
wait_event one@lab '.event == "call" and .state == "ringing" and .action == "allow"'
json_line=$(jq -c 'select(.call_id == "one@lab")' "$LAB_TMP/events.json")
mqtt_line=$(awk -v t=$T/event '$1 == t { sub(/^[^ ]* /, ""); print }' "$MQTT_DIR/heard" | jq -c 'select(.call_id == "one@lab")')
[ -n "$json_line" ] && [ "$json_line" = "$mqtt_line" ] ||
	lab_fail "the MQTT event differs from --json: '$mqtt_line' vs '$json_line'"
[ "$(echo "$mqtt_line" | jq -r '.box + " " + .line + " " + .number')" = "office1 $(echo "$json_line" | jq -r .called) $CALLER" ] ||
	lab_fail "box, line or number wrong in $mqtt_line"
[ "$(mqtt_retained $T/state)" = ringing ] || lab_fail "the retained state is not ringing"
[ "$(mqtt_retained $T/last_call | jq -r .call_id)" = one@lab ] || lab_fail "the retained last call is not one@lab"
# answered: talking; hung up: idle (and the last call says ended)
lab_net sip 200 --call-id one@lab --from-user $CALLER --src $LAB_PHONE_IP --dst $LAB_PROV_IP >"$LAB_TMP/one.200"
lab_phone python3 "$LAB_SRC/tests/lab/labnet.py" send-udp $LAB_PROV_IP 5060 "$LAB_TMP/one.200" ||
	lab_fail "send the 200"
wait_event one@lab '.event == "update" and .state == "answered"'
lab_wait_for "the line to show talking" 50 eval "[ \"\$(mqtt_retained $T/state)\" = talking ]"
lab_net sip BYE --call-id one@lab --from-user $CALLER >"$LAB_TMP/one.bye"
send one.bye
wait_event one@lab '.event == "update" and .state == "ended"'
lab_wait_for "the line to be idle again" 50 eval "[ \"\$(mqtt_retained $T/state)\" = idle ]"
[ "$(mqtt_retained $T/last_call | jq -r .state)" = ended ] || lab_fail "the retained last call is not the ended update"

# 2. The button: a rule for the last caller, the rules reload, and the next
# call from that number is dropped before the phone; the line shows blocked.
mqtt_pub $T/block_last_caller/press PRESS
lab_wait_for "the rule file to change" 100 grep -qx "block number $CALLER" "$LAB_TMP/rules"
grep -q "^# .*blocked over MQTT (block last caller, call one@lab)" "$LAB_TMP/rules" ||
	lab_fail "the new rule has no dated comment: $(cat "$LAB_TMP/rules")"
lab_wait_for "the rules to be reloaded" 100 grep -q "rules reloaded" "$LAB_TMP/sipcidd.log"
grep -q "\[mqtt\] block last caller: added 'block number $CALLER'" "$LAB_TMP/sipcidd.log" ||
	lab_fail "the button press was not logged: $(cat "$LAB_TMP/sipcidd.log")"
invite two@lab $CALLER
invite mark2@lab +15550000002
send two@lab
send mark2@lab
wait_arrived mark2@lab
[ "$(arrived two@lab)" = 0 ] || lab_fail "the caller blocked by the button reached the phone"
wait_event two@lab '.action == "block" and (.rule | endswith("/rules:2"))'
grep -q "^$T/state blocked$" "$MQTT_DIR/heard" || lab_fail "the line never showed blocked after a blocked call"
lab_net sip CANCEL --call-id mark2@lab --from-user +15550000002 >"$LAB_TMP/mark2.cancel"
send mark2.cancel
wait_event mark2@lab '.state == "missed"'
lab_wait_for "the line to be idle after the blocked call's hold" 150 eval "[ \"\$(mqtt_retained $T/state)\" = idle ]"

# 3. The switch: paused, the rule still decides (named in the event) but the
# call rings; resumed, it is blocked again.
mqtt_pub $T/pause_blocking/set ON
lab_wait_for "the switch to report ON" 50 eval "[ \"\$(mqtt_retained $T/pause_blocking)\" = ON ]"
invite three@lab $CALLER
send three@lab
wait_arrived three@lab
wait_event three@lab '.action == "allow" and (.rule | endswith("/rules:2"))'
mqtt_pub $T/pause_blocking/set OFF
lab_wait_for "the switch to report OFF" 50 eval "[ \"\$(mqtt_retained $T/pause_blocking)\" = OFF ]"
invite four@lab $CALLER
invite mark4@lab +15550000004
send four@lab
send mark4@lab
wait_arrived mark4@lab
[ "$(arrived four@lab)" = 0 ] || lab_fail "blocking did not resume after the switch went OFF"
wait_event four@lab '.action == "block"'
grep -q '\[mqtt\] pause blocking: ON' "$LAB_TMP/sipcidd.log" && grep -q '\[mqtt\] pause blocking: OFF' "$LAB_TMP/sipcidd.log" ||
	lab_fail "the switch's commands were not logged"

# 4. The broker away for 10 s: five calls meanwhile; all five events arrive
# once it is back, in order, within the queue bound (1000).
mqtt_broker_stop
for i in 1 2 3 4 5; do
	invite away$i@lab +1555001000$i
	send away$i@lab
done
wait_arrived away5@lab
lab_wait_for "the loss to be logged" 50 grep -q '\[mqtt\] lost 127.0.0.1:1883' "$LAB_TMP/sipcidd.log"
sleep 10
mqtt_broker_start
mqtt_wait_heard "the five queued calls" 300 $T/event '.call_id | startswith("away")' 5
order=$(awk -v t=$T/event '$1 == t { sub(/^[^ ]* /, ""); print }' "$MQTT_DIR/heard" |
	jq -r 'select(.call_id | startswith("away")) | .call_id' | tr '\n' ' ')
[ "$order" = "away1@lab away2@lab away3@lab away4@lab away5@lab " ] || lab_fail "the queued events came out of order: $order"
grep -q '\[mqtt\] connected to 127.0.0.1:1883 again, 5 events queued' "$LAB_TMP/sipcidd.log" ||
	lab_fail "the reconnection was not logged with its queue: $(grep mqtt "$LAB_TMP/sipcidd.log")"

# 5. The last caller is an emergency number (a call back from 911): the
# button refuses, in words, and the rule file stays as it was.
cp "$LAB_TMP/rules" "$LAB_TMP/rules.before"
invite psap@lab 911
send psap@lab
wait_event psap@lab '.number == "911"'
mqtt_pub $T/block_last_caller/press PRESS
lab_wait_for "the button to refuse the emergency number" 100 \
	grep -q '\[mqtt\] block last caller: refused, 911 is an emergency number' "$LAB_TMP/sipcidd.log"
cmp -s "$LAB_TMP/rules" "$LAB_TMP/rules.before" || lab_fail "the button changed the rules for 911: $(cat "$LAB_TMP/rules")"

# 6. A clean stop says offline.
lab_stop "$LAB_SIPCIDD_PID"
[ "$(mqtt_retained $T/availability)" = offline ] || lab_fail "availability is not offline after sipcidd stopped"
echo "PASS: discovery and every topic; the button blocked the next call; the switch paused blocking; 10 s without the broker lost no event"
