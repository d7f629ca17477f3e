#!/bin/bash
# The ghost-call shield (sipcid-rules(5), "source"): SIP scanners send INVITEs
# straight to the ATA; the phone must never ring for them, while the
# provider's calls ring, even from another of its servers.
#
#   provider ns: SIPp registrar 10.77.0.1, and a second server 10.77.0.3
#   phone ns:    baresip registers with 10.77.0.1 (the ATA)
#   scanner ns:  SIPp at 10.88.0.9, on a third bridge port, calls the ATA
#
# sipcidd runs the shipped example rule file, whose first rule is the shield
# (the one rule the package installs active).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip sipp
lab_setup
SCAN_IP=10.88.0.9
PROV2_IP=10.77.0.3
# The fourth namespace: a scanner on the internet side of the bridge, in a
# network of its own; the phone reaches it on-link.
LAB_NS_SCAN=${LAB_NS_PROV/prov/scan}
ip netns add "$LAB_NS_SCAN" || lab_fail "ip netns add $LAB_NS_SCAN"
LAB_NETNS+=("$LAB_NS_SCAN")
ip -n "$LAB_NS_SCAN" link set lo up
ip link add vscan netns "$LAB_NS_SCAN" type veth peer name p2 netns "$LAB_NS_BRIDGE"
ip -n "$LAB_NS_BRIDGE" link set p2 master br0
ip -n "$LAB_NS_BRIDGE" link set p2 up
ip -n "$LAB_NS_SCAN" addr add $SCAN_IP/24 dev vscan
ip -n "$LAB_NS_SCAN" link set vscan up
ip -n "$LAB_NS_SCAN" route add 10.77.0.0/24 dev vscan
ip -n "$LAB_NS_PHONE" route add 10.88.0.0/24 dev vphone
ip -n "$LAB_NS_PROV" addr add $PROV2_IP/24 dev vprov
lab_wait_for "bridge port p2 to forward" 100 lab_port_forwarding p2
lab_scan() { ip netns exec "$LAB_NS_SCAN" "$@"; }

lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd --rules "$LAB_SRC/rules/examples/rules"
shield_line=$(grep -n '^block source stranger' "$LAB_SRC/rules/examples/rules" | cut -d: -f1)
status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }

lab_start prov "$LAB_TMP/registrar.out" sipp -sf "$LAB_SRC/tests/lab/data/sipp_registrar.xml" \
	-i $LAB_PROV_IP -p 5060 -nostdin -timeout 90s
sleep 0.5
mkdir -p "$LAB_TMP/ata"
cp "$LAB_SRC/tests/lab/data/baresip/callee/config" "$LAB_TMP/ata/config"
printf '"Home" <sip:2001@%s>;regint=600;answermode=auto\n' $LAB_PROV_IP >"$LAB_TMP/ata/accounts"
# Line-buffered, so its log can be read while it runs.
lab_start phone "$LAB_TMP/ata.log" stdbuf -oL -eL baresip -f "$LAB_TMP/ata" -t 60
registered() { status | grep -q "^line-registrations:    1"; }
lab_wait_for "sipcidd to learn the ATA's registration" 100 registered

call() {  # call NS LOCAL_IP LOCAL_PORT FROM TIMEOUT: one SIPp call to the ATA
	ip netns exec "$1" sipp -sf "$LAB_SRC/tests/lab/data/sipp_uac_callerid.xml" -set fromhdr "$4" \
		-set extra1 'X-Test: none' -set extra2 'X-Test: none' -s 2001 -m 1 -i "$2" -p "$3" \
		-timeout "$5" -timeout_error -nostdin $LAB_PHONE_IP:5060 >>"$LAB_TMP/uac-$2.log" 2>&1
}
# The scanner first: SIPp retransmits its INVITE for 8 s, and gives up.
call "$LAB_NS_SCAN" $SCAN_IP 5060 '"100" <sip:100@10.88.0.9>' 8s &
scanner=$!
LAB_PIDS+=("$scanner")
sleep 1
# The provider's calls, from its registrar and from its second server.
call "$LAB_NS_PROV" $LAB_PROV_IP 5062 '"Alice" <sip:+15551234567@10.77.0.1>' 10s ||
	lab_fail "the provider's call from its registrar did not go through: $(tail -5 "$LAB_TMP/uac-$LAB_PROV_IP.log")"
call "$LAB_NS_PROV" $PROV2_IP 5060 '"Bob" <sip:+15552223333@10.77.0.3>' 10s ||
	lab_fail "the provider's call from its second address did not go through: $(tail -5 "$LAB_TMP/uac-$PROV2_IP.log")"
wait "$scanner" && lab_fail "the scanner's call was answered"

cat "$LAB_TMP/events.json"
rang() { grep -aq "Call established: $1" "$LAB_TMP/ata.log"; }
lab_wait_for "the phone to ring for the registrar's call" 50 rang "sip:+15551234567@$LAB_PROV_IP"
lab_wait_for "the phone to ring for the provider's second address (else a false block)" 50 \
	rang "sip:+15552223333@$PROV2_IP"
grep -aq "sip:100@10.88.0.9" "$LAB_TMP/ata.log" &&
	lab_fail "the phone saw the scanner's call: $(grep -a 'sip:100@' "$LAB_TMP/ata.log")"
[ "$(lab_events_matching ".event == \"call\" and .number == \"100\" and .action == \"block\" and (.rule | endswith(\"/rules:$shield_line\"))")" = 1 ] ||
	lab_fail "the scanner's call was not announced once as blocked by the shield (rules:$shield_line)"
[ "$(lab_events_matching '.event == "call" and .action == "allow" and (.number == "+15551234567" or .number == "+15552223333")')" = 2 ] ||
	lab_fail "the provider's two calls were not announced as allowed"
status >"$LAB_TMP/status"
stopped=$(awk '/^stranger-blocks:/ { print $2 }' "$LAB_TMP/status")
[ "$stopped" = 1 ] || lab_fail "--status stranger-blocks is '$stopped', expected 1"
dropped=$(awk '/^dropped:/ { print $2 }' "$LAB_TMP/status")
[ "$dropped" -ge 2 ] || lab_fail "sipcidd dropped $dropped packets; the scanner's INVITE was not retransmitted"
echo "PASS: the scanner never rang the phone ($dropped INVITE copies dropped); the provider's calls rang from both its addresses"
