#!/bin/bash
# The household's emergency calls get out under "block *" (issue: the phone
# always works). baresip as the ATA registers through the bridge with a SIPp
# registrar on the provider side; sipcidd learns from that REGISTER and its
# 200 which bridge port faces the ATA, so the ATA's INVITEs are outgoing
# calls: never blocked, announced with direction outgoing. The provider's own
# incoming call is still blocked by the same rule.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip sipp
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
printf '# the allow-list setup of sipcid-rules(5), with nobody allowed\nblock *\n' >"$LAB_TMP/rules"
lab_sipcidd --rules "$LAB_TMP/rules"
status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }

lab_start prov "$LAB_TMP/registrar.out" sipp -sf "$LAB_SRC/tests/lab/data/sipp_registrar.xml" \
	-i $LAB_PROV_IP -p 5060 -trace_msg -message_file "$LAB_TMP/registrar.msg" -nostdin \
	-timeout 60s
sleep 0.5

# Two baresip set-ups for the ATA: one that registers, one that only dials
# (regint=0: nothing to unregister at exit, so each run ends at once).
for mode in reg dial; do
	mkdir -p "$LAB_TMP/ata-$mode"
	sed "s/^sip_listen.*/sip_listen\t\t$LAB_PHONE_IP:5060/" \
		"$LAB_SRC/tests/lab/data/baresip/caller/config" >"$LAB_TMP/ata-$mode/config"
done
printf '"Home" <sip:2001@%s>;regint=600\n' $LAB_PROV_IP >"$LAB_TMP/ata-reg/accounts"
printf '"Home" <sip:2001@%s>;regint=0\n' $LAB_PROV_IP >"$LAB_TMP/ata-dial/accounts"
registered() { status | grep -q "^line-registrations:    1"; }

# 1. The ATA registers; sipcidd learns the line. (Stopped once registered:
# the SIPp registrar would not answer its un-REGISTER.)
lab_start phone "$LAB_TMP/ata-register.log" baresip -f "$LAB_TMP/ata-reg" -t 20
ata=$LAB_PID
lab_wait_for "sipcidd to learn the registration" 100 registered
kill -KILL "$ata"
wait "$ata" 2>/dev/null
status >"$LAB_TMP/status-1"
grep -q "^line-registrations:    1" "$LAB_TMP/status-1" ||
	lab_fail "sipcidd did not learn the registration: $(grep ^line "$LAB_TMP/status-1")"
grep -q "^line-ata-port:         $LAB_P1_IFINDEX " "$LAB_TMP/status-1" ||
	lab_fail "the ATA's bridge port is not p1 (ifindex $LAB_P1_IFINDEX): $(grep ^line-ata-port "$LAB_TMP/status-1")"
grep -q "^line-registrars:       $LAB_PROV_IP:5060" "$LAB_TMP/status-1" ||
	lab_fail "the registrar is not $LAB_PROV_IP: $(grep ^line-registrars "$LAB_TMP/status-1")"

# 2. The ATA dials each emergency number; each INVITE must reach the provider.
for num in 911 112 999 000; do
	lab_start phone "$LAB_TMP/ata-$num.log" baresip -f "$LAB_TMP/ata-dial" -t 2 -e "/dial $num"
	wait "$LAB_PID"
done
for num in 911 112 999 000; do
	grep -q "^INVITE sip:$num@$LAB_PROV_IP" "$LAB_TMP/registrar.msg" ||
		lab_fail "the call to $num did not reach the provider"
	[ "$(lab_events_matching ".event == \"call\" and .called == \"$num\" and .direction == \"outgoing\" and .action == \"allow\" and .rule == null")" = 1 ] ||
		lab_fail "the call to $num was not announced once as outgoing and allowed: $(cat "$LAB_TMP/events.json")"
done

# 3. The same rule still blocks the provider's incoming call.
lab_net sip INVITE --call-id incoming@lab --from-user +15551234567 --from-name Caller \
	--src $LAB_PROV_IP --dst $LAB_PHONE_IP >"$LAB_TMP/incoming.sip"
lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5064 --count 1 \
	$LAB_PHONE_IP 5060 "$LAB_TMP/incoming.sip" || lab_fail "send the incoming INVITE"
lab_wait_for "the incoming call's event" 50 eval \
	'[ "$(lab_events_matching ".call_id == \"incoming@lab\"")" -ge 1 ]'
[ "$(lab_events_matching '.call_id == "incoming@lab" and .direction == "incoming" and .action == "block"')" = 1 ] ||
	lab_fail "the provider's incoming call was not blocked by block *"
status >"$LAB_TMP/status-2"
out=$(awk '/^outgoing-calls:/ { print $2 }' "$LAB_TMP/status-2")
sos=$(awk '/^emergency-calls:/ { print $2 }' "$LAB_TMP/status-2")
[ "$out" = 4 ] && [ "$sos" = 4 ] ||
	lab_fail "--status counted $out outgoing and $sos emergency calls, expected 4 and 4"
echo "PASS: 911, 112, 999 and 000 reached the provider under block *, announced as outgoing"
