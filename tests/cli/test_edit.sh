#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The sipcid-rules commands sipcid-web runs: block-number, allow-number,
# name-number, unname-number (what each writes, and the refusals in words),
# save rules|phonebook (a broken text leaves the file byte for byte as it
# was, and the errors carry the submitted text's line and column), check
# --json, list-phonebook and import --json. Each --json answer is one JSON
# line that jq reads.
# usage: test_edit.sh SIPCID_RULES
set -u
RULES=$1
fails=0; n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

conf=$tmp/sipcid.conf
printf '[numbers]\ncountry = US\n[rules]\nrules = rules\nphonebook = phonebook\n[lists]\nspam = spam.txt\n' > "$conf"
printf '+15550009999\n' > "$tmp/spam.txt"
printf '# my rules\nblock list spam\nallow name Mom\n' > "$tmp/rules"
printf '+15550001111 "Ann"\n' > "$tmp/phonebook"
run() { "$RULES" "$@" -c "$conf" > "$tmp/out" 2> "$tmp/err"; }
decide() { "$RULES" test -c "$conf" --number "$1"; }
one_json() { [ "$(wc -l < "$tmp/out")" = 1 ] && jq -e . "$tmp/out" > /dev/null; }
same() { cmp -s "$tmp/$1" "$tmp/$1.before"; }
keep() { cp "$tmp/$1" "$tmp/$1.before"; }

# block-number: a number as a person types it, normalised; the rule file
# names a list, so the check loads [lists] as sipcidd does.
run block-number '(555) 123-4567' busy --json; rc=$?
check "block-number busy writes 'reject busy number +15551234567' and answers in JSON" \
  '[ $rc = 0 ] && one_json && [ "$(jq -r "[.ok,.rule,.number] | @tsv" "$tmp/out")" = "$(printf "true\treject busy number +15551234567\t+15551234567")" ]'
check "the rule goes above the first rule and its comments, under a dated comment, and the list rule still loads" \
  'sed -n 1p "$tmp/rules" | grep -Eqx "# [0-9-]{10} [0-9:]{5}: sipcid-rules block-number, \+15551234567" && sed -n 2p "$tmp/rules" | grep -qx "reject busy number +15551234567" && [ "$(sed -n 3,5p "$tmp/rules")" = "$(printf "# my rules\nblock list spam\nallow name Mom")" ] && "$RULES" check -c "$conf" > /dev/null'
check "the next call from it is rejected busy" \
  '[ "$(decide 5551234567 | jq -r "[.action,.outcome] | @tsv")" = "$(printf "block\tbusy")" ]'
run allow-number +15551234567; rc=$?
check "allow-number (text output) puts an allow above it" \
  '[ $rc = 0 ] && grep -q "added .allow number +15551234567." "$tmp/out" && [ "$(decide +15551234567 | jq -r .action)" = allow ]'
keep rules
run block-number 911 --json; rc=$?
check "an emergency number is refused in words, the file unchanged" \
  '[ $rc = 1 ] && one_json && jq -r .error "$tmp/out" | grep -q "911 is an emergency number: sipcid never blocks it" && same rules'
for w in '' anonymous 'Anonymous'; do
	run block-number "$w" --json; rc=$?
	check "a withheld caller ('$w') is refused in words" \
	  '[ $rc = 1 ] && jq -r .error "$tmp/out" | grep -Eq "sent no number|every caller who withholds" && same rules'
done
run block-number '+1555*' --json; rc=$?
check "a pattern is not a number" '[ $rc = 1 ] && jq -r .error "$tmp/out" | grep -q "is not a phone number" && same rules'
run block-number +15551234567 loud --json; rc=$?
check "an unknown outcome is a usage error" '[ $rc = 2 ] && grep -q "expected an outcome (busy, decline, gone or drop), not .loud." "$tmp/err" && same rules'
"$RULES" block-number -c "$conf" --json -- -5551112222 > "$tmp/out"; rc=$?
check "-- ends the options: a number starting with - is a number" \
  '[ $rc = 0 ] && [ "$(jq -r .rule "$tmp/out")" = "block number +15551112222" ]'

# name-number and unname-number: the phonebook.
run name-number 5552223333 'Bob "the" \ Builder' --json; rc=$?
check "name-number appends the entry, quoted" \
  '[ $rc = 0 ] && [ "$(jq -r .name "$tmp/out")" = "Bob \"the\" \\ Builder" ] && [ "$(tail -1 "$tmp/phonebook")" = "+15552223333 \"Bob \\\"the\\\" \\\\ Builder\"" ] && [ "$(decide +15552223333 | jq -r .alias)" = "Bob \"the\" \\ Builder" ]'
run name-number '+1 555 000 1111' 'Ann B' --json
check "naming a number again replaces its entry, the old one kept as a comment" \
  '[ "$(grep -c "^+1555000111" "$tmp/phonebook")" = 1 ] && grep -q "(was: +15550001111 \"Ann\")" "$tmp/phonebook" && [ "$(decide +15550001111 | jq -r .alias)" = "Ann B" ]'
