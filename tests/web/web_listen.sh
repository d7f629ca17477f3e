#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Where sipcid-web listens by default: in a network namespace of the test's
# own, with a bridge (10.78.0.254, fd78::254) and a "WAN" interface
# (192.0.2.9), it listens on the bridge's addresses only, never the
# wildcard; a bridge without an address stops it with a message naming
# [web] listen. Needs root (namespaces).
# usage: web_listen.sh SIPCID_WEB
set -u
SIPCID_WEB=$1
WEB_TMP=$(mktemp -d)
. "$(dirname "$0")/web_lib.sh"
ns=sipcidweb$$
cleanup() { web_cleanup; ip netns del "$ns" 2>/dev/null; }
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "not ok 1 - web_listen needs root (network namespaces)"; echo 1..1; exit 1; }
in_ns() { ip netns exec "$ns" "$@"; }
ip netns add "$ns" || exit 1
in_ns ip link set lo up
in_ns ip link add brweb type bridge
in_ns ip link add brbare type bridge
in_ns ip link add wan type veth peer name wanpeer
in_ns ip link set wanpeer up
for l in brweb brbare wan; do in_ns ip link set "$l" up; done
in_ns ip addr add 10.78.0.254/24 dev brweb
in_ns ip addr add fd78::254/64 dev brweb nodad
in_ns ip addr add 192.0.2.9/24 dev wan || exit 1

mkdir "$WEB_TMP/static"
echo '<!DOCTYPE html><title>console</title>' >"$WEB_TMP/static/index.html"
conf() {  # conf BRIDGE: a configuration without [web] listen
	cat >"$WEB_TMP/sipcid.conf" <<CONF
[notify]
interface = $1
[web]
tls = no
password-file = $WEB_TMP/web-password
static-dir = $WEB_TMP/static
[log]
database = $WEB_TMP/calls.db
[record]
directory = $WEB_TMP/recordings
CONF
}

conf brweb
# Not through in_ns: a function in the background is a subshell, and $!
# would be that shell, which web_stop's kill would leave sipcid-web behind.
ip netns exec "$ns" "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" >"$WEB_TMP/log" 2>&1 &
WEB_PID=$!
for _ in $(seq 100); do
	in_ns curl -s -o /dev/null --max-time 1 http://10.78.0.254:8443/login && break
	sleep 0.1
done
listening=$(in_ns ss -ltnH | awk '{print $4}' | sort | tr '\n' ' ')
check "it listens on the bridge's addresses, port 8443, and nowhere else" \
	'[ "$listening" = "10.78.0.254:8443 [fd78::254]:8443 " ]' || echo "# listening on: $listening"
check "the bridge's address answers" \
	'[ "$(in_ns curl -s -o /dev/null -w %{http_code} http://10.78.0.254:8443/login)" = 200 ]'
check "the WAN address (which is up) does not" 'in_ns ip -4 addr show wan | grep -q 192.0.2.9 && ! in_ns curl -s -o /dev/null --max-time 2 http://192.0.2.9:8443/login'
check "it says where it serves" 'grep -q "serving http://10.78.0.254:8443/" "$WEB_TMP/log"'
web_stop

conf brbare
in_ns "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" >"$WEB_TMP/log" 2>&1; rc=$?
check "a bridge without an address: it refuses to start, naming [web] listen and the file" \
	'[ $rc = 1 ] && grep -q "brbare has no address" "$WEB_TMP/log" && grep -q "set \[web\] listen in $WEB_TMP/sipcid.conf" "$WEB_TMP/log"'
conf nosuchbridge
in_ns "$SIPCID_WEB" --config "$WEB_TMP/sipcid.conf" >"$WEB_TMP/log" 2>&1; rc=$?
check "so does a bridge that does not exist" '[ $rc = 1 ] && grep -q "nosuchbridge has no address" "$WEB_TMP/log"'
web_done
