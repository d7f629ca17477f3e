# SPDX-License-Identifier: GPL-2.0-or-later
# webhook_lib.sh: the tests' HTTP receivers (webhook_server.py). Source it
# after setting WH_TMP (a directory of the test's own); WH_RUN may prefix
# the command (e.g. "ip netns exec NS") to start a receiver elsewhere.
WH_SRC=${SIPCID_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WH_PIDS=()

# wh_server NAME ANSWER [--tls CERT KEY]: starts a receiver; its requests go
# to $WH_TMP/NAME.jsonl; sets WH_PORT.
wh_server() {
	local name=$1 answer=$2 i
	shift 2
	rm -f "$WH_TMP/$name.port"
	${WH_RUN:-} python3 "$WH_SRC/tests/webhook/webhook_server.py" --record "$WH_TMP/$name.jsonl" \
		--ready "$WH_TMP/$name.port" --answer "$answer" --lifetime 150 "$@" \
		>"$WH_TMP/$name.out" 2>&1 &
	WH_PIDS+=($!)
	for ((i = 0; i < 100; i++)); do
		[ -s "$WH_TMP/$name.port" ] && break
		sleep 0.1
	done
	WH_PORT=$(cat "$WH_TMP/$name.port" 2>/dev/null) || { echo "receiver $name did not start" >&2; return 1; }
}

# wh_requests NAME [JQ_FILTER]: the recorded requests matching the filter.
wh_requests() {
	jq -c "select(${2:-true})" "$WH_TMP/$1.jsonl"
}
wh_count() { wh_requests "$@" | wc -l; }

wh_stop_servers() {
	local pid
	for pid in "${WH_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	WH_PIDS=()
}

# wh_self_signed DIR: a key and a self-signed certificate for 127.0.0.1.
wh_self_signed() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		-keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
}
