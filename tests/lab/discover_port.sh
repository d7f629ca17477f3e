#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-firewall discover (issue 19): the seed's ATA runs SIP on UDP port
# 10000, and the default firewall (5060) shows sipcidd nothing. discover
# watches a real registration cross the bridge, names 10000/udp, the ATA
# and the provider, and --write puts SIPCID_PORTS=10000 into the defaults
# file; after `up` with it, a call on 10000 is announced. The phone keeps
# working while discover looks, and discover leaves the firewall as it was.
#
#   provider ns: SIPp registrar 10.77.0.1:10000; SIPp caller 10.77.0.1:10002
#   phone ns:    baresip (the ATA) at 10.77.0.2:10000, registers with 10.77.0.1:10000
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip sipp
lab_setup
DEFAULTS=$LAB_TMP/default-sipcid
cat >"$DEFAULTS" <<'CONF'
# /etc/default/sipcid as a user left it
SIPCID_BRIDGE=br0
#SIPCID_PORTS=5060
SIPCID_NFLOG_GROUP=7652
CONF
rules_now() {  # the bridge namespace's rules, without counters
	local ipt
	for ipt in iptables-save ip6tables-save; do
		lab_bridge $ipt | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
	done
}

lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd --no-notify
rules_before=$(rules_now)

lab_start prov "$LAB_TMP/registrar.out" sipp -sf "$LAB_SRC/tests/lab/data/sipp_registrar.xml" \
	-i $LAB_PROV_IP -p 10000 -nostdin -timeout 120s
LAB_ERR=$LAB_TMP/discover.err lab_start bridge "$LAB_TMP/discover.out" \
	env SIPCID_SIPCIDD="$SIPCIDD" SIPCID_DEFAULT_FILE="$DEFAULTS" \
	SIPCID_FIREWALL_STATE_DIR="$LAB_TMP/fw" \
	"$LAB_SRC/packaging/sipcid-firewall" --bridge br0 --seconds 40 --write discover
discover=$LAB_PID
lab_wait_for "discover's NFLOG group to be bound" 100 \
	lab_bridge grep -q '^ *7653 ' /proc/net/netfilter/nfnetlink_log

mkdir -p "$LAB_TMP/ata"
sed "s/^sip_listen.*/sip_listen\t\t$LAB_PHONE_IP:10000/" \
	"$LAB_SRC/tests/lab/data/baresip/callee/config" >"$LAB_TMP/ata/config"
printf '"Home" <sip:2001@%s:10000>;regint=600;answermode=auto\n' $LAB_PROV_IP >"$LAB_TMP/ata/accounts"
lab_start phone "$LAB_TMP/ata.log" stdbuf -oL -eL baresip -f "$LAB_TMP/ata" -t 90
rc=0
wait "$discover" || rc=$?
cat "$LAB_TMP/discover.out" "$LAB_TMP/discover.err"
[ $rc = 0 ] || lab_fail "discover exited $rc"
grep -aq "200 OK" "$LAB_TMP/ata.log" ||
	lab_fail "the ATA's registration did not go through while discover watched"
out=$LAB_TMP/discover.out
grep -q "^The phone adapter (ATA): $LAB_PHONE_IP, sending its SIP from $LAB_PHONE_IP:10000/udp, on bridge port p1\.$" "$out" ||
	lab_fail "discover did not name the ATA $LAB_PHONE_IP:10000/udp on p1"
grep -q "^The provider (registrar): $LAB_PROV_IP, its SIP at $LAB_PROV_IP:10000/udp;" "$out" ||
	lab_fail "discover did not name the registrar $LAB_PROV_IP:10000/udp"
grep -q "^SIP was seen on: port 10000/udp ([0-9]* messages)\.$" "$out" ||
	lab_fail "discover did not name port 10000/udp alone"
grep -q "^SIPCID_PORTS=10000$" "$out" || lab_fail "discover suggested other ports"
grep -q "^Watched the bridge for [0-9.]* s: [0-9]* SIP messages" "$out" || lab_fail "no summary line"

# --write changed that one setting, below its commented example.
expected=$(printf '%s\n' '# /etc/default/sipcid as a user left it' 'SIPCID_BRIDGE=br0' \
	'#SIPCID_PORTS=5060' 'SIPCID_PORTS=10000' 'SIPCID_NFLOG_GROUP=7652')
[ "$(cat "$DEFAULTS")" = "$expected" ] ||
	lab_fail "the defaults file is now: $(cat "$DEFAULTS")"

[ "$(rules_now)" = "$rules_before" ] ||
	lab_fail "discover left the firewall changed: $(diff <(echo "$rules_before") <(rules_now))"

call() {  # call FROM_USER: one SIPp call from the provider to the ATA on port 10000
	lab_prov sipp -sf "$LAB_SRC/tests/lab/data/sipp_uac_callerid.xml" \
		-set fromhdr "\"Alice\" <sip:$1@$LAB_PROV_IP>" -set extra1 'X-Test: none' \
		-set extra2 'X-Test: none' -s 2001 -m 1 -i $LAB_PROV_IP -p 10002 -timeout 10s \
		-timeout_error -nostdin $LAB_PHONE_IP:10000 >>"$LAB_TMP/uac.log" 2>&1 ||
		lab_fail "the call from $1 did not go through: $(tail -5 "$LAB_TMP/uac.log")"
}
# Before: the firewall on the default port 5060 gives sipcidd nothing.
call +15551110000
lab_wait_for "the phone to ring for the first call" 50 grep -aq "sip:+15551110000@" "$LAB_TMP/ata.log"
sleep 1
[ "$(lab_events_matching '.event == "call"')" = 0 ] ||
	lab_fail "a call on port 10000 was announced with the firewall on 5060: $(cat "$LAB_TMP/events.json")"

# After: the ports discover wrote.
ports=$(. "$DEFAULTS"; echo "$SIPCID_PORTS")
lab_firewall --ports "$ports" up >/dev/null || lab_fail "sipcid-firewall --ports $ports up"
call +15552220000
lab_wait_for "the second call to be announced" 50 \
	eval '[ "$(lab_events_matching ".event == \"call\" and .number == \"+15552220000\"")" = 1 ]'
cat "$LAB_TMP/events.json"
echo "PASS: discover named 10000/udp, the ATA and the registrar and wrote SIPCID_PORTS=10000; a call on 10000 is announced after up (not before); the firewall was left as it was"
