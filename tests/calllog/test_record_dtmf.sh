#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Touch-tone recording controls over a capture (dtmf_pcap.py): an answered
# call of 10 s where the far end presses *1 at 1 s and the phone *1 at 3 s
# and *0 at 6 s, as RFC 4733 events in the RTP or as SIP INFO.
#   - no rule marks the call: the recording is the phone's 3 s, and the log
#     says it started mid-call; the far end's *1 is not obeyed;
#   - a rule marks it (record-default): recorded from the start, cut by *0;
#   - [record] on-demand = no: the phone's *1 is refused, with a reason;
#   - dtmf-start empty: *1 does nothing.
# usage: test_record_dtmf.sh SIPCIDD DTMF_PCAP_PY
set -u
SIPCIDD=$1; GEN=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
command -v soxi >/dev/null || { echo "Bail out! soxi is missing (tests/deps-debian.txt)"; exit 1; }
python3 "$GEN" "$tmp/rtp.pcap" && python3 "$GEN" --info "$tmp/info.pcap" ||
  { echo "Bail out! dtmf_pcap.py failed"; exit 1; }

# replay NAME PCAP [CONFIG LINES...]: sipcidd --read with [record] in
# $tmp/NAME; stderr in $tmp/NAME.err.
replay() {
  local name=$1 pcap=$2
  shift 2
  { printf '[record]\ndirectory = %s\n' "$tmp/$name"; printf '%s\n' "$@"; } > "$tmp/$name.conf"
  "$SIPCIDD" --no-notify --read "$pcap" -c "$tmp/$name.conf" > /dev/null 2> "$tmp/$name.err"
}
wav_of() { ls "$tmp/$1"/*.wav 2>/dev/null; }
between() { awk -v d="$1" -v a="$2" -v b="$3" 'BEGIN { exit !(d >= a && d <= b) }'; }
said() { [ "$(grep -c -F -- "$2" "$tmp/$1.err")" = "${3:-1}" ]; }

for how in rtp info; do
  replay $how "$tmp/$how.pcap"
  check "$how: replay succeeds" '[ $? = 0 ]'
  wav=$(wav_of $how)
  dur=$(soxi -D "$wav" 2>/dev/null || echo 0)
  echo "# $how: $wav, $dur s"
  check "$how: one recording, from the phone's *1 to its *0 (3 s of a 10 s call)" \
    '[ "$(ls -A "$tmp/$how" | wc -l)" = 1 ] && between "$dur" 2.9 3.1'
  check "$how: the log says it started mid-call, once (the far end's *1 is ignored)" \
    'said $how "recording of call dtmf-call@198.51.100.7 started mid-call (by touch-tones *1)" &&
     said $how "started" 1'
  check "$how: and that *0 stopped it" \
    'said $how "recording of call dtmf-call@198.51.100.7 stopped (by touch-tones *0)"'
done

# A rule marks the call: from the first RTP (0.3 s) to the end of the
# phone's *0 (6.6 s: keys are timed from the first RTP).
replay ruled "$tmp/rtp.pcap" '[rules]' 'record-default = true'
dur=$(soxi -D "$(wav_of ruled)" 2>/dev/null || echo 0)
echo "# marked by a rule: $dur s"
check "a rule-marked call is recorded from its start until *0" 'between "$dur" 6.2 6.4'
check "... and its *1 (already recording) logs nothing" '! grep -q "started" "$tmp/ruled.err"'

replay nodemand "$tmp/rtp.pcap" 'on-demand = no'
check "on-demand = no: the phone's *1 records nothing" '[ -z "$(ls -A "$tmp/nodemand" 2>/dev/null)" ]'
# (With on-demand off the recorder does not follow unmarked calls at all,
# so there is nothing to refuse: the log stays quiet.)
check "on-demand = no: no recording is said to start" '! grep -q "started" "$tmp/nodemand.err"'

replay nostart "$tmp/info.pcap" 'dtmf-start ='
check "dtmf-start empty: *1 records nothing" '[ -z "$(ls -A "$tmp/nostart" 2>/dev/null)" ]'

replay badcode "$tmp/rtp.pcap" 'dtmf-stop = *9*9*9*9*9'
check "a code longer than 8 keys is refused with FILE:LINE" \
  '[ $? = 2 ] && grep -q "badcode.conf:3: \[record\] dtmf-stop" "$tmp/badcode.err"'
tap_end
