#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-rules: exit codes, messages and JSON output.
# Usage: test_tool.sh PATH/TO/sipcid-rules PATH/TO/rules/examples
set -u
tool=$1
examples=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/sipcid-rules-tool.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect STATUS STDOUT-FILE STDERR-FILE -- command...: runs it, checks the status.
run() {
	want=$1
	shift
	"$@" >"$dir/out" 2>"$dir/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "'$*' exited $got, expected $want; stderr: $(cat "$dir/err")"
	fi
}

same() {  # same FILE EXPECTED-TEXT
	if [ "$(cat "$1")" != "$2" ]; then
		fail "expected [$2], got [$(cat "$1")]"
	fi
}

contains() {  # contains FILE TEXT
	if ! grep -qF -- "$2" "$1"; then
		fail "expected [$2] in [$(cat "$1")]"
	fi
}

cat >"$dir/rules" <<'RULES'
# allow my list, block everyone else
allow number 5551234567
allow name Mom
block number anonymous
record number +1555*
block name /spam/i
block *
RULES
printf '+15559876543 Mom\n5552223333 "Dr. Who"\n' >"$dir/phonebook"
printf 'blok *\nallow number\nallow name "x\n' >"$dir/bad"
printf '[numbers]\nplan = none\n[rules]\nrules = rules\nphonebook = phonebook\nrecord-default = true\n' >"$dir/sipcid.conf"

# the shipped examples stay valid
run 0 "$tool" check "$examples/rules" --phonebook "$examples/phonebook"
run 0 "$tool" test --rules "$examples/rules" --phonebook "$examples/phonebook" --number 5551234567 --name "WIRELESS CALLER"
same "$dir/out" "{\"action\":\"allow\",\"outcome\":null,\"rule\":\"$examples/rules:23\",\"alias\":\"Mom\",\"record\":false,\"number\":\"+15551234567\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test --rules "$examples/rules" --phonebook "$examples/phonebook" --presentation restricted
contains "$dir/out" '"action":"block"'

# check: good files, bad files, phonebooks
run 0 "$tool" check "$dir/rules"
same "$dir/out" "$dir/rules: ok, 6 rules"
run 0 "$tool" check --phonebook "$dir/phonebook"
same "$dir/out" "$dir/phonebook: ok, 2 phonebook entries"
run 1 "$tool" check "$dir/bad"
same "$dir/err" "$dir/bad:1:1: expected an action (allow, block, reject, drop, record or norecord), not 'blok'
$dir/bad:2:13: expected a pattern after 'number' (a number or text, a glob with * or ?, a /regex/, or anonymous)
$dir/bad:3:12: this quoted text has no closing \" (expected \" before the end of the line)"
run 1 "$tool" check "$dir/rules" "$dir/bad"
contains "$dir/out" "$dir/rules: ok, 6 rules"
run 1 "$tool" check "$dir/phonebook"
contains "$dir/err" "this looks like a phonebook; check it with sipcid-rules check --phonebook $dir/phonebook"
run 1 "$tool" check --phonebook "$dir/rules"
contains "$dir/err" "$dir/rules:2:1: expected a phone number"
run 1 "$tool" check "$dir/missing"
contains "$dir/err" "$dir/missing"
run 0 "$tool" check --config "$dir/sipcid.conf"
same "$dir/out" "$dir/rules: ok, 6 rules
$dir/phonebook: ok, 2 phonebook entries"
printf '[rules]\nrules = nothing-here\n' >"$dir/named-missing.conf"
run 1 "$tool" check --config "$dir/named-missing.conf"
contains "$dir/err" "$dir/nothing-here"
run 2 "$tool" check
run 2 "$tool" frobnicate
run 2 "$tool"
run 0 "$tool" --version
contains "$dir/out" "sipcid-rules "

