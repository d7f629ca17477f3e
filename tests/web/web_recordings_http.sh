#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The call log and recordings API of a real sipcid-web over HTTP, on data
# the real sipcidd wrote: `sipcidd --read` over the bundled captures fills
# the call log, and records the one call with RTP (a G.711 call) as a WAV.
#   /api/calls: the calls as sipcidd --json printed them, plus id and
#     recording; a search; hostile parameters 400 in words; Server-Timing.
#   /api/recordings: the WAV with its length and its call; the budget.
#   /api/recordings/NAME: 200 with Accept-Ranges, 206 for a range (the bytes
#     of the file), 416 past the end, attachment with ?download=1; a name
#     out of the directory (.., %2F, a link, a hidden file) 404.
#   POST /api/recordings/delete: needs the CSRF token, refuses traversal,
#     deletes, and is logged.
# usage: web_recordings_http.sh SIPCID_WEB SIPCIDD CAPTURES_DIR
set -u
SIPCID_WEB=$1; SIPCIDD=$2; CAPS=$3
WEB_TMP=$(mktemp -d)
. "$(dirname "$0")/web_lib.sh"
trap web_cleanup EXIT
export TZ=UTC
port=$(web_free_port)
base=http://127.0.0.1:$port
pass='correct horse battery'
rec=$WEB_TMP/recordings
cat >"$WEB_TMP/sipcid.conf" <<CONF
[web]
listen = 127.0.0.1:$port
tls = no
password-file = $WEB_TMP/web-password
static-dir = $WEB_TMP
[log]
database = $WEB_TMP/calls.db
[record]
directory = $rec
max-total-mb = 5
[rules]
record-default = true
CONF
for cap in heplify_rtp_rtcp_sip_ipv4_udp.pcap sngrep_aaa.pcap heplify_sip_ipv4_tcp.pcap; do
	"$SIPCIDD" --no-notify --read "$CAPS/$cap" -c "$WEB_TMP/sipcid.conf" --json >>"$WEB_TMP/events.json" ||
		{ echo "Bail out! sipcidd --read $cap failed"; exit 1; }
done
# The G.711 call's recording; the TCP call (no RTP in its capture) has one too.
wav=2005-01-14_175802_unknown.wav
[ -f "$rec/$wav" ] || { echo "Bail out! sipcidd did not record $wav: $(ls "$rec")"; exit 1; }
all_wavs=$(cd "$rec" && ls -- *.wav | paste -sd,)
echo "$pass" | "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" --set-password >/dev/null
web_start "$WEB_TMP/sipcid.conf" "$base/login" || exit 1
curl -s -o /dev/null -c "$WEB_TMP/jar" --data-urlencode "password=$pass" "$base/login"
csrf=$(curl -s -b "$WEB_TMP/jar" "$base/api/session" | jq -r .csrf)
get() { curl -s -b "$WEB_TMP/jar" "$@"; }

# The call log.
get -D "$WEB_TMP/h" "$base/api/calls" >"$WEB_TMP/calls.json"
final='map(select(has("call_id"))) | group_by(.call_id) | map(last | del(.event) | .box = null | .line = null) | sort_by(.time, .call_id) | reverse'
check "every call, newest first, as sipcidd --json last printed it" \
	'[ "$(jq -c "[.calls[] | del(.event, .id, .recording)]" "$WEB_TMP/calls.json")" = "$(jq -sc "$final" "$WEB_TMP/events.json")" ]'
check "each with its row id, and the recorded ones with their recording's name" \
	'[ "$(jq -r "[.calls[] | select(.recording != null) | .recording] | sort | join(\",\")" "$WEB_TMP/calls.json")" = "$all_wavs" ] && jq -e "all(.calls[]; (.id | type) == \"number\") and .next == null" "$WEB_TMP/calls.json" >/dev/null'
check "Server-Timing says how long the server took" 'grep -qiE "^server-timing: app;dur=[0-9]+\.[0-9]{3}" "$WEB_TMP/h"'
check "a search by part of the number (35104: the two calls from 35104723)" \
	'[ "$(get "$base/api/calls?q=35104" | jq -r "[.calls[].number] | unique | join(\",\")")" = 35104723 ] && [ "$(get "$base/api/calls?q=35104" | jq ".calls | length")" = 2 ]'
check "a page of 2, then the rest after its next" \
	'n1=$(get "$base/api/calls?limit=2" | jq -r .next) && [ "$(get "$base/api/calls?limit=2" | jq -c "[.calls[].id]")" = "$(jq -c "[.calls[:2][].id]" "$WEB_TMP/calls.json")" ] && [ "$(get "$base/api/calls?before=$n1" | jq -c "[.calls[].id]")" = "$(jq -c "[.calls[2:][].id]" "$WEB_TMP/calls.json")" ]'
bad=
for q in 'limit=0' 'limit=abc' 'before=-1' 'direction=up' 'state=x' 'since=tomorrow' 'q=%FF' 'x=1' \
	"q=$(printf 'a%.0s' $(seq 101))"; do
	out=$(get -w '\n%{http_code}' "$base/api/calls?$q")
	[ "${out##*$'\n'}" = 400 ] && [ -n "$(jq -r '.error // empty' <<<"${out%$'\n'*}")" ] || bad="$bad $q"
done
check "hostile parameters are 400 with words" '[ -z "$bad" ]' || echo "# not refused:$bad"

