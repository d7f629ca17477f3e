#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcidd --read learns the line from the capture: the ATA's REGISTER and its
# 200 say which INVITEs are the phone calling out (never blocked; the
# phonebook names whom it called), which addresses are the provider's (its
# PAI is believed, its calls ring) and which are strangers (the ghost-call
# shield). Emergency calls pass "block *" whatever is known.
# usage: test_read_line.sh SIPCIDD LINE_CAPTURE_PY EXAMPLE_RULES
set -u
SIPCIDD=$1; MAKE=$2; EXAMPLE_RULES=$3
fails=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }
# one FILTER: exactly one call event of FILE satisfies it
one() { [ "$(jq -c "select(.event == \"call\" and ($2))" "$1" | wc -l)" = 1 ]; }

python3 "$MAKE" "$tmp/line.pcap" || { echo "Bail out! cannot write the capture"; exit 1; }
python3 "$MAKE" "$tmp/unregistered.pcap" --no-register || { echo "Bail out! capture"; exit 1; }
printf 'block *\n' > "$tmp/block-all"
printf '+15559876543 Mom\n' > "$tmp/phonebook"
read_json() {  # read_json CAPTURE RULES [ARGS...]
	local cap=$1 rules=$2
	shift 2
	"$SIPCIDD" --no-notify --read "$cap" --rules "$rules" --phonebook "$tmp/phonebook" --json "$@"
}

# A. block * (the allow-list setup of sipcid-rules(5)), the line registered.
read_json "$tmp/line.pcap" "$tmp/block-all" > "$tmp/a.json" 2>"$tmp/a.err"
emergency_pass() {  # emergency_pass FILE DIRECTION WHAT: each call to 911 112 999 000
	local num
	for num in 911 112 999 000; do
		check "$3: the call to $num with caller ID withheld is $2 and allowed" \
			"one '$1' '.call_id == \"out-$num@ata\" and .direction == \"$2\" and .action == \"allow\" and .presentation == \"restricted\" and .called == \"$num\"'"
	done
}
emergency_pass "$tmp/a.json" outgoing "block *, the line learned"
check "block *: the phone calling Mom is outgoing, allowed, and the phonebook names whom it called" \
	"one '$tmp/a.json' '.call_id == \"out-mom@ata\" and .direction == \"outgoing\" and .action == \"allow\" and .alias == \"Mom\" and .called == \"+15559876543\"'"
check "block *: the provider's incoming call is still blocked" \
	"one '$tmp/a.json' '.call_id == \"in-1@prov\" and .direction == \"incoming\" and .action == \"block\"'"
# (line events, of the capture's REGISTERs, are not calls: docs/events.md)
check "every call event says its direction" \
	'[ "$(jq -c "select(has(\"call_id\") and (has(\"direction\") | not))" "$tmp/a.json" | wc -l)" = 0 ] && [ -s "$tmp/a.json" ]'
"$SIPCIDD" --no-notify --read "$tmp/line.pcap" --rules "$tmp/block-all" --phonebook "$tmp/phonebook" > "$tmp/a.txt"
check "the readable line of an outgoing call names whom the phone called" \
	"grep -q '  call   outgoing to +15559876543  \"Mom\"  from 2001\$' '$tmp/a.txt'"

# B. The shipped rule file: its ghost-call shield.
read_json "$tmp/line.pcap" "$EXAMPLE_RULES" > "$tmp/b.json" 2>"$tmp/b.err"
shield_line=$(grep -n '^block source stranger' "$EXAMPLE_RULES" | cut -d: -f1)
check "the scanner's ghost call is blocked by the shield ($EXAMPLE_RULES:$shield_line)" \
	"one '$tmp/b.json' '.call_id == \"ghost@scan\" and .action == \"block\" and (.rule | endswith(\":$shield_line\"))'"
check "the scanner's P-Asserted-Identity is not believed" \
	"one '$tmp/b.json' '.call_id == \"ghost@scan\" and .source == \"from\" and .number == \"100\"'"
check "the registrar's call rings, its P-Asserted-Identity believed" \
	"one '$tmp/b.json' '.call_id == \"in-1@prov\" and .action == \"allow\" and .source == \"pai\" and .number == \"+15557654321\"'"
check "a call from another address of the provider (the registrar's /24) rings" \
	"one '$tmp/b.json' '.call_id == \"in-2@prov\" and .action == \"allow\"'"

# C. Nothing learned (no REGISTER in the capture): calls are incoming, as
# before; emergency numbers still pass block *; the shield blocks nobody.
read_json "$tmp/unregistered.pcap" "$tmp/block-all" > "$tmp/c.json" 2>"$tmp/c.err"
emergency_pass "$tmp/c.json" incoming "block *, nothing learned"
check "nothing learned: an ordinary call from the ATA counts as incoming and block * applies" \
	"one '$tmp/c.json' '.call_id == \"out-mom@ata\" and .direction == \"incoming\" and .action == \"block\"'"
read_json "$tmp/unregistered.pcap" "$EXAMPLE_RULES" > "$tmp/d.json" 2>"$tmp/d.err"
check "nothing learned: the shield blocks no one" \
	'[ "$(jq -c "select(.action == \"block\")" "$tmp/d.json" | wc -l)" = 0 ] && [ -s "$tmp/d.json" ]'
check "nothing learned: PAI is believed from nobody by default" \
	"one '$tmp/d.json' '.call_id == \"in-1@prov\" and .source == \"from\"'"

# D. phone-side overrides what was (not) learned.
printf '[callerid]\nphone-side = 192.168.1.2\n' > "$tmp/phone-side.conf"
read_json "$tmp/unregistered.pcap" "$tmp/block-all" --config "$tmp/phone-side.conf" > "$tmp/e.json" 2>"$tmp/e.err"
check "phone-side: the ATA's call is outgoing without any REGISTER" \
	"one '$tmp/e.json' '.call_id == \"out-mom@ata\" and .direction == \"outgoing\" and .action == \"allow\"'"

# E. The registrar stops answering: the refresh and its retransmissions for
# Timer F (32 s) get nothing, so the line is down from then, announced once it
# stayed down [line] down-after (60 s); capture time is the clock.
python3 "$MAKE" "$tmp/unanswered.pcap" --unanswered || { echo "Bail out! capture"; exit 1; }
"$SIPCIDD" --no-notify --read "$tmp/unanswered.pcap" --json > "$tmp/f.json" 2>"$tmp/f.err"
line_event() { jq -c "select(.event == \"line\")" "$tmp/f.json" | sed -n "${1}p"; }
check "an unanswered refresh: first the line up, from the 200" \
	"jq -e '.state == \"up\" and .first == true and .registrar == \"203.0.113.10:5060\"' <<<'$(line_event 1)' >/dev/null"
check "an unanswered refresh: down since Timer F ran out (20 s + 32 s), for no answer from the registrar" \
	"jq -e '.state == \"down\" and .reason == \"no answer from the registrar\" and .since == \"2025-11-24T16:00:52.000Z\"' <<<'$(line_event 2)' >/dev/null"
check "an unanswered refresh: two line events, no more" \
	'[ "$(jq -c "select(.event == \"line\")" "$tmp/f.json" | wc -l)" = 2 ]'

echo "1..$n"
[ $fails = 0 ]
