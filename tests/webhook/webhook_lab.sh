#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Webhooks live, for real calls through the lab bridge: three HTTP receivers
# in the bridge's namespace, one that answers, one that never answers and
# one that answers 500. The good one gets every event (the event JSON, a
# secret header from a header file, a JSON template for the blocked call);
# the others are retried with backoff and given up, which the log says and
# --status counts; meanwhile sipcidd stays healthy: a later call is printed
# at once while the failing webhooks are still busy, and it stops cleanly.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq python3
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
WH_TMP=$LAB_TMP
WH_RUN="ip netns exec $LAB_NS_BRIDGE"
. "$SIPCID_SRC/tests/webhook/webhook_lib.sh"
wh_server good ok || lab_fail "the good receiver did not start"
LAB_PIDS+=("${WH_PIDS[@]}"); good=$WH_PORT
wh_server hang hang || lab_fail "the hanging receiver did not start"
LAB_PIDS+=("${WH_PIDS[@]}"); hang=$WH_PORT
wh_server broken 500 || lab_fail "the broken receiver did not start"
LAB_PIDS+=("${WH_PIDS[@]}"); broken=$WH_PORT

printf 'Authorization: Bearer lab-secret\n' >"$LAB_TMP/headers"
chmod 600 "$LAB_TMP/headers"
printf 'block number anonymous\n' >"$LAB_TMP/rules"
cat >"$LAB_TMP/sipcid.conf" <<CONF
[rules]
rules = $LAB_TMP/rules

[webhook good]
url = http://127.0.0.1:$good/events
header-file = $LAB_TMP/headers
events = all

[webhook blocked]
url = http://127.0.0.1:$good/blocked
body = {"title": "{what}", "message": "{who} ({presentation}) was blocked by {rule}"}
content-type = application/json
events = blocked

[webhook hang]
url = http://127.0.0.1:$hang/
events = calls
timeout = 3
retries = 1

# A queue of one behind a server that never answers: the rest is dropped.
[webhook small]
url = http://127.0.0.1:$hang/small
events = all
timeout = 10
retries = 0
queue = 1

[webhook broken]
url = http://127.0.0.1:$broken/
events = calls
retries = 2
CONF
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }
value() { status | awk -v k="$1:" '$1 == k { print $2 }'; }
send() {  # send FROM_NS SRC DST FILE
	lab_$1 python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 "$3" 5060 "$4" ||
		lab_fail "send $4"
}

# A call answered and hung up, and an anonymous call the rules block.
lab_net sip INVITE --call-id c1@lab --from-user +15551230001 --from-name "Ann Lab" >"$LAB_TMP/inv1"
lab_net sip 200 --call-id c1@lab --src $LAB_PHONE_IP --dst $LAB_PROV_IP >"$LAB_TMP/ok1"
lab_net sip BYE --call-id c1@lab --from-user +15551230001 >"$LAB_TMP/bye1"
lab_net sip INVITE --call-id anon@lab --from-user anonymous --from-name Anonymous >"$LAB_TMP/anon"
send prov $LAB_PROV_IP $LAB_PHONE_IP "$LAB_TMP/inv1"
lab_wait_for "the first call's event" 50 eval '[ "$(lab_events_matching ".call_id == \"c1@lab\"")" -ge 1 ]'
send phone $LAB_PHONE_IP $LAB_PROV_IP "$LAB_TMP/ok1"
lab_wait_for "the answer's event" 50 eval '[ "$(lab_events_matching ".state == \"answered\"")" -ge 1 ]'
send prov $LAB_PROV_IP $LAB_PHONE_IP "$LAB_TMP/bye1"
send prov $LAB_PROV_IP $LAB_PHONE_IP "$LAB_TMP/anon"
lab_wait_for "4 events" 50 eval '[ "$(wc -l <"$LAB_TMP/events.json")" -ge 4 ]'

# While the hanging webhook still waits on its first request, a later call
# is printed at once.
[ "$(value webhook.hang.queued)" -ge 1 ] || lab_fail "the hanging webhook was not busy: $(status)"
lab_net sip INVITE --call-id c2@lab --from-user +15551230002 --from-name "Bob Lab" >"$LAB_TMP/inv2"
send prov $LAB_PROV_IP $LAB_PHONE_IP "$LAB_TMP/inv2"
t0=$(date +%s%N)   # the INVITE has crossed the bridge
lab_wait_for "the later call's event" 50 grep -q '"call_id":"c2@lab"' "$LAB_TMP/events.json"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "the later call was printed $ms ms after its INVITE was sent"
[ "$ms" -lt 2000 ] || lab_fail "the later call took $ms ms to be printed (the hanging webhook's timeout is 3 s)"
[ "$(value webhook.hang.given-up)" = 0 ] || lab_fail "the hanging webhook finished before the later call was printed"