run list-phonebook; rc=$?
check "list-phonebook lists the entries with their lines, as the parser reads them" \
  '[ $rc = 0 ] && one_json && [ "$(jq -c "[.entries[] | [.line,.number,.name]]" "$tmp/out")" = "[[2,\"+15550001111\",\"Ann B\"],[4,\"+15552223333\",\"Bob \\\"the\\\" \\\\ Builder\"]]" ]'
run unname-number 555-222-3333 --json; rc=$?
check "unname-number removes the entry" \
  '[ $rc = 0 ] && ! grep -q "^+15552223333" "$tmp/phonebook" && [ "$(decide +15552223333 | jq -r .alias)" = null ]'
keep phonebook
run unname-number 5552223333 --json; rc=$?
check "removing a number that is not there is refused, the file unchanged" \
  '[ $rc = 1 ] && jq -r .error "$tmp/out" | grep -q "is not in the phonebook" && same phonebook'
run name-number 5559990000 $'two\nlines' --json; rc=$?
check "a name of two lines is refused" '[ $rc = 1 ] && same phonebook'

# save: the whole text, written only if it loads.
keep rules
printf 'allow name Mom\nblok *\nblock number "x\n' | run save rules --json; rc=$?
check "save of a broken text: exit 1, every error with the text's line and column, the file byte-identical" \
  '[ $rc = 1 ] && one_json && [ "$(jq -c "[.ok, [.errors[] | [.line,.column]]]" "$tmp/out")" = "[false,[[2,1],[3,14]]]" ] && jq -r ".errors[0].message" "$tmp/out" | grep -q "expected an action" && jq -r .error "$tmp/out" | grep -q "rules:2:1: expected an action" && same rules'
printf 'block list nosuch\n' | run save rules --json; rc=$?
check "a list [lists] does not name is an error at its line" \
  '[ $rc = 1 ] && [ "$(jq -c "[.errors[] | [.line,.column]]" "$tmp/out")" = "[[1,12]]" ] && same rules'
printf '# new\nblock list spam\nreject gone number +15557778888\n' | run save rules --json; rc=$?
check "save of a good text writes it, and the rules decide by it" \
  '[ $rc = 0 ] && jq -e ".ok and (.path | endswith(\"/rules\"))" "$tmp/out" > /dev/null && [ "$(cat "$tmp/rules")" = "$(printf "# new\nblock list spam\nreject gone number +15557778888")" ] && [ "$(decide +15557778888 | jq -r .outcome)" = gone ] && [ "$(decide +15550009999 | jq -r .action)" = block ]'
keep phonebook
printf '+15550001111 "A"\n5550001111 "B"\n' | run save phonebook --json; rc=$?
check "save phonebook refuses a number twice (line 2), the file byte-identical" \
  '[ $rc = 1 ] && [ "$(jq -c "[.errors[] | .line]" "$tmp/out")" = "[2]" ] && same phonebook'
printf 'x\n' | run save --json; rc=$?
check "save needs rules or phonebook" '[ $rc = 2 ]'

# check --json: the same check, nothing written.
keep rules
printf 'allow *\nreject sometimes *\n' | run check --json -; rc=$?
check "check --json - reports the errors of the text on stdin, and writes nothing" \
  '[ $rc = 1 ] && one_json && [ "$(jq -c "[.ok,[.errors[].line]]" "$tmp/out")" = "[false,[2]]" ] && same rules'
printf 'block list spam\n' | run check --json -; rc=$?
check "check --json of a good text: ok, no errors" '[ $rc = 0 ] && [ "$(jq -c . "$tmp/out")" = "{\"ok\":true,\"errors\":[]}" ]'
printf '+15550001111\n' | run check --json --phonebook -; rc=$?
check "check --json --phonebook - checks a phonebook" '[ $rc = 1 ] && jq -r ".errors[0].message" "$tmp/out" | grep -q "expected a name"'

# import --json from stdin.
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Cy\nTEL;TYPE=cell:+1 555 444 5555\nTEL;TYPE=fax:+15554446666\nEND:VCARD\n' > "$tmp/c.vcf"
keep phonebook
run import --json --dry-run --name c.vcf - < "$tmp/c.vcf"; rc=$?
check "import --json --dry-run: the plan, the phonebook unchanged" \
  '[ $rc = 0 ] && one_json && [ "$(jq -c "[.added,.written,[.adds[].number],[.skipped[].reason]]" "$tmp/out")" = "[1,false,[\"+15554445555\"],[\"a fax number\"]]" ] && same phonebook'
run import --json --name c.vcf - < "$tmp/c.vcf"; rc=$?
check "import --json writes it" \
  '[ $rc = 0 ] && jq -e .written "$tmp/out" > /dev/null && grep -q "^+15554445555 \"Cy (mobile)\"" "$tmp/phonebook" && grep -q "imported from c.vcf" "$tmp/phonebook"'
echo "1..$n"
exit $((fails > 0))
