#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 14, finding 9, for the outputs that came after it: a flood of 2000
# INVITEs in 1 s gives a webhook receiver at most burst + refill requests
# and then one summary, as it gives the LAN (tests/announce/announce_flood.sh):
# webhooks, MQTT and NCID sit behind the same rate limit as the
# announcements (output_rate.h), while the printed events keep every call.
#   webhook_flood.sh SIPCIDD FLOOD_PCAP_PY
set -u
SIPCIDD=$1 FLOOD=$2
WH_TMP=$(mktemp -d)
. "$(dirname "$0")/webhook_lib.sh"
trap 'wh_stop_servers; [ "${KEEP:-}" ] || rm -rf "$WH_TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

N=2000
python3 "$FLOOD" invites --count $N --seconds 1 --from +15557770000 "$WH_TMP/flood.pcap" ||
	fail "cannot write the flood capture"
wh_server rx ok || exit 1
cat >"$WH_TMP/sipcid.conf" <<CONF
[webhook flood]
url = http://127.0.0.1:$WH_PORT/flood
events = all
CONF
"$SIPCIDD" --no-notify --read "$WH_TMP/flood.pcap" --json --config "$WH_TMP/sipcid.conf" \
	>"$WH_TMP/events.json" 2>"$WH_TMP/err" || fail "sipcidd --read failed: $(tail -n 5 "$WH_TMP/err")"
wh_stop_servers
events=$(grep -c '"event":"call"' "$WH_TMP/events.json")
calls=$(wh_count rx '(.body | fromjson | .call_id | startswith("flood-"))')
summaries=$(wh_count rx '(.body | fromjson | .name | test("more calls in the last minute"))')
echo "flood of $N INVITEs in 1 s: $events events printed, $calls calls pushed, $summaries summary"
[ "$events" = $N ] || fail "$events call events printed, expected every one of $N"
[ "$calls" -ge 1 ] && [ "$calls" -le 11 ] || fail "$calls calls pushed to the webhook, expected 1 to 11"
[ "$summaries" = 1 ] || fail "$summaries summaries pushed, expected exactly one"
want="$((N - calls)) more calls in the last minute"
[ "$(wh_count rx "(.body | fromjson | .name) == \"$want\"")" = 1 ] ||
	fail "the summary does not say '$want': $(wh_requests rx '(.body | fromjson | .name | test("more"))')"

# [notify] flood-burst and flood-per-minute set the limit: opened wide, every
# call is pushed, and no summary is needed.
: >"$WH_TMP/rx.jsonl"
wh_server rx ok || exit 1
printf '[notify]\nflood-burst = 100000\nflood-per-minute = 100000\n[webhook flood]\nurl = http://127.0.0.1:%s/flood\nevents = all\n' \
	"$WH_PORT" >"$WH_TMP/wide.conf"
"$SIPCIDD" --no-notify --read "$WH_TMP/flood.pcap" --json --config "$WH_TMP/wide.conf" \
	>"$WH_TMP/events.json" 2>"$WH_TMP/err" || fail "sipcidd --read failed: $(tail -n 5 "$WH_TMP/err")"
wh_stop_servers
calls=$(wh_count rx '(.body | fromjson | .call_id | startswith("flood-"))')
summaries=$(wh_count rx '(.body | fromjson | .name | test("more calls in the last minute"))')
echo "with the limit opened wide: $calls calls pushed, $summaries summary"
[ "$calls" = $N ] || fail "$calls calls pushed with flood-burst = 100000, expected all $N"
[ "$summaries" = 0 ] || fail "$summaries summaries with nothing held back"
echo "PASS"
