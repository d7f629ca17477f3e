#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-firewall discover, the rest of issue 19's part 1:
#  - a line whose SIP runs over TLS (a real TLS handshake toward port 5061)
#    gets the plain statement that its SIP is encrypted and cannot be read;
#  - discover leaves no rule behind and puts the bridge netfilter switches
#    back: when it ends, when it is stopped (SIGTERM), and, killed outright
#    (SIGKILL), at the next discover;
#  - SIP without a registration still names its port, and --write replaces
#    an existing SIPCID_PORTS setting in place.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require python3
lab_setup
GROUP=7653
rules_now() {  # the bridge namespace's rules, without counters
	local ipt
	for ipt in iptables-save ip6tables-save; do
		lab_bridge $ipt | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
	done
}
switches_now() { lab_bridge cat /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/bridge/bridge-nf-call-ip6tables; }
group_bound() { lab_bridge grep -q "^ *$GROUP " /proc/net/netfilter/nfnetlink_log; }
have_discover_chain() { lab_bridge iptables -w -n -L SIPCID-DISCOVER >/dev/null 2>&1; }
discover() {  # discover OUT SECONDS [ARGS...]: starts it in the background; sets LAB_PID
	local out=$1 seconds=$2
	shift 2
	LAB_ERR=$out.err lab_start bridge "$out" env SIPCID_SIPCIDD="$SIPCIDD" \
		SIPCID_DEFAULT_FILE="$LAB_TMP/default-sipcid" \
		"$LAB_SRC/packaging/sipcid-firewall" --bridge br0 --seconds "$seconds" "$@" discover
}
lab_bridge sh -c 'echo 0 >/proc/sys/net/bridge/bridge-nf-call-iptables; echo 0 >/proc/sys/net/bridge/bridge-nf-call-ip6tables' 2>/dev/null
# A rule of the user's own, which discover must leave where it is.
for ipt in iptables ip6tables; do
	lab_bridge $ipt -w -A FORWARD -p tcp --dport 9 -m comment --comment "the user's own" -j ACCEPT
done
rules_before=$(rules_now)
switches_before=$(switches_now)

# 1. TLS toward 5061: python's TLS client sends a real ClientHello to a
# server that never answers it.
lab_start prov "$LAB_TMP/tls-server.out" python3 "$LAB_SRC/tests/lab/labnet.py" recv-tcp \
	--timeout 20 $LAB_PROV_IP 5061 "$LAB_TMP/tls-server.bin"
lab_wait_for "the TLS server" 100 test -e "$LAB_TMP/tls-server.bin.ready"
discover "$LAB_TMP/tls.out" 4
disc=$LAB_PID
lab_wait_for "discover's NFLOG group to be bound" 100 group_bound
[ "$(switches_now)" = "$(printf '1\n1')" ] || lab_fail "discover did not switch bridge netfilter on"
lab_phone python3 -c '
import socket, ssl, sys
c = ssl.create_default_context()
c.check_hostname = False
c.verify_mode = ssl.CERT_NONE
s = socket.create_connection((sys.argv[1], 5061), 3)
s.settimeout(2)
try:
    c.wrap_socket(s, server_hostname="sip.example.net")
except (OSError, ssl.SSLError):
    pass' $LAB_PROV_IP
rc=0
wait "$disc" || rc=$?
cat "$LAB_TMP/tls.out" "$LAB_TMP/tls.out.err"
[ $rc = 3 ] || lab_fail "discover exited $rc, expected 3 (no readable SIP)"
grep -q "^SIP over TLS (encrypted) crossed the bridge: $LAB_PHONE_IP to $LAB_PROV_IP:5061/tcp\.$" "$LAB_TMP/tls.out" ||
	lab_fail "discover did not name the TLS flow to $LAB_PROV_IP:5061"
grep -q "^This line's SIP is encrypted and cannot be read: sipcid cannot show who is calling" "$LAB_TMP/tls.out" ||
	lab_fail "discover did not say that the line's SIP is encrypted"
