#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# STIR/SHAKEN end to end: a capture of INVITEs carrying verstat, the
# P-Attestation-Indicator and Identity headers through `sipcidd --read` with
# the provider in trusted-sources: the JSON events, the readable line, the
# rules (block verstat failed, block neighbour-spoof), the call log and
# sipcid-log. A stranger's claims count for nothing.
# usage: test_shaken_read.sh SIPCIDD SIPCID_LOG MAKE_CAPTURE.py
set -u
SIPCIDD=$1; LOG=$2; MAKE=$3
. "$(dirname "$0")/../calllog/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

python3 "$MAKE" "$tmp" || { echo "Bail out! cannot make the capture"; exit 1; }
export TZ=UTC
printf 'block verstat failed\nblock neighbour-spoof\nallow *\n' > "$tmp/rules"
cat > "$tmp/sipcid.conf" <<EOF
[callerid]
trusted-sources = 198.51.100.7
[rules]
rules = $tmp/rules
[log]
database = $tmp/calls.db
EOF
"$SIPCIDD" --no-notify --read "$tmp/shaken.pcap" -c "$tmp/sipcid.conf" --json \
	> "$tmp/events.json" 2> "$tmp/err"
check "sipcidd --read exits 0" '[ $? = 0 ]'
# shaken ID: "VERSTAT ATTEST ACTION" of the call event for Call-ID ID
shaken() {
	jq -r "select(.event==\"call\" and .call_id==\"$1\") | [.verstat // \"null\", .attest // \"null\", .action] | join(\" \")" "$tmp/events.json"
}
expect() {
	local got; got=$(shaken "$1")
	check "$1: $3 (expected '$2', got '$got')" "[ \"$got\" = \"$2\" ]"
}
expect passed-user        "passed null allow"          "verstat in From's user part"
expect passed-pai-a       "passed A allow"             "verstat-A as a PAI URI parameter"
expect failed             "failed null block"          "failed verification is blocked by 'block verstat failed'"
expect noval-ind-b        "no-validation B allow"      "No-TN-Validation in a tel: URI, P-Attestation-Indicator"
expect identity-c         "null C allow"               "the Identity header's PASSporT"
expect neighbour          "null null block"            "an unverified caller from the line's exchange is blocked by neighbour-spoof"
expect neighbour-verified "passed null allow"          "a verified caller from the line's exchange rings"
expect stranger           "null null allow"            "a stranger's verstat, indicator and Identity are ignored"
expect conflict           "null null allow"            "two verstats that disagree and duplicate claims: no guess"
check "the deciding rules are named" \
	'[ "$(jq -r "select(.call_id==\"failed\") | .rule" "$tmp/events.json")" = "$tmp/rules:1" ] && [ "$(jq -r "select(.call_id==\"neighbour\") | .rule" "$tmp/events.json")" = "$tmp/rules:2" ]'

# The readable line says it in words.
# (with --rules: the same rules, without the call log, which holds the calls once)
"$SIPCIDD" --no-notify --read "$tmp/shaken.pcap" --rules "$tmp/rules" \
	-c <(sed -n '1,2p' "$tmp/sipcid.conf") > "$tmp/lines" 2>/dev/null
check "readable line: [Verified]" 'grep -q "+13135550100  Verified Caller  \[Verified\]  -> +12125551234$" "$tmp/lines"'
check "readable line: [Verified (attestation A)]" 'grep -q "+13135550101  \[Verified (attestation A)\]" "$tmp/lines"'
check "readable line: [Failed verification] ... BLOCKED" 'grep -q "+13135550102  Totally Real Bank  \[Failed verification\]  -> +12125551234  BLOCKED" "$tmp/lines"'
check "readable line: [Not verified]" 'grep -q "+13135550103  \[Not verified\]" "$tmp/lines"'
check "readable line: [Attestation C]" 'grep -q "+13135550104  \[Attestation C\]" "$tmp/lines"'
check "readable line: nothing for the stranger" 'grep "+13135550105" "$tmp/lines" | grep -vq "\["'

# The call log keeps them, and sipcid-log shows them.
"$LOG" -d "$tmp/calls.db" export --json > "$tmp/export.json"
check "the log has every call" '[ "$(wc -l < "$tmp/export.json")" = 9 ]'
check "the log's verstat and attest equal the events'" \
	'[ "$(jq -sc "map({call_id, verstat, attest}) | sort_by(.call_id)" "$tmp/export.json")" = "$(jq -sc "map(select(.event==\"call\") | {call_id, verstat, attest}) | sort_by(.call_id)" "$tmp/events.json")" ]'
"$LOG" -d "$tmp/calls.db" list > "$tmp/list"
check "sipcid-log list: Verified (attestation A)" 'grep "+13135550101" "$tmp/list" | grep -q "\[Verified (attestation A)\]"'
check "sipcid-log list: Failed verification, BLOCKED" 'grep "+13135550102" "$tmp/list" | grep -q "\[Failed verification\].*BLOCKED"'
"$LOG" -d "$tmp/calls.db" export --csv > "$tmp/export.csv"
check "CSV has verstat and attest columns" \
	'python3 -c "import csv,sys; r={x[\"call_id\"]: x for x in csv.DictReader(open(sys.argv[1], newline=\"\"))}; sys.exit(0 if (r[\"passed-pai-a\"][\"verstat\"], r[\"passed-pai-a\"][\"attest\"], r[\"stranger\"][\"verstat\"]) == (\"passed\", \"A\", \"\") else 1)" "$tmp/export.csv"'
check "sipcid-log --verstat failed finds the failed call" \
	'[ "$("$LOG" -d "$tmp/calls.db" --json --verstat failed | jq -r .call_id)" = failed ]'

tap_end