# The failing webhooks: every attempt, then the give-up, each in the log and
# in --status; the good webhook meanwhile got everything.
gave_up() {
	[ "$(value webhook.hang.given-up)" = 2 ] && [ "$(value webhook.broken.given-up)" = 2 ] &&
		[ "$(value webhook.small.given-up)" = 1 ]
}
lab_wait_for "both failing webhooks to give up on both calls" 300 gave_up
status | grep '^webhook\.' >"$LAB_TMP/webhook-status"
cat "$LAB_TMP/webhook-status"
log=$LAB_TMP/sipcidd.log
expect() {  # expect WEBHOOK COUNTER VALUE
	local v
	v=$(awk -v k="webhook.$1.$2:" '$1 == k { print $2 }' "$LAB_TMP/webhook-status")
	[ "$v" = "$3" ] || lab_fail "webhook.$1.$2: $v, expected $3"
}
expect hang sent 0; expect hang failed 4; expect hang retried 2; expect hang given-up 2
expect hang queued 0; expect hang dropped 0
expect broken sent 0; expect broken failed 6; expect broken retried 4; expect broken given-up 2
expect broken queued 0; expect broken dropped 0
# small: the first event waited 10 s in vain; the 4 that came meanwhile found the queue full.
expect small sent 0; expect small failed 1; expect small retried 0; expect small given-up 1
expect small queued 0; expect small dropped 4
grep -q "webhook small: the queue is full (1 event waiting to be sent); newer events are dropped until it is half empty" "$log" ||
	lab_fail "no line for the full queue"
[ "$(grep -c "webhook small: the queue is full" "$log")" = 1 ] || lab_fail "the full queue was logged more than once"
expect good sent 5; expect good failed 0; expect good retried 0; expect good given-up 0
expect blocked sent 1; expect blocked failed 0
[ "$(wh_count hang '.path == "/small"')" = 1 ] || lab_fail "the small webhook sent $(wh_count hang '.path == "/small"') requests"
[ "$(wh_count hang '.path == "/"')" = 4 ] || lab_fail "the hanging receiver got $(wh_count hang) requests, expected 2 calls x 2 attempts"
[ "$(wh_count broken)" = 6 ] || lab_fail "the broken receiver got $(wh_count broken) requests, expected 2 calls x 3 attempts"
grep -q "webhook hang: attempt 1 of 2 for the call event of call c1@lab failed: .*; trying again in 1 s" "$log" ||
	lab_fail "no retry line for the hanging webhook: $(cat "$log")"
grep -q "webhook hang: gave up on the call event of call c2@lab after 2 attempts" "$log" ||
	lab_fail "no give-up line for the hanging webhook"
grep -q "webhook broken: attempt 2 of 3 for the call event of call c1@lab failed: HTTP 500 Internal Server Error; trying again in 2 s" "$log" ||
	lab_fail "no backoff line for the broken webhook"
grep -q "webhook broken: gave up on the call event of call c1@lab after 3 attempts: HTTP 500" "$log" ||
	lab_fail "no give-up line for the broken webhook"
# Backoff: the broken receiver's attempts for one call were 1 s, then 2 s apart.
gaps=$(wh_requests broken | jq -s -r '.[0:3] | [.[1].time - .[0].time, .[2].time - .[1].time] | map(. * 10 | floor) | @tsv')
read -r g1 g2 <<<"$gaps"
[ "$g1" -ge 10 ] && [ "$g2" -ge 20 ] || lab_fail "the retries were not 1 s then 2 s apart (tenths: $gaps)"

# The good webhook: every event, in order, the same JSON as stdout, with the secret.
[ "$(wh_requests good '.path == "/events"' | jq -r .body)" = "$(cat "$LAB_TMP/events.json")" ] ||
	lab_fail "the good webhook's bodies differ from the events: $(cat "$LAB_TMP/good.jsonl")"
[ "$(wh_count good '.method == "POST" and .path == "/events" and .headers.authorization == "Bearer lab-secret"')" = 5 ] ||
	lab_fail "the good webhook's requests lack the method, path or secret header"
[ "$(wh_requests good '.path == "/blocked"' | jq -c '.body | fromjson')" = \
  '{"title":"Blocked call (declined)","message":"Withheld number (restricted) was blocked by '"$LAB_TMP"'/rules:1"}' ] ||
	lab_fail "the blocked call's template body: $(wh_requests good '.path == "/blocked"')"
[ "$(jq -r '[.call_id, .state] | join(" ")' "$LAB_TMP/events.json" | paste -sd,)" = \
  "c1@lab ringing,c1@lab answered,c1@lab ended,anon@lab blocked,c2@lab ringing" ] ||
	lab_fail "unexpected events: $(cat "$LAB_TMP/events.json")"

lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$log")"
echo "PASS: webhooks for real calls; a hanging and a broken server retried, given up and counted while sipcidd stayed prompt"
