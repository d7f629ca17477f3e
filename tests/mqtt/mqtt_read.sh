#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# MQTT from `sipcidd --read --config FILE` (a config naming a broker is an
# explicit ask), against a real mosquitto the test starts in its own network
# namespace (unshare -n: only its loopback):
#  - every event goes out as the same JSON as --json, in order; the retained
#    state and last call, availability online then offline, discovery;
#  - two boxes on one broker keep apart;
#  - TLS with a test CA (and a client certificate); a wrong CA is refused;
#  - a wrong password is refused with a clear log line, and the run goes on;
#  - a password file readable by others is refused, naming FILE:LINE.
set -u
if [ -z "${MQTT_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "FAIL: needs root (unshare -n)" >&2; exit 1; }
	MQTT_IN_NETNS=1 exec unshare -n "$0" "$@"
fi
ip link set lo up
SRC=${SIPCID_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SIPCIDD=${SIPCIDD:-$SRC/build/bridge-daemon/sipcidd}
. "$SRC/tests/mqtt/mqtt_lib.sh"
for tool in jq mosquitto mosquitto_sub mosquitto_passwd openssl; do
	command -v $tool >/dev/null || mqtt_fail "missing $tool (tests/deps-debian.txt)"
done
MQTT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sipcid-mqtt.XXXXXX")
MQTT_RUN=
trap 'mqtt_cleanup; rm -rf "$MQTT_DIR"' EXIT
CAP=$SRC/tests/captures/sngrep_aaa.pcap
T=$MQTT_DIR

printf '%s\n' "$MQTT_PASS" >"$T/pass"
chmod 600 "$T/pass"
conf() {  # conf FILE BOX [EXTRA LINES...]
	local f=$1 box=$2
	shift 2
	printf '[mqtt]\nusername = %s\npassword-file = %s\nbox = %s\n' "$MQTT_USER" "$T/pass" "$box" >"$f"
	printf '%s\n' "$@" >>"$f"
}
run() {  # run CONF OUT: sipcidd --read, --json to OUT, log to OUT.log
	"$SIPCIDD" --no-notify --read "$CAP" --json --config "$1" >"$2" 2>"$2.log" ||
		mqtt_fail "sipcidd --read failed: $(cat "$2.log")"
}
events_of() {  # events_of BOX: the JSON heard on BOX's event topic, in order
	awk -v t="sipcid/$1/event" '$1 == t { sub(/^[^ ]* /, ""); print }' "$T/heard"
}

# 1. Plain MQTT with a password: every event, the retained topics, discovery.
MQTT_PORT=1883 mqtt_broker_config "listener 8883 127.0.0.1" \
	"cafile $T/ca.pem" "certfile $T/server.pem" "keyfile $T/server.key" "require_certificate true"
# The test CA, the broker's certificate for 127.0.0.1, a client certificate,
# and a second CA that signed nothing of the broker's.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sipcid-test-ca \
	-keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null || mqtt_fail "openssl CA"
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$T/server.key" -out "$T/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/san.ext"
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
	-extfile "$T/san.ext" -out "$T/server.pem" 2>/dev/null || mqtt_fail "openssl server certificate"
openssl req -newkey rsa:2048 -nodes -subj /CN=sipcid-box -keyout "$T/client.key" -out "$T/client.csr" 2>/dev/null
openssl x509 -req -in "$T/client.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
	-out "$T/client.pem" 2>/dev/null || mqtt_fail "openssl client certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca \
	-keyout "$T/other.key" -out "$T/other.pem" 2>/dev/null
mqtt_broker_start
mqtt_watch -t 'ha2/#'
conf "$T/a.conf" office1 "broker = 127.0.0.1:1883"
run "$T/a.conf" "$T/a.json"
n=$(wc -l <"$T/a.json")
[ "$n" -ge 8 ] || mqtt_fail "the capture gave only $n events"
mqtt_wait_heard "every event" 100 sipcid/office1/event true "$n"
diff <(events_of office1) "$T/a.json" >/dev/null ||
	mqtt_fail "the MQTT events differ from --json: $(diff <(events_of office1) "$T/a.json" | head -5)"
[ "$(jq -r 'select(.box != "office1" or .line != (if .direction == "outgoing" then .number else .called end)) | .call_id' "$T/a.json")" = "" ] ||
	mqtt_fail "an event lacks box office1 or its line"
[ "$(mqtt_retained sipcid/office1/last_call)" = "$(tail -n 1 "$T/a.json")" ] ||
	mqtt_fail "the retained last call is not the last event"
[ "$(mqtt_retained sipcid/office1/state)" = idle ] || mqtt_fail "the line is not idle after every call ended"
# The capture's registrar refused the phone (403 Wrong password), then took it:
# the Phone line entity's retained state is the last line event, up.
[ "$(mqtt_retained sipcid/office1/registration)" = "$(jq -c 'select(.event == "line")' "$T/a.json" | tail -n 1)" ] ||
	mqtt_fail "the retained registration is not the last line event: $(mqtt_retained sipcid/office1/registration)"
[ "$(mqtt_retained sipcid/office1/registration | jq -r .state)" = up ] || mqtt_fail "the phone line is not up"
[ "$(mqtt_retained sipcid/office1/availability)" = offline ] || mqtt_fail "no offline after the run"
[ "$(mqtt_heard sipcid/office1/availability)" -ge 0 ] &&
	grep -q '^sipcid/office1/availability online$' "$T/heard" || mqtt_fail "availability never said online"
mqtt_check_discovery homeassistant office1
grep -q '\[mqtt\] connected to 127.0.0.1:1883, [0-9]* events queued' "$T/a.json.log" ||
	mqtt_fail "the connection was not logged: $(cat "$T/a.json.log")"

# 2. A second box on the same broker: its own topics and entities; the first
# box's retained messages stay its own.
conf "$T/b.conf" office2 "broker = 127.0.0.1:1883" "discovery-prefix = ha2"
run "$T/b.conf" "$T/b.json"
mqtt_wait_heard "box office2's events" 100 sipcid/office2/event '.box == "office2"' "$n"
mqtt_check_discovery ha2 office2
[ "$(events_of office1 | wc -l)" = "$n" ] || mqtt_fail "box office2 published under office1"
[ "$(mqtt_retained sipcid/office1/last_call | jq -r .box)" = office1 ] || mqtt_fail "office2 overwrote office1's last call"

# 3. TLS with the test CA and a client certificate.
conf "$T/tls.conf" tls1 "broker = 127.0.0.1:8883" "ca-file = $T/ca.pem" \
	"cert-file = $T/client.pem" "key-file = $T/client.key"
run "$T/tls.conf" "$T/tls.json"
mqtt_wait_heard "the events over TLS" 100 sipcid/tls1/event '.box == "tls1"' "$n"
# A CA that did not sign the broker's certificate: nothing goes out, and the log says why.
conf "$T/badca.conf" badca "broker = 127.0.0.1:8883" "ca-file = $T/other.pem" \
	"cert-file = $T/client.pem" "key-file = $T/client.key"
run "$T/badca.conf" "$T/badca.json"
grep -q '\[mqtt\] .*certificate verify failed' "$T/badca.json.log" ||
	mqtt_fail "an untrusted broker certificate was not logged: $(cat "$T/badca.json.log")"
grep -q "\[mqtt\] $n events not delivered to 127.0.0.1:8883" "$T/badca.json.log" ||
	mqtt_fail "the undelivered events were not counted: $(cat "$T/badca.json.log")"
[ "$(mqtt_heard sipcid/badca/event)" = 0 ] || mqtt_fail "events went to a broker with an untrusted certificate"

# 4. A wrong password: refused with a clear line; the run still prints every call.
printf 'wrong\n' >"$T/wrong.pass"
chmod 600 "$T/wrong.pass"
conf "$T/wrong.conf" wrongpw "broker = 127.0.0.1:1883"
sed -i "s|^password-file = .*|password-file = $T/wrong.pass|" "$T/wrong.conf"
run "$T/wrong.conf" "$T/wrong.json"
grep -q '\[mqtt\] 127.0.0.1:1883 refused the connection: .*not authorised.* (check \[mqtt\] username and password-file)' "$T/wrong.json.log" ||
	mqtt_fail "a wrong password was not logged clearly: $(cat "$T/wrong.json.log")"
[ "$(grep -c 'refused the connection' "$T/wrong.json.log")" = 1 ] || mqtt_fail "the refusal was logged more than once"
[ "$(wc -l <"$T/wrong.json")" = "$n" ] || mqtt_fail "a refused broker cost printed events"
[ "$(mqtt_heard sipcid/wrongpw/event)" = 0 ] || mqtt_fail "events went out with a wrong password"

# 5. A password file others can read: refused at load, naming both files.
chmod 644 "$T/pass"
if "$SIPCIDD" --no-notify --read "$CAP" --config "$T/a.conf" >/dev/null 2>"$T/mode.log"; then
	mqtt_fail "sipcidd accepted a world-readable password file"
fi
grep -q "^sipcidd: $T/a.conf:3: \[mqtt\] password-file: $T/pass is open to group or others (mode 0644)" "$T/mode.log" ||
	mqtt_fail "the error does not name FILE:LINE and the password file: $(cat "$T/mode.log")"
echo "PASS: $n events as --json with box and line, retained state and last call, discovery; two boxes apart; TLS with a client certificate; bad CA, wrong password and open password file refused clearly"
