# SPDX-License-Identifier: GPL-2.0-or-later
# mqtt_lib.sh: a real mosquitto broker and subscriber for the MQTT tests.
# Source it after lab.sh (lab tests) or on its own inside `unshare -n`.
# MQTT_DIR holds the broker's files and what the subscriber heard; every
# process is started with the command prefix $MQTT_RUN
# ("ip netns exec NS" or empty; a command, so that $! is the process itself)
# and killed by pid in mqtt_cleanup (and lab_cleanup, in the lab).

MQTT_PIDS=()
MQTT_USER=sipcid
MQTT_PASS=lab-secret-1
MQTT_WATCHER=watcher
MQTT_WATCHER_PASS=watch-secret-2

mqtt_fail() { echo "FAIL: $*" >&2; exit 1; }

mqtt_cleanup() {
	local pid
	for pid in "${MQTT_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	MQTT_PIDS=()
}

# mqtt_broker_config [EXTRA...]: the broker's file: loopback only, users
# from a password file, persistence so a subscriber's session survives a
# restart. Runs as root: it is the test's own broker in the test's namespace.
mqtt_broker_config() {
	: >"$MQTT_DIR/passwd"
	mosquitto_passwd -b "$MQTT_DIR/passwd" "$MQTT_USER" "$MQTT_PASS" || mqtt_fail "mosquitto_passwd"
	mosquitto_passwd -b "$MQTT_DIR/passwd" "$MQTT_WATCHER" "$MQTT_WATCHER_PASS"
	{
		echo "user root"
		echo "persistence true"
		echo "persistence_location $MQTT_DIR/"
		echo "password_file $MQTT_DIR/passwd"
		echo "per_listener_settings false"
		echo "allow_anonymous false"
		echo "listener ${MQTT_PORT:-1883} 127.0.0.1"
		printf '%s\n' "$@"
	} >"$MQTT_DIR/mosquitto.conf"
}

mqtt_broker_start() {
	$MQTT_RUN mosquitto -c "$MQTT_DIR/mosquitto.conf" >>"$MQTT_DIR/broker.log" 2>&1 &
	MQTT_BROKER_PID=$!
	MQTT_PIDS+=("$MQTT_BROKER_PID")
	LAB_PIDS+=("$MQTT_BROKER_PID")
	local i
	for ((i = 0; i < 50; i++)); do
		grep -q "Opening ipv4 listen socket on port ${MQTT_PORT:-1883}" "$MQTT_DIR/broker.log" && return 0
		sleep 0.1
	done
	mqtt_fail "the broker did not start: $(cat "$MQTT_DIR/broker.log")"
}

mqtt_broker_stop() {
	kill "$MQTT_BROKER_PID"
	wait "$MQTT_BROKER_PID" 2>/dev/null
}

# mqtt_watch [mosquitto_sub options]: subscribes to everything, QoS 1, with
# a persistent session; "TOPIC PAYLOAD" lines in $MQTT_DIR/heard.
mqtt_watch() {
	$MQTT_RUN mosquitto_sub -h 127.0.0.1 -p "${MQTT_PORT:-1883}" -u "$MQTT_WATCHER" \
		-P "$MQTT_WATCHER_PASS" -q 1 -c -i lab-watcher -v -t 'sipcid/#' -t 'homeassistant/#' \
		"$@" >"$MQTT_DIR/heard" 2>"$MQTT_DIR/watcher.log" &
	MQTT_PIDS+=("$!")
	LAB_PIDS+=("$!")
}

# mqtt_retained TOPIC [mosquitto_sub options]: the retained payload of TOPIC.
mqtt_retained() {
	local topic=$1
	shift
	$MQTT_RUN mosquitto_sub -h 127.0.0.1 -p "${MQTT_PORT:-1883}" -u "$MQTT_WATCHER" \
		-P "$MQTT_WATCHER_PASS" -t "$topic" -C 1 -W 3 --retained-only "$@" 2>/dev/null
}

mqtt_pub() {  # mqtt_pub TOPIC PAYLOAD
	$MQTT_RUN mosquitto_pub -h 127.0.0.1 -p "${MQTT_PORT:-1883}" -u "$MQTT_WATCHER" \
		-P "$MQTT_WATCHER_PASS" -q 1 -t "$1" -m "$2" || mqtt_fail "mosquitto_pub $1"
}

# mqtt_heard TOPIC [JQ_FILTER]: how many messages on TOPIC (whose JSON
# payload satisfies the filter) the watcher heard.
# A filter of "true" (the default) counts any payload, JSON or not.
mqtt_heard() {
	local filter=${2:-true}
	if [ "$filter" = true ]; then
		awk -v t="$1" '$1 == t' "$MQTT_DIR/heard" | wc -l
		return
	fi
	awk -v t="$1" '$1 == t { sub(/^[^ ]* /, ""); print }' "$MQTT_DIR/heard" |
		jq -c "select($filter)" 2>/dev/null | wc -l
}

