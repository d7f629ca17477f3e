#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcidd --read: the calls in the bundled captures, every link type and
# transport, and plain-word errors with a non-zero exit status.
# usage: test_read.sh SIPCIDD CAPTURES_DIR RELINK
set -u
SIPCIDD=$1; CAPS=$2; RELINK=$3; MAKE_FRAGMENTS=$4
fails=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# jq FILTER over the JSON lines of one capture
calls() { "$SIPCIDD" --no-notify --read "$CAPS/$1" --json 2>"$tmp/err"; }

# Ethernet + IPv4 + UDP, with responses: two calls, the first answered then ended.
calls sngrep_aaa.pcap > "$tmp/aaa.json"
check "aaa.pcap: 4 calls announced once each" \
  '[ "$(jq -s "[.[] | select(.event==\"call\")] | length" "$tmp/aaa.json")" = 4 ]'
check "aaa.pcap: first caller arik 816666" \
  '[ "$(jq -r "select(.event==\"call\") | [.name,.number,.called] | @tsv" "$tmp/aaa.json" | head -1)" = "$(printf "arik\t816666\t97239287044")" ]'
check "every JSON line has the keys of the issue" \
  'jq -e "has(\"call_id\") and has(\"time\") and has(\"number\") and has(\"number_raw\") and has(\"name\") and has(\"presentation\") and has(\"called\") and has(\"via\") and has(\"state\")" "$tmp/aaa.json" >/dev/null'
check "time is ISO 8601 UTC" \
  '[ "$(jq -r "select(.event==\"call\") | .time" "$tmp/aaa.json" | head -1)" = "2005-07-04T09:40:49.188Z" ]'

# SIP over TCP
calls heplify_sip_ipv4_tcp.pcap > "$tmp/tcp.json"
check "TCP: the call from 101 to 201 is announced, answered and ended" \
  '[ "$(jq -r "[.event,.number,.called,.state] | @tsv" "$tmp/tcp.json" | tr "\t" " " | paste -sd,)" = "call 101 201 ringing,update 101 201 answered,update 101 201 ended" ]'
# IPv6
calls heplify_sip_ipv6_udp.pcap > "$tmp/v6.json"
check "IPv6: caller 9876 calling 4321" \
  '[ "$(jq -r "select(.event==\"call\") | .number + \">\" + .called" "$tmp/v6.json")" = "9876>4321" ]'
# Linux cooked v1 and v2 and raw IP: the same packets under other link types.
for lt in sll sll2 raw; do
  if "$RELINK" $lt "$CAPS/sngrep_aaa.pcap" "$tmp/$lt.pcap"; then
    check "link type $lt: same calls as Ethernet" \
      '[ "$("$SIPCIDD" --no-notify --read "$tmp/$lt.pcap" --json | jq -c "{call_id,number,name}" | md5sum)" = "$(jq -c "{call_id,number,name}" "$tmp/aaa.json" | md5sum)" ]'
  else
    fail "could not make a $lt capture"
  fi
done
# pcapng, ERSPAN-in-GRE
calls heplify_erspan_sip_ipv4_udp.pcapng > "$tmp/erspan.json"
check "pcapng + ERSPAN: caller 'test' 20008777" \
  'jq -se "any(.[]; .event==\"call\" and .name==\"test\" and .number==\"20008777\")" "$tmp/erspan.json" >/dev/null'
# PPPoE + PPTP GRE
calls ndpi_gre_sip.pcapng > "$tmp/gre.json"
check "PPTP GRE in PPPoE: a call is found" \
  '[ "$(jq -s "[.[] | select(.event==\"call\")] | length" "$tmp/gre.json")" -ge 1 ]'
# IP-in-IP, 11-digit NANP
calls heplify_ipip0.pcap > "$tmp/ipip.json"
check "IP-in-IP: +18121862248 with raw 18121862248" \
  '[ "$(jq -r "[.number,.number_raw] | @tsv" "$tmp/ipip.json")" = "$(printf "+18121862248\t18121862248")" ]'
# the unavailable caller in the fax capture
calls ndpi_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap > "$tmp/fax.json"
check "fax capture: unavailable caller, no number" \
  'jq -se "any(.[]; .event==\"call\" and .presentation==\"unavailable\" and .number==\"\")" "$tmp/fax.json" >/dev/null'
