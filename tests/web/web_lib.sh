# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the web tests: TAP output, and a sipcid-web of the test's own on
# loopback. Source it with SIPCID_WEB set and WEB_TMP a fresh directory; the
# EXIT trap (web_cleanup) stops the server and removes the directory.
n=0; fails=0
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; return 1; fi; }
web_done() { echo "1..$n"; [ $fails = 0 ]; }

WEB_PID=
web_cleanup() {
	if [ -n "$WEB_PID" ]; then
		kill "$WEB_PID" 2>/dev/null
		wait "$WEB_PID" 2>/dev/null
	fi
	[ "${KEEP:-}" ] || rm -rf "$WEB_TMP"
}

web_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# web_start CONFIG URL [ARGS...]: starts sipcid-web, its log in $WEB_TMP/log,
# and waits (at most 10 s) until URL answers. False if it does not.
web_start() {
	local config=$1 url=$2
	shift 2
	"$SIPCID_WEB" --config "$config" "$@" >"$WEB_TMP/log" 2>&1 &
	WEB_PID=$!
	for _ in $(seq 100); do
		curl -sk -o /dev/null --max-time 1 "$url" && return 0
		kill -0 "$WEB_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# sipcid-web did not answer at $url; its log:"; sed 's/^/#   /' "$WEB_TMP/log"
	return 1
}

web_stop() {
	[ -n "$WEB_PID" ] || return 0
	kill "$WEB_PID" 2>/dev/null
	wait "$WEB_PID" 2>/dev/null
	local rc=$?
	WEB_PID=
	return $rc
}

# web_status METHOD URL [CURL ARGS...]: prints the HTTP status.
web_status() {
	local method=$1 url=$2
	shift 2
	curl -sk -o /dev/null -w '%{http_code}' -X "$method" --max-time 10 "$@" "$url"
}