# test: JSON decisions (default plan NANP)
r="--rules $dir/rules --phonebook $dir/phonebook"
run 0 "$tool" test $r --number 15551234567
same "$dir/out" "{\"action\":\"allow\",\"outcome\":null,\"rule\":\"$dir/rules:2\",\"alias\":null,\"record\":false,\"number\":\"+15551234567\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test $r --number "(555) 987-6543" --name "WIRELESS CALLER"
same "$dir/out" "{\"action\":\"allow\",\"outcome\":null,\"rule\":\"$dir/rules:3\",\"alias\":\"Mom\",\"record\":false,\"number\":\"+15559876543\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test $r --presentation restricted
same "$dir/out" "{\"action\":\"block\",\"outcome\":\"decline\",\"rule\":\"$dir/rules:4\",\"alias\":null,\"record\":false,\"number\":\"\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test $r --number 5552223333
same "$dir/out" "{\"action\":\"allow\",\"outcome\":null,\"rule\":\"$dir/rules:5\",\"alias\":\"Dr. Who\",\"record\":true,\"number\":\"+15552223333\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test $r --number +442071234567 --name "Likely SPAM"
same "$dir/out" "{\"action\":\"block\",\"outcome\":\"decline\",\"rule\":\"$dir/rules:6\",\"alias\":null,\"record\":false,\"number\":\"+442071234567\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test $r --number +442071234567 --name 'Say "hi"\'
same "$dir/out" "{\"action\":\"block\",\"outcome\":\"decline\",\"rule\":\"$dir/rules:7\",\"alias\":null,\"record\":false,\"number\":\"+442071234567\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test --number 5551234567
same "$dir/out" '{"action":"allow","outcome":null,"rule":null,"alias":null,"record":false,"number":"+15551234567","direction":"incoming","emergency":false,"verstat":null,"attest":null}'
# the output is JSON that jq reads
run 0 "$tool" test $r --number 5552223333 --called 5550001000 --via 18005550000
if ! jq -e '.action == "allow" and .record == true and .alias == "Dr. Who"' "$dir/out" >/dev/null; then
	fail "jq does not read the JSON as expected: $(cat "$dir/out")"
fi
# the config's plan and record-default: plan none keeps 5551234567 as it is, so rule 2
# does not match its +1 form, and the default plan's normalisation does not happen
run 0 "$tool" test --config "$dir/sipcid.conf" --number 15551234567
same "$dir/out" "{\"action\":\"block\",\"outcome\":\"decline\",\"rule\":\"$dir/rules:7\",\"alias\":null,\"record\":false,\"number\":\"15551234567\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
printf '# nothing\n' >"$dir/empty"
run 0 "$tool" test --config "$dir/sipcid.conf" --rules "$dir/empty" --number 5551234567
same "$dir/out" '{"action":"allow","outcome":null,"rule":null,"alias":null,"record":true,"number":"5551234567","direction":"incoming","emergency":false,"verstat":null,"attest":null}'
# Outgoing calls: block rules never apply, the phonebook names the number
# called, and only rules that say "direction outgoing" are seen.
printf 'record direction outgoing called +15559876543\nblock *\n' >"$dir/out-rules"
run 0 "$tool" test --rules "$dir/out-rules" --phonebook "$dir/phonebook" --direction outgoing \
	--number 2001 --called 5559876543
