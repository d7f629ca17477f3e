#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-log against a call log that sipcidd --read filled: the rows match
# the calls, search by number, name and date, CSV (RFC 4180, no formula
# injection) and JSON exports, and reading while a writer is busy.
# usage: test_log_tool.sh SIPCIDD SIPCID_LOG CALLLOG_WRITER CAPTURES_DIR
set -u
SIPCIDD=$1; LOG=$2; WRITER=$3; CAPS=$4
fails=0; n=0
tmp=$(mktemp -d); wpid=
cleanup() { [ -n "$wpid" ] && kill "$wpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

export TZ=UTC
db=$tmp/log/calls.db
printf '[log]\ndatabase = %s\nbatch-rows = 3\n' "$db" > "$tmp/sipcid.conf"
"$SIPCIDD" --no-notify --read "$CAPS/sngrep_aaa.pcap" -c "$tmp/sipcid.conf" --json > "$tmp/aaa.json"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_sip_ipv4_tcp.pcap" -c "$tmp/sipcid.conf" --json > "$tmp/tcp.json"
# The last record of each call, as sipcidd printed it, keyed like the log's JSON.
# The log keeps no box and line (docs/events.md): null in its rows.
final='group_by(.call_id) | map(last | del(.event) | .box = null | .line = null) | sort_by(.time, .call_id)'
jq -sc "$final" "$tmp/aaa.json" "$tmp/tcp.json" > "$tmp/expected"
"$LOG" -d "$db" export --json > "$tmp/export.json"
check "one row per call: 5 calls" '[ "$(wc -l < "$tmp/export.json")" = 5 ]'
check "each row equals the call's final record (state, durations, identity)" \
  '[ "$(jq -sc "map(del(.event, .recording)) | sort_by(.time, .call_id)" "$tmp/export.json")" = "$(cat "$tmp/expected")" ]'
check "JSON rows have the keys of sipcidd --json plus recording" \
  '[ "$(jq -c "keys" "$tmp/export.json" | head -1)" = "$(jq -c "keys + [\"recording\"] | sort" "$tmp/aaa.json" | head -1)" ]'
check "the TCP call ended after talking" \
  'jq -e "select(.number==\"101\") | .state==\"ended\" and .talk_ms > 0" "$tmp/export.json" >/dev/null'

# list: newest first, 20 by default, -n N
"$LOG" -d "$db" > "$tmp/list"
check "list shows every call (fewer than 20)" '[ "$(wc -l < "$tmp/list")" = 5 ]'
check "list is newest first" '[ "$(head -1 "$tmp/list" | cut -c1-19)" = "$(jq -sr "max_by(.time) | .time[0:19] | sub(\"T\"; \" \")" "$tmp/export.json")" ]'
check "list -n 2 shows two" '[ "$("$LOG" -d "$db" list -n 2 | wc -l)" = 2 ]'
# search
check "--number 35104 finds the two calls from 35104723" \
  '[ "$("$LOG" -d "$db" --json --number 35104 | jq -r .number | sort -u)" = 35104723 ] && [ "$("$LOG" -d "$db" --number 35104 | wc -l)" = 2 ]'
check "--direction: the four calls the phone made (aaa.pcap), and the one it received (TCP)" \
  '[ "$("$LOG" -d "$db" --direction outgoing | wc -l)" = 4 ] && [ "$("$LOG" -d "$db" --json --direction incoming | jq -r .number)" = 101 ] && "$LOG" -d "$db" --direction outgoing | grep -q "to 97239287044"'
check "--direction takes only incoming or outgoing" \
  '"$LOG" -d "$db" --direction sideways 2>"$tmp/err"; [ $? = 2 ] && grep -q "expects incoming or outgoing" "$tmp/err"'
check "--name is case-insensitive" '[ "$("$LOG" -d "$db" --name ARIK | wc -l)" = 4 ]'
check "--number with a LIKE wildcard matches literally" \
  '! "$LOG" -d "$db" --number "%" 2>/dev/null | grep -q .'
check "--since/--until by date" \
  '[ "$("$LOG" -d "$db" --since 2005-07-04 --until 2005-07-04 | wc -l)" = 4 ] && [ "$("$LOG" -d "$db" --since "2005-07-04 09:50" --until 2005-07-04 | wc -l)" = 2 ] && [ "$("$LOG" -d "$db" --until 2005-07-03 2>/dev/null | wc -l)" = 0 ]'
check "a bad date is refused in words" \
  '"$LOG" -d "$db" --since yesterday 2>"$tmp/err"; [ $? = 2 ] && grep -q "expected a date like" "$tmp/err"'

# Blocked calls: state blocked and their outcome, told apart in every format.
bdb=$tmp/blocked.db
printf '[log]\ndatabase = %s\n' "$bdb" > "$tmp/blocked.conf"
printf 'reject busy number +18121862248\n' > "$tmp/busy-rules"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" -c "$tmp/blocked.conf" --rules "$tmp/busy-rules" --json > /dev/null
"$SIPCIDD" --no-notify --read "$CAPS/sngrep_aaa.pcap" -c "$tmp/blocked.conf" --json > /dev/null
check "a call rejected busy is logged with state blocked and outcome busy" \
  '[ "$("$LOG" -d "$bdb" --json --number 8121862248 | jq -r "[.action,.state,.outcome] | @tsv")" = "$(printf "block\tblocked\tbusy")" ]'
check "list says BLOCKED (busy)" '"$LOG" -d "$bdb" --number 8121862248 | grep -q " BLOCKED (busy)$"'
check "--state blocked finds only it" \
  '[ "$("$LOG" -d "$bdb" --json --state blocked | jq -r .number)" = +18121862248 ]'
check "--state missed leaves it out" \
  '! "$LOG" -d "$bdb" --json --state missed | jq -e "select(.action == \"block\")" >/dev/null && [ "$("$LOG" -d "$bdb" --state missed | wc -l)" -ge 1 ]'
check "CSV has the outcome as its last column" \
  '"$LOG" -d "$bdb" export --csv --state blocked | python3 -c "import csv,sys; r=list(csv.DictReader(sys.stdin)); sys.exit(not (list(r[0])[-1] == \"outcome\" and r[0][\"outcome\"] == \"busy\" and r[0][\"state\"] == \"blocked\"))"'
sqlite3 "$bdb" "INSERT INTO calls (call_id, time_us, number, action, state) VALUES ('old@x', 1000000, '+15550009999', 'block', 'missed')"
check "a call blocked before the blocked state existed (missed, action block) counts as blocked" \
  '[ "$("$LOG" -d "$bdb" --json --state blocked | jq -r .number | sort | paste -sd,)" = "+15550009999,+18121862248" ] && ! "$LOG" -d "$bdb" --state missed | grep -q 15550009999'
check "--state takes only the state names" \
  '"$LOG" -d "$bdb" --state rejected 2>"$tmp/err"; [ $? = 2 ] && grep -q "expects blocked, missed" "$tmp/err"'

# Hostile text: quotes, commas, a newline and a leading '=' survive CSV and JSON.
name=$'=HYPERLINK("http://x","click"), "Bob"\nline2'
sqlite3 "$db" "INSERT INTO calls (call_id, time_us, number, name, state) VALUES ('evil@x', 1999999999000000, '+15551234567', '$(printf "%s" "$name" | sed "s/'/''/g")', 'missed')"
"$LOG" -d "$db" export --csv > "$tmp/out.csv"
python3 - "$tmp/out.csv" "$name" > "$tmp/csvcheck" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=''), strict=True))
evil = [r for r in rows if r['call_id'] == 'evil@x'][0]
print("name-ok" if evil['name'] == "'" + sys.argv[2] else "name-bad %r" % evil['name'])
print("number-ok" if evil['number'] == "'+15551234567" else "number-bad %r" % evil['number'])
print("rows=%d" % len(rows))
PY
check "CSV: the hostile name round-trips, with a ' against formula injection" 'grep -qx name-ok "$tmp/csvcheck"'
check "CSV: a leading + gets a ' too" 'grep -qx number-ok "$tmp/csvcheck"'
check "CSV: header plus 6 records" 'grep -qx rows=6 "$tmp/csvcheck"'
check "CSV lines end in CRLF" '[ "$(head -1 "$tmp/out.csv" | od -c | grep -c "\\\\r  \\\\n")" = 1 ]'
check "JSON: the hostile name round-trips exactly" \
  '[ "$("$LOG" -d "$db" --json --number 1234567 | jq -r .name)" = "$name" ]'