check "fax capture: the callee's re-INVITE is not a call" \
  'jq -se "all(.[]; .number != \"061963177\" and .number != \"+1061963177\")" "$tmp/fax.json" >/dev/null'

# IP fragments, out of order, IPv4 and IPv6: the PAI after 2 kB of headers is read.
"$MAKE_FRAGMENTS" "$tmp/frag.pcap"
# The fragments come from 198.51.100.7, which the test names as the provider:
# PAI is believed only from the provider (docs/callerid.md).
printf '[callerid]\ntrusted-sources = 198.51.100.0/24, 2001:db8::/32\n' > "$tmp/frag.conf"
"$SIPCIDD" --no-notify --read "$tmp/frag.pcap" --config "$tmp/frag.conf" --json > "$tmp/frag.json"
check "fragmented INVITE over IPv4 is reassembled (PAI in a later fragment)" \
  'jq -se "any(.[]; .call_id==\"frag-v4@198.51.100.7\" and .number==\"+15553334444\" and .source==\"pai\" and .name==\"Asserted Name\")" "$tmp/frag.json" >/dev/null'
check "fragmented INVITE over IPv6 is reassembled" \
  'jq -se "any(.[]; .call_id==\"frag-v6@198.51.100.7\" and .number==\"+15553334444\")" "$tmp/frag.json" >/dev/null'
check "each fragmented INVITE is one call" '[ "$(wc -l < "$tmp/frag.json")" = 2 ]'

# rules and phonebook
printf '# test rules\nblock number +18121862248\nallow *\n' > "$tmp/rules"
printf '+18121862248 Sonic Test\n' > "$tmp/phonebook"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --rules "$tmp/rules" --phonebook "$tmp/phonebook" --json > "$tmp/ruled.json"
check "--rules blocks the listed number with FILE:LINE, --phonebook adds the alias; state blocked, outcome decline (the default)" \
  '[ "$(jq -r "[.action,.rule,.alias,.state,.outcome] | @tsv" "$tmp/ruled.json")" = "$(printf "block\t$tmp/rules:2\tSonic Test\tblocked\tdecline")" ]'
# Outcomes: a reject busy rule gives state blocked and outcome busy, in JSON and the readable line
printf 'reject busy number +18121862248\n' > "$tmp/busy-rules"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --rules "$tmp/busy-rules" --json > "$tmp/busy.json"
check "a reject busy rule: one event, action block, state blocked, outcome busy" \
  '[ "$(jq -r "[.event,.action,.state,.outcome,.rule] | @tsv" "$tmp/busy.json")" = "$(printf "call\tblock\tblocked\tbusy\t$tmp/busy-rules:1")" ]'
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --rules "$tmp/busy-rules" > "$tmp/busy.txt"
check "the readable line says BLOCKED (busy)" 'grep -q "+18121862248.*  BLOCKED (busy)$" "$tmp/busy.txt"'
printf 'drop number +18121862248\n' > "$tmp/drop-rules"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --rules "$tmp/drop-rules" --json > "$tmp/drop.json"
check "a drop rule: state blocked, outcome drop" \
  '[ "$(jq -r "[.state,.outcome] | @tsv" "$tmp/drop.json")" = "$(printf "blocked\tdrop")" ]'
printf '[rules]\nrules = %s\nblock-outcome = gone\n' "$tmp/rules" > "$tmp/gone.conf"
"$SIPCIDD" --no-notify --config "$tmp/gone.conf" --read "$CAPS/heplify_ipip0.pcap" --json > "$tmp/gone.json"
check "[rules] block-outcome = gone: a bare block rule gives outcome gone" \
  '[ "$(jq -r "[.state,.outcome] | @tsv" "$tmp/gone.json")" = "$(printf "blocked\tgone")" ]'
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --json > "$tmp/noblock.json"
check "an allowed call has outcome null" '[ "$(jq -r ".outcome" "$tmp/noblock.json")" = null ]'
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --phonebook "$tmp/phonebook" > "$tmp/alias.txt"
check "readable line shows the alias beside the network name" 'grep -q "+18121862248  \"Sonic Test\"" "$tmp/alias.txt"'
printf 'block numbr 1\n' > "$tmp/badrules"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --rules "$tmp/badrules" > /dev/null 2> "$tmp/e5"; rc=$?
check "a broken rule file stops --read with FILE:LINE:COLUMN" '[ $rc = 2 ] && grep -q "badrules:1:7" "$tmp/e5"'
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --rules "$tmp/nonexistent" > /dev/null 2> "$tmp/e6"; rc=$?
check "a missing rule file named on the command line is an error" '[ $rc = 2 ] && grep -q "nonexistent" "$tmp/e6"'