same "$dir/out" "{\"action\":\"allow\",\"outcome\":null,\"rule\":\"$dir/out-rules:1\",\"alias\":\"Mom\",\"record\":true,\"number\":\"2001\",\"direction\":\"outgoing\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test --rules "$dir/out-rules" --direction outgoing --number 2001 --called 5550001111
same "$dir/out" '{"action":"allow","outcome":null,"rule":null,"alias":null,"record":false,"number":"2001","direction":"outgoing","emergency":false,"verstat":null,"attest":null}'
printf 'block direction outgoing called 911\n' >"$dir/bad-out"
run 1 "$tool" check "$dir/bad-out"
contains "$dir/err" "$dir/bad-out:1:1: block never applies to outgoing calls"
# Emergency numbers pass "block *", as caller or called, withheld or not.
printf 'block *\n' >"$dir/all"
run 0 "$tool" test --rules "$dir/all" --presentation restricted --called 911
same "$dir/out" "{\"action\":\"allow\",\"outcome\":null,\"rule\":\"$dir/all:1\",\"alias\":null,\"record\":false,\"number\":\"\",\"direction\":\"incoming\",\"emergency\":true,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test --rules "$dir/all" --number 112
contains "$dir/out" '"action":"allow"'
run 0 "$tool" test --rules "$dir/all" --number 5550001111
contains "$dir/out" '"action":"block"'
# Outcomes: reject busy|decline|gone, drop, and block with [rules] block-outcome.
printf 'reject busy number 5550000001\nreject gone number 5550000003\ndrop number 5550000004\nblock *\n' >"$dir/outcomes"
run 0 "$tool" check "$dir/outcomes"
same "$dir/out" "$dir/outcomes: ok, 4 rules"
run 0 "$tool" test --rules "$dir/outcomes" --number 5550000001
same "$dir/out" "{\"action\":\"block\",\"outcome\":\"busy\",\"rule\":\"$dir/outcomes:1\",\"alias\":null,\"record\":false,\"number\":\"+15550000001\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null}"
run 0 "$tool" test --rules "$dir/outcomes" --number 5550000003
contains "$dir/out" '"outcome":"gone"'
run 0 "$tool" test --rules "$dir/outcomes" --number 5550000004
contains "$dir/out" '"outcome":"drop"'
run 0 "$tool" test --rules "$dir/outcomes" --number 5550000009
contains "$dir/out" '"outcome":"decline"'
printf '[rules]\nrules = outcomes\nblock-outcome = busy\n' >"$dir/busy.conf"
run 0 "$tool" test --config "$dir/busy.conf" --number 5550000009
contains "$dir/out" '"outcome":"busy","rule":"'"$dir"'/outcomes:4"'
# with --rules, the configuration's block-outcome still holds
run 0 "$tool" test --config "$dir/busy.conf" --rules "$dir/outcomes" --number 5550000009
contains "$dir/out" '"outcome":"busy"'
run 0 "$tool" test --config "$dir/busy.conf" --number 5550000004
contains "$dir/out" '"outcome":"drop"'
printf '[rules]\nblock-outcome = voicemail\n' >"$dir/bad-outcome.conf"
run 1 "$tool" test --config "$dir/bad-outcome.conf" --number 1
contains "$dir/err" "$dir/bad-outcome.conf:2: [rules] block-outcome: expected one of"
printf 'reject number 1\nreject drop *\n' >"$dir/bad-reject"
run 1 "$tool" check "$dir/bad-reject"
same "$dir/err" "$dir/bad-reject:1:8: expected an outcome (busy, decline or gone) after 'reject', not 'number'
$dir/bad-reject:2:8: reject answers the call, so it cannot be silent: use drop for that (expected busy, decline or gone after 'reject', not 'drop')"
# The ghost-call shield: source stranger.
printf 'block source stranger\n' >"$dir/shield"
run 0 "$tool" test --rules "$dir/shield" --number 100 --source stranger
contains "$dir/out" '"action":"block"'
run 0 "$tool" test --rules "$dir/shield" --number 100 --source provider
contains "$dir/out" '"action":"allow"'
run 0 "$tool" test --rules "$dir/shield" --number 100
contains "$dir/out" '"action":"allow"'
run 2 "$tool" test --rules "$dir/shield" --number 100 --source phone
printf 'block source friend\n' >"$dir/bad-source"
run 1 "$tool" check "$dir/bad-source"
contains "$dir/err" "$dir/bad-source:1:14: expected provider, stranger or unknown after source, not 'friend'"

