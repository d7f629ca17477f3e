#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tcp_reject_bench.sh [BUILD_DIR]: how long a call blocked over TCP takes to
# be turned away, in a namespace lab (root): the provider (labnet.py tcp-rtt)
# and baresip on the phone side share one TCP connection across the bridge,
# sipcidd on its NFQUEUE. Per round, on that connection:
#   blocked   an INVITE a rule blocks: sipcidd changes it so that baresip
#             answers 420, and changes the 420 into 603 Decline;
#   baseline  an INVITE of an allowed caller that itself carries an unknown
#             Require: baresip answers 420 and sipcidd passes it as it is.
# Both cross the same bridge, queue and phone; the difference is sipcidd's
# two rewrites (and the verdicts that carry a changed packet). Times are from
# the provider's send to its receipt of the final response. Prints p50, p99
# and max of each, the ratio blocked/baseline, and the blocked p99 against
# the 32 s a drop leaves the provider waiting (Timer B). ROUNDS (1000)
# rounds; SMOKE=1 runs 20 (CI) and checks only that every blocked call got
# 603 and every baseline call 420.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export SIPCID_SRC=${SIPCID_SRC:-$(dirname "$HERE")}
export SIPCID_BUILD=${1:-${SIPCID_BUILD:-$SIPCID_SRC/build}}
export SIPCIDD=${SIPCIDD:-$SIPCID_BUILD/bridge-daemon/sipcidd}
. "$SIPCID_SRC/tests/lab/lab.sh"
[ -x "$SIPCIDD" ] || lab_fail "build first: $SIPCIDD is missing"
ROUNDS=${ROUNDS:-1000}
[ "${SMOKE:-0}" = 1 ] && ROUNDS=20
lab_require baresip
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
printf 'block number +15551230001\n' >"$LAB_TMP/rules"
printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"
lab_baresip_phone 3600

lab_net sip INVITE --transport TCP --call-id blocked@bench --from-user +15551230001 \
	--header 'User-Agent: Provider SBC 7.1' >"$LAB_TMP/blocked"
lab_net sip INVITE --transport TCP --call-id baseline@bench --from-user +15557654321 \
	--header 'Require: x-bench-nobody-has' >"$LAB_TMP/baseline"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" tcp-rtt --count "$ROUNDS" $LAB_PHONE_IP 5060 \
	"$LAB_TMP/blocked" "$LAB_TMP/baseline" >"$LAB_TMP/rtt" || lab_fail "tcp-rtt failed"
read -r _ bn b50 b99 bmax bcodes < <(grep '^blocked ' "$LAB_TMP/rtt")
read -r _ sn s50 s99 smax scodes < <(grep '^baseline ' "$LAB_TMP/rtt")
[ "$bcodes" = "603:$ROUNDS" ] || lab_fail "blocked calls got $bcodes, expected 603:$ROUNDS"
[ "$scodes" = "420:$ROUNDS" ] || lab_fail "baseline calls got $scodes, expected 420:$ROUNDS"
printf '%-9s %6s %9s %9s %9s\n' kind calls p50_us p99_us max_us
printf '%-9s %6s %9s %9s %9s\n' blocked "$bn" "$b50" "$b99" "$bmax" baseline "$sn" "$s50" "$s99" "$smax"
awk -v b50="$b50" -v b99="$b99" -v s50="$s50" -v s99="$s99" 'BEGIN {
	printf "ratio blocked/baseline: p50 %.2f, p99 %.2f\n", b50 / s50, b99 / s99
	printf "blocked p99 against a drop (32 s of Timer B): %.6f of it\n", b99 / 32e6 }'
status=$(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL")
echo "$status" | grep -E '^(changed|tcp-rejects|tcp-rejects-as-sent|blocks-not-enforced):'
