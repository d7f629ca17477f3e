#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 14's reproductions, as crafted captures through `sipcidd --read
# --rules` with `block number +15551234567`: what the rules judge is what the
# phone would show, and nothing passes uninspected without being counted.
# usage: test_identity_read.sh SIPCIDD MAKE_CAPTURES.py
set -u
SIPCIDD=$1; MAKE=$2
fails=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

python3 "$MAKE" "$tmp" || { echo "Bail out! cannot make the captures"; exit 1; }
printf 'block number +15551234567\nallow *\n' > "$tmp/rules"
BLOCKED=+15551234567
# read CASE: the JSON events of CASE.pcap in $tmp/CASE.json, stderr in $tmp/CASE.err
read_case() {
	"$SIPCIDD" --no-notify --read "$tmp/$1.pcap" --rules "$tmp/rules" --json \
		>"$tmp/$1.json" 2>"$tmp/$1.err"
	echo $? >"$tmp/$1.rc"
}
# q CASE FILTER: jq -s over the events of CASE
q() { jq -s -r "$2" "$tmp/$1.json"; }
# blocked CASE CALL_ID: a call event for CALL_ID from the blocked number, blocked
blocked() {
	[ "$(q "$1" "[.[] | select(.event==\"call\" and .call_id==\"$2\" and .number==\"$BLOCKED\" and .action==\"block\")] | length")" = 1 ]
}
# no_allowed_block CASE: no call event lets the blocked number through
no_allowed_block() {
	[ "$(q "$1" "[.[] | select(.number==\"$BLOCKED\" and .action!=\"block\")] | length")" = 0 ]
}

for c in callid_reuse retrans_changed retrans_same fork_two_lines two_from repeated_singletons \
         totag_unknown reinvite_known ipv6_ext whitespace uninspected erspan3_oflag; do
	read_case $c
done

# Finding 1: Call-ID reuse after the phone refused the first INVITE.
check "Call-ID reused with the blocked caller after a 420: judged again and blocked" \
	'blocked callid_reuse reuse-1 && no_allowed_block callid_reuse'
check "Call-ID reuse: two calls announced, the first one missed, the second blocked" \
	'[ "$(q callid_reuse "[.[] | [.event,.number,.state] | join(\" \")] | join(\",\")")" = "call +15550001111 ringing,update +15550001111 missed,call +15551234567 blocked" ]'
check "a retransmission whose caller changed is judged again and blocked" \
	'blocked retrans_changed retr-1 && no_allowed_block retrans_changed'
check "a true retransmission is still one call, announced once" \
	'[ "$(q retrans_same "[.[] | select(.event==\"call\")] | length")" = 2 ] && blocked retrans_same same-2'
check "one call forked to two lines (same caller, another To) is announced once" \
	'[ "$(q fork_two_lines "[.[] | .event] | join(\",\")")" = call ]'

# Finding 2: two From headers, whichever comes first.
for id in twofrom-1 twofrom-2 twofrom-3; do
	check "two From headers ($id): blocked, as any value matches a block rule" "blocked two_from $id"
	check "two From headers ($id): the event says malformed" \
		"[ \"\$(q two_from '.[] | select(.call_id==\"$id\") | .malformed')\" = true ]"
done
for id in rep-callid rep-cseq rep-to; do
	check "a repeated singleton header ($id) makes the event malformed" \
		"[ \"\$(q repeated_singletons '.[] | select(.call_id==\"$id\") | .malformed')\" = true ]"
done
check "a well-formed INVITE is not malformed" \
	'[ "$(q repeated_singletons ".[] | select(.call_id==\"rep-none\") | .malformed")" = false ]'

# Finding 4: an INVITE with a To tag for a dialog never seen.
check "To-tagged INVITE of an unknown dialog: judged, announced and blocked" \
	'blocked totag_unknown totag-1'
check "a re-INVITE inside an answered call is still not a new call" \
	'[ "$(q reinvite_known "[.[] | .event] | join(\",\")")" = "call,update" ]'

# Finding 5: IPv6 extension-header chains of any length.
check "IPv6 with 10 extension headers is parsed and blocked" 'blocked ipv6_ext v6ext-10'
check "IPv6 with 2 extension headers is parsed and blocked" 'blocked ipv6_ext v6ext-2'

# Finding 6: white space as phones take it.
check "a tab in the request line is read (blocked)" 'blocked whitespace ws-tab-rl'
check "From:<TAB> is read (blocked)" 'blocked whitespace ws-from-tab'
check "a folded From is read (blocked, name kept)" \
	'blocked whitespace ws-folded && [ "$(q whitespace ".[] | select(.call_id==\"ws-folded\") | .name")" = Folded ]'
check "From<TAB>:<TAB> is read (blocked)" 'blocked whitespace ws-name-tab'

# Finding 6: what cannot be inspected is passed but counted, never silent.
check "uninspected SIP-port packets are counted on stderr (2: cut short, no caller)" \
	'grep -q "uninspected.pcap: 2 packets to or from port 5060 or 5061 could not be inspected" "$tmp/uninspected.err"'
check "the readable INVITE beside them is still judged" 'blocked uninspected cut-1'
check "a capture whose every packet is read says nothing of uninspected packets" \
	'! grep -q "could not be inspected" "$tmp/whitespace.err"'

# Finding 7: ERSPAN III with the O flag, cut inside its subheader.
check "ERSPAN III O-flag frame cut short: read without error, nothing found" \
	'[ "$(cat "$tmp/erspan3_oflag.rc")" = 0 ] && [ ! -s "$tmp/erspan3_oflag.json" ]'

echo "1..$n"
exit $((fails > 0))
