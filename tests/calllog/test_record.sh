#!/bin/bash
# Recording from the bundled capture (a real G.711 A-law call with RTP both
# ways): the WAV's format and duration against the RTP timestamps, its audio
# against sox's own G.711 decoder, the log row, no recording when not
# marked, and a full disk.
# Runs the real thing: sipcidd --read under a configuration whose
# [rules] record-default marks every call.
# usage: test_record.sh SIPCIDD SIPCID_LOG CAPTURE
set -u
SIPCIDD=$1; LOG=$2; CAP=$3
tmp=$(mktemp -d); mnt=
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
for tool in sox soxi tshark; do command -v $tool >/dev/null || { echo "Bail out! $tool is missing (tests/deps-debian.txt)"; exit 1; }; done
export TZ=UTC
# replay RECORD_DIR DB RECORD_DEFAULT
replay() {
  printf '[rules]\nrecord-default = %s\n[record]\ndirectory = %s\n[log]\ndatabase = %s\n' "$3" "$1" "$2" > "$tmp/sipcid.conf"
  "$SIPCIDD" --no-notify --read "$CAP" -c "$tmp/sipcid.conf"
}

replay "$tmp/rec" "$tmp/calls.db" true > "$tmp/out" 2> "$tmp/err"
check "replay succeeds" '[ $? = 0 ]'
wav=$tmp/rec/2005-01-14_175802_unknown.wav
check "one WAV, named from time and caller, nothing else left behind" \
  '[ "$(ls -A "$tmp/rec")" = "$(basename "$wav")" ]'
check "WAV: 2 channels, 8000 Hz, 16-bit PCM" \
  '[ "$(soxi -c "$wav") $(soxi -r "$wav") $(soxi -b "$wav") $(soxi -e "$wav")" = "2 8000 16 Signed Integer PCM" ]'
# Expected length from the RTP itself (tshark): each direction starts at its
# first packet's arrival (relative to the first of both) and lasts its RTP
# timestamp span plus one 20 ms packet.
expected=$(tshark -r "$CAP" -o rtp.heuristic_rtp:TRUE -Y "rtp && ((ip.dst==200.57.7.204 && udp.dstport==8000) || (ip.dst==200.57.7.196 && udp.dstport==40376))" \
  -T fields -e frame.time_epoch -e udp.dstport -e rtp.timestamp 2>/dev/null |
  awk '{ if (!($2 in f)) { f[$2]=$1; t[$2]=$3 } if ($3-t[$2] > m[$2]) m[$2]=$3-t[$2]; if (t0=="" || $1<t0) t0=$1 }
       END { e=0; for (k in f) { x=(f[k]-t0)+(m[k]+160)/8000; if (x>e) e=x } printf "%.3f", e }')
got=$(soxi -D "$wav")
echo "# duration: expected $expected s from RTP timestamps, WAV $got s"
check "duration matches the RTP timestamps within 20 ms" \
  'awk -v a="$got" -v b="$expected" "BEGIN { d=a-b; exit !(b > 20 && d < 0.02 && d > -0.02) }"'
# The caller's direction decoded by sox from the raw A-law payloads.
tshark -r "$CAP" -o rtp.heuristic_rtp:TRUE -Y "rtp && ip.dst==200.57.7.204 && udp.dstport==8000" \
  -T fields -e rtp.payload 2>/dev/null | tr -d ':\n' | xxd -r -p > "$tmp/caller.al"
# Energy in dB (RMS level + 10 log10 of the length): silence that fills gaps adds none.
energy() { awk '/RMS lev dB/ { r=$4 } /Length s/ { l=$3 } END { if (r == "-inf") print "-inf"; else printf "%.2f", r + 10*log(l)/log(10) }'; }
ours=$(sox "$wav" -n remix 1 stats 2>&1 | energy); theirs=$(sox -t al -r 8000 -c 1 "$tmp/caller.al" -n stats 2>&1 | energy)
phone=$(sox "$wav" -n remix 2 stats 2>&1 | energy)
echo "# caller channel energy: ours $ours dB, sox's decode of the payloads $theirs dB; phone channel $phone dB"
check "left channel: the caller's audio, the same energy as sox's G.711 decode" \
  'awk -v a="$ours" -v b="$theirs" "BEGIN { d=a-b; exit !(a > -40 && d < 0.1 && d > -0.1) }"'
check "right channel: the phone's audio is there too" 'awk -v a="$phone" "BEGIN { exit !(a != \"-inf\" && a > -40) }"'
# Sample-exact: the first 20 ms of the caller's channel equal sox's decode.
sox "$wav" -t s16 -r 8000 -c 1 "$tmp/left.raw" remix 1
sox -t al -r 8000 -c 1 "$tmp/caller.al" -t s16 "$tmp/caller.raw"
off=$(( $(tshark -r "$CAP" -o rtp.heuristic_rtp:TRUE -Y "rtp && ((ip.dst==200.57.7.204 && udp.dstport==8000) || (ip.dst==200.57.7.196 && udp.dstport==40376))" -T fields -e frame.time_epoch -e udp.dstport 2>/dev/null | awk '{ if (t0=="") t0=$1; if ($2==8000) { printf "%d", ($1-t0)*8000; exit } }') * 2 ))
check "the caller's first packet decodes sample for sample like sox" \
  'cmp -s <(dd if="$tmp/left.raw" bs=1 skip=$off count=320 2>/dev/null) <(head -c 320 "$tmp/caller.raw")'
check "the log row names the recording" \
  '[ "$("$LOG" -d "$tmp/calls.db" --json | jq -r "select(.call_id==\"12013223@200.57.7.195\") | .recording")" = "$wav" ]'
check "the call without RTP in the capture has no recording and a clear note" \
  '[ "$("$LOG" -d "$tmp/calls.db" --json | jq -r "select(.call_id==\"12015624@200.57.7.195\") | .recording")" = null ]'

# Not marked record: nothing written, no temporary files.
replay "$tmp/none" "$tmp/none.db" false > /dev/null 2>&1
check "calls not marked record leave no recording" '[ ! -e "$tmp/none" ] || [ -z "$(ls -A "$tmp/none")" ]'
check "...and their log rows no path" '[ "$("$LOG" -d "$tmp/none.db" --json | jq -r .recording | sort -u)" = null ]'

# A full disk: a tmpfs of our own, too small for the capture (64 KB) or for the WAV (400 KB).
for size in 64k 400k; do
  mnt=$tmp/full-$size; mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=$size tmpfs "$mnt"; then fail "cannot mount a $size tmpfs (the test needs root)"; mnt=; continue; fi
  replay "$mnt/rec" "$tmp/full-$size.db" true > /dev/null 2> "$tmp/full.err"
  status=$?
  check "disk full ($size): no crash" '[ $status = 0 ]'
  check "disk full ($size): the error says so" 'grep -q "No space left on device (the disk is full)" "$tmp/full.err"'
  check "disk full ($size): no partial or temporary file left" '[ -z "$(ls -A "$mnt/rec")" ]'
  check "disk full ($size): the call is still logged, without a recording" \
    '[ "$("$LOG" -d "$tmp/full-$size.db" --json | jq -r "select(.call_id==\"12013223@200.57.7.195\") | .recording")" = null ]'
  sed 's/^/# /' "$tmp/full.err"
  umount "$mnt"; mnt=
done
tap_end