# STIR/SHAKEN: verstat, attest and neighbour-spoof.
printf 'block verstat failed\nallow attest A\nblock neighbour-spoof\n' >"$dir/shaken"
run 0 "$tool" test --rules "$dir/shaken" --number 3135550100 --verstat failed
same "$dir/out" "{\"action\":\"block\",\"outcome\":\"decline\",\"rule\":\"$dir/shaken:1\",\"alias\":null,\"record\":false,\"number\":\"+13135550100\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":\"failed\",\"attest\":null}"
run 0 "$tool" test --rules "$dir/shaken" --number 2125550100 --called 2125551234 --verstat passed --attest a
same "$dir/out" "{\"action\":\"allow\",\"outcome\":null,\"rule\":\"$dir/shaken:2\",\"alias\":null,\"record\":false,\"number\":\"+12125550100\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":\"passed\",\"attest\":\"A\"}"
run 0 "$tool" test --rules "$dir/shaken" --number 2125550100 --called 2125551234 --verstat no-validation --attest none
contains "$dir/out" "\"action\":\"block\",\"outcome\":\"decline\",\"rule\":\"$dir/shaken:3\""
run 0 "$tool" test --rules "$dir/shaken" --number 2125550100 --called 2125551234 --verstat passed
contains "$dir/out" '"action":"allow","outcome":null,"rule":null'
run 2 "$tool" test --rules "$dir/shaken" --number 1 --verstat maybe
contains "$dir/err" "expected passed, failed, no-validation or none after --verstat, not 'maybe'"
run 2 "$tool" test --rules "$dir/shaken" --number 1 --attest D
contains "$dir/err" "expected A, B, C or none after --attest, not 'D'"
printf 'block verstat pass\n' >"$dir/bad-verstat"
run 1 "$tool" check "$dir/bad-verstat"
contains "$dir/err" "$dir/bad-verstat:1:15: expected passed, failed, no-validation or none after verstat, not 'pass'"

# Number lists: [lists] in the configuration, "block list NAME" in rules.
mkdir "$dir/lists"
printf '# spam\n+1 212 555 0100\n2125550101\nnot a number\n' >"$dir/lists/spam.txt"
printf 'Company_Phone_Number,Subject\r\n8005550199,"Imposters, debt"\r\n' >"$dir/lists/ftc.csv"
printf 'block list spam\nblock list ftc\nallow *\n' >"$dir/lists/rules"
printf '[rules]\nrules = rules\nphonebook =\n[lists]\nspam = spam.txt\nftc = ftc.csv\n' >"$dir/lists/sipcid.conf"
run 0 "$tool" check --config "$dir/lists/sipcid.conf"
contains "$dir/out" "$dir/lists/spam.txt: ok, list spam: 2 numbers, 1 lines skipped"
contains "$dir/out" "$dir/lists/ftc.csv: ok, list ftc: 1 numbers (FTC CSV)"
contains "$dir/out" "$dir/lists/rules: ok, 3 rules"
contains "$dir/err" "$dir/lists/spam.txt:4: not a phone number; line skipped"
run 0 "$tool" test --config "$dir/lists/sipcid.conf" --number 2125550100
same "$dir/out" "{\"action\":\"block\",\"outcome\":\"decline\",\"rule\":\"$dir/lists/rules:1\",\"alias\":null,\"record\":false,\"number\":\"+12125550100\",\"direction\":\"incoming\",\"emergency\":false,\"verstat\":null,\"attest\":null,\"list\":\"spam\"}"
run 0 "$tool" test --config "$dir/lists/sipcid.conf" --number 8005550199
contains "$dir/out" '"action":"block"'
contains "$dir/out" '"list":"ftc"'
run 0 "$tool" test --config "$dir/lists/sipcid.conf" --number 2125550102
contains "$dir/out" '"action":"allow"'
if grep -q '"list"' "$dir/out"; then fail "an unlisted caller is said to be on a list"; fi
printf 'block list spma\n' >"$dir/lists/typo"
run 1 "$tool" check --config "$dir/lists/sipcid.conf" "$dir/lists/typo"
contains "$dir/err" "$dir/lists/typo:1:12: no list named 'spma'"
run 1 "$tool" check "$dir/lists/rules"
contains "$dir/err" "$dir/lists/rules:1:12: no list named 'spam' (lists are named in [lists] of sipcid.conf; give sipcid-rules --config)"
rm "$dir/lists/ftc.csv"
run 1 "$tool" check --config "$dir/lists/sipcid.conf"
contains "$dir/err" "list ftc: "
run 1 "$tool" test --config "$dir/lists/sipcid.conf" --number 2125550100

# errors
run 1 "$tool" test --rules "$dir/bad" --number 1
contains "$dir/err" "$dir/bad:1:1: expected an action"
run 2 "$tool" test --rules "$dir/rules"
run 2 "$tool" test --rules "$dir/rules" --number 1 --presentation hidden
run 2 "$tool" test --rules "$dir/rules" --number 1 stray

if [ "$failures" -ne 0 ]; then
	echo "$failures failures" >&2
	exit 1
fi
echo "all sipcid-rules tool checks passed"
