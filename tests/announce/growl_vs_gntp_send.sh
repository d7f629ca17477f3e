#!/bin/bash
# Legacy Growl UDP packets from sipcid must match, byte for byte, what an
# independent sender (gntp-send -u, Debian package gntp-send) produces for the
# same app, notification, title and text: registration and notification,
# without and with a password (MD5, the only digest gntp-send knows). The
# SHA-256 and no-auth variants are checked against the layout in
# ../shared/notes/growl.md, rebuilt here with xxd and sha256sum.
# gntp-send always sends to 127.0.0.1:9887, so all of it happens inside a
# network namespace of our own.
set -u
ENCODE=$1
CAPTURE=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in gntp-send ip xxd sha256sum; do
	command -v $tool >/dev/null || fail "$tool is missing (see tests/deps-debian.txt)"
done
. "$(dirname "$0")/netns.sh" growl

# capture_gntp_send OUT ARGS...: the two datagrams (registration, notification).
capture_gntp_send() {
	local out=$1; shift
	rm -f "$WORK/ready"
	ip netns exec "$NS" "$CAPTURE" 127.0.0.1 9887 2 10 "$WORK/ready" > "$out" &
	CAP_PID=$!
	for _ in $(seq 100); do [ -e "$WORK/ready" ] && break; sleep 0.05; done
	[ -e "$WORK/ready" ] || fail "the capture did not start"
	ip netns exec "$NS" gntp-send -u "$@" >/dev/null || fail "gntp-send $* failed"
	wait "$CAP_PID" || fail "did not capture two datagrams from gntp-send $*"
	CAP_PID=
}

checks=0
compare() { # what expected actual
	[ "$2" = "$3" ] || fail "$1 differs
  gntp-send: $2
  sipcid:    $3"
	checks=$((checks + 1))
}

TITLE='Call from Zoë Ångström'
TEXT='+33 1 23 45 67 89
To: 0612345678'
for pw in "" "s3cret pässword"; do
	args=(-a sipcid -n "Incoming Call")
	[ -n "$pw" ] && args+=(-p "$pw")
	capture_gntp_send "$WORK/ref" "${args[@]}" "$TITLE" "$TEXT"
	ref_reg=$(sed -n 1p "$WORK/ref"); ref_note=$(sed -n 2p "$WORK/ref")
	ours_reg=$("$ENCODE" register md5 "$pw" sipcid "Incoming Call") || fail "encode register"
	ours_note=$("$ENCODE" notify md5 "$pw" sipcid "Incoming Call" "$TITLE" "$TEXT") || fail "encode notify"
	compare "registration (password '${pw}')" "$ref_reg" "$ours_reg"
	compare "notification (password '${pw}')" "$ref_note" "$ours_note"
	# The same check must notice a difference: a wrong password changes the digest.
	wrong=$("$ENCODE" notify md5 "x$pw" sipcid "Incoming Call" "$TITLE" "$TEXT")
	[ "$wrong" != "$ref_note" ] || fail "a wrong password gave the same packet"
done

# SHA-256 and no-auth: layout from the note, digest from sha256sum.
hex16() { printf '%04x' "$1"; }
strhex() { printf '%s' "$1" | xxd -p | tr -d '\n'; }
blen() { printf '%s' "$1" | wc -c; }
name="Blocked Call"; pw="key"
body="01030000"$(hex16 $(blen "$name"))$(hex16 $(blen "$TITLE"))$(hex16 $(blen "$TEXT"))$(hex16 6)
body=$body$(strhex "$name")$(strhex "$TITLE")$(strhex "$TEXT")$(strhex sipcid)
digest=$( { printf '%s' "$body" | xxd -r -p; printf '%s' "$pw"; } | sha256sum | cut -c1-64)
compare "SHA-256 notification" "$body$digest" "$("$ENCODE" notify sha256 "$pw" sipcid "$name" "$TITLE" "$TEXT")"
noauth="0105${body:4}"
compare "no-auth notification" "$noauth" "$("$ENCODE" notify none "" sipcid "$name" "$TITLE" "$TEXT")"
# Flags: priority 2, sticky -> F = (2 << 1) | 1 = 5; big-endian [00 05], little-endian [05 00].
big=$("$ENCODE" notify none "" sipcid "$name" "$TITLE" "$TEXT" 2 1 big)
little=$("$ENCODE" notify none "" sipcid "$name" "$TITLE" "$TEXT" 2 1 little)
compare "big-endian flags" "01050005" "${big:0:8}"
compare "little-endian flags" "01050500" "${little:0:8}"
# priority -2 -> (-2 & 7) << 1 = 12 = 0x0c
low=$("$ENCODE" notify none "" sipcid "$name" "$TITLE" "$TEXT" -2 0 big)
compare "priority -2 flags" "0105000c" "${low:0:8}"
# Registration with three types, SHA-256.
names=("Incoming Call" "Blocked Call" "Call Update")
reg="0102"$(hex16 6)"0303"$(strhex sipcid)
for n in "${names[@]}"; do reg=$reg$(hex16 $(blen "$n"))$(strhex "$n"); done
reg=${reg}000102
digest=$( { printf '%s' "$reg" | xxd -r -p; printf '%s' "$pw"; } | sha256sum | cut -c1-64)
compare "SHA-256 registration" "$reg$digest" "$("$ENCODE" register sha256 "$pw" sipcid "${names[@]}")"
echo "ok: $checks comparisons"