# phonebook suggestions: unknown numbers with a name, once each
printf '[rules]\nsuggestions = %s\nphonebook = %s\n' "$tmp/suggest" "$tmp/phonebook" > "$tmp/suggest.conf"
"$SIPCIDD" --no-notify --read "$CAPS/heplify_rtp_rtcp_sip_ipv4_udp.pcap" --config "$tmp/suggest.conf" > /dev/null
"$SIPCIDD" --no-notify --read "$CAPS/heplify_rtp_rtcp_sip_ipv4_udp.pcap" --config "$tmp/suggest.conf" > /dev/null
check "suggestions file gets the unknown caller once, as a phonebook line" \
  '[ "$(grep -c "^+15514540002 \"Ivan Alizade\"" "$tmp/suggest")" = 1 ]'
"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --config "$tmp/suggest.conf" > /dev/null
check "a caller already in the phonebook is not suggested" '! grep -q 18121862248 "$tmp/suggest"'

# readable output
"$SIPCIDD" --no-notify --read "$CAPS/sngrep_aaa.pcap" > "$tmp/aaa.txt"
# The phone at 192.168.1.2 registers, then calls out: the line learned from
# the REGISTER and its 200 makes these outgoing calls.
check "readable line names whom the phone called, and the line" \
  'grep -q "^2005-07-04T09:40:49.188Z  call   outgoing to 97239287044  from 816666$" "$tmp/aaa.txt"'
check "readable update says how long it rang, in whole seconds (34.119 s)" \
  'grep -q "^2005-07-04T09:40:49.188Z  update outgoing to 97239287044  from 816666  missed after 34 s$" "$tmp/aaa.txt"'
"$SIPCIDD" --no-notify --read "$CAPS/heplify_sip_ipv4_tcp.pcap" > "$tmp/tcp.txt"
check "readable end says rang and talked (4.343 s, 2.151 s)" \
  'grep -q "^2011-07-28T12:54:46.562Z  update 101  -> 201  ended after 4 s, talked 2 s$" "$tmp/tcp.txt"'

# errors: plain words on stderr, non-zero exit
"$SIPCIDD" --no-notify --read "$tmp/missing.pcap" >/dev/null 2>"$tmp/e1"; rc=$?
check "missing file: exit 1 and says so" '[ $rc = 1 ] && grep -q "cannot open the capture .*missing.pcap: No such file" "$tmp/e1"'
echo "hello" > "$tmp/notcap.pcap"
"$SIPCIDD" --no-notify --read "$tmp/notcap.pcap" >/dev/null 2>"$tmp/e2"; rc=$?
check "not a capture: exit 1 and says so" '[ $rc = 1 ] && grep -q "is not a pcap or pcapng capture" "$tmp/e2"'
printf '[numbers]\nplan = nanp\n\n[callerid]\ntrusted-sources = 10.0.0.0/99\n' > "$tmp/bad.conf"
"$SIPCIDD" --no-notify --read "$CAPS/sngrep_aaa.pcap" --config "$tmp/bad.conf" >/dev/null 2>"$tmp/e3"; rc=$?
check "bad config: exit 2, names file and line" '[ $rc = 2 ] && grep -q "bad.conf:5: \[callerid\] trusted-sources" "$tmp/e3"'
"$SIPCIDD" --no-notify --read >/dev/null 2>"$tmp/e4"; rc=$?
check "bad option: exit 2 with advice" '[ $rc = 2 ] && grep -q "Try .sipcidd --help" "$tmp/e4"'

# the shipped sample configuration loads as it is
check "packaging/sipcid.conf loads" \
  '"$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --config "$(dirname "$0")/../../packaging/sipcid.conf" >/dev/null'

# a config changes the number plan
printf '[numbers]\nplan = none\n' > "$tmp/none.conf"
check "plan=none keeps 18121862248" \
  '[ "$("$SIPCIDD" --no-notify --read "$CAPS/heplify_ipip0.pcap" --config "$tmp/none.conf" --json | jq -r .number)" = 18121862248 ]'

echo "1..$n"
exit $((fails > 0))
