#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcidd --read with [lists]: a caller on the FTC complaint list is blocked
# by "block list ftc", named by the rule's FILE:LINE; a caller on no list is
# not; a list file that is missing stops sipcidd with its name.
# usage: test_list_read.sh SIPCIDD CAPTURES_DIR
set -u
SIPCIDD=$1; CAPS=$2
fails=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# heplify_ipip0.pcap holds one call, from +18121862248.
printf '"Company_Phone_Number","Created_Date","Violation_Date","Consumer_City","Consumer_State","Consumer_Area_Code","Subject","Recorded_Message_Or_Robocall"\r\n"8121862248","2026-11-01 10:00:00","2026-10-31 09:00:00","Austin","Texas","512","Imposters","Y"\r\n' > "$tmp/ftc.csv"
printf '2125550100\n' > "$tmp/other.txt"
printf '# test rules\nblock list other\nblock list ftc\nallow *\n' > "$tmp/rules"
printf '[rules]\nrules = rules\nphonebook =\n[lists]\nftc = ftc.csv\nother = other.txt\n' > "$tmp/sipcid.conf"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --config "$tmp/sipcid.conf" --json > "$tmp/listed.json" 2>"$tmp/err"
check "a caller on the FTC list is blocked by block list ftc (FILE:LINE)" \
  '[ "$(jq -r "select(.event==\"call\") | [.number,.action,.rule] | @tsv" "$tmp/listed.json")" = "$(printf "+18121862248\tblock\t$tmp/rules:3")" ]'

printf '2125550100\n' > "$tmp/ftc.csv"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --config "$tmp/sipcid.conf" --json > "$tmp/unlisted.json" 2>"$tmp/err"
check "a caller on no list is allowed by the catch-all rule" \
  '[ "$(jq -r "select(.event==\"call\") | [.action,.rule] | @tsv" "$tmp/unlisted.json")" = "$(printf "allow\t$tmp/rules:4")" ]'

rm "$tmp/other.txt"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --config "$tmp/sipcid.conf" --json > /dev/null 2>"$tmp/err"; rc=$?
check "a missing list file stops sipcidd, naming the list ($rc)" '[ $rc != 0 ] && grep -q "list other" "$tmp/err"'

printf '[rules]\nrules = rules\nphonebook =\n[lists]\nftc = ftc.csv\nother = other.txt\nbogus key = 1\n' > "$tmp/bad.conf"
printf '2125550100\n' > "$tmp/other.txt"
"$SIPCIDD" --check --config "$tmp/bad.conf" > /dev/null 2>"$tmp/err"; rc=$?
check "a bad list name is a configuration error with FILE:LINE" '[ $rc != 0 ] && grep -q "bad.conf:7: \[lists\] bogus key" "$tmp/err"'

echo "1..$n"
[ $fails = 0 ]
