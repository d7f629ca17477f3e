#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-rules block-last, allow-last and rename-last against a call log that
# sipcidd --read wrote: the rule or phonebook line each adds, with its dated
# comment, where it goes, and that the rules then decide the caller's next
# call so; the refusal for a caller without a number; and that a refused or
# failed change leaves the file byte for byte as it was.
# usage: test_last.sh SIPCIDD SIPCID_RULES CAPTURES_DIR
set -u
SIPCIDD=$1; RULES=$2; CAPS=$3
fails=0; n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

export TZ=UTC
db=$tmp/calls.db
conf=$tmp/sipcid.conf
printf '[log]\ndatabase = %s\n[rules]\nrules = rules\nphonebook = phonebook\n' "$db" > "$conf"
printf '# my rules\n\n# family first\nallow name Mom\nblock number anonymous\n' > "$tmp/rules"
: > "$tmp/phonebook"
read_into_log() { "$SIPCIDD" --no-notify --read "$CAPS/$1" -c "$conf" --json > "$tmp/$1.json"; }
last() { "$RULES" "$@" -c "$conf" > "$tmp/out" 2> "$tmp/err"; }
decide() { "$RULES" test -c "$conf" --number "$1"; }

# The caller +18121862248 rang (the call is in the log, written by sipcidd).
read_into_log heplify_ipip0.pcap
check "the log holds the call" '[ "$(jq -r .number "$tmp/heplify_ipip0.pcap.json")" = +18121862248 ]'
check "before: the rules allow it" '[ "$(decide +18121862248 | jq -r .action)" = allow ]'

last block-last busy; rc=$?
check "block-last busy succeeds and says what it added" \
  '[ $rc = 0 ] && grep -q "rules: added '"'"'reject busy number +18121862248'"'"' (the call of 2026-" "$tmp/out"'
check "the rule goes above the first rule and its comments, under a dated comment" \
  'sed -n 3p "$tmp/rules" | grep -Eqx "# [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}: sipcid-rules block-last, the call of 2026-03-20 14:13:12 from \+18121862248" && sed -n 4p "$tmp/rules" | grep -qx "reject busy number +18121862248"'
check "the rest of the file is kept" '[ "$(sed -n 5,8p "$tmp/rules")" = "$(printf "# family first\nallow name Mom\nblock number anonymous")" ] && [ "$(head -2 "$tmp/rules")" = "$(printf "# my rules\n")" ]'
check "the file still passes check" '"$RULES" check "$tmp/rules" >/dev/null'
check "the caller's next call is blocked, busy" \
  '[ "$(decide +18121862248 | jq -r "[.action,.outcome] | @tsv")" = "$(printf "block\tbusy")" ]'
# A repeat call through sipcidd itself is announced blocked, busy.
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" -c "$conf" --json > "$tmp/again.json"
check "sipcidd then announces the caller's call blocked, outcome busy" \
  '[ "$(jq -r "[.state,.outcome,.action] | @tsv" "$tmp/again.json")" = "$(printf "blocked\tbusy\tblock")" ]'

last allow-last; rc=$?
check "allow-last puts an allow above the block" \
  '[ $rc = 0 ] && [ "$(grep -n "number +18121862248" "$tmp/rules" | cut -d: -f1 | paste -sd,)" = 4,6 ] && sed -n 4p "$tmp/rules" | grep -qx "allow number +18121862248"'
check "the caller rings again" '[ "$(decide +18121862248 | jq -r .action)" = allow ]'

last block-last; rc=$?
check "block-last with no outcome writes a plain block ([rules] block-outcome decides)" \
  '[ $rc = 0 ] && grep -qx "block number +18121862248" "$tmp/rules" && [ "$(decide +18121862248 | jq -r .outcome)" = decline ]'
last block-last drop
check "block-last drop writes a drop" 'grep -qx "drop number +18121862248" "$tmp/rules"'
last block-last gone
check "block-last gone writes reject gone" '[ "$(decide +18121862248 | jq -r .outcome)" = gone ]'
last block-last loud; rc=$?
check "an unknown outcome is a usage error" '[ $rc = 2 ] && grep -q "expected an outcome (busy, decline, gone or drop), not .loud." "$tmp/err"'

last rename-last 'Sonic "Test" \ Co'; rc=$?
check "rename-last adds the name to the phonebook, quoted" \
  '[ $rc = 0 ] && [ "$(tail -1 "$tmp/phonebook")" = "+18121862248 \"Sonic \\\"Test\\\" \\\\ Co\"" ] && grep -q "^# .*: sipcid-rules rename-last, the call of" "$tmp/phonebook"'
