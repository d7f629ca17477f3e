#!/bin/bash
# sipcid-firewall: `up` is idempotent, `down` removes exactly what `up` added
# (rules and the nfacct object that counts what goes to the queue) and
# restores the bridge netfilter sysctls (bridge-nf-call-*, and the
# bridge-nf-filter-vlan-tagged / -pppoe-tagged switches that make tagged
# frames meet iptables), `status` tells up from down. Without
# the nfacct tool, `up` still works and says what is lost.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require nfacct
lab_setup

rules() {
	for ipt in iptables-save ip6tables-save; do
		lab_bridge $ipt -t filter | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
	done
}
objects() {  # the nfacct objects of the bridge namespace, names only
	lab_bridge nfacct list | sed -n 's/.* = \(.*\);$/\1/p' | sort
}
SYSCTLS="bridge-nf-call-iptables bridge-nf-call-ip6tables bridge-nf-filter-vlan-tagged bridge-nf-filter-pppoe-tagged"
sysctls() {
	for s in $SYSCTLS; do lab_bridge cat /proc/sys/net/bridge/$s; done
}

# A rule of the user's own that must survive.
lab_bridge iptables -w -A FORWARD -p icmp -j ACCEPT
for s in $SYSCTLS; do lab_bridge sh -c "echo 0 >/proc/sys/net/bridge/$s"; done
# An nfacct object of the user's own that must survive too.
lab_bridge nfacct add mine || lab_fail "nfacct add mine"
before=$(rules)
sysctl_before=$(sysctls)
objects_before=$(objects)

lab_firewall status >/dev/null && lab_fail "status said up before up"
lab_firewall --ports 5060,5061 up || lab_fail "up failed"
once=$(rules)
objects_once=$(objects)
[ "$objects_once" = "$(printf 'mine\nsipcid-queue0')" ] || lab_fail "up made nfacct objects: $objects_once"
[ "$(sysctls)" = "$(printf '1\n1\n1\n1')" ] || lab_fail "up did not set the bridge netfilter sysctls: $(sysctls | tr '\n' ' ')"
lab_firewall --ports 5060,5061 up >/dev/null || lab_fail "second up failed"
twice=$(rules)
[ "$once" = "$twice" ] || lab_fail "up twice differs from up once:
$(diff <(echo "$once") <(echo "$twice"))"
[ "$(objects)" = "$objects_once" ] || lab_fail "up twice changed the nfacct objects: $(objects)"

for fam in iptables ip6tables; do
	lab_bridge $fam -w -S SIPCID >"$LAB_TMP/$fam.rules"
	for proto in udp tcp; do
		grep -Eq -- "-p $proto .*--ports 5060,5061 -m nfacct --nfacct-name +sipcid-queue0 -j NFQUEUE --queue-num 0 --queue-bypass" "$LAB_TMP/$fam.rules" ||
			lab_fail "$fam: no $proto NFQUEUE rule with --queue-bypass for both directions, counted in nfacct sipcid-queue0"
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
grep -A1 "== nfacct object sipcid-queue0" "$LAB_TMP/status" | grep -q "^packets 0, bytes 0 " ||
	lab_fail "status does not show the nfacct object's count: $(cat "$LAB_TMP/status")"
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

# Another queue: its own object, and the old one goes.
lab_firewall --ports 5080 --queue 3 up >/dev/null || lab_fail "up with --queue 3 failed"
[ "$(objects)" = "$(printf 'mine\nsipcid-queue3')" ] || lab_fail "after up --queue 3, nfacct objects: $(objects)"
lab_bridge iptables -w -S SIPCID | grep -Eq -- "--nfacct-name +sipcid-queue3 -j NFQUEUE --queue-num 3 " ||
	lab_fail "the rules for queue 3 do not count in sipcid-queue3"
lab_firewall --queue 3 down >/dev/null || lab_fail "down failed"
[ "$(objects)" = "$objects_before" ] || lab_fail "down left nfacct objects: $(objects)"
lab_firewall --ports 5080 up >/dev/null || lab_fail "up again failed"
lab_firewall down >/dev/null || lab_fail "down failed"
after=$(rules)
[ "$(objects)" = "$objects_before" ] || lab_fail "down left nfacct objects: $(objects)"
[ "$before" = "$after" ] || lab_fail "down did not restore the rules:
$(diff <(echo "$before") <(echo "$after"))"
[ "$(sysctls)" = "$sysctl_before" ] || lab_fail "down did not restore the sysctls"
lab_firewall down >/dev/null || lab_fail "down twice failed"
lab_firewall --queue 70000 up 2>/dev/null && lab_fail "--queue 70000 accepted"
lab_firewall --ports '5060;rm' up 2>/dev/null && lab_fail "a bad --ports accepted"
lab_firewall --bridge nosuchbr up 2>/dev/null && lab_fail "a missing bridge accepted"

# Without the nfacct tool the phone still works: rules without the match,
# one clear warning, and down leaves nothing behind.
SIPCID_NFACCT=/nonexistent/nfacct lab_firewall up >/dev/null 2>"$LAB_TMP/no-tool.err" ||
	lab_fail "up without the nfacct tool failed: $(cat "$LAB_TMP/no-tool.err")"
[ "$(wc -l <"$LAB_TMP/no-tool.err")" = 1 ] && grep -q "warning: no .*nfacct tool.*will not count" "$LAB_TMP/no-tool.err" ||
	lab_fail "up without the nfacct tool said: $(cat "$LAB_TMP/no-tool.err")"
for fam in iptables ip6tables; do
	[ "$(lab_bridge $fam -w -S SIPCID | grep -c -- '-j NFQUEUE --queue-num 0 --queue-bypass')" = 2 ] ||
		lab_fail "$fam: without the nfacct tool, not two NFQUEUE rules"
	lab_bridge $fam -w -S SIPCID | grep -q nfacct && lab_fail "$fam: a rule uses nfacct without the tool"
done
[ "$(objects)" = "$objects_before" ] || lab_fail "up without the tool made nfacct objects: $(objects)"
SIPCID_NFACCT=/nonexistent/nfacct lab_firewall status | grep -A1 "== nfacct object" | grep -q "no /nonexistent/nfacct tool" ||
	lab_fail "status without the tool does not say so"
SIPCID_NFACCT=/nonexistent/nfacct lab_firewall down >/dev/null || lab_fail "down without the tool failed"
[ "$(rules)" = "$before" ] || lab_fail "down without the tool did not restore the rules"
lab_bridge nfacct delete mine
echo "PASS: up is idempotent, down restores rules, nfacct objects and sysctls; up works without the nfacct tool"
