#!/bin/bash
# sipcid-firewall: `up` is idempotent, `down` removes exactly what `up` added
# and restores the bridge-nf-call sysctls, `status` tells up from down.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_setup

rules() {
	for ipt in iptables-save ip6tables-save; do
		lab_bridge $ipt -t filter | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
	done
}
sysctls() {
	lab_bridge cat /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/bridge/bridge-nf-call-ip6tables
}

# A rule of the user's own that must survive.
lab_bridge iptables -w -A FORWARD -p icmp -j ACCEPT
lab_bridge sh -c 'echo 0 >/proc/sys/net/bridge/bridge-nf-call-iptables; echo 0 >/proc/sys/net/bridge/bridge-nf-call-ip6tables'
before=$(rules)
sysctl_before=$(sysctls)

lab_firewall status >/dev/null && lab_fail "status said up before up"
lab_firewall --ports 5060,5061 up || lab_fail "up failed"
once=$(rules)
[ "$(sysctls)" = "$(printf '1\n1')" ] || lab_fail "up did not set the bridge-nf-call sysctls"
lab_firewall --ports 5060,5061 up >/dev/null || lab_fail "second up failed"
twice=$(rules)
[ "$once" = "$twice" ] || lab_fail "up twice differs from up once:
$(diff <(echo "$once") <(echo "$twice"))"

for fam in iptables ip6tables; do
	lab_bridge $fam -w -S SIPCID >"$LAB_TMP/$fam.rules"
	for proto in udp tcp; do
		grep -q -- "-p $proto .*--ports 5060,5061 -j NFQUEUE --queue-num 0 --queue-bypass" "$LAB_TMP/$fam.rules" ||
			lab_fail "$fam: no $proto NFQUEUE rule with --queue-bypass for both directions"
	done
	grep -q -- "-m conntrack" "$LAB_TMP/$fam.rules" || lab_fail "$fam: no conntrack rule (fragments would not be reassembled)"
	# The RTP copy for recording: NFLOG (never holds a packet), before the
	# NFQUEUE rules, never SIP.
	grep -q -- "-p udp .*--sport 1024:65535 --dport 1024:65535 -m multiport ! --ports 5060,5061 .*-j NFLOG .*--nflog-group 7652 --nflog-size 2048 --nflog-threshold 1" \
		"$LAB_TMP/$fam.rules" || lab_fail "$fam: no NFLOG rule for the RTP in group 7652: $(cat "$LAB_TMP/$fam.rules")"
	[ "$(grep -n -e NFLOG -e NFQUEUE "$LAB_TMP/$fam.rules" | head -n 1 | grep -c NFLOG)" = 1 ] ||
		lab_fail "$fam: the NFLOG rule is not before the NFQUEUE rules"
	[ "$(lab_bridge $fam -w -S FORWARD | grep -c 'SIPCID')" = 1 ] || lab_fail "$fam: not exactly one jump to SIPCID"
	lab_bridge $fam -w -S FORWARD | grep -q -- "-i br0 -o br0 -m physdev --physdev-is-bridged -j SIPCID" ||
		lab_fail "$fam: the jump is not restricted to traffic bridged by br0"
done
lab_firewall status >"$LAB_TMP/status"
[ $? -eq 4 ] || lab_fail "status with no sipcidd bound should exit 4"
grep -q "no process is bound" "$LAB_TMP/status" || lab_fail "status does not say the queue is unbound"
grep -A1 "== NFLOG group 7652" "$LAB_TMP/status" | grep -q "no process is bound: recorded calls get no audio" ||
	lab_fail "status does not say that nothing hears the RTP copies"

# Changing the ports replaces the rules instead of adding to them.
lab_firewall --ports 5080 up >/dev/null || lab_fail "up with new ports failed"
lab_bridge iptables -w -S SIPCID | grep -q 5061 && lab_fail "old ports left behind"
[ "$(lab_bridge iptables -w -S SIPCID | grep -c NFQUEUE)" = 2 ] || lab_fail "not one NFQUEUE rule per protocol"

# Other NFLOG group and RTP ports replace the rule; group 0 removes it.
lab_firewall --ports 5080 --nflog-group 99 --rtp-ports 16384:32767 up >/dev/null || lab_fail "up with --nflog-group 99 failed"
[ "$(lab_bridge iptables -w -S SIPCID | grep -c NFLOG)" = 1 ] || lab_fail "not exactly one NFLOG rule"
lab_bridge iptables -w -S SIPCID | grep -q -- "--sport 16384:32767 --dport 16384:32767 .*--nflog-group 99 " ||
	lab_fail "--nflog-group 99 --rtp-ports 16384:32767 not in the rule"
lab_firewall --ports 5080 --nflog-group 0 up >/dev/null || lab_fail "up with --nflog-group 0 failed"
lab_bridge iptables -w -S SIPCID | grep -q NFLOG && lab_fail "--nflog-group 0 left an NFLOG rule"
lab_firewall --nflog-group 65536 up 2>/dev/null && lab_fail "--nflog-group 65536 accepted"
lab_firewall --rtp-ports 2000:1000 up 2>/dev/null && lab_fail "--rtp-ports 2000:1000 accepted"
lab_firewall --rtp-ports '1:x' up 2>/dev/null && lab_fail "a bad --rtp-ports accepted"

lab_firewall down >/dev/null || lab_fail "down failed"
after=$(rules)
[ "$before" = "$after" ] || lab_fail "down did not restore the rules:
$(diff <(echo "$before") <(echo "$after"))"
[ "$(sysctls)" = "$sysctl_before" ] || lab_fail "down did not restore the sysctls"
lab_firewall down >/dev/null || lab_fail "down twice failed"
lab_firewall --queue 70000 up 2>/dev/null && lab_fail "--queue 70000 accepted"
lab_firewall --ports '5060;rm' up 2>/dev/null && lab_fail "a bad --ports accepted"
lab_firewall --bridge nosuchbr up 2>/dev/null && lab_fail "a missing bridge accepted"
echo "PASS: up is idempotent, down restores rules and sysctls"
