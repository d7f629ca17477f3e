#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Refreshing a URL list from a local HTTP server this test starts on
# 127.0.0.1: 200 then 304 (the ETag and Last-Modified sent back), and a 500,
# a hang, an HTML page and an oversized answer, each of which keeps the list.
# usage: test_list_fetch.sh LIST_FETCH_PROBE LIST_SERVER_PY
set -u
PROBE=$1; SERVER=$2
fails=0; n=0
tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

python3 "$SERVER" "$tmp/port" "$tmp/requests" &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port" 2>/dev/null)
[ -n "$port" ] || { echo "Bail out! the list server did not start"; exit 1; }
base=http://127.0.0.1:$port
export STATE_DIRECTORY=$tmp/state
probe() {  # probe PATH [TIMEOUT] [MAX-SIZE]: one refresh of list "spam" from PATH
	"$PROBE" spam "$base$1" "${2:-5s}" "${3:-1M}" 2>>"$tmp/log"
}

check "a first fetch: 200, three numbers, no validators sent" \
  '[ "$(probe /ok)" = "fetched 3" ] && [ "$(tail -1 "$tmp/requests")" = "/ok If-None-Match=None If-Modified-Since=None" ]'
check "the copy is in the state directory, with its ETag" \
  '[ -s "$tmp/state/lists/spam.list" ] && grep -q "etag=\"v1\"" "$tmp/state/lists/spam.list.meta"'
before=$(stat -c %Y.%i "$tmp/state/lists/spam.list")
check "a second fetch sends the ETag and If-Modified-Since, gets 304, keeps the list" \
  '[ "$(probe /ok)" = "not-modified 3" ] && [ "$(tail -1 "$tmp/requests")" = "/ok If-None-Match=\"v1\" If-Modified-Since=Mon, 30 Nov 2026 12:00:00 GMT" ]'
check "a 304 leaves the copy as it was" '[ "$(stat -c %Y.%i "$tmp/state/lists/spam.list")" = "$before" ]'
check "a 500 keeps the old list, with a warning naming it" \
  '[ "$(probe /error)" = "failed 3" ] && grep -q "list spam: the refresh from $base/error failed (HTTP 500); the list loaded before stays in force" "$tmp/log"'
check "validators go only to the URL that gave them" \
  '[ "$(tail -1 "$tmp/requests")" = "/error If-None-Match=None If-Modified-Since=None" ]'
start=$(date +%s)
check "a server that never answers: the timeout fires, the old list stays" \
  '[ "$(probe /hang 1s)" = "failed 3" ]'
took=$(( $(date +%s) - start ))
check "the hang was cut by the timeout, not the probe's own 60 s limit ($took s)" '[ $took -lt 30 ]'
check "an HTML page is not a list: the old list stays" \
  '[ "$(probe /garbage)" = "failed 3" ] && grep -q "not a list of numbers" "$tmp/log"'
check "an answer larger than max-size: the old list stays" \
  '[ "$(probe /big 5s 100K)" = "failed 3" ] && grep -q "larger than max-size" "$tmp/log"'
check "sipcidd stopping during a fetch: nothing runs after the fetcher is freed" \
  '[ "$(LIST_PROBE_FREE_EARLY=1 "$PROBE" spam "$base/hang" 5s 1M 2>>"$tmp/log"; echo "rc=$?")" = "$(printf "freed 3\nrc=0")" ]'
check "nothing listening: the old list stays" \
  '[ "$("$PROBE" spam "http://127.0.0.1:1/x" 2s 1M 2>>"$tmp/log")" = "failed 3" ]'

echo "1..$n"
[ $fails = 0 ]
