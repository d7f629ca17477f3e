#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/web_bench.sh [BUILD_DIR]: sipcid-web's call log at 100 000 calls.
#
# A call log of N calls (100 000; web_bench_gen: sipcidd's own writer, a
# household's two years: a few thousand numbers, most calling again, names
# from caller ID or the phonebook, both directions, every state), then a
# sipcid-web of its own on loopback answers, RUNS times each:
#   search  GET /api/calls?q=...: parts of numbers (3 to 7 digits, with and
#           without punctuation) and parts of names, common and rare;
#   page    GET /api/calls (the first page) and ?before=ID deep in the log
#           (90% of the way down).
# The time is the server's own, its Server-Timing header (the handler: the
# query, the rows, the JSON). Baselines, measured in the same run:
#   sqlite3 the same SQL statements (web_bench_query --sql prints them) run
#           by the sqlite3 shell on the same file, its .timer;
#   static  a static file fetched from the same sipcid-web (curl's total
#           time, compared with the API's curl total time).
# Prints p50/p95 per kind and the ratios, then sipcid-web's VmRSS and VmHWM.
# Targets (issue 17): search p95 <= 50 ms, page p95 <= 20 ms, RSS <= 20 MiB.
# DB=FILE measures a copy of a log made before instead of writing one.
# SMOKE=1 (CI): 3 000 calls, 3 runs; it fails only when an answer is wrong
# (not 200, or a page that is not full), never on a time.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
BUILD=${1:-$SRC/build}
WEB=$BUILD/web/sipcid-web
GEN=$BUILD/bench/web_bench_gen
QUERY=$BUILD/bench/web_bench_query
for f in "$WEB" "$GEN" "$QUERY"; do [ -x "$f" ] || { echo "build first: $f is missing" >&2; exit 2; }; done
for t in sqlite3 curl jq; do command -v $t >/dev/null || { echo "needs $t" >&2; exit 2; }; done
N=${N:-100000}
RUNS=${RUNS:-20}
if [ "${SMOKE:-0}" = 1 ]; then N=3000; RUNS=3; fi
# In memory when it can be: the writer commits with synchronous=FULL, and
# 100 000 calls' fsyncs on a busy disk take minutes; the reads measured
# below come from the page cache either way.
tmp=$(mktemp -d -p "$([ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")")
web_pid=
cleanup() { [ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null && wait "$web_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
failed=0

t0=$(date +%s.%N)
if [ -n "${DB:-}" ]; then  # DB=FILE: measure a log made before (a copy of it)
	sqlite3 "$DB" ".backup '$tmp/calls.db'" || exit 1
	N=$(sqlite3 "$tmp/calls.db" 'SELECT count(*) FROM calls')
else
	"$GEN" "$tmp/calls.db" "$N" || exit 1
fi
printf 'call log: %d calls, %s MiB, written in %.1f s\n' "$(sqlite3 "$tmp/calls.db" 'SELECT count(*) FROM calls')" \
	"$(( $(stat -c %s "$tmp/calls.db") / 1048576 ))" "$(echo "$(date +%s.%N) - $t0" | bc)"

# What to search: parts of numbers and names that are in the log, chosen
# by the log itself (the busiest caller, a rare one), and fixed ones.
common=$(sqlite3 "$tmp/calls.db" "SELECT number FROM calls WHERE direction='incoming' AND number<>'' GROUP BY number ORDER BY count(*) DESC LIMIT 1")
rare=$(sqlite3 "$tmp/calls.db" "SELECT number FROM calls WHERE direction='incoming' AND number<>'' GROUP BY number ORDER BY count(*), number LIMIT 1")
rare_display=$(sqlite3 "$tmp/calls.db" "SELECT number_display FROM calls WHERE number='$rare' LIMIT 1")
searches=("${common:5:4}" "${common:2:7}" "${rare:6:6}" "${rare_display:0:9}" "${rare:2:3}-${rare:5:2}"
	"smi" "Garc" "son" "Renée" "spam risk" "Zoë" "qqqq")
deep=$(sqlite3 "$tmp/calls.db" "SELECT id FROM calls ORDER BY time_us DESC, id DESC LIMIT 1 OFFSET $((N * 9 / 10))")
pages=("" "before=$deep" "direction=outgoing&before=$deep" "state=blocked")

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
mkdir "$tmp/static"
head -c 4096 /dev/urandom | base64 > "$tmp/static/app.js"
cat > "$tmp/sipcid.conf" <<CONF
[web]
listen = 127.0.0.1:$port
tls = no
password-file = $tmp/pw
static-dir = $tmp/static
[log]
database = $tmp/calls.db
[record]
directory = $tmp/recordings
CONF
echo 'bench password' | "$WEB" -c "$tmp/sipcid.conf" --set-password >/dev/null || exit 1
"$WEB" -c "$tmp/sipcid.conf" > "$tmp/web.log" 2>&1 &
web_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "$base/login" && break; sleep 0.1; done
curl -s -o /dev/null -c "$tmp/jar" --data-urlencode 'password=bench password' "$base/login"
login_hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$web_pid/status)
# The login's Argon2id check (m = 32 MiB) is the peak so far; from here on
# the peak is the API's own.
echo 5 > /proc/$web_pid/clear_refs 2>/dev/null

# fetch PATH: one request; appends "server_ms total_ms" to $tmp/$KIND.
fetch() {
	local out code timing total
	out=$(curl -s -b "$tmp/jar" -D "$tmp/h" -o "$tmp/body" -w '%{http_code} %{time_total}' "$base$1")
	code=${out% *}
	total=${out#* }
	if [ "$code" != 200 ]; then
		echo "FAILED: $1 answered $code: $(head -c 300 "$tmp/body")"
		failed=1
		return
	fi
	timing=$(tr -d '\r' < "$tmp/h" | sed -n 's/^[Ss]erver-[Tt]iming: app;dur=//p')
	echo "${timing:-nan} $(echo "$total * 1000" | bc -l)" >> "$tmp/t_$KIND"
}
urlencode() { jq -rn --arg s "$1" '$s | @uri'; }

# sqlite3_times QUERY...: the shell's time for each query's statements, RUNS times.
sqlite3_times() {
	local q
	: > "$tmp/sql"
	for ((r = 0; r < RUNS; r++)); do
		for q in "$@"; do
			echo "SELECT 'q';" >> "$tmp/sql"
			"$QUERY" "$tmp/calls.db" 1 "$q" --sql |
				grep -E "^SELECT (id, call_id|count\(\*\) FROM \(SELECT rowid FROM calls_search)" >> "$tmp/sql"
		done
	done
	# Each query's statements' times summed ('q' marks where one starts).
	{ echo '.timer on'; echo '.headers off'; cat "$tmp/sql"; } |
		sqlite3 -readonly "$tmp/calls.db" 2>&1 |
		awk '$0 == "q" { if (n) print t; n = 1; t = 0; next }
		     /^Run Time: real/ { if ($4 != "0.000" || 1) t += $4 * 1000 }
		     END { if (n) print t }' | awk '{ print $1, $1 }' >> "$tmp/t_$KIND"
}

# pct FILE COLUMN P: the P-th percentile of a column.
pct() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk -v p="$3" '{ v[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; print v[i] }'; }

# Warm up: the first request opens the call log, the rest find it open.
curl -s -o /dev/null -b "$tmp/jar" "$base/api/calls"
q_search=(); for s in "${searches[@]}"; do q_search+=("q=$(urlencode "$s")"); done
for ((r = 0; r < RUNS; r++)); do
	KIND=search; for q in "${q_search[@]}"; do fetch "/api/calls?$q"; done
	KIND=page; for q in "${pages[@]}"; do fetch "/api/calls?$q"; done
	KIND=static; fetch /app.js
done
KIND=search_sql sqlite3_times "${q_search[@]}"
KIND=page_sql sqlite3_times "${pages[@]}"

# Every page answered in full (the deep one too): an empty answer is fast
# and wrong.
for q in "" "before=$deep"; do
	got=$(curl -s -b "$tmp/jar" "$base/api/calls?$q" | jq '.calls | length')
	[ "$got" = 50 ] || { echo "FAILED: /api/calls?$q gave $got calls, not 50"; failed=1; }
done
for s in "${searches[@]:0:5}"; do
	got=$(curl -s -b "$tmp/jar" "$base/api/calls?q=$(urlencode "$s")" | jq '.calls | length')
	[ "$got" -gt 0 ] || { echo "FAILED: the search '$s' found nothing"; failed=1; }
done

printf '\n%-8s %6s %9s %9s %10s %10s   %s\n' kind n p50_ms p95_ms sqlite3_p95 ratio "target"
for k in search page; do
	p50=$(pct "$tmp/t_$k" 1 50); p95=$(pct "$tmp/t_$k" 1 95); b95=$(pct "$tmp/t_${k}_sql" 1 95)
	target=$([ $k = search ] && echo 50 || echo 20)
	verdict=$(awk -v a="$p95" -v t="$target" 'BEGIN { print (a <= t) ? "met" : "MISSED" }')
	printf '%-8s %6d %9.2f %9.2f %10.2f %9.1fx   p95 <= %d ms: %s (server time, Server-Timing)\n' \
		$k "$(wc -l < "$tmp/t_$k")" "$p50" "$p95" "$b95" "$(awk -v a="$p95" -v b="$b95" 'BEGIN { print (b > 0) ? a / b : 0 }')" \
		"$target" "$verdict"
done
s95=$(pct "$tmp/t_static" 2 95)
for k in search page; do
	t95=$(pct "$tmp/t_$k" 2 95)
	printf '%-8s curl total p95 %7.2f ms against a static file %6.2f ms: %5.1fx\n' $k "$t95" "$s95" \
		"$(awk -v a="$t95" -v b="$s95" 'BEGIN { print (b > 0) ? a / b : 0 }')"
done
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$web_pid/status)
hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$web_pid/status)
printf 'sipcid-web memory after the run: VmRSS %.1f MiB, VmHWM %.1f MiB since the login (target <= 20 MiB: %s); VmHWM %.1f MiB during the login (Argon2id)\n' \
	"$(echo "$rss / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)" "$([ "$hwm" -le 20480 ] && [ "$rss" -le 20480 ] && echo met || echo MISSED)" \
	"$(echo "$login_hwm / 1024" | bc -l)"
echo "load while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
exit $failed
