#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's main job: sipcid on a real Linux bridge, with real calls.
#
# Installs what it needs (Debian 12, as root), builds sipcid, and builds a lab
# in network namespaces of its own:
#
#   provider (10.77.0.1) --- bridge box: br0, sipcid-firewall, sipcidd --- phone (10.77.0.2)
#
# Then it places two real calls with baresip through the bridge: a named
# caller, who rings through and is answered, and an anonymous caller, whom
# the rule "block number anonymous" stops before the phone ever rings. It
# prints the calls as sipcidd saw them, and removes everything it made.
#
#   bash tests/demo.sh                        # SIPCID_NO_INSTALL=1 skips apt-get
set -u
cd "$(dirname "$0")/.."
if [ "${SIPCID_NO_INSTALL:-0}" != 1 ]; then
	echo "== installing Debian packages (tests/deps-debian.txt)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && grep -v '^\s*#' tests/deps-debian.txt | grep -v '^\s*$' |
		xargs apt-get install -y -qq --no-install-recommends >/dev/null || exit 1
fi
echo "== building"
[ -d build ] || meson setup build >/dev/null || exit 1
ninja -C build >/dev/null || exit 1

export SIPCID_SRC=$PWD SIPCID_BUILD=$PWD/build SIPCIDD=$PWD/build/bridge-daemon/sipcidd
. tests/lab/lab.sh
lab_require baresip jq
echo "== building the lab: provider --- bridge (br0) --- phone, in network namespaces"
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_firewall status | sed 's/^/   /' | head -12

# The provider's address may assert identities; anonymous callers are blocked.
cat >"$LAB_TMP/rules" <<'EOF'
# Calls without caller ID never ring.
block number anonymous
EOF
cat >"$LAB_TMP/sipcid.conf" <<EOF
[callerid]
trusted-sources = $LAB_PROV_IP/32
[rules]
rules = $LAB_TMP/rules
[notify]
udp = $LAB_PHONE_IP:7651
growl =
EOF
echo "== starting sipcidd on the bridge"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"

for side in caller callee; do
	mkdir -p "$LAB_TMP/$side"
	cp tests/lab/data/baresip/$side/config "$LAB_TMP/$side/config"
done
printf '<sip:bob@%s>;regint=0;answermode=auto\n' $LAB_PHONE_IP >"$LAB_TMP/callee/accounts"
lab_start phone "$LAB_TMP/callee.log" baresip -f "$LAB_TMP/callee" -t 22
callee=$LAB_PID
sleep 1

call() {  # call ACCOUNT: one baresip call from the provider side
	printf '%s;regint=0\n' "$1" >"$LAB_TMP/caller/accounts"
	lab_start prov "$LAB_TMP/caller-$2.log" baresip -f "$LAB_TMP/caller" -t 7 \
		-e "/dial sip:bob@$LAB_PHONE_IP"
	wait "$LAB_PID"
}
echo "== call 1: \"Alice Example\" <sip:+15551234567@$LAB_PROV_IP>"
call "\"Alice Example\" <sip:+15551234567@$LAB_PROV_IP>" named
echo "== call 2: an anonymous caller <sip:anonymous@anonymous.invalid>"
call "\"Anonymous\" <sip:anonymous@anonymous.invalid>" anonymous

echo
echo "== what sipcidd saw (one line per call and per change of state)"
# A missing number is said in sipcid's words for it (lib/call_words.c).
jq -r '[.time, .event,
        (if .number != "" then .number
         elif .presentation == "restricted" then "Withheld number"
         elif .presentation == "unavailable" then "Number unavailable"
         else "Unknown caller" end),
        (.name | if . == "" then "-" else . end), .state,
        (if .action == "block" then "BLOCKED by " + .rule else "allowed" end)] | @tsv' \
	"$LAB_TMP/events.json" | column -t -s $'\t' | sed 's/^/   /'
echo
echo "== what the phone saw"
grep -a -E "Incoming call|terminated|Call established" "$LAB_TMP/callee.log" | sed 's/^/   /'
echo
echo "== sipcidd --status"
lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL" | grep -E "^(packets|accepted|dropped|invites|calls|retransmissions|parse-failures|queue-dropped|user-dropped):" | sed 's/^/   /'

named=$(lab_events_matching '.event == "call" and .name == "Alice Example" and .action == "allow"')
blocked=$(lab_events_matching '.event == "call" and .presentation == "restricted" and .action == "block"')
rang_anon=$(grep -ac "anonymous" "$LAB_TMP/callee.log")
echo
if [ "$named" = 1 ] && [ "$blocked" = 1 ] && [ "$rang_anon" = 0 ]; then
	echo "OK: Alice rang through and was announced; the anonymous call was blocked and never reached the phone."
else
	lab_fail "unexpected result (named=$named blocked=$blocked anonymous-at-phone=$rang_anon)"
fi
lab_stop "$LAB_SIPCIDD_PID" >/dev/null
wait "$callee" 2>/dev/null