check "the rules see the new name" '[ "$(decide +18121862248 | jq -r .alias)" = "Sonic \"Test\" \\ Co" ]'
last rename-last 'Sonic Two'
check "a second rename replaces the entry, the old one kept as a comment" \
  '[ "$(grep -c "^+18121862248 " "$tmp/phonebook")" = 1 ] && grep -qx "+18121862248 \"Sonic Two\"" "$tmp/phonebook" && grep -q "(was: +18121862248 " "$tmp/phonebook" && "$RULES" check --phonebook "$tmp/phonebook" >/dev/null'
last rename-last; rc=$?
check "rename-last needs a name" '[ $rc = 2 ]'

# A refused change leaves the file as it was: a rule file with an error.
cp "$tmp/rules" "$tmp/rules.good"
printf 'blok *\n' >> "$tmp/rules"
cp "$tmp/rules" "$tmp/rules.before"
last block-last busy; rc=$?
check "a rule file that does not load is not changed (exit 1, the error names FILE:LINE)" \
  '[ $rc = 1 ] && cmp -s "$tmp/rules" "$tmp/rules.before" && grep -q "not changed, the result would not load: .*rules:[0-9]*:1: expected an action" "$tmp/err"'
cp "$tmp/rules.good" "$tmp/rules"
# A write that fails (the file size limit: EFBIG) leaves the old file in place.
cp "$tmp/rules" "$tmp/rules.before"
( trap '' XFSZ; ulimit -f 0; "$RULES" block-last busy -c "$conf" > "$tmp/out" 2> "$tmp/err" ); rc=$?
check "a failed write changes nothing and leaves no temporary file" \
  '[ $rc = 1 ] && cmp -s "$tmp/rules" "$tmp/rules.before" && [ "$(ls "$tmp" | grep -c "^rules\.[A-Z0-9]\{6\}$")" = 0 ]'
cp "$tmp/phonebook" "$tmp/phonebook.before"
( trap '' XFSZ; ulimit -f 0; "$RULES" rename-last X -c "$conf" > "$tmp/out" 2> "$tmp/err" ); rc=$?
check "a failed phonebook write changes nothing" '[ $rc = 1 ] && cmp -s "$tmp/phonebook" "$tmp/phonebook.before"'

# The last caller sent no number: a clear refusal, nothing written. (This
# capture is older than the first: a log of its own. With no rules, its
# caller's INVITEs all ring without a number.)
rm -f "$db"
printf '# nothing yet\n' > "$tmp/rules"
read_into_log ndpi_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap
check "the log's calls have no number" 'jq -se "map(select(.event==\"call\")) | length > 0 and all(.presentation == \"unavailable\" and .number == \"\")" "$tmp/ndpi_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap.json" >/dev/null'
cp "$tmp/rules" "$tmp/rules.before"
last block-last; rc=$?
check "block-last refuses: the network did not send the number" \
  '[ $rc = 1 ] && grep -q "the network did not send the last caller.s number; there is nothing to block" "$tmp/err" && cmp -s "$tmp/rules" "$tmp/rules.before"'
# A withheld caller (presentation restricted); no capture here has one, so
# the log gets a newer row as sipcidd writes them.
# log_row CALL_ID TIME_US NUMBER PRESENTATION: a newer incoming call, as sipcidd logs one
log_row() {
	sqlite3 "$db" "INSERT INTO calls (call_id, time_us, number, presentation, state, direction) VALUES ('$1', $2, '$3', '$4', 'missed', 'incoming')"
}
log_row withheld@x 4102444800000000 '' restricted
last block-last; rc=$?
check "block-last refuses a withheld caller in words" \
  '[ $rc = 1 ] && grep -q "the last caller withheld their number; there is nothing to block" "$tmp/err" && cmp -s "$tmp/rules" "$tmp/rules.before"'
last rename-last Nobody; rc=$?
check "rename-last too" '[ $rc = 1 ] && grep -q "withheld their number; there is nothing to name" "$tmp/err"'
log_row sos@x 4102444900000000 911 allowed
last block-last; rc=$?
check "an emergency number is never blocked" '[ $rc = 1 ] && grep -q "is an emergency number" "$tmp/err" && cmp -s "$tmp/rules" "$tmp/rules.before"'
# Outgoing calls are not callers.
rm -f "$db"
read_into_log sngrep_aaa.pcap
last block-last; rc=$?
check "only the phone's own calls in the log: nothing to act on" '[ $rc = 1 ] && grep -q "no incoming call in the call log yet" "$tmp/err"'
rm -f "$db"
last block-last; rc=$?
check "no call log at all: said in words" '[ $rc = 1 ] && grep -q "no call log here yet" "$tmp/err"'
echo "1..$n"
exit $((fails > 0))