check "list: the newline is not printed raw to the terminal" \
  '[ "$("$LOG" -d "$db" --number 1234567 | wc -l)" = 1 ]'

# Reading while the daemon writes: a writer commits flat out meanwhile.
wdb=$tmp/busy.db
"$WRITER" "$wdb" > "$tmp/writer.out" & wpid=$!
for i in $(seq 50); do [ -s "$tmp/writer.out" ] && break; sleep 0.1; done
reads_ok=0
for i in $(seq 20); do "$LOG" -d "$wdb" -n 5 > /dev/null 2>"$tmp/busy.err" && reads_ok=$((reads_ok+1)); done
check "20 reads during writes all succeed" '[ $reads_ok = 20 ]'
check "the reader sees committed rows" '[ "$("$LOG" -d "$wdb" export --json | wc -l)" -ge 50 ]'
kill "$wpid"; wait "$wpid" 2>/dev/null; wpid=

# Errors in words
check "a missing log is explained" \
  '"$LOG" -d "$tmp/none.db" 2>"$tmp/err"; [ $? = 1 ] && grep -q "no call log here yet" "$tmp/err"'
printf '[log]\ndatabse = /x\n' > "$tmp/bad.conf"
check "sipcidd rejects an unknown [log] key with FILE:LINE" \
  '"$SIPCIDD" --no-notify --read "$CAPS/sngrep_aaa.pcap" -c "$tmp/bad.conf" 2>"$tmp/err" >/dev/null; [ $? = 2 ] && grep -q "bad.conf:2: \[log\] databse: unknown key" "$tmp/err"'
check "sipcid-log reads the database path from the configuration" \
  '[ "$("$LOG" -c "$tmp/sipcid.conf" | wc -l)" = 6 ]'
echo "1..$n"
exit $((fails > 0))
