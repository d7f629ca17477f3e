#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcidd --read with a configuration naming webhooks: every request a real
# HTTP receiver on loopback gets, checked against the events on stdout:
# method, headers (a secret from a header file), the event JSON as body, a
# JSON template, a form template, a GET with fields in the URL; the event
# filter; configuration errors with FILE:LINE; TLS verified by default.
# usage: webhook_read.sh SIPCIDD CAPTURES_DIR
set -u
export TZ=UTC  # the line event's words carry a local time
SIPCIDD=$1; CAPS=$2
WH_TMP=$(mktemp -d)
. "$(dirname "$0")/webhook_lib.sh"
trap 'wh_stop_servers; [ "${KEEP:-}" ] || rm -rf "$WH_TMP"' EXIT
n=0; fails=0
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }
run() {  # run CONFIG: the replay's events on $WH_TMP/events.json, log on $WH_TMP/err
	"$SIPCIDD" --no-notify --read "$CAPS/sngrep_aaa.pcap" --json --config "$1" \
		>"$WH_TMP/events.json" 2>"$WH_TMP/err"
}

wh_server rx ok || exit 1
port=$WH_PORT
printf '# secrets\nAuthorization: Bearer s3cret-token\nX-Extra: two words\n' >"$WH_TMP/headers"
chmod 600 "$WH_TMP/headers"
cat >"$WH_TMP/sipcid.conf" <<CONF
[webhook json]
url = http://127.0.0.1:$port/json?who={who}
header-file = $WH_TMP/headers
header-Title = {what}: {who}
events = all

[webhook text]
url = http://127.0.0.1:$port/text
method = PUT
body = {"message": "{who} ({number}) called {called}", "state": "{state}"}
content-type = application/json
events = missed, outgoing

[webhook form]
url = http://127.0.0.1:$port/form
body = number={number}&name={name}&what={what}&direction={direction}
content-type = application/x-www-form-urlencoded
events = outgoing

# The capture's calls are all outgoing: these want none of them.
[webhook none]
url = http://127.0.0.1:$port/none

[webhook incoming]
url = http://127.0.0.1:$port/incoming
events = calls, blocked, answered, missed, ended

[webhook get]
url = http://127.0.0.1:$port/get/{number}?name={name}&state={state}
method = GET
events = all

# The line itself: its registrar refused the phone, then took it.
[webhook line]
url = http://127.0.0.1:$port/line
body = {event} {state}: {what} [{reason}] {registrar}
content-type = text/plain
events = line, voicemail
CONF
run "$WH_TMP/sipcid.conf"; rc=$?
check "the replay with webhooks succeeds" '[ $rc = 0 ] || { cat "$WH_TMP/err"; false; }'
events=$(wc -l <"$WH_TMP/events.json")
check "the capture has calls and updates" '[ "$events" -ge 6 ]'
# ...and two line events: the registrar's 403, then the registration.
calls=$(grep -c '"call_id"' "$WH_TMP/events.json")
check "the capture has two line events" '[ "$((events - calls))" = 2 ]'
check "each webhook is logged at start, host only" \
  'grep -q "webhook json: POST to http://127.0.0.1" "$WH_TMP/err" && grep -q "webhook get: GET to http://127.0.0.1" "$WH_TMP/err"'

# The event JSON webhook got every event, in order, byte for byte as on stdout.
check "json: one POST per event, the body is the event JSON" \
  '[ "$(wh_requests rx ".path | startswith(\"/json\")" | jq -r .body)" = "$(cat "$WH_TMP/events.json")" ]'
check "json: every request is a POST of application/json" \
  '[ "$(wh_count rx "(.path | startswith(\"/json\")) and .method == \"POST\" and .headers[\"content-type\"] == \"application/json\"")" = "$events" ]'
check "json: the secret header from the header file" \
  '[ "$(wh_count rx "(.path | startswith(\"/json\")) and .headers.authorization == \"Bearer s3cret-token\" and .headers[\"x-extra\"] == \"two words\"")" = "$events" ]'
check "json: the Title header template and the URL field" \
  '[ "$(wh_count rx ".path == \"/json?who=97239287044\" and .headers.title == \"Calling: 97239287044\"")" = 1 ]'
check "the secret never went to a webhook without the header file" \
  '[ "$(wh_count rx ".headers.authorization != null and (.path | startswith(\"/json\") | not)")" = 0 ]'

