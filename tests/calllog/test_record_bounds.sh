#!/bin/bash
# Issue 14, finding 8: a recorded call flooded with RTP of an unknown payload
# type kept a pcap as large as the flood (52 MB for this one, 144 MB in the
# finding). The recording stays within its bounds: 200 packets a second,
# [record] max-call-mb, max-total-mb, and nothing while the disk is less
# than 5% free. Each bound is shown by sipcidd --read of a generated flood.
# usage: test_record_bounds.sh SIPCIDD FLOOD_PCAP_PY
set -u
SIPCIDD=$1; FLOOD=$2
tmp=$(mktemp -d); mnt=
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
export TZ=UTC
# replay CAPTURE RECORD_DIR [RECORD_KEYS...]: every call marked record.
replay() {
  local cap=$1 dir=$2; shift 2
  { printf '[rules]\nrecord-default = true\n[record]\ndirectory = %s\n' "$dir"
    for k in "$@"; do printf '%s\n' "$k"; done
    printf '[log]\ndatabase = %s/calls.db\n' "$tmp"; } >"$tmp/sipcid.conf"
  rm -f "$tmp/calls.db"
  "$SIPCIDD" --no-notify --read "$cap" -c "$tmp/sipcid.conf" >"$tmp/out" 2>"$tmp/err"
}
size_of() { find "$1" -maxdepth 1 -type f -name '2026-*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

# 1. 5000 packets a second of 1000 bytes, payload type 99, for 10 s: 52 MB on the wire.
python3 "$FLOOD" rtp-call --pps 5000 --size 1000 --seconds 10 "$tmp/flood.pcap"
replay "$tmp/flood.pcap" "$tmp/rec1"
check "flood: sipcidd succeeds" '[ $? = 0 ]'
s1=$(size_of "$tmp/rec1")
echo "# flood of $(stat -c %s "$tmp/flood.pcap") bytes: recording of $s1 bytes"
# 200 packets in each of at most 11 one-second windows, 1000 + 12 + 28 + 16 bytes each.
check "flood: a recording is kept" '[ "$s1" -gt 0 ]'
check "flood: at most 200 packets a second are saved ($s1 bytes <= 2.3 MB)" '[ "$s1" -le 2300000 ]'
check "flood: the log says why the rest is not saved" 'grep -q "more than 200 packets a second" "$tmp/err"'
check "flood: no temporary file left" '[ -z "$(find "$tmp/rec1" -name ".sipcid-rtp-*")" ]'

# 2. max-call-mb = 1: the call is cut at 1 MB.
replay "$tmp/flood.pcap" "$tmp/rec2" "max-call-mb = 1"
s2=$(size_of "$tmp/rec2")
echo "# max-call-mb = 1: recording of $s2 bytes"
check "max-call-mb: the recording is at most 1 MiB" '[ "$s2" -gt 0 ] && [ "$s2" -le 1048600 ]'
check "max-call-mb: the log says so" 'grep -q "cut at \[record\] max-call-mb" "$tmp/err"'

# 3. max-total-mb = 1 and the directory already holds 1 MB: nothing more is saved.
mkdir -p "$tmp/rec3"; head -c 1048576 /dev/zero >"$tmp/rec3/older.wav"
replay "$tmp/flood.pcap" "$tmp/rec3" "max-total-mb = 1"
check "max-total-mb: no new recording" '[ "$(size_of "$tmp/rec3")" = 0 ]'
check "max-total-mb: the older file is untouched" '[ "$(stat -c %s "$tmp/rec3/older.wav")" = 1048576 ]'
check "max-total-mb: the log says so" 'grep -q "holds \[record\] max-total-mb" "$tmp/err"'
check "max-total-mb: the call is still logged" 'grep -q "rtp-flood@" "$tmp/out"'

# 4. A file system with less than 5% free: recording stops, and says so.
mnt=$tmp/disk; mkdir -p "$mnt"
if mount -t tmpfs -o size=4m tmpfs "$mnt"; then
  head -c $((4 * 1024 * 1024 - 128 * 1024)) /dev/zero >"$mnt/filler" 2>/dev/null
  replay "$tmp/flood.pcap" "$mnt/rec"
  check "low disk: sipcidd succeeds" '[ $? = 0 ]'
  check "low disk: no recording" '[ ! -d "$mnt/rec" ] || [ -z "$(ls -A "$mnt/rec")" ]'
  check "low disk: the log says recording stopped" 'grep -q "recording stopped: only [0-9]*% of the disk holding .* is free (below 5%)" "$tmp/err"'
  sed 's/^/# /' "$tmp/err" | head -5
  umount "$mnt"; mnt=
else
  fail "cannot mount a tmpfs (the test needs root)"
fi
tap_end