# The list.
get "$base/api/recordings" >"$WEB_TMP/list.json"
check "the list has the WAV, its size, its length from the header, its call" \
	'jq -e --arg w "$wav" --argjson b "$(stat -c %s "$rec/$wav")" --argjson s "$(soxi -D "$rec/$wav")" \
	 ".recordings | map(select(.name == \$w)) | length == 1 and .[0].bytes == \$b and ((.[0].seconds - \$s) | fabs) < 0.001 and .[0].call.recording == \$w and .[0].call.record == true and .[0].call.call_id == \"12013223@200.57.7.195\"" "$WEB_TMP/list.json" >/dev/null'
check "the disk used and the budget ([record] max-total-mb = 5)" \
	'jq -e --argjson b "$(cat "$rec"/*.wav | wc -c)" ".used_bytes == \$b and .budget_bytes == 5242880" "$WEB_TMP/list.json" >/dev/null'

# Playing it.
size=$(stat -c %s "$rec/$wav")
get -D "$WEB_TMP/h" -o "$WEB_TMP/whole.wav" "$base/api/recordings/$wav"
check "the whole file: 200, audio/wav, Accept-Ranges, inline" \
	'cmp -s "$WEB_TMP/whole.wav" "$rec/$wav" && grep -q "^HTTP/1.1 200" "$WEB_TMP/h" && grep -qi "^content-type: audio/wav" "$WEB_TMP/h" && grep -qi "^accept-ranges: bytes" "$WEB_TMP/h" && grep -qi "^content-disposition: inline" "$WEB_TMP/h"'
get -D "$WEB_TMP/h" -o "$WEB_TMP/part" -H "Range: bytes=100-1099" "$base/api/recordings/$wav"
check "a range: 206, Content-Range, exactly those bytes" \
	'grep -q "^HTTP/1.1 206" "$WEB_TMP/h" && grep -qi "^content-range: bytes 100-1099/$size" "$WEB_TMP/h" && cmp -s "$WEB_TMP/part" <(tail -c +101 "$rec/$wav" | head -c 1000)'
get -D "$WEB_TMP/h" -o "$WEB_TMP/part" -H "Range: bytes=-44" "$base/api/recordings/$wav"
check "the last 44 bytes (a suffix range)" \
	'grep -q "^HTTP/1.1 206" "$WEB_TMP/h" && cmp -s "$WEB_TMP/part" <(tail -c 44 "$rec/$wav")'
check "a range past the end: 416" \
	'[ "$(web_status GET "$base/api/recordings/$wav" -b "$WEB_TMP/jar" -H "Range: bytes=$((size + 10))-")" = 416 ]'
check "?download=1: an attachment named for the file" \
	'get -D - -o /dev/null "$base/api/recordings/$wav?download=1" | tr -d "\r" | grep -qix "content-disposition: attachment; filename=\"$wav\""'
echo OUTSIDE >"$WEB_TMP/outside.wav"
ln -s "$WEB_TMP/outside.wav" "$rec/link.wav"
cp "$rec/$wav" "$rec/.hidden.wav"
bad=
for p in ../outside.wav ..%2Foutside.wav %2e%2e%2foutside.wav link.wav .hidden.wav "$wav%00" sub/x.wav \
	"%2Fetc%2Fpasswd" nothere.wav "" ; do
	code=$(curl -s --path-as-is -b "$WEB_TMP/jar" -o "$WEB_TMP/got" -w '%{http_code}' "$base/api/recordings/$p")
	{ [ "$code" = 404 ] || [ "$code" = 400 ] || { [ -z "$p" ] && [ "$code" != 200 ]; }; } && ! grep -q OUTSIDE "$WEB_TMP/got" || bad="$bad $p=$code"
done
check "names out of the directory, links, hidden files: not found" '[ -z "$bad" ]' || echo "# served:$bad"

# Deleting.
post() { curl -s -b "$WEB_TMP/jar" -o "$WEB_TMP/post" -w '%{http_code}' "$@"; }
check "delete without the CSRF token: 403, the file stays" \
	'[ "$(post --data-urlencode "name=$wav" "$base/api/recordings/delete")" = 403 ] && [ -f "$rec/$wav" ]'
bad=
for name in ../outside.wav link.wav .hidden.wav /etc/passwd "" "$wav/"; do
	code=$(post -H "X-CSRF-Token: $csrf" --data-urlencode "name=$name" "$base/api/recordings/delete")
	case $code in 400|404) ;; *) bad="$bad [$name]=$code" ;; esac
done
check "delete refuses names out of the directory and links; nothing removed" \
	'[ -z "$bad" ] && [ -f "$WEB_TMP/outside.wav" ] && [ -L "$rec/link.wav" ] && [ -f "$rec/.hidden.wav" ]' || echo "# $bad"
check "delete: 200, the file is gone, and the list says so" \
	'[ "$(post -H "X-CSRF-Token: $csrf" --data-urlencode "name=$wav" "$base/api/recordings/delete")" = 200 ] && [ ! -e "$rec/$wav" ] && [ "$(get "$base/api/recordings" | jq --arg w "$wav" "[.recordings[] | select(.name == \$w)] | length")" = 0 ]'
check "the delete is logged with who asked" 'grep -q "127.0.0.1 deleted the recording $wav" "$WEB_TMP/log"'
check "the call no longer names a recording that is gone" \
	'[ "$(get "$base/api/calls" | jq "[.calls[] | select(.recording != null)] | length")" = 1 ] && [ "$(get "$base/api/calls" | jq -c "[.calls[] | select(.call_id == \"12013223@200.57.7.195\") | .recording]")" = "[null]" ]'
check "playing it now is 404" '[ "$(web_status GET "$base/api/recordings/$wav" -b "$WEB_TMP/jar")" = 404 ]'
web_done