grep -q "set the ATA's SIP transport to UDP (or TCP)" "$LAB_TMP/tls.out" ||
	lab_fail "discover did not say what to do about it"
grep -q "^SIPCID_PORTS=" "$LAB_TMP/tls.out" && lab_fail "discover suggested ports without SIP"
[ "$(rules_now)" = "$rules_before" ] || lab_fail "discover left rules: $(diff <(echo "$rules_before") <(rules_now))"
[ "$(switches_now)" = "$switches_before" ] || lab_fail "discover left the bridge switches at $(switches_now)"

# 2. Stopped with SIGTERM while it watches.
discover "$LAB_TMP/term.out" 60
disc=$LAB_PID
lab_wait_for "discover's NFLOG group to be bound" 100 group_bound
have_discover_chain || lab_fail "no chain SIPCID-DISCOVER while discover watches"
kill -TERM "$disc"
lab_wait_for "discover to stop on SIGTERM" 50 eval '! kill -0 '"$disc"
[ "$(rules_now)" = "$rules_before" ] || lab_fail "after SIGTERM discover left rules: $(diff <(echo "$rules_before") <(rules_now))"
[ "$(switches_now)" = "$switches_before" ] || lab_fail "after SIGTERM the bridge switches are $(switches_now)"
lab_wait_for "the reader to unbind the group" 50 eval '! group_bound'

# 3. Killed outright: its reader follows it, and the next discover clears
# what it left.
discover "$LAB_TMP/kill.out" 60
disc=$LAB_PID
lab_wait_for "discover's NFLOG group to be bound" 100 group_bound
kill -KILL "$disc"
wait "$disc" 2>/dev/null
have_discover_chain || lab_fail "SIGKILL left no chain: this part tests nothing"
lab_wait_for "the reader to go with the killed script" 50 eval '! group_bound'
discover "$LAB_TMP/again.out" 1
wait "$LAB_PID"
[ "$(rules_now)" = "$rules_before" ] || lab_fail "the next discover did not clear the killed one's rules: $(diff <(echo "$rules_before") <(rules_now))"

# 4. OPTIONS keep-alives on 5070, no REGISTER: the port all the same, and
# --write replaces the setting where it stands.
printf '%s\n' 'SIPCID_BRIDGE=br0' 'export SIPCID_PORTS=5060' '# the end' >"$LAB_TMP/default-sipcid"
lab_net sip OPTIONS --call-id keepalive-5070 --src $LAB_PHONE_IP --dst $LAB_PROV_IP >"$LAB_TMP/options.sip"
discover "$LAB_TMP/options.out" 3 --write
disc=$LAB_PID
lab_wait_for "discover's NFLOG group to be bound" 100 group_bound
lab_phone python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5070 --count 3 --gap-ms 200 \
	$LAB_PROV_IP 5070 "$LAB_TMP/options.sip"
rc=0
wait "$disc" || rc=$?
cat "$LAB_TMP/options.out" "$LAB_TMP/options.out.err"
[ $rc = 0 ] || lab_fail "discover exited $rc after seeing OPTIONS"
grep -q "^No registration was seen" "$LAB_TMP/options.out" || lab_fail "discover did not say it saw no registration"
grep -q "^SIP was seen on: port 5070/udp (3 messages)\.$" "$LAB_TMP/options.out" || lab_fail "discover did not count the OPTIONS on 5070/udp"
[ "$(cat "$LAB_TMP/default-sipcid")" = "$(printf '%s\n' 'SIPCID_BRIDGE=br0' 'SIPCID_PORTS=5070' '# the end')" ] ||
	lab_fail "--write left: $(cat "$LAB_TMP/default-sipcid")"
[ "$(rules_now)" = "$rules_before" ] || lab_fail "discover left rules: $(diff <(echo "$rules_before") <(rules_now))"
echo "PASS: SIP over TLS on 5061 is called encrypted; discover leaves the firewall and switches as it found them, also after SIGTERM, and after SIGKILL at the next run; OPTIONS alone name their port, and --write replaces the setting in place"
