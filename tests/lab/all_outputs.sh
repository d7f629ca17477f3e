#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 16, done when: one real call through the lab bridge shows up in all
# three of the house's new outputs at once — a real MQTT broker (mosquitto,
# in the bridge namespace), an NCID client written from NCID's API
# (tests/ncid/ncid_client.py, on the phone side) and a real HTTP server
# recording webhook requests (bridge namespace) — each with the caller's
# number and name as sipcidd printed them.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
. "$SIPCID_SRC/tests/mqtt/mqtt_lib.sh"
lab_require jq baresip mosquitto mosquitto_sub mosquitto_passwd python3
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
export TZ=UTC

mqtt_lab_broker

WH_TMP=$LAB_TMP
WH_RUN="ip netns exec $LAB_NS_BRIDGE"
. "$SIPCID_SRC/tests/webhook/webhook_lib.sh"
wh_server hook ok || lab_fail "the webhook receiver did not start"
LAB_PIDS+=("${WH_PIDS[@]}")

cat >"$LAB_TMP/sipcid.conf" <<CONF
[mqtt]
broker = 127.0.0.1:1883
username = $MQTT_USER
password-file = $LAB_TMP/mqtt.pass
box = house
[ncid]
listen = $LAB_BRIDGE_IP:3333
[webhook phone]
url = http://127.0.0.1:$WH_PORT/push
events = calls
CONF
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
mqtt_wait_heard "sipcidd online on the broker" 100 sipcid/house/availability true

# The NCID client waits for the ringing call's CIDINFO: and CID: lines.
lab_start phone "$LAB_TMP/ncid.out" python3 "$SIPCID_SRC/tests/ncid/ncid_client.py" \
	--no-log --lines 2 --timeout 60 $LAB_BRIDGE_IP 3333
client=$LAB_PID
lab_wait_for "the NCID client's connection startup" 100 grep -q '^300 ' "$LAB_TMP/ncid.out"

lab_baresip_alice_calls
lab_wait_for "the call in sipcidd's events" 100 eval \
	'[ "$(lab_events_matching ".event == \"call\"")" -ge 1 ]'
call=$(jq -c 'select(.event == "call")' "$LAB_TMP/events.json" | head -1)
number=$(jq -r .number <<<"$call")
call_id=$(jq -r .call_id <<<"$call")
[ "$number" = +15551234567 ] || lab_fail "sipcidd printed the caller as '$number'"

# MQTT: the event, as printed.
mqtt_wait_heard "the call on MQTT" 100 sipcid/house/event \
	".event == \"call\" and .call_id == \"$call_id\" and .number == \"$number\" and .name == \"Alice Example\" and .box == \"house\""
# NCID: CID: with the number and the name.
wait "$client" || lab_fail "the NCID client did not get the call's lines: $(tail -3 "$LAB_TMP/ncid.out")"
grep -E '^CID: ' "$LAB_TMP/ncid.out" | grep -q "\*NMBR\*${number#+}\*\|\*NMBR\*$number\*" ||
	lab_fail "no CID: line with $number: $(grep -E '^CID' "$LAB_TMP/ncid.out")"
grep -E '^CID: ' "$LAB_TMP/ncid.out" | grep -q '\*NAME\*Alice Example\*' ||
	lab_fail "the CID: line does not name Alice Example"
# The webhook: the event JSON as the body.
lab_wait_for "the call at the webhook receiver" 100 eval \
	"[ \"\$(wh_count hook '(.body | fromjson | .call_id == \"$call_id\" and .number == \"$number\" and .name == \"Alice Example\")')\" -ge 1 ]"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd did not stop cleanly"
echo "PASS: one baresip call reached the MQTT broker, the NCID client and the webhook receiver"
