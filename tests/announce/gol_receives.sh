#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real Growl receiver, growl-for-linux (gol), shows the calls that
# `sipcidd --read` replays from bundled captures, over legacy Growl UDP and
# over GNTP.
#
# What gol exposes: every GNTP notification it accepts is written to the
# `notification` table of $XDG_CONFIG_HOME/gol/config.db; UDP notifications are
# only displayed. So gol is set to display through its libnotify plugin, and a
# small fake notification daemon on a private D-Bus session bus prints what
# it was asked to show. gol checks legacy UDP digests against its password,
# so a packet with the wrong password must NOT show up: that proves the
# check is real and the observation is not trivially true.
#
# Runs inside its own network namespace (gol binds the fixed ports 9887 and
# 23053), under Xvfb and dbus-run-session.
set -u
SIPCIDD=$1
NOTIFYD=$2
CAPS=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in gol Xvfb dbus-run-session sqlite3 ip ss; do
	command -v $tool >/dev/null || fail "$tool is missing (see tests/deps-debian.txt)"
done
[ "$(id -u)" = 0 ] || fail "needs root to create a network namespace"

NS="sipcid-gol-$$-$RANDOM"
WORK=$(mktemp -d)
export WORK NS SIPCIDD NOTIFYD CAPS
cleanup() {
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS" || fail "cannot create namespace $NS"
ip netns exec "$NS" ip link set lo up

# gol's settings: display through libnotify, and a password for UDP digests.
mkdir -p "$WORK/config/gol" "$WORK/home"
sqlite3 "$WORK/config/gol/config.db" \
	"create table config(key text not null primary key, value text not null);
	 insert into config values('default_display', 'libnotify');
	 insert into config values('password', 'gol-pass');" || fail "cannot seed gol's settings"

# Everything from here runs in the namespace, on a private session bus.
ip netns exec "$NS" dbus-run-session -- bash -c '
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
# Our own processes only, by pid, however this shell ends.
trap "kill \${GOL_PID:-} \${NOTIFYD_PID:-} \${XVFB_PID:-} 2>/dev/null" EXIT
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config
Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3> "$WORK/display" 2> "$WORK/xvfb.log" &
XVFB_PID=$!
for _ in $(seq 200); do [ -s "$WORK/display" ] && break; sleep 0.05; done
[ -s "$WORK/display" ] || fail "Xvfb did not start: $(cat "$WORK/xvfb.log")"
export DISPLAY=:$(cat "$WORK/display")

"$NOTIFYD" > "$WORK/notifyd.out" 2> "$WORK/notifyd.err" &
NOTIFYD_PID=$!
for _ in $(seq 200); do grep -q READY "$WORK/notifyd.out" && break; sleep 0.05; done
grep -q READY "$WORK/notifyd.out" || fail "the fake notification daemon did not start"

gol > "$WORK/gol.out" 2>&1 &
GOL_PID=$!
for _ in $(seq 200); do
	ss -lun | grep -q ":9887 " && ss -ltn | grep -q ":23053 " && break
	kill -0 $GOL_PID 2>/dev/null || fail "gol exited: $(cat "$WORK/gol.out")"
	sleep 0.05
done
ss -lun | grep -q ":9887 " || fail "gol does not listen on UDP 9887"
ss -ltn | grep -q ":23053 " || fail "gol does not listen on TCP 23053"

wait_for() { # PATTERN FILE: bounded wait for a line to appear
	for _ in $(seq 300); do grep -qF -- "$1" "$2" && return 0; sleep 0.05; done
	return 1
}
emit() { # CONFIG CAPTURE: sipcidd replays the capture to the configured receivers
	printf "%s\n" "$1" > "$WORK/conf"
	"$SIPCIDD" --read "$CAPS/$2" --config "$WORK/conf" >> "$WORK/emit.out" 2>&1 ||
		fail "sipcidd --read failed: $(cat "$WORK/emit.out")"
}

# Legacy UDP, wrong password first, then the right one.
# (Ivan Alizade calls in the first capture, arik in the second.)
emit "[notify]
udp =
growl = 127.0.0.1:9887
growl-password = not-gols-pass" heplify_rtp_rtcp_sip_ipv4_udp.pcap
emit "[notify]
udp =
growl = 127.0.0.1:9887
growl-password = gol-pass" sngrep_aaa.pcap
# (sngrep_aaa.pcap is the phone calling out: its own words.)
wait_for "Calling 97239287044" "$WORK/notifyd.out" ||
	fail "gol did not show the UDP notification; it showed: $(cat "$WORK/notifyd.out")"
grep -qF "816666" "$WORK/notifyd.out" || fail "the UDP notification lacks the number of the line"
wait_for "No answer: 97239287044" "$WORK/notifyd.out" || fail "gol did not show the call update"
grep -qF "Ivan" "$WORK/notifyd.out" && fail "gol showed a packet with the wrong password"

# SHA-256 digests too. Numbers show as people read them (number_display).
emit "[notify]
udp =
growl = 127.0.0.1:9887
growl-hash = sha256
growl-password = gol-pass" heplify_ipip0.pcap
wait_for "Incoming call: (812) 186-2248" "$WORK/notifyd.out" || fail "gol did not show the SHA-256 notification"

# GNTP: REGISTER then NOTIFY, with a password hash.
emit "[notify]
udp =
growl =
gntp = 127.0.0.1:23053
gntp-password = gol-pass" heplify_rtp_rtcp_sip_ipv4_udp.pcap
wait_for "Incoming call: Ivan Alizade" "$WORK/notifyd.out" || fail "gol did not show the GNTP notification"
stored=$(sqlite3 "$WORK/config/gol/config.db" "select title || \"|\" || text from notification")
echo "$stored" | grep -qF "Incoming call: Ivan Alizade|(551) 454-0002" ||
	fail "gol did not store the GNTP notification: $stored"
registered=$(sqlite3 "$WORK/config/gol/config.db" \
	"select name from application where app_name = \"sipcid\" order by name" | tr "\n" ,)
[ "$registered" = "Blocked Call,Call Update,Incoming Call," ] ||
	fail "gol did not register sipcid with its three types: $registered"
echo "gol showed:"; cat "$WORK/notifyd.out"
' || fail "see above"
echo ok