# The JSON template (who, for a call the phone makes, is whom it called).
expected=$(jq -c 'select(.direction == "outgoing") |
	{message: ((if .alias then .alias else .called end) + " (" + .number + ") called " + .called), state}' \
	"$WH_TMP/events.json")
check "the capture's calls are the phone's" '[ "$(echo "$expected" | wc -l)" = "$calls" ]'
check "text: PUT, the template filled, for outgoing calls" \
  '[ "$(wh_requests rx ".path == \"/text\" and .method == \"PUT\"" | jq -c ".body | fromjson")" = "$expected" ]'

# The form template: fields URL-encoded.
check "form: one request per event, the fields form-encoded" \
  '[ "$(wh_count rx ".path == \"/form\" and .headers[\"content-type\"] == \"application/x-www-form-urlencoded\"")" = "$calls" ] &&
   [ "$(wh_count rx ".path == \"/form\" and .body == \"number=816666&name=arik&what=Calling&direction=outgoing\"")" = 1 ]'
check "the default filter and the incoming ones send nothing for the phone's own calls" \
  '[ "$(wh_count rx "(.path | startswith(\"/none\")) or (.path | startswith(\"/incoming\"))")" = 0 ]'

# GET: no body, the fields in the path and query.
check "get: one GET per call event, no body, fields in the URL" \
  '[ "$(wh_count rx ".method == \"GET\" and .body == \"\" and (.path | test(\"^/get/[^?]+[?]name=[^&]*&state=(ringing|answered|missed|ended)$\"))")" = "$calls" ]'
check "get: a line event has no number or name, its state up or down" \
  '[ "$(wh_count rx ".method == \"GET\" and (.path | test(\"^/get/[?]name=&state=(up|down)$\"))")" = 2 ]'
check "line: only the line events, the template filled" \
  '[ "$(wh_requests rx ".path == \"/line\"" | jq -r .body | tr "\n" "|")" = "line down: Phone line down since 09:33 (403 Wrong password) [403 Wrong password] 212.242.33.35:5060|line up: Phone line back up [] 212.242.33.35:5060|" ]'

# Configuration errors name the file and line.
printf '[webhook bad]\nurl = http://127.0.0.1:%s/\nheader-file = %s\n' "$port" "$WH_TMP/open-headers" >"$WH_TMP/bad1.conf"
cp "$WH_TMP/headers" "$WH_TMP/open-headers"; chmod 644 "$WH_TMP/open-headers"
run "$WH_TMP/bad1.conf"; rc=$?
check "a header file others can read is refused, naming the line" \
  '[ $rc = 2 ] && grep -q "bad1.conf:3: \[webhook bad\] header-file: .* must be a file only its owner can read" "$WH_TMP/err"'
check "...and the refusal does not show the secret" '! grep -q s3cret "$WH_TMP/err"'
printf '[webhook bad]\nurl = http://127.0.0.1:%s/\nbody = {nmuber} called\n' "$port" >"$WH_TMP/bad2.conf"
run "$WH_TMP/bad2.conf"; rc=$?
check "an unknown template field is refused, naming the line" \
  '[ $rc = 2 ] && grep -q "bad2.conf:3: \[webhook bad\] body: unknown field {nmuber}" "$WH_TMP/err"'
printf '[webhook bad]\nurl = http://127.0.0.1:%s/\nevents = calls, fax\n' "$port" >"$WH_TMP/bad3.conf"
run "$WH_TMP/bad3.conf"; rc=$?
check "an unknown event is refused, naming the ones there are" \
  '[ $rc = 2 ] && grep -q "bad3.conf:3: .*unknown event .fax.; expected .*line, voicemail or all" "$WH_TMP/err"'
printf '[webhook bad]\nurl = http://127.0.0.1:%s/\nheader-X-Ok = 1\nheaders = x\n' "$port" >"$WH_TMP/bad4.conf"
run "$WH_TMP/bad4.conf"; rc=$?
check "an unknown key is refused, naming the line" \
  '[ $rc = 2 ] && grep -q "bad4.conf:4: \[webhook bad\] headers: unknown key" "$WH_TMP/err"'
printf '[webhooks]\nurl = x\n' >"$WH_TMP/bad5.conf"
run "$WH_TMP/bad5.conf"; rc=$?
check "an unknown group is still refused" \
  '[ $rc = 2 ] && grep -q "bad5.conf:1: \[webhooks\]: unknown group" "$WH_TMP/err"'

# TLS: verified by default; a self-signed server is refused, clearly; with
# its certificate as ca-file it is accepted; tls-verify = false is logged.
wh_self_signed "$WH_TMP"
wh_server tls ok --tls "$WH_TMP/cert.pem" "$WH_TMP/key.pem" || exit 1
tport=$WH_PORT
printf '[webhook tls]\nurl = https://127.0.0.1:%s/\nevents = all\n' "$tport" >"$WH_TMP/tls1.conf"
run "$WH_TMP/tls1.conf"; rc=$?
check "https to a self-signed server: refused, the replay still succeeds" \
  '[ $rc = 0 ] && [ "$(wh_count tls)" = 0 ]'
check "...with a log line that says why and what to do" \
  'grep -q "webhook tls: gave up on the call event of call .* after 1 attempt: the server.s TLS certificate is not trusted (.*); name its CA in ca-file, or set tls-verify = false" "$WH_TMP/err"'
printf '[webhook tls]\nurl = https://127.0.0.1:%s/ca\nevents = all\nca-file = %s\n' "$tport" "$WH_TMP/cert.pem" >"$WH_TMP/tls2.conf"
run "$WH_TMP/tls2.conf"; rc=$?
check "with its CA in ca-file: accepted" '[ $rc = 0 ] && [ "$(wh_count tls ".path == \"/ca\"")" = "$events" ]'
check "...and nothing failed" '! grep -q "webhook tls: gave up\|webhook tls: attempt" "$WH_TMP/err"'
printf '[webhook tls]\nurl = https://127.0.0.1:%s/noverify\nevents = all\ntls-verify = false\n' "$tport" >"$WH_TMP/tls3.conf"
run "$WH_TMP/tls3.conf"; rc=$?
check "tls-verify = false: accepted, and said at start" \
  '[ "$(wh_count tls ".path == \"/noverify\"")" = "$events" ] && grep -q "webhook tls: TLS certificates are NOT checked" "$WH_TMP/err"'

echo "1..$n"
[ "$fails" = 0 ]