mqtt_wait_heard() {  # mqtt_wait_heard WHAT TENTHS TOPIC FILTER [COUNT]
	local what=$1 tries=$2 i
	for ((i = 0; i < tries; i++)); do
		[ "$(mqtt_heard "$3" "$4")" -ge "${5:-1}" ] && return 0
		sleep 0.1
	done
	mqtt_fail "timed out waiting for $what on $3; heard: $(cut -c1-200 "$MQTT_DIR/heard")"
}

# mqtt_check_discovery PREFIX BOX: each entity's config has the keys Home
# Assistant's schema requires (sensor: state_topic; button and switch:
# command_topic), plus what ties it to the device and to availability.
mqtt_check_discovery() {
	local prefix=$1 box=$2 node=sipcid_$2 cfg
	for cfg in sensor/$node/line button/$node/block_last_caller switch/$node/pause_blocking \
		binary_sensor/$node/phone_line sensor/$node/voicemail; do
		mqtt_wait_heard "the discovery of $cfg" 100 "$prefix/$cfg/config" true
	done
	local common='(.name | type == "string") and (.unique_id | startswith("'$node'_")) and
		.availability_topic == "sipcid/'$box'/availability" and .payload_available == "online" and
		.payload_not_available == "offline" and (.device.identifiers == ["'$node'"]) and
		(.device.name | type == "string") and (.device.sw_version | type == "string")'
	[ "$(mqtt_heard "$prefix/sensor/$node/line/config" "$common and
		.state_topic == \"sipcid/$box/state\" and .json_attributes_topic == \"sipcid/$box/last_call\" and
		.device_class == \"enum\" and .options == [\"idle\",\"ringing\",\"talking\",\"blocked\"]")" -ge 1 ] ||
		mqtt_fail "the sensor's discovery lacks a required key: $(grep sensor/ "$MQTT_DIR/heard")"
	[ "$(mqtt_heard "$prefix/button/$node/block_last_caller/config" "$common and
		.command_topic == \"sipcid/$box/block_last_caller/press\" and .payload_press == \"PRESS\"")" -ge 1 ] ||
		mqtt_fail "the button's discovery lacks a required key: $(grep button/ "$MQTT_DIR/heard")"
	[ "$(mqtt_heard "$prefix/switch/$node/pause_blocking/config" "$common and
		.command_topic == \"sipcid/$box/pause_blocking/set\" and .state_topic == \"sipcid/$box/pause_blocking\" and
		.payload_on == \"ON\" and .payload_off == \"OFF\"")" -ge 1 ] ||
		mqtt_fail "the switch's discovery lacks a required key: $(grep switch/ "$MQTT_DIR/heard")"
	[ "$(mqtt_heard "$prefix/binary_sensor/$node/phone_line/config" "$common and
		.state_topic == \"sipcid/$box/registration\" and .json_attributes_topic == \"sipcid/$box/registration\" and
		.device_class == \"connectivity\" and .payload_on == \"up\" and .payload_off == \"down\" and
		.value_template == \"{{ value_json.state }}\"")" -ge 1 ] ||
		mqtt_fail "the phone line's discovery lacks a required key: $(grep binary_sensor/ "$MQTT_DIR/heard")"
	[ "$(mqtt_heard "$prefix/sensor/$node/voicemail/config" "$common and
		.state_topic == \"sipcid/$box/voicemail\" and (.value_template | contains(\"value_json.new\"))")" -ge 1 ] ||
		mqtt_fail "the voicemail sensor's discovery lacks a required key: $(grep voicemail/config "$MQTT_DIR/heard")"
	# unique_id must be unique
	[ "$(grep -h "^$prefix/" "$MQTT_DIR/heard" | sed 's/^[^ ]* //' | jq -r .unique_id | sort -u | wc -l)" = 5 ] ||
		mqtt_fail "the five entities do not have five unique ids"
}

# mqtt_lab_broker: in a lab test (lab.sh), the broker and the watcher in the
# bridge namespace, and sipcidd's password file at $LAB_TMP/mqtt.pass.
mqtt_lab_broker() {
	MQTT_DIR=$LAB_TMP/mqtt
	MQTT_RUN="ip netns exec $LAB_NS_BRIDGE"  # a command, not a function: $! is the broker itself
	mkdir -p "$MQTT_DIR"
	mqtt_broker_config
	mqtt_broker_start
	mqtt_watch
	printf '%s\n' "$MQTT_PASS" >"$LAB_TMP/mqtt.pass"
	chmod 600 "$LAB_TMP/mqtt.pass"
}
